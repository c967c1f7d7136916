"""RSS and Atom feeds of published fact-checks: all of them, and per topic.

A feed at its plain address lists every fact-check in the language it was written in; with
``?lang=<code>`` it lists those public in that language (written in it, or with a published
translation into it), each in that language and linking to that language's page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import Claim, FactCheckText, Topic, site_languages
from .selectors import published_claims

FEED_SIZE = 30


def topic_name(topic: Topic) -> str:
    """The topic's name in the reader's language, when the newsroom gave one."""
    return topic.name_id if get_language() == "id" and topic.name_id else topic.name


def feed_language(request: HttpRequest) -> str | None:
    """The language a feed was asked for (``?lang=``), None for every fact-check as written."""
    language = request.GET.get("lang")
    if language is not None and language not in site_languages():
        raise Http404("No such language.")
    return language


def feed_items(claims: QuerySet[Claim], language: str | None) -> list[Claim]:
    """The newest claims public in ``language`` (all, if None), each with ``fc_text``: its
    fact-check in that language."""
    items = []
    for claim in claims.iterator(chunk_size=FEED_SIZE) if language else claims[:FEED_SIZE]:
        texts = claim.verdict.texts()
        text = texts.get(language or claim.verdict.language)
        if text is not None:
            claim.fc_text = text
            items.append(claim)
            if len(items) == FEED_SIZE:
                break
    return items


def language_query(language: str | None) -> str:
    return f"?lang={language}" if language else ""


class LatestFactChecksFeed(Feed):
    """The newest published fact-checks (RSS 2.0)."""

    url_name = "claims:feed-rss"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        language = feed_language(request)
        request.fc_feed_language = language
        with translation.override(language or get_language()):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest) -> str | None:  # type: ignore[override]
        return request.fc_feed_language

    def title(self, obj: str | None) -> str:
        return _("%(newsroom)s: latest fact-checks") % {"newsroom": settings.FACTCHECK_NEWSROOM_NAME}

    def link(self, obj: str | None) -> str:
        return settings.SITE_URL + reverse("claims:list")

    def description(self, obj: str | None) -> str:
        return _("Claims checked by %(newsroom)s, with their rating and evidence.") % {
            "newsroom": settings.FACTCHECK_NEWSROOM_NAME
        }

    def feed_url(self, obj: str | None) -> str:
        return settings.SITE_URL + reverse(self.url_name) + language_query(obj)

    def items(self, obj: str | None) -> list[Claim]:
        return feed_items(published_claims(), obj)

    def item_title(self, item: Claim) -> str:
        return item.fc_text.headline

    def item_description(self, item: Claim) -> str:
        text: FactCheckText = item.fc_text
        # Plain text: feed readers escape it; nothing here is trusted HTML.
        description = f"{text.label}: \u201c{item.text}\u201d \u2014 {text.summary}"
        corrections = list(item.verdict.corrections.all())
        if corrections:
            latest = corrections[-1]
            description += " " + _("Corrected on %(date)s: %(changes)s %(note)s") % {
                "date": date_format(timezone.localtime(latest.created_at), "DATE_FORMAT"),
                "changes": latest.what_changed, "note": latest.note,
            }
        return description

    def item_link(self, item: Claim) -> str:
        return settings.SITE_URL + item.fc_text.path

    def item_guid(self, item: Claim) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: Claim):  # noqa: ANN201
        return item.verdict.published_at

    def item_updateddate(self, item: Claim):  # noqa: ANN201
        return max([item.verdict.published_at, *(c.created_at for c in item.verdict.corrections.all())])

    def item_categories(self, item: Claim) -> list[str]:
        return [item.fc_text.label, *(topic_name(t) for t in item.topics.all())]

    def item_author_name(self) -> str:
        return settings.FACTCHECK_NEWSROOM_NAME


class LatestFactChecksAtomFeed(LatestFactChecksFeed):
    feed_type = Atom1Feed
    url_name = "claims:feed-atom"

    def subtitle(self, obj: str | None) -> str:
        return self.description(obj)


class TopicFactChecksFeed(LatestFactChecksFeed):
    """The newest published fact-checks on one topic (RSS 2.0)."""

    url_name = "claims:topic-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Topic:  # type: ignore[override]
        topic = get_object_or_404(Topic, slug=slug)
        topic.fc_feed_language = request.fc_feed_language
        return topic

    def title(self, obj: Topic) -> str:  # type: ignore[override]
        return _("%(newsroom)s: fact-checks on %(topic)s") % {
            "newsroom": settings.FACTCHECK_NEWSROOM_NAME, "topic": topic_name(obj),
        }

    def link(self, obj: Topic) -> str:  # type: ignore[override]
        return settings.SITE_URL + reverse("claims:topic", args=[obj.slug])

    def feed_url(self, obj: Topic) -> str:  # type: ignore[override]
        return settings.SITE_URL + reverse(self.url_name, args=[obj.slug]) + language_query(obj.fc_feed_language)

    def description(self, obj: Topic) -> str:  # type: ignore[override]
        return _("Claims about %(topic)s checked by %(newsroom)s.") % {
            "newsroom": settings.FACTCHECK_NEWSROOM_NAME, "topic": topic_name(obj),
        }

    def items(self, obj: Topic) -> list[Claim]:  # type: ignore[override]
        return feed_items(published_claims().filter(topics=obj), obj.fc_feed_language)


class TopicFactChecksAtomFeed(TopicFactChecksFeed):
    feed_type = Atom1Feed
    url_name = "claims:topic-atom"

    def subtitle(self, obj: Topic) -> str:
        return self.description(obj)
