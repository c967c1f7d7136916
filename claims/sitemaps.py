"""sitemap.xml: published fact-checks, topics that have some, and the static pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from .models import Claim, Topic
from .selectors import published_claims


class SiteUrlSitemap(Sitemap):
    """Absolute addresses on settings.SITE_URL, whatever host the request came to."""

    def get_domain(self, site=None) -> str:  # noqa: ANN001
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"


class ClaimSitemap(SiteUrlSitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self) -> QuerySet[Claim]:
        return published_claims()

    def lastmod(self, item: Claim):  # noqa: ANN201
        return max([item.verdict.published_at, *(c.created_at for c in item.verdict.corrections.all())])

    def _urls(self, page, protocol: str, domain: str) -> list[dict]:  # noqa: ANN001
        """Each fact-check's page, and the page of each of its published translations, each
        naming all of them as alternates (hreflang)."""
        urls = []
        for url in super()._urls(page, protocol, domain):
            texts = url["item"].verdict.texts()
            if len(texts) > 1:
                alternates = [{"location": f"{protocol}://{domain}{text.path}", "lang_code": code}
                              for code, text in texts.items()]
                url["alternates"] = alternates
                urls.append(url)
                urls.extend({**url, "location": alternate["location"]} for alternate in alternates[1:])
            else:
                urls.append(url)
        return urls


class TopicSitemap(SiteUrlSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self) -> QuerySet[Topic]:
        return Topic.objects.filter(pk__in=published_claims().order_by().values("topics")).order_by("slug")

    def location(self, item: Topic) -> str:
        return reverse("claims:topic", args=[item.slug])


class StaticSitemap(SiteUrlSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[str]:
        return ["claims:home", "claims:list", "claims:about"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"pages": StaticSitemap, "claims": ClaimSitemap, "topics": TopicSitemap}
