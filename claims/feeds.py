"""RSS and Atom feeds of published fact-checks: all of them, and per topic."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import Claim, Topic
from .selectors import published_claims

FEED_SIZE = 30


def topic_name(topic: Topic) -> str:
    """The topic's name in the reader's language, when the newsroom gave one."""
    return topic.name_id if get_language() == "id" and topic.name_id else topic.name


class LatestFactChecksFeed(Feed):
    """The newest published fact-checks (RSS 2.0)."""

    url_name = "claims:feed-rss"

    def title(self) -> str:
        return _("%(newsroom)s: latest fact-checks") % {"newsroom": settings.FACTCHECK_NEWSROOM_NAME}

    def link(self) -> str:
        return settings.SITE_URL + reverse("claims:list")

    def description(self) -> str:
        return _("Claims checked by %(newsroom)s, with their rating and evidence.") % {
            "newsroom": settings.FACTCHECK_NEWSROOM_NAME
        }

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse(self.url_name)

    def items(self) -> QuerySet[Claim]:
        return published_claims()[:FEED_SIZE]

    def item_title(self, item: Claim) -> str:
        return item.verdict.headline

    def item_description(self, item: Claim) -> str:
        verdict = item.verdict
        # Plain text: feed readers escape it; nothing here is trusted HTML.
        description = f"{verdict.rating.label}: \u201c{item.text}\u201d \u2014 {verdict.summary}"
        corrections = list(verdict.corrections.all())
        if corrections:
            latest = corrections[-1]
            description += " " + _("Corrected on %(date)s: %(changes)s %(note)s") % {
                "date": date_format(timezone.localtime(latest.created_at), "DATE_FORMAT"),
                "changes": latest.what_changed, "note": latest.note,
            }
        return description

    def item_link(self, item: Claim) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item: Claim) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: Claim):  # noqa: ANN201
        return item.verdict.published_at

    def item_updateddate(self, item: Claim):  # noqa: ANN201
        return max([item.verdict.published_at, *(c.created_at for c in item.verdict.corrections.all())])

    def item_categories(self, item: Claim) -> list[str]:
        return [item.verdict.rating.label, *(topic_name(t) for t in item.topics.all())]

    def item_author_name(self) -> str:
        return settings.FACTCHECK_NEWSROOM_NAME


class LatestFactChecksAtomFeed(LatestFactChecksFeed):
    feed_type = Atom1Feed
    url_name = "claims:feed-atom"

    def subtitle(self) -> str:
        return self.description()


class TopicFactChecksFeed(LatestFactChecksFeed):
    """The newest published fact-checks on one topic (RSS 2.0)."""

    url_name = "claims:topic-rss"

    def get_object(self, request: HttpRequest, slug: str) -> Topic:  # type: ignore[override]
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj: Topic) -> str:  # type: ignore[override]
        return _("%(newsroom)s: fact-checks on %(topic)s") % {
            "newsroom": settings.FACTCHECK_NEWSROOM_NAME, "topic": topic_name(obj),
        }

    def link(self, obj: Topic) -> str:  # type: ignore[override]
        return settings.SITE_URL + reverse("claims:topic", args=[obj.slug])

    def feed_url(self, obj: Topic) -> str:  # type: ignore[override]
        return settings.SITE_URL + reverse(self.url_name, args=[obj.slug])

    def description(self, obj: Topic) -> str:  # type: ignore[override]
        return _("Claims about %(topic)s checked by %(newsroom)s.") % {
            "newsroom": settings.FACTCHECK_NEWSROOM_NAME, "topic": topic_name(obj),
        }

    def items(self, obj: Topic) -> QuerySet[Claim]:  # type: ignore[override]
        return published_claims().filter(topics=obj)[:FEED_SIZE]


class TopicFactChecksAtomFeed(TopicFactChecksFeed):
    feed_type = Atom1Feed
    url_name = "claims:topic-atom"

    def subtitle(self, obj: Topic) -> str:
        return self.description(obj)
