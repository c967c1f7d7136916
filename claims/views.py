"""The public pages readers see: published fact-checks only, all of them cacheable.

Every claim shown here comes from ``selectors.published_claims()``; the list narrows it
with the same FilterSet the API uses.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from rest_framework.throttling import BaseThrottle

from . import matching, services
from .choices import Language
from .claimreview import claim_review
from .desk_language import language_cookie_set
from .errors import TipRateExceeded
from .feeds import topic_name
from .filtersets import PublishedClaimFilter
from .forms import TipForm
from .models import Claim, FactCheck, FactCheckText, Rating, Topic
from .public_cache import cached_public_page
from .selectors import (
    published_claims,
    published_topics,
    related_published_claims,
    tip_by_token,
    tip_progress,
)

PAGE_SIZE = 20
LATEST_COUNT = 10
RELATED_COUNT = 5
# Escapes that keep JSON inside <script> from ever closing the element (as json_script does).
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _render(request: HttpRequest, template: str, context: dict, *, title: str = "") -> HttpResponse:
    """Render a public page with what base.html needs: titles and absolute addresses."""
    context = {
        "newsroom": settings.FACTCHECK_NEWSROOM_NAME,
        "site_url": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + request.path,
        "page_title": title,
        **context,
    }
    return render(request, template, context)


def _paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def jsonld_script_body(data: dict) -> SafeString:
    """JSON for a <script type="application/ld+json">, escaped so no text can break out."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES))  # noqa: S308


@cached_public_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _render(request, "claims/home.html", {
        "claims": published_claims()[:LATEST_COUNT],
        "topics": published_topics(),
    })


@cached_public_page
@require_GET
def claim_list(request: HttpRequest) -> HttpResponse:
    claims_filter = PublishedClaimFilter(request.GET or None, queryset=published_claims())
    return _render(request, "claims/claim_list.html", {
        "filter": claims_filter,
        "page_obj": _paginate(request, claims_filter.qs),
        "query": _query_without_page(request),
        "ratings": Rating.objects.all(),
        "topics": Topic.objects.all(),
        "languages": Language.choices,
        # Filters beyond the words searched for; a phone shows them folded unless one is set.
        "filters_set": any(request.GET.get(name, "").strip() for name in claims_filter.filters if name != "q"),
    }, title=_("Search fact-checks"))


@cached_public_page
@require_GET
def claim_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A fact-check in the language it was written in, at its plain address; a published
    translation of it at ``?lang=<code>``, with the page around it in that language."""
    claim = get_object_or_404(published_claims(), pk=pk)
    if slug != claim.slug:
        target = claim.get_absolute_url()
        if "lang" in request.GET:
            target += "?" + urlencode({"lang": request.GET["lang"]})
        return redirect(target, permanent=True)
    texts = claim.verdict.texts()
    language = request.GET.get("lang")
    if language is None:
        return _claim_page(request, claim, texts[claim.verdict.language], texts)
    text = texts.get(language)
    if text is None or text.original:
        # Its own language is at the plain address; a translation not (or no longer) public
        # sends the reader there too, not for good: it may be published later.
        return redirect(claim.get_absolute_url(), permanent=text is not None)
    with translation.override(language):
        return _claim_page(request, claim, text, texts)


def related_elsewhere(found: list) -> list[FactCheck]:
    """Other fact-checkers' fact-checks of the same claim (imported ClaimReview), closest
    first, from the index's search for the claim."""
    ids = [pk for (kind, pk), hit in found
           if kind == "factcheck" and hit.score >= settings.FACTCHECK_MATCH_THRESHOLD][:RELATED_COUNT]
    by_id = FactCheck.objects.defer("vector").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _claim_page(request: HttpRequest, claim: Claim, text: FactCheckText, texts: dict) -> HttpResponse:
    review = claim_review(claim, language=text.language)
    found = matching.FACTCHECKS.search(claim.text, k=RELATED_COUNT * 3)  # ours and others', closest first
    others = [version for code, version in texts.items() if code != text.language]
    alternates = [{"hreflang": code, "url": settings.SITE_URL + version.path} for code, version in texts.items()]
    if others:
        alternates.append({"hreflang": "x-default", "url": settings.SITE_URL + claim.get_absolute_url()})
    return _render(request, "claims/claim_detail.html", {
        "claim": claim,
        "verdict": claim.verdict,
        "text": text,
        "other_versions": others,
        "alternates": alternates if others else [],
        # The language switch in the header leads to the fact-check in that language.
        "language_paths": {code: version.path for code, version in texts.items()},
        "sources": claim.sources.all(),
        "corrections": claim.verdict.corrections.all(),
        "updated_at": datetime.fromisoformat(review["dateModified"]),
        "related": related_published_claims(claim=claim, limit=RELATED_COUNT, found=found),
        "related_elsewhere": related_elsewhere(found),
        "claim_review": jsonld_script_body(review),
        "canonical_url": review["url"],
        "page_description": text.summary,
        "og_type": "article",
    }, title=text.headline)


@cached_public_page
@require_GET
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    name = topic_name(topic)
    return _render(request, "claims/topic_detail.html", {
        "topic": topic,
        "topic_name": name,
        "page_obj": _paginate(request, published_claims().filter(topics=topic)),
        "query": _query_without_page(request),
    }, title=_("Fact-checks on %(topic)s") % {"topic": name})


@cached_public_page
@require_GET
def about(request: HttpRequest) -> HttpResponse:
    ratings = list(Rating.objects.all())
    return _render(request, "claims/about.html", {
        "ratings": ratings,
        "with_descriptions": any(r.description for r in ratings),
        "two_person_rule": settings.FACTCHECK_TWO_PERSON_RULE,
    }, title=_("How we check claims"))


def _private(response: HttpResponse) -> HttpResponse:
    """A page that carries a tip's private link: never indexed, cached or sent on as a referrer."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _client_address(request: HttpRequest) -> str:
    """The reader's network address for the tip rate limit, by the API's rule: X-Forwarded-For
    counts only when FACTCHECK_NUM_PROXIES says how many proxies stand in front; otherwise a
    header anyone can write would give each request a new address."""
    return BaseThrottle().get_ident(request) or ""


def _tip_sent(request: HttpRequest, token: str) -> HttpResponse:
    link = request.build_absolute_uri(reverse("claims:tip", args=[token]))
    return _private(_render(request, "claims/tip_sent.html", {
        "tip_link": link, "canonical_url": settings.SITE_URL + reverse("claims:tip-new"), "noindex": True,
    }, title=_("Thank you")))


@never_cache
@sensitive_post_parameters("contact", "text", "url")
@require_http_methods(["GET", "POST"])
def tip_new(request: HttpRequest) -> HttpResponse:
    """ "Send us a claim": a reader's tip goes into the desk's queue; they get a private link."""
    form = TipForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_trap:
            # A robot filled in the hidden field: thanked like anyone, with a link to nothing.
            return _tip_sent(request, secrets.token_urlsafe(24))
        if form.is_valid():
            data = form.cleaned_data
            try:
                sent = services.tip_submit(
                    text=data["text"], url=data["url"], language=data["language"], contact=data["contact"],
                    address=_client_address(request),
                )
            except TipRateExceeded:
                form.add_error(None, _("You have sent us several claims in a short time. "
                                       "Please try again later."))
                status = 429
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return _tip_sent(request, sent.token)
        if status == 200:
            status = 400
    response = _render(request, "claims/tip_new.html", {
        "form": form, "contact_days": settings.FACTCHECK_TIP_CONTACT_DAYS,
        "max_chars": settings.FACTCHECK_TIP_MAX_CHARS,
    }, title=_("Send us a claim"))
    response.status_code = status
    return response


@never_cache
@require_GET
def tip_status(request: HttpRequest, token: str) -> HttpResponse:
    """A reader's private page for their tip: where it stands, and the fact-check once out."""
    tip = tip_by_token(token=token)
    if tip is None:
        raise Http404("No such tip.")
    progress = tip_progress(tip=tip)
    text = None
    if progress.fact_check is not None:
        texts = progress.fact_check.verdict.texts()
        text = texts.get(translation.get_language()) or texts[progress.fact_check.verdict.language]
    return _private(_render(request, "claims/tip_status.html", {
        "tip": tip, "progress": progress, "text": text, "noindex": True,
        "canonical_url": settings.SITE_URL + reverse("claims:tip-new"),
    }, title=_("Your claim")))


@never_cache
@require_GET
def language_switch(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the reader's language with a plain link: no form, so no CSRF cookie."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language_cookie_set(response, code)
    return response


FAVICON = Path(__file__).resolve().parent / "static" / "claims" / "favicon.ico"


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: the site's icon, cached for a day."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@cached_public_page
@require_GET
def claim_detail_short(request: HttpRequest, pk: int) -> HttpResponse:
    """/claims/8/, a published claim's number without its words: on to its address (301)."""
    return redirect(get_object_or_404(published_claims(), pk=pk), permanent=True)


@cached_public_page
@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /language/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A 404 in the site's own layout, with a way back to the fact-checks."""
    response = _render(request, "404.html", {}, title=_("Page not found"))
    response.status_code = 404
    return response
