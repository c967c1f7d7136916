"""Watching outlets (issue 22): polling feeds and sitemaps, and fetching what they list.

A local HTTP server plays the outlets; FACTCHECK_OUTBOUND_ALLOWED_HOSTS lets the guard
reach it (and nothing else inside). Requests are counted, never timed.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from claims.models import Article, Topic, WatchedEntry, WatchedHost, WatchedSource
from claims.services import watching
from claims.services.watching import (
    entries_fetch_due,
    entry_fetch,
    feed_parse,
    source_poll,
    source_poll_now,
    sources_poll_due,
    sources_poll_soon,
)

pytestmark = pytest.mark.django_db

HANG = threading.Event()


def article_html(title: str, words: str) -> str:
    paragraphs = "".join(
        f"<p>{words} Paragraph {i} says the minister promised {i * 10} new schools by next year, "
        f"and the opposition disputed the figure in parliament on Tuesday.</p>"
        for i in range(1, 7)
    )
    return (f"<html><head><title>{title}</title></head><body><nav>Home | News</nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article><footer>Copyright</footer></body></html>")


class Outlet(BaseHTTPRequestHandler):
    """Serves `routes[path] = (status, content_type, body, headers)`; counts every request."""

    protocol_version = "HTTP/1.1"
    routes: dict[str, tuple] = {}
    hits: Counter = Counter()
    seen_headers: list[tuple[str, dict]] = []

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        path = self.path
        Outlet.hits[path] += 1
        Outlet.seen_headers.append((path, dict(self.headers.items())))
        route = Outlet.routes.get(path)
        if route == "hang":
            HANG.wait(5)
            self.close_connection = True
            return
        if route == "huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                chunk = b"<p>" + b"x" * (1024 * 1024) + b"</p>"
                for _ in range(50):
                    self.wfile.write(chunk)
            except OSError:
                pass
            self.close_connection = True
            return
        if route is None:
            route = (404, "text/plain", b"not here", {})
        status, content_type, body, headers = route
        if callable(body):
            status, body, headers = body(self)
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Outlet)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    HANG.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def outlet(settings, server):
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS = 0
    settings.FACTCHECK_WATCH_MAX_FAILURES = 3
    settings.FACTCHECK_FETCH_TIMEOUT = 1
    Outlet.routes = {}
    Outlet.hits.clear()
    Outlet.seen_headers.clear()
    return server


def serve(path: str, body, content_type: str = "text/html; charset=utf-8", status: int = 200, **headers):
    Outlet.routes[path] = (status, content_type, body, headers)


def rss(base: str, *items: tuple[str, str, str]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><description>{summary}</description>"
        f"<pubDate>Tue, 03 Nov 2026 08:30:00 +0700</pubDate><dc:creator>Rina Wulandari</dc:creator></item>"
        for path, title, summary in items
    )
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>Kabar</title><link>{base}/</link>{entries}</channel></rss>")


def source_make(url: str, **fields) -> WatchedSource:
    fields.setdefault("name", "Kabar Harian")
    fields.setdefault("enabled", True)
    return WatchedSource.objects.create(url=url, **fields)


def article_hits() -> int:
    return sum(n for path, n in Outlet.hits.items() if path.startswith("/news/"))


# --------------------------------------------------------------------------- polling and importing


def test_rss_poll_imports_new_articles_with_their_date_author_and_outlet(outlet):
    serve("/feed.xml", rss(outlet, ("/news/1", "Schools promise", "Minister on schools"),
                           ("/news/2", "Budget row", "Parliament on the budget")), "application/rss+xml")
    serve("/news/1", article_html("Schools promise", "Jakarta."))
    serve("/news/2", article_html("Budget row", "Surabaya."))
    source = source_make(f"{outlet}/feed.xml", language="en")

    assert sources_poll_due() == 1

    source.refresh_from_db()
    assert (source.failures, source.last_error, source.last_new_entries) == (0, "", 2)
    assert source.next_poll_at > timezone.now() + timedelta(minutes=29)
    entries = {e.url: e for e in WatchedEntry.objects.all()}
    assert {e.state for e in entries.values()} == {WatchedEntry.State.IMPORTED}
    article = Article.objects.get(url=f"{outlet}/news/1")
    assert article.title == "Schools promise"
    assert article.author == "Rina Wulandari"
    assert article.outlet == "Kabar Harian"
    assert article.watched_source == source
    assert article.published_at == datetime(2026, 11, 3, 1, 30, tzinfo=UTC)
    assert "minister promised 10 new schools" in article.body
    assert "Copyright" not in article.body  # reduced to the main text
    assert article.jobs.count() == 1  # queued for extraction
    assert entries[f"{outlet}/news/1"].article == article


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Warta</title><author><name>Desk Warta</name></author>
  <entry><title>Rice prices</title><link rel="alternate" href="/news/rice"/>
    <link rel="enclosure" href="/img/rice.jpg"/>
    <published>2026-11-02T07:00:00Z</published><updated>2026-11-03T07:00:00Z</updated>
    <author><name>Budi Santoso</name></author><summary>Rice prices rose</summary></entry>
  <entry><title>Fuel subsidy</title><link href="https://warta.example/news/fuel"/>
    <updated>2026-11-01T10:15:00+07:00</updated><summary>Fuel</summary></entry>
</feed>"""

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://kabar.example/news/a</loc>
    <news:news><news:publication><news:name>Kabar</news:name><news:language>id</news:language></news:publication>
      <news:publication_date>2026-11-04T09:00:00+07:00</news:publication_date>
      <news:title>Harga beras naik</news:title><news:keywords>beras, harga</news:keywords></news:news></url>
</urlset>"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://kabar.example/news/b</loc><lastmod>2026-10-30</lastmod></url>
  <url><loc>javascript:alert(1)</loc></url>
  <url><loc>https://kabar.example/news/c</loc></url>
</urlset>"""


def test_atom_entries_are_read_with_their_links_dates_and_authors():
    parsed = feed_parse(ATOM.encode(), base_url="https://warta.example/feed")
    first, second = parsed.entries
    assert first.url == "https://warta.example/news/rice"
    assert (first.title, first.author, first.summary) == ("Rice prices", "Budi Santoso", "Rice prices rose")
    assert first.published_at == datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # published, not updated
    assert second.author == "Desk Warta"  # the feed's author when the entry names none
    assert second.published_at == datetime(2026, 11, 1, 3, 15, tzinfo=UTC)


def test_news_sitemaps_and_sitemaps_are_read_with_their_dates():
    (news,) = feed_parse(NEWS_SITEMAP.encode(), base_url="https://kabar.example/sitemap-news.xml").entries
    assert (news.url, news.title) == ("https://kabar.example/news/a", "Harga beras naik")
    assert news.published_at == datetime(2026, 11, 4, 2, 0, tzinfo=UTC)
    plain = feed_parse(SITEMAP.encode(), base_url="https://kabar.example/sitemap.xml").entries
    assert [e.url for e in plain] == ["https://kabar.example/news/b", "https://kabar.example/news/c"]
    assert plain[0].published_at.date().isoformat() == "2026-10-30"


def test_a_sitemap_index_is_followed_to_its_newest_sitemaps(outlet):
    serve("/sitemap_index.xml", f"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{outlet}/sitemap-old.xml</loc><lastmod>2020-01-01</lastmod></sitemap>
  <sitemap><loc>{outlet}/sitemap-new.xml</loc><lastmod>2026-11-01</lastmod></sitemap>
</sitemapindex>""", "application/xml")
    serve("/sitemap-new.xml", f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{outlet}/news/s1</loc><lastmod>2026-11-01</lastmod></url></urlset>""", "application/xml")
    serve("/sitemap-old.xml", f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{outlet}/news/s0</loc></url></urlset>""", "text/xml")
    serve("/news/s1", article_html("Sitemap one", "Medan."))
    serve("/news/s0", article_html("Sitemap zero", "Bandung."))
    source = source_make(f"{outlet}/sitemap_index.xml", kind=WatchedSource.Kind.SITEMAP)

    assert source_poll_now(source_id=source.pk).status == "ok"

    assert set(Article.objects.values_list("url", flat=True)) == {f"{outlet}/news/s1", f"{outlet}/news/s0"}
    assert Article.objects.get(url=f"{outlet}/news/s1").title == "Sitemap one"  # the page's own title


def test_the_second_poll_asks_whether_anything_changed_and_a_304_adds_nothing(outlet):
    def feed(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, b"", {"ETag": '"v1"'}
        return 200, rss(outlet, ("/news/1", "Schools", "s")), {
            "ETag": '"v1"', "Last-Modified": "Tue, 03 Nov 2026 01:00:00 GMT"}

    serve("/feed.xml", feed, "application/rss+xml")
    serve("/news/1", article_html("Schools", "Jakarta."))
    source = source_make(f"{outlet}/feed.xml")
    assert source_poll_now(source_id=source.pk).new_entries == 1
    source.refresh_from_db()
    assert (source.etag, source.last_modified) == ('"v1"', "Tue, 03 Nov 2026 01:00:00 GMT")

    result = source_poll_now(source_id=source.pk)

    assert result.status == "not_modified"
    second = [h for path, h in Outlet.seen_headers if path == "/feed.xml"][1]
    assert second["If-None-Match"] == '"v1"'
    assert second["If-Modified-Since"] == "Tue, 03 Nov 2026 01:00:00 GMT"
    assert WatchedEntry.objects.count() == 1
    assert Outlet.hits["/news/1"] == 1
    source.refresh_from_db()
    assert (source.failures, source.last_new_entries) == (0, 0)


def test_an_entry_in_two_feeds_and_two_polls_is_fetched_once(outlet):
    serve("/a.xml", rss(outlet, ("/news/1", "Schools", "s"), ("/news/2", "Budget", "b")), "application/rss+xml")
    serve("/b.xml", rss(outlet, ("/news/2", "Budget", "b"), ("/news/1", "Schools", "s")), "application/rss+xml")
    serve("/news/1", article_html("Schools", "Jakarta."))
    serve("/news/2", article_html("Budget", "Surabaya."))
    first, second = source_make(f"{outlet}/a.xml"), source_make(f"{outlet}/b.xml", name="Other")

    for source in (first, second, first, second):
        source_poll_now(source_id=source.pk)
    # Beat restarts and sends everything still open again: nothing is open.
    WatchedSource.objects.update(next_poll_at=timezone.now() - timedelta(minutes=1))
    sources_poll_due()
    entries_fetch_due()

    assert Outlet.hits["/news/1"] == Outlet.hits["/news/2"] == 1
    assert WatchedEntry.objects.count() == 2
    assert Article.objects.count() == 2


def test_a_message_delivered_twice_polls_once(outlet, monkeypatch):
    serve("/feed.xml", rss(outlet), "application/rss+xml")
    source = source_make(f"{outlet}/feed.xml")
    sent = []
    monkeypatch.setattr(watching.poll_source, "apply_async", lambda args, **kw: sent.append(args[0]))
    assert sources_poll_due() == 1
    assert sources_poll_due() == 0  # leased: a second beat sends nothing
    assert sent == [source.pk]

    assert source_poll(source_id=source.pk, sent=True).status == "ok"
    assert source_poll(source_id=source.pk, sent=True).status == "not_taken"
    assert Outlet.hits["/feed.xml"] == 1
    # An editor's "poll now" polls it again, due or not.
    assert source_poll(source_id=source.pk).status == "ok"
    assert Outlet.hits["/feed.xml"] == 2


def test_a_poll_whose_worker_died_is_taken_again_when_its_lease_runs_out(outlet):
    serve("/feed.xml", rss(outlet, ("/news/1", "Schools", "s")), "application/rss+xml")
    serve("/news/1", article_html("Schools", "Jakarta."))
    now = timezone.now()
    source = source_make(f"{outlet}/feed.xml", next_poll_at=now - timedelta(minutes=5))
    # A worker took it and died: the lease is held, the poll never finished.
    WatchedSource.objects.filter(pk=source.pk).update(lease_until=now + timedelta(minutes=4), last_polled_at=now)
    assert sources_poll_due() == 0
    WatchedSource.objects.filter(pk=source.pk).update(lease_until=now - timedelta(seconds=1))

    assert sources_poll_due() == 1

    assert WatchedEntry.objects.get().state == WatchedEntry.State.IMPORTED


def test_an_entry_whose_worker_died_is_fetched_again_once(outlet):
    serve("/news/1", article_html("Schools", "Jakarta."))
    source = source_make(f"{outlet}/feed.xml")
    entry = WatchedEntry.objects.create(
        source=source, url=f"{outlet}/news/1", state=WatchedEntry.State.FETCHING, attempts=1,
        lease_until=timezone.now() + timedelta(minutes=1))
    assert entries_fetch_due() == 0  # still leased
    assert entry_fetch(entry_id=entry.pk) is None
    WatchedEntry.objects.filter(pk=entry.pk).update(lease_until=timezone.now() - timedelta(seconds=1))

    assert entries_fetch_due() == 1
    assert entries_fetch_due() == 0

    entry.refresh_from_db()
    assert (entry.state, entry.attempts, Outlet.hits["/news/1"]) == (WatchedEntry.State.IMPORTED, 2, 1)


def test_an_address_already_stored_is_not_fetched(outlet):
    Article.objects.create(url=f"{outlet}/news/1", title="Sent by an editor", body="Text.", content_hash="x1")
    serve("/feed.xml", rss(outlet, ("/news/1", "Schools", "s")), "application/rss+xml")
    source = source_make(f"{outlet}/feed.xml")

    source_poll_now(source_id=source.pk)

    entry = WatchedEntry.objects.get()
    assert (entry.state, entry.article.title) == (WatchedEntry.State.DUPLICATE, "Sent by an editor")
    assert article_hits() == 0


def test_the_same_text_at_two_addresses_is_stored_once(outlet):
    serve("/feed.xml", rss(outlet, ("/news/1", "Schools", "s"), ("/news/1-amp", "Schools", "s")),
          "application/rss+xml")
    serve("/news/1", article_html("Schools", "Jakarta."))
    serve("/news/1-amp", article_html("Schools", "Jakarta."))
    source = source_make(f"{outlet}/feed.xml")

    source_poll_now(source_id=source.pk)

    assert Article.objects.count() == 1
    article = Article.objects.get()
    states = dict(WatchedEntry.objects.values_list("state", "article"))
    assert states == {WatchedEntry.State.IMPORTED: article.pk, WatchedEntry.State.DUPLICATE: article.pk}


def test_robots_txt_is_respected_for_feeds_and_pages(outlet):
    serve("/robots.txt", "User-agent: *\nDisallow: /private/\nDisallow: /news/secret\n", "text/plain")
    serve("/private/feed.xml", rss(outlet), "application/rss+xml")
    serve("/feed.xml", rss(outlet, ("/news/open", "Open", "o"), ("/news/secret", "Secret", "s")),
          "application/rss+xml")
    serve("/news/open", article_html("Open", "Jakarta."))
    serve("/news/secret", article_html("Secret", "Bogor."))
    closed, open_ = source_make(f"{outlet}/private/feed.xml"), source_make(f"{outlet}/feed.xml", name="Open")

    result = source_poll_now(source_id=closed.pk)
    source_poll_now(source_id=open_.pk)

    assert result.status == "failed"
    closed.refresh_from_db()
    assert "robots.txt does not allow" in closed.last_error
    assert Outlet.hits["/private/feed.xml"] == 0
    secret = WatchedEntry.objects.get(url=f"{outlet}/news/secret")
    assert secret.state == WatchedEntry.State.SKIPPED and "robots.txt" in secret.error
    assert Outlet.hits["/news/secret"] == 0 and Outlet.hits["/news/open"] == 1
    assert Outlet.hits["/robots.txt"] == 1  # read once, kept for the day
    assert WatchedHost.objects.get().robots_txt.startswith("User-agent")


def test_topics_filter_what_is_imported(outlet):
    topic = Topic.objects.create(slug="edu", name="Education", keywords={"en": ["schools"], "id": ["sekolah"]})
    serve("/feed.xml", rss(outlet, ("/news/1", "New schools promised", "s"), ("/news/2", "Football", "Match report")),
          "application/rss+xml")
    serve("/news/1", article_html("New schools promised", "Jakarta."))
    serve("/news/2", article_html("Football", "Surabaya."))
    source = source_make(f"{outlet}/feed.xml")
    source.topics.add(topic)

    result = source_poll_now(source_id=source.pk)

    assert (result.new_entries, result.skipped_entries) == (1, 1)
    skipped = WatchedEntry.objects.get(url=f"{outlet}/news/2")
    assert skipped.state == WatchedEntry.State.SKIPPED and skipped.error
    assert Outlet.hits["/news/2"] == 0
    assert list(Article.objects.values_list("url", flat=True)) == [f"{outlet}/news/1"]


def test_the_same_site_is_visited_no_faster_than_the_politeness_delay(outlet, settings):
    settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS = 600
    serve("/a.xml", rss(outlet, ("/news/1", "Schools", "s")), "application/rss+xml")
    serve("/b.xml", rss(outlet), "application/rss+xml")
    serve("/news/1", article_html("Schools", "Jakarta."))
    first, second = source_make(f"{outlet}/a.xml"), source_make(f"{outlet}/b.xml", name="Other")

    sources_poll_due()

    # One request reached the site (beside robots.txt); the rest wait for their turn.
    assert Outlet.hits["/a.xml"] + Outlet.hits["/b.xml"] == 1
    assert article_hits() == 0
    waiting = WatchedSource.objects.get(pk=second.pk if Outlet.hits["/a.xml"] else first.pk)
    turn = WatchedHost.objects.get().next_visit_at
    assert waiting.next_poll_at == turn and waiting.failures == 0 and waiting.lease_until is None
    assert turn > timezone.now() + timedelta(seconds=590)
    # A second tick, by another beat or worker, does not jump the queue.
    entries_fetch_due()
    sources_poll_due()
    assert Outlet.hits["/a.xml"] + Outlet.hits["/b.xml"] == 1 and article_hits() == 0
    # The entry kept the next turn: ten minutes on, it is fetched.
    entry = WatchedEntry.objects.get()
    assert entry.state == WatchedEntry.State.NEW and entry.turn_at == entry.due_at == turn - timedelta(seconds=600)
    later = timedelta(seconds=600)
    WatchedHost.objects.update(next_visit_at=F("next_visit_at") - later)
    WatchedEntry.objects.update(due_at=F("due_at") - later, turn_at=F("turn_at") - later)
    entries_fetch_due()
    assert article_hits() == 1
    assert WatchedEntry.objects.get().state == WatchedEntry.State.IMPORTED


def test_entries_of_one_site_queue_up_in_turns(outlet, settings):
    settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS = 600
    serve("/feed.xml", rss(outlet, *[(f"/news/{n}", f"Story {n}", "s") for n in range(4)]), "application/rss+xml")
    for n in range(4):
        serve(f"/news/{n}", article_html(f"Story {n}", f"City {n}."))
    source = source_make(f"{outlet}/feed.xml")

    source_poll_now(source_id=source.pk)
    entries_fetch_due()  # another tick at once changes nothing

    # The poll took the first turn; each entry holds one of the next, ten minutes apart.
    assert article_hits() == 0
    turns = sorted(WatchedEntry.objects.values_list("turn_at", flat=True))
    assert [round((b - a).total_seconds()) for a, b in zip(turns, turns[1:], strict=False)] == [600, 600, 600]
    assert WatchedHost.objects.get().next_visit_at == turns[-1] + timedelta(seconds=600)


# --------------------------------------------------------------------------- faults


def test_a_feed_that_answers_500_backs_off_and_is_paused_after_repeated_failures(outlet):
    serve("/feed.xml", "oops", "text/plain", status=500)
    source = source_make(f"{outlet}/feed.xml", poll_minutes=10)

    waits = []
    for _ in range(3):
        before = timezone.now()
        assert source_poll_now(source_id=source.pk).status == "failed"
        source.refresh_from_db()
        waits.append(round((source.next_poll_at - before).total_seconds() / 60))

    assert waits == [20, 40, 80]  # twice as long each time
    assert source.failures == 3
    assert source.paused_at is not None
    assert "the server answered 500" in source.last_error and "Paused after 3" in source.last_error
    WatchedSource.objects.filter(pk=source.pk).update(next_poll_at=timezone.now())
    assert sources_poll_due() == 0  # paused: not polled until an editor resumes it
    assert WatchedEntry.objects.count() == 0


def test_success_after_failures_starts_the_count_again(outlet):
    serve("/feed.xml", "oops", "text/plain", status=500)
    source = source_make(f"{outlet}/feed.xml")
    source_poll_now(source_id=source.pk)
    serve("/feed.xml", rss(outlet), "application/rss+xml")

    source_poll_now(source_id=source.pk)

    source.refresh_from_db()
    assert (source.failures, source.last_error, source.paused_at) == (0, "", None)
    assert source.last_success_at is not None


def test_a_feed_that_never_answers_times_out(outlet):
    Outlet.routes["/feed.xml"] = "hang"
    source = source_make(f"{outlet}/feed.xml")

    result = source_poll_now(source_id=source.pk)

    assert result.status == "failed"
    source.refresh_from_db()
    assert "timed out after 1 second" in source.last_error
    assert source.lease_until is None  # the next poll may take it


@pytest.mark.parametrize("body, said", [
    ("<rss><channel><item><title>Broken</title></channel>", "not well-formed XML"),
    ("<html><body>Not a feed</body></html>", "not a feed or a sitemap"),
    ("", "empty document"),
])
def test_broken_xml_is_a_failure_and_stores_nothing(outlet, body, said):
    serve("/feed.xml", body, "application/xml")
    source = source_make(f"{outlet}/feed.xml")

    assert source_poll_now(source_id=source.pk).status == "failed"

    source.refresh_from_db()
    assert said in source.last_error and source.failures == 1
    assert WatchedEntry.objects.count() == 0


def test_xml_entities_are_never_expanded(outlet):
    bomb = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">'
            '<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
            '<rss><channel><item><title>&b;&ext;</title><link>https://x.example/1</link></item></channel></rss>')
    serve("/feed.xml", bomb, "application/rss+xml")
    source = source_make(f"{outlet}/feed.xml")

    assert source_poll_now(source_id=source.pk).status == "failed"

    source.refresh_from_db()
    assert "entities" in source.last_error
    assert WatchedEntry.objects.count() == 0


def test_a_feed_that_redirects_to_an_internal_address_is_refused(outlet):
    serve("/feed.xml", "", "text/plain", status=302, Location="http://169.254.169.254/latest/meta-data/")
    serve("/news/1", "", "text/plain", status=301, Location="http://10.0.0.5/admin")
    serve("/ok.xml", rss(outlet, ("/news/1", "Moved", "m")), "application/rss+xml")
    source, other = source_make(f"{outlet}/feed.xml"), source_make(f"{outlet}/ok.xml", name="Ok")

    assert source_poll_now(source_id=source.pk).status == "failed"
    source_poll_now(source_id=other.pk)

    source.refresh_from_db()
    assert "169.254.169.254" in source.last_error and "link-local" in source.last_error
    entry = WatchedEntry.objects.get()
    assert entry.state == WatchedEntry.State.FAILED
    assert "10.0.0.5" in entry.error and "private network" in entry.error
    assert Article.objects.count() == 0


def test_a_50_mb_page_is_stopped_and_shown_failed_on_its_entry(outlet):
    serve("/feed.xml", rss(outlet, ("/news/huge", "Huge", "h"), ("/news/1", "Schools", "s")), "application/rss+xml")
    Outlet.routes["/news/huge"] = "huge"
    serve("/news/1", article_html("Schools", "Jakarta."))
    source = source_make(f"{outlet}/feed.xml")

    result = source_poll_now(source_id=source.pk)

    assert result.new_entries == 2
    huge = WatchedEntry.objects.get(url=f"{outlet}/news/huge")
    assert huge.state == WatchedEntry.State.FAILED
    assert "larger than 5 MB" in huge.error
    assert huge.lease_until is None and huge.article is None
    assert list(Article.objects.values_list("url", flat=True)) == [f"{outlet}/news/1"]
    source.refresh_from_db()
    assert source.failures == 0  # the feed itself is fine


def test_an_entry_that_keeps_killing_its_worker_is_given_up(outlet):
    source = source_make(f"{outlet}/feed.xml")
    entry = WatchedEntry.objects.create(source=source, url=f"{outlet}/news/1", state=WatchedEntry.State.FETCHING,
                                        attempts=watching.ENTRY_MAX_ATTEMPTS,
                                        lease_until=timezone.now() - timedelta(seconds=1))

    entry_fetch(entry_id=entry.pk)

    entry.refresh_from_db()
    assert entry.state == WatchedEntry.State.FAILED and "Given up after 3 attempts" in entry.error
    assert article_hits() == 0


def test_when_the_broker_is_down_the_sources_wait_for_the_next_tick(outlet, monkeypatch):
    from kombu.exceptions import OperationalError

    serve("/feed.xml", rss(outlet), "application/rss+xml")
    source = source_make(f"{outlet}/feed.xml")

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(watching.poll_source, "apply_async", down)
    assert sources_poll_due() == 0
    source.refresh_from_db()
    assert source.lease_until is None  # not taken: the next tick sends it
    monkeypatch.undo()
    assert sources_poll_due() == 1


def test_sources_asked_for_while_the_broker_is_down_are_sent_at_the_next_tick(outlet, monkeypatch):
    from kombu.exceptions import OperationalError

    serve("/feed.xml", rss(outlet), "application/rss+xml")
    paused = source_make(f"{outlet}/feed.xml", failures=3, paused_at=timezone.now(),
                         next_poll_at=timezone.now() + timedelta(hours=20))
    monkeypatch.setattr(watching, "_eager", lambda: False)

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(watching.poll_source, "apply_async", down)
    assert sources_poll_soon(source_ids=[paused.pk]) == 1  # outside a transaction: sent at once, or not
    assert sources_poll_due() == 0
    sent = []
    monkeypatch.setattr(watching.poll_source, "apply_async", lambda args, **kw: sent.append(args[0]))
    assert sources_poll_due() == 1 and sent == [paused.pk]  # still asked for: the next tick sends it
    assert source_poll(source_id=paused.pk, sent=True).status == "ok"
    assert sources_poll_due() == 0  # asked for once, polled once
    assert WatchedSource.objects.get(pk=paused.pk).paused_at is None  # it answered: no longer paused


def test_a_source_asked_for_when_its_site_is_busy_is_polled_at_the_sites_turn(outlet, settings):
    settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS = 1
    serve("/feed.xml", rss(outlet), "application/rss+xml")
    off = source_make(f"{outlet}/feed.xml", enabled=False)
    now = timezone.now()
    WatchedHost.objects.create(origin=outlet, next_visit_at=now + timedelta(minutes=10), robots_fetched_at=now)
    sources_poll_soon(source_ids=[off.pk])

    assert sources_poll_due() == 1  # eager: polled here, but the site's turn is ten minutes off
    assert Outlet.hits["/feed.xml"] == 0
    later = now + timedelta(minutes=11)
    assert watching.sources_due(now=now).count() == 0
    assert list(watching.sources_due(now=later)) == [off]  # the ask stands until then
    assert watching.watch_next_due() <= later


# --------------------------------------------------------------------------- running it


def test_poll_sources_command_polls_now(outlet):
    serve("/feed.xml", rss(outlet, ("/news/1", "Schools", "s")), "application/rss+xml")
    serve("/news/1", article_html("Schools", "Jakarta."))
    source = source_make(f"{outlet}/feed.xml", enabled=False)
    from io import StringIO

    out = StringIO()
    call_command("poll_sources", "--all", stdout=out)
    assert "No source to poll" in out.getvalue()
    call_command("poll_sources", "--source", str(source.pk), stdout=out)
    assert "ok, 1 new" in out.getvalue()
    assert Article.objects.filter(url=f"{outlet}/news/1").exists()


def test_beat_runs_the_watch_tick(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["watch-poll-due"]
    assert entry["task"] == "claims.tasks.watch_poll_due"
    assert entry["schedule"] == settings.FACTCHECK_WATCH_TICK_SECONDS
    assert entry["options"]["expires"] == settings.FACTCHECK_WATCH_TICK_SECONDS


@pytest.mark.parametrize("argv, environ, wanted", [
    (["manage.py", "runserver", "127.0.0.1:8000", "--noreload"], {}, True),  # make run
    (["manage.py", "runserver"], {"RUN_MAIN": "true"}, True),  # the autoreloader's child
    (["manage.py", "runserver"], {}, False),  # the autoreloader's parent only watches files
    (["manage.py", "migrate"], {}, False),
    (["manage.py", "poll_sources", "--all"], {}, False),
    (["/usr/bin/pytest", "tests/"], {}, False),
    (["celery", "-A", "factcheck", "worker"], {}, False),
])
def test_the_in_process_scheduler_starts_only_under_runserver_without_a_broker(settings, argv, environ, wanted):
    from claims.scheduler import scheduler_wanted

    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert scheduler_wanted(argv, environ) is wanted
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker: `celery beat` runs the schedule
    assert scheduler_wanted(argv, environ) is False


def test_no_scheduler_runs_in_tests():
    from claims.scheduler import THREAD_NAME

    assert THREAD_NAME not in {t.name for t in threading.enumerate()}


def test_the_in_process_scheduler_polls_only_while_a_source_is_enabled(outlet, settings):
    from claims.scheduler import scheduler_tick

    settings.FACTCHECK_WATCH_TICK_SECONDS = 60
    serve("/feed.xml", rss(outlet, ("/news/1", "Schools", "s")), "application/rss+xml")
    serve("/news/1", article_html("Schools", "Jakarta."))
    source = source_make(f"{outlet}/feed.xml", enabled=False)

    assert scheduler_tick(sweep=True) == 60
    assert Outlet.hits["/feed.xml"] == 0

    WatchedSource.objects.filter(pk=source.pk).update(enabled=True)
    pause = scheduler_tick(sweep=False)

    assert Outlet.hits["/feed.xml"] == 1 and Outlet.hits["/news/1"] == 1
    assert pause == 60  # nothing is due before the next tick


def test_the_in_process_scheduler_comes_back_sooner_for_an_entry_waiting_its_turn(outlet, settings):
    from claims.scheduler import scheduler_tick

    settings.FACTCHECK_WATCH_TICK_SECONDS = 60
    settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS = 20
    serve("/feed.xml", rss(outlet, ("/news/1", "Schools", "s")), "application/rss+xml")
    serve("/news/1", article_html("Schools", "Jakarta."))
    source_make(f"{outlet}/feed.xml")

    pause = scheduler_tick(sweep=False)

    assert Outlet.hits["/feed.xml"] == 1 and Outlet.hits["/news/1"] == 0  # the site's turn is 20 s off
    assert 15 <= pause <= 20


def test_the_in_process_scheduler_fetches_what_a_switched_off_source_left_waiting(outlet, settings):
    # `make run`: an editor polls a source that is switched off (a starter source, say);
    # its pages wait for their turns at the site and are fetched then, though no source is on.
    from claims.scheduler import scheduler_tick

    settings.FACTCHECK_WATCH_TICK_SECONDS = 60
    settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS = 0.2
    serve("/feed.xml", rss(outlet, ("/news/1", "Schools", "s"), ("/news/2", "Roads", "r")), "application/rss+xml")
    serve("/news/1", article_html("Schools", "Jakarta."))
    serve("/news/2", article_html("Roads", "Bandung."))
    source = source_make(f"{outlet}/feed.xml", enabled=False)
    assert source_poll_now(source_id=source.pk).new_entries == 2

    for _round in range(20):
        if not WatchedEntry.objects.filter(state=WatchedEntry.State.NEW).exists():
            break
        time.sleep(min(scheduler_tick(sweep=False), 0.3))
    assert (Outlet.hits["/news/1"], Outlet.hits["/news/2"]) == (1, 1)
    assert set(WatchedEntry.objects.values_list("state", flat=True)) == {WatchedEntry.State.IMPORTED}
    assert scheduler_tick(sweep=False) == 60  # nothing left: it waits for the next tick


def test_an_entry_delivered_twice_is_fetched_once(outlet):
    serve("/news/1", article_html("Schools", "Jakarta."))
    source = source_make(f"{outlet}/feed.xml")
    entry = WatchedEntry.objects.create(source=source, url=f"{outlet}/news/1")

    first = entry_fetch(entry_id=entry.pk)
    second = entry_fetch(entry_id=entry.pk)

    assert first.state == WatchedEntry.State.IMPORTED and second is None
    assert Outlet.hits["/news/1"] == 1 and Article.objects.count() == 1


def test_the_watch_settings_come_from_the_environment_and_bad_ones_are_clear_errors():
    from tests.test_settings import django_run

    code = ("from django.conf import settings as s; print(s.FACTCHECK_WATCH_TICK_SECONDS, "
            "s.FACTCHECK_WATCH_HOST_DELAY_SECONDS, s.FACTCHECK_WATCH_MAX_FAILURES, "
            "s.FACTCHECK_WATCH_MAX_ENTRIES_PER_POLL, s.CELERY_BEAT_SCHEDULE['watch-poll-due']['schedule'])")
    result = django_run("shell", "--no-imports", "-c", code, SECRET_KEY="dev", FACTCHECK_WATCH_TICK_SECONDS="30",
                        FACTCHECK_WATCH_HOST_DELAY_SECONDS="0.5", FACTCHECK_WATCH_MAX_FAILURES="2",
                        FACTCHECK_WATCH_MAX_ENTRIES_PER_POLL="20")
    assert result.stdout.split() == ["30", "0.5", "2", "20", "30"]
    assert "FACTCHECK_WATCH_TICK_SECONDS must be at least 1" in django_run(
        "check", SECRET_KEY="dev", FACTCHECK_WATCH_TICK_SECONDS="0").stderr
    assert "FACTCHECK_WATCH_HOST_DELAY_SECONDS must not be negative" in django_run(
        "check", SECRET_KEY="dev", FACTCHECK_WATCH_HOST_DELAY_SECONDS="-1").stderr
    assert "FACTCHECK_WATCH_MAX_FAILURES must be a whole number" in django_run(
        "check", SECRET_KEY="dev", FACTCHECK_WATCH_MAX_FAILURES="many").stderr


def test_a_gzipped_sitemap_is_read_and_a_gzip_bomb_is_refused(outlet):
    import gzip

    sitemap = gzip.compress(f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{outlet}/news/gz</loc></url></urlset>""".encode())
    assert [e.url for e in feed_parse(sitemap, base_url=outlet).entries] == [f"{outlet}/news/gz"]
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024))
    serve("/sitemap.xml.gz", bomb, "application/x-gzip")
    source = source_make(f"{outlet}/sitemap.xml.gz", kind=WatchedSource.Kind.SITEMAP)

    assert source_poll_now(source_id=source.pk).status == "failed"

    source.refresh_from_db()
    assert "more than 50 MB" in source.last_error


@pytest.mark.parametrize("url, said", [
    ("http://10.1.2.3/feed.xml", "inside a private network"),
    ("ftp://127.0.0.1/feed.xml", "only http and https"),
])
def test_a_source_at_an_address_we_may_not_read_fails_in_plain_words(outlet, url, said):
    source = source_make(url)

    assert source_poll_now(source_id=source.pk).status == "failed"

    source.refresh_from_db()
    assert said in source.last_error and source.last_error.startswith("The address could not be read")
    assert sum(Outlet.hits.values()) == 0


def test_entries_lost_by_redis_or_not_sent_while_it_was_down_are_sent_again(outlet, monkeypatch):
    from kombu.exceptions import OperationalError

    serve("/feed.xml", rss(outlet, ("/news/1", "Schools", "s"), ("/news/2", "Budget", "b")), "application/rss+xml")
    serve("/news/1", article_html("Schools", "Jakarta."))
    serve("/news/2", article_html("Budget", "Surabaya."))
    source = source_make(f"{outlet}/feed.xml")
    lost = []
    monkeypatch.setattr(watching.fetch_entry, "apply_async", lambda args, **kw: lost.append(args[0]))  # Redis restarts: gone

    source_poll_now(source_id=source.pk)

    assert len(lost) == 2 and article_hits() == 0
    assert entries_fetch_due() == 0  # sent a moment ago: not yet given up for lost

    def down(args, **kw):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(watching.fetch_entry, "apply_async", down)
    WatchedEntry.objects.update(due_at=F("due_at") - timedelta(seconds=301))  # the lease ran out
    assert entries_fetch_due() == 0  # Redis is down: they stay due
    assert WatchedEntry.objects.filter(due_at__lte=timezone.now()).count() == 2
    monkeypatch.undo()

    assert entries_fetch_due() == 2

    assert set(WatchedEntry.objects.values_list("state", flat=True)) == {WatchedEntry.State.IMPORTED}
    assert Outlet.hits["/news/1"] == Outlet.hits["/news/2"] == 1


def test_a_resumed_source_is_polled_at_the_next_tick(outlet):
    serve("/feed.xml", "oops", "text/plain", status=500)
    source = source_make(f"{outlet}/feed.xml")
    for _ in range(3):
        source_poll_now(source_id=source.pk)
    source.refresh_from_db()
    assert source.paused_at and source.next_poll_at > timezone.now() + timedelta(hours=1)
    serve("/feed.xml", rss(outlet), "application/rss+xml")

    # An editor clears "paused at" in the admin (nothing else): polled at once, not in hours.
    WatchedSource.objects.filter(pk=source.pk).update(paused_at=None)
    assert sources_poll_due() == 1

    source.refresh_from_db()
    assert (source.failures, source.last_error, source.paused_at) == (0, "", None)
    assert sources_poll_due() == 0



def test_a_page_that_answers_503_is_tried_again_later_and_given_up_after_three_tries(outlet):
    serve("/feed.xml", rss(outlet, ("/news/1", "Schools", "s"), ("/news/gone", "Gone", "g")), "application/rss+xml")
    serve("/news/1", "busy", "text/plain", status=503)
    serve("/news/gone", "gone", "text/plain", status=404)
    source = source_make(f"{outlet}/feed.xml")

    source_poll_now(source_id=source.pk)

    gone = WatchedEntry.objects.get(url=f"{outlet}/news/gone")
    assert gone.state == WatchedEntry.State.FAILED and "the server answered 404" in gone.error  # at once
    busy = WatchedEntry.objects.get(url=f"{outlet}/news/1")
    assert busy.state == WatchedEntry.State.NEW and "the server answered 503" in busy.error
    assert busy.due_at > timezone.now() + timedelta(minutes=4)
    assert entries_fetch_due() == 0  # not before its pause is over

    WatchedEntry.objects.filter(pk=busy.pk).update(due_at=timezone.now())
    entries_fetch_due()
    busy.refresh_from_db()
    assert busy.state == WatchedEntry.State.NEW and busy.due_at > timezone.now() + timedelta(minutes=9)
    WatchedEntry.objects.filter(pk=busy.pk).update(due_at=timezone.now())
    entries_fetch_due()
    busy.refresh_from_db()
    assert busy.state == WatchedEntry.State.FAILED and busy.attempts == 3
    assert Outlet.hits["/news/1"] == 3 and Article.objects.count() == 0


def test_a_page_back_after_a_503_is_imported(outlet):
    serve("/news/1", "busy", "text/plain", status=503)
    source = source_make(f"{outlet}/feed.xml")
    entry = WatchedEntry.objects.create(source=source, url=f"{outlet}/news/1")
    entry_fetch(entry_id=entry.pk)
    serve("/news/1", article_html("Schools", "Jakarta."))
    WatchedEntry.objects.filter(pk=entry.pk).update(due_at=timezone.now())

    entries_fetch_due()

    entry.refresh_from_db()
    assert (entry.state, entry.error, Outlet.hits["/news/1"]) == (WatchedEntry.State.IMPORTED, "", 2)


def test_an_entry_that_missed_its_turn_goes_when_the_site_has_rested(outlet, settings):
    settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS = 600
    serve("/news/1", article_html("Schools", "Jakarta."))
    serve("/news/2", article_html("Budget", "Surabaya."))
    source = source_make(f"{outlet}/feed.xml")
    now = timezone.now()
    # Two entries whose turns passed while the workers were busy; the site's queue runs on.
    late = [WatchedEntry.objects.create(source=source, url=f"{outlet}/news/{n}", turn_at=now - timedelta(seconds=30))
            for n in (1, 2)]
    WatchedHost.objects.create(origin=outlet, next_visit_at=now + timedelta(hours=1),
                               last_visit_at=now - timedelta(seconds=601), robots_fetched_at=now)

    entry_fetch(entry_id=late[0].pk)
    entry_fetch(entry_id=late[1].pk)

    # The first goes at once; the second would follow it too closely: it queues again.
    assert Outlet.hits["/news/1"] == 1 and Outlet.hits["/news/2"] == 0
    second = WatchedEntry.objects.get(pk=late[1].pk)
    assert second.state == WatchedEntry.State.NEW and second.turn_at >= now + timedelta(hours=1)


def test_under_make_run_a_poll_now_leaves_the_fetching_to_the_scheduler_thread(outlet, monkeypatch):
    serve("/feed.xml", rss(outlet, ("/news/1", "Schools", "s")), "application/rss+xml")
    serve("/news/1", article_html("Schools", "Jakarta."))
    source = source_make(f"{outlet}/feed.xml")
    wake = threading.Event()
    monkeypatch.setattr(watching, "_in_process_wake", wake)

    assert source_poll_now(source_id=source.pk).new_entries == 1  # an editor's "poll now" returns

    assert article_hits() == 0 and wake.is_set()  # the thread is woken to fetch it
    assert entries_fetch_due() == 1  # the thread's round
    assert WatchedEntry.objects.get().state == WatchedEntry.State.IMPORTED
