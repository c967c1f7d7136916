"""Watching outlets (issue 22): polling feeds and sitemaps, and fetching what they list.

A local HTTP server plays the outlets; FACTCHECK_OUTBOUND_ALLOWED_HOSTS lets the guard
reach it (and nothing else inside). Requests are counted, never timed.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
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
