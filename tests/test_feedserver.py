"""The local news site the feed-polling scale tests and benchmark stand on (tests/feedserver.py):
what it serves must be what those tests assume, or their counts mean nothing."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from claims import outbound
from claims.ingest import content_hash, html_to_article
from claims.services.watching import PollFailed, feed_parse
from tests.feedserver import HUGE_PAGE_BYTES, FeedServer


def get(url: str, **headers: str) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


@pytest.fixture
def site():
    with FeedServer(feeds=14, entries=4, hosts=2) as server:
        yield server


def test_every_feed_lists_its_entries_in_rss_atom_or_a_news_sitemap(site):
    formats = set()
    for feed in site.feeds():
        status, body, _headers = get(feed.url)
        assert status == 200
        parsed = feed_parse(body, base_url=feed.url)
        assert [e.url for e in parsed.entries] == [site.page_url(feed.index, j) for j in (3, 2, 1, 0)]
        assert all(e.title and e.published_at for e in parsed.entries)
        formats.add(feed.format)
    assert formats == {"rss", "atom", "sitemap"}
    # Feeds are spread over the two loopback sites.
    assert {feed.url.split("/")[2].split(":")[0] for feed in site.feeds()} == {"127.0.0.1", "127.0.0.2"}


def test_pages_are_news_text_each_different_and_the_same_on_every_run(site):
    texts = {}
    for i in (0, 1, 2, 3):
        for j in range(4):
            _status, body, _headers = get(site.page_url(i, j))
            article = html_to_article(body.decode("utf-8"))
            assert len(article.body) > 500 and f"{i}-{j}" in article.body
            texts[(i, j)] = article.body
    assert len({content_hash(t) for t in texts.values()}) == 16
    assert "Laporan nomor" in texts[(0, 0)] and "This is report" in texts[(1, 0)]  # Indonesian, English
    with FeedServer(feeds=14, entries=4) as again:
        assert html_to_article(get(again.page_url(2, 3))[1].decode()).body == texts[(2, 3)]


def test_requests_are_counted_per_path_and_an_unchanged_feed_answers_304(site):
    url = site.feeds()[0].url
    _status, _body, headers = get(url)
    status, body, _headers = get(url, **{"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    path = site.feed_path(0)
    assert (site.hits_for(path), site.statuses_for(path, 200), site.statuses_for(path, 304)) == (2, 1, 1)
    site.grow(1)
    assert get(url, **{"If-None-Match": headers["ETag"]})[0] == 200


def test_the_bad_feeds_fail_as_they_say(site, settings):
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = [site.allowed_hosts]
    assert get(site.fault_url("error"))[0] == 500
    with pytest.raises(PollFailed, match="well-formed"):
        feed_parse(get(site.fault_url("broken"))[1], base_url=site.fault_url("broken"))
    with pytest.raises(outbound.OutboundError, match="10.0.0.1 is inside a private network"):
        outbound.fetch(site.fault_url("private"), accept=outbound.FEED_CONTENT_TYPES)
    with pytest.raises(outbound.OutboundError, match="169.254.169.254 is a link-local"):
        outbound.fetch(site.fault_url("metadata"), accept=outbound.FEED_CONTENT_TYPES)
    with pytest.raises(outbound.OutboundError, match="timed out"):
        outbound.fetch(site.fault_url("hang"), accept=outbound.FEED_CONTENT_TYPES, timeout=0.5)
    big, *_small = site.huge_entry_urls()
    with pytest.raises(outbound.OutboundError, match="larger than 5 MB"):
        outbound.fetch(big)
    assert site.huge_bytes_sent < HUGE_PAGE_BYTES / 2  # made on the fly, stopped when the reader left
