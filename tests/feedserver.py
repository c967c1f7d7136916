"""A news site of our own for the feed-polling tests and benchmark: no outside network.

``FeedServer(feeds=N, entries=M)`` serves N feeds of M entries each (mostly RSS 2.0, every
fifth an Atom feed, every seventh a news sitemap) and every entry's article page, from
threads of the calling process. Everything it serves is worked out from the numbers in
the path, so two runs serve the same bytes:

* ``/feeds/<i>.xml`` feed ``i``: its entries ``/articles/<i>/<j>.html``, newest (highest
  ``j``) first; ``ETag`` / ``If-None-Match`` answer 304 when nothing changed; ``grow(k)``
  publishes ``k`` more entries in every feed.
* ``/articles/<i>/<j>.html`` an article page with site navigation and a footer around it:
  real news sentences (Indonesian for even feeds, English for odd ones) taken from
  the shared datasets (``claims.nlp.datasets.datasets_dir()``; the repository's seed
  article when they are missing), mixed from three stories and with a sentence of its own,
  so that every page's text is different and extraction finds claims in it.
* ``/robots.txt`` allows everything.

and the feeds that go wrong (``fault_url(name)``; each a feed of its own):

* ``error``   answers 500 every time;
* ``hang``    accepts the connection and never answers (until the server stops);
* ``broken``  XML cut off in the middle of an item;
* ``private`` redirects to ``http://10.0.0.1/feed.xml``;
* ``metadata`` redirects to ``http://169.254.169.254/latest/meta-data/``;
* ``huge``    a good feed of ``HUGE_FEED_ENTRIES`` entries, the first of which is a 50 MB page
  (``/huge/page.html``), sent in 64 KB chunks made on the fly without a Content-Length,
  so neither side holds it in memory; ``huge_bytes_sent`` says how much went out.

Every request is counted by path (``hits``, ``hits_for``): "fetched exactly once" is an
assertion on those counts.

The server listens on ``hosts`` loopback addresses (127.0.0.1, 127.0.0.2, ...; Linux
answers on all of 127/8), one port each, and spreads the feeds over them, so that
politeness per host can be measured with more than one site. The outbound guard
refuses loopback addresses: the workers need ``FACTCHECK_OUTBOUND_ALLOWED_HOSTS`` set to
``allowed_hosts`` (127.0.0.0/8), which still refuses 10.0.0.1 and 169.254.169.254.

    with FeedServer(feeds=100, entries=20) as site:
        for feed in site.feeds(): ...        # url, kind, language, name
        site.hits_for(site.page_path(3, 7))  # how often that page was fetched
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_HOSTS = "127.0.0.0/8"
HUGE_PAGE_BYTES = 50 * 1024 * 1024
HUGE_FEED_ENTRIES = 3
CHUNK = 64 * 1024
FAULTS = ("error", "hang", "broken", "private", "metadata", "huge")
# Entry 0 of every feed was published at this moment; later ones an hour apart each.
EPOCH = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Feed:
    index: int
    url: str
    kind: str  # WatchedSource.Kind value: "feed" (RSS or Atom) or "news_sitemap"
    format: str  # "rss", "atom" or "sitemap"
    language: str  # "id" or "en"
    name: str


# --------------------------------------------------------------------------- the words


_SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])")
_BOILERPLATE = re.compile(r"baca juga|scroll to|advertisement|simak video|\[gambas|halaman selanjutnya", re.I)


def _stories(language: str) -> list[tuple[str, list[str]]]:
    """(title, sentences) of the dataset stories in ``language``."""
    from claims.nlp.datasets import datasets_dir

    folders = {"id": ("articles-id", "articles-id-extra"), "en": ("articles-en", "articles-en-extra")}[language]
    found = datasets_dir()
    files: list[Path] = []
    if found is not None:
        for folder in folders:
            files += sorted((found / folder).glob("*.txt"))
    if not files:
        files = sorted((ROOT / "seeds").glob("*.txt"))
    stories = []
    for path in files:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        title, body = lines[0], [line for line in lines[1:] if line]
        sentences = [s.strip() for line in body if not _BOILERPLATE.search(line)
                     for s in _SENTENCE_END.split(line) if 40 <= len(s.strip()) <= 400]
        if len(sentences) >= 4:
            stories.append((title, sentences))
    return stories


_CITIES = {
    "id": ["Jakarta", "Surabaya", "Medan", "Makassar", "Bandung", "Semarang", "Denpasar", "Palembang"],
    "en": ["London", "Manchester", "Leeds", "Glasgow", "Cardiff", "Belfast", "Bristol", "Brussels"],
}
_OWN_SENTENCE = {
    "id": "Laporan nomor {i}-{j} ini ditulis oleh tim redaksi {outlet} di {city} dan diperbarui pada pukul {hour}.{minute:02d} WIB.",
    "en": "This is report {i}-{j}, filed by the {outlet} newsroom in {city} and last updated at {hour}:{minute:02d} GMT.",
}
_NAV = {
    "id": ["Beranda", "Berita", "Ekonomi", "Politik", "Olahraga", "Indeks"],
    "en": ["Home", "News", "Business", "Politics", "Technology", "Sport"],
}


class _Words:
    """Article pages, made on demand from the stories (loaded once per language)."""

    def __init__(self, sentences_per_page: int) -> None:
        self.sentences_per_page = sentences_per_page
        self._stories: dict[str, list[tuple[str, list[str]]]] = {}
        self._lock = threading.Lock()

    def stories(self, language: str) -> list[tuple[str, list[str]]]:
        with self._lock:
            if language not in self._stories:
                self._stories[language] = _stories(language)
            return self._stories[language]

    def article(self, i: int, j: int, language: str, outlet: str) -> tuple[str, list[list[str]]]:
        """Title and paragraphs of entry ``j`` of feed ``i``: three stories' sentences, in
        order within each story, and one sentence naming the report, so no two are alike."""
        stories = self.stories(language)
        rng = random.Random(f"{i}/{j}")
        picked = rng.sample(range(len(stories)), k=min(3, len(stories)))
        title = stories[picked[0]][0]
        per_story = max(1, self.sentences_per_page // len(picked))
        paragraphs = []
        for n, story in enumerate(picked):
            sentences = stories[story][1]
            start = rng.randrange(0, max(1, len(sentences) - per_story))
            chunk = sentences[start:start + per_story]
            paragraphs += [chunk[k:k + 2] for k in range(0, len(chunk), 2)] if n else [chunk[:2], chunk[2:]]
        own = _OWN_SENTENCE[language].format(i=i, j=j, outlet=outlet, city=rng.choice(_CITIES[language]),
                                             hour=rng.randrange(6, 23), minute=rng.randrange(60))
        paragraphs.append([own])
        return f"{title} ({i}-{j})", [p for p in paragraphs if p]


# --------------------------------------------------------------------------- the server


class FeedServer:
    def __init__(self, feeds: int = 10, entries: int = 20, *, hosts: int = 1, sentences_per_page: int = 9) -> None:
        assert 1 <= hosts <= 250
        self.feed_count = feeds
        self.entry_count = entries
        self.words = _Words(sentences_per_page)
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.huge_bytes_sent = 0
        self.stopping = threading.Event()
        self.held: dict[str, threading.Event] = {}  # path: released
        site = self

        class Handler(_Handler):
            server_site = site

        self.servers = [ThreadingHTTPServer((f"127.0.0.{n + 1}", 0), Handler) for n in range(hosts)]
        for server in self.servers:
            server.daemon_threads = True
            server.request_queue_size = 128
        self.threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
                        for s in self.servers]

    # -- addresses

    allowed_hosts = ALLOWED_HOSTS

    def base_url(self, host: int = 0) -> str:
        address, port = self.servers[host % len(self.servers)].server_address[:2]
        return f"http://{address}:{port}"

    def _host_of(self, i: int) -> int:
        return i % len(self.servers)

    def feed_format(self, i: int) -> str:
        return "sitemap" if i % 7 == 6 else "atom" if i % 5 == 4 else "rss"

    @staticmethod
    def feed_language(i: int) -> str:
        return "id" if i % 2 == 0 else "en"

    @staticmethod
    def outlet(i: int) -> str:
        return f"Outlet {i:04d}"

    @staticmethod
    def feed_path(i: int) -> str:
        return f"/feeds/{i}.xml"

    @staticmethod
    def page_path(i: int, j: int) -> str:
        return f"/articles/{i}/{j}.html"

    def page_url(self, i: int, j: int) -> str:
        return self.base_url(self._host_of(i)) + self.page_path(i, j)

    def feeds(self) -> list[Feed]:
        return [Feed(index=i, url=self.base_url(self._host_of(i)) + self.feed_path(i),
                     kind="news_sitemap" if self.feed_format(i) == "sitemap" else "feed",
                     format=self.feed_format(i), language=self.feed_language(i), name=self.outlet(i))
                for i in range(self.feed_count)]

    def page_paths(self) -> list[str]:
        return [self.page_path(i, j) for i in range(self.feed_count) for j in range(self.entry_count)]

    def page_urls(self) -> list[str]:
        return [self.page_url(i, j) for i in range(self.feed_count) for j in range(self.entry_count)]

    @staticmethod
    def fault_path(name: str) -> str:
        assert name in FAULTS, name
        return f"/fault/{name}.xml"

    def fault_url(self, name: str) -> str:
        return self.base_url() + self.fault_path(name)

    @staticmethod
    def huge_entry_path(n: int) -> str:
        return "/huge/page.html" if n == 0 else f"/huge/{n}.html"

    def huge_entry_urls(self) -> list[str]:
        return [self.base_url() + self.huge_entry_path(n) for n in range(HUGE_FEED_ENTRIES)]

    # -- counts

    def hits_for(self, path: str) -> int:
        with self.lock:
            return self.hits[path]

    def statuses_for(self, path: str, status: int) -> int:
        """How often ``path`` was answered with ``status`` (a feed's 200s: read in full)."""
        with self.lock:
            return self.statuses[(path, status)]

    def counts(self) -> Counter[str]:
        with self.lock:
            return Counter(self.hits)

    def _count(self, path: str) -> None:
        with self.lock:
            self.hits[path] += 1

    # -- holding a request

    def hold(self, path: str) -> None:
        """The next request to ``path`` waits, unanswered, until ``release(path)`` (or the
        server stops): a worker reading it is caught in the middle of its poll."""
        with self.lock:
            self.held[path] = threading.Event()

    def release(self, path: str) -> None:
        with self.lock:
            event = self.held.pop(path, None)
        if event is not None:
            event.set()

    def _wait_if_held(self, path: str) -> None:
        with self.lock:
            event = self.held.get(path)
            if event is not None and getattr(event, "taken", False):
                return  # only the first request waits
            if event is not None:
                event.taken = True
        if event is not None:
            while not event.wait(0.2) and not self.stopping.is_set():
                pass

    # -- lifecycle

    def __enter__(self) -> FeedServer:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.stopping.set()  # lets the hanging handlers go
        for server in self.servers:
            server.shutdown()
            server.server_close()

    # -- documents

    def published(self, i: int, j: int) -> datetime:
        return EPOCH + timedelta(hours=j) - timedelta(minutes=i % 60)

    def page_html(self, i: int, j: int) -> str:
        language = self.feed_language(i)
        title, paragraphs = self.words.article(i, j, language, self.outlet(i))
        nav = "".join(f'<li><a href="/section/{n}">{escape(word)}</a></li>' for n, word in enumerate(_NAV[language]))
        body = "\n".join(f"<p>{escape(' '.join(p))}</p>" for p in paragraphs)
        published = self.published(i, j).isoformat()
        return (
            f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
            f"<title>{escape(title)} | {self.outlet(i)}</title>"
            f'<meta property="og:title" content="{escape(title)}">'
            f'<meta property="article:published_time" content="{published}">'
            f'<meta name="author" content="Redaksi {self.outlet(i)}"></head>\n<body>'
            f'<header><a href="/">{self.outlet(i)}</a><nav><ul>{nav}</ul></nav></header>\n'
            f'<main><article><h1>{escape(title)}</h1><p class="byline">Redaksi {self.outlet(i)} · '
            f'<time datetime="{published}">{published[:10]}</time></p>\n{body}\n</article></main>\n'
            f'<aside><h2>{"Terpopuler" if language == "id" else "Most read"}</h2><ul>'
            f'<li><a href="{self.page_path(i, (j + 1) % self.entry_count)}">…</a></li></ul></aside>\n'
            f"<footer>© 2026 {self.outlet(i)}. {'Hak cipta dilindungi.' if language == 'id' else 'All rights reserved.'}"
            "</footer></body></html>\n"
        )

    def _entries(self, i: int) -> list[tuple[str, str, datetime]]:
        language = self.feed_language(i)
        return [(self.page_url(i, j), self.words.article(i, j, language, self.outlet(i))[0], self.published(i, j))
                for j in reversed(range(self.entry_count))]

    def grow(self, more: int) -> None:
        """Publish ``more`` entries in every feed (their ETags change)."""
        with self.lock:
            self.entry_count += more

    def feed_xml(self, i: int) -> str:
        return _render(self.feed_format(i), self.outlet(i), self.base_url(self._host_of(i)) + self.feed_path(i),
                       self.feed_language(i), self._entries(i))

    def huge_feed_xml(self) -> str:
        entries = [(url, f"Entry {n} of the feed with a huge page", EPOCH - timedelta(hours=n))
                   for n, url in enumerate(self.huge_entry_urls())]
        return _render("rss", "Huge page outlet", self.fault_url("huge"), "en", entries)

    def small_page_html(self, n: int) -> str:
        return self.page_html(10_000 + n, 0)


def _render(fmt: str, outlet: str, url: str, language: str, entries: list[tuple[str, str, datetime]]) -> str:
    if fmt == "atom":
        items = "".join(
            f"<entry><title>{xml_escape(title)}</title><link href=\"{xml_escape(link)}\"/>"
            f"<id>{xml_escape(link)}</id><updated>{when.isoformat()}</updated>"
            f"<author><name>Redaksi {xml_escape(outlet)}</name></author></entry>\n"
            for link, title, when in entries)
        return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>{xml_escape(outlet)}</title><id>{xml_escape(url)}</id>"
                f'<link rel="self" href="{xml_escape(url)}"/><updated>{entries[0][2].isoformat()}</updated>\n'
                f"{items}</feed>\n")
    if fmt == "sitemap":
        items = "".join(
            f"<url><loc>{xml_escape(link)}</loc><news:news><news:publication><news:name>{xml_escape(outlet)}"
            f"</news:name><news:language>{language}</news:language></news:publication>"
            f"<news:publication_date>{when.isoformat()}</news:publication_date>"
            f"<news:title>{xml_escape(title)}</news:title></news:news></url>\n"
            for link, title, when in entries)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
                f"{items}</urlset>\n")
    items = "".join(
        f"<item><title>{xml_escape(title)}</title><link>{xml_escape(link)}</link>"
        f'<guid isPermaLink="true">{xml_escape(link)}</guid><pubDate>{format_datetime(when)}</pubDate></item>\n'
        for link, title, when in entries)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>{xml_escape(outlet)}</title><link>{xml_escape(url)}</link><language>{language}</language>\n"
            f"{items}</channel></rss>\n")


_FEED = re.compile(r"^/feeds/(\d+)\.xml$")
_PAGE = re.compile(r"^/articles/(\d+)/(\d+)\.html$")
_HUGE_SMALL = re.compile(r"^/huge/(\d+)\.html$")
XML_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "sitemap": "application/xml"}


class _Handler(BaseHTTPRequestHandler):
    server_site: FeedServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        site = self.server_site
        path = self.path.split("?", 1)[0]
        site._count(path)
        site._wait_if_held(path)
        if path == "/robots.txt":
            return self._send(200, "text/plain", "User-agent: *\nAllow: /\n")
        if match := _FEED.match(path):
            i = int(match.group(1))
            if i >= site.feed_count:
                return self._send(404, "text/plain", "no such feed\n")
            return self._send(200, XML_TYPES[site.feed_format(i)], site.feed_xml(i), etag=True)
        if match := _PAGE.match(path):
            i, j = int(match.group(1)), int(match.group(2))
            if i >= site.feed_count or j >= site.entry_count:
                return self._send(404, "text/plain", "no such page\n")
            return self._send(200, "text/html; charset=utf-8", site.page_html(i, j))
        if path.startswith("/fault/"):
            return self._fault(path[len("/fault/"):].removesuffix(".xml"))
        if path == "/huge/page.html":
            return self._huge()
        if match := _HUGE_SMALL.match(path):
            return self._send(200, "text/html; charset=utf-8", site.small_page_html(int(match.group(1))))
        return self._send(404, "text/plain", "not found\n")

    def _fault(self, name: str) -> None:
        site = self.server_site
        if name == "error":
            return self._send(500, "text/html", "<h1>Internal Server Error</h1>\n")
        if name == "hang":
            site.stopping.wait()  # accepted, never answered
            self.close_connection = True
            return None
        if name == "broken":
            xml = site.feed_xml(0)
            return self._send(200, "application/rss+xml", xml[: len(xml) // 2] + "<item><title>Cut off")
        if name in {"private", "metadata"}:
            target = "http://10.0.0.1/feed.xml" if name == "private" else "http://169.254.169.254/latest/meta-data/"
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if name == "huge":
            return self._send(200, "application/rss+xml", site.huge_feed_xml(), etag=True)
        return self._send(404, "text/plain", "no such fault\n")

    def _huge(self) -> None:
        """50 MB of article markup, made chunk by chunk, no Content-Length: the reader has to
        stop on its own."""
        site = self.server_site
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        head = b"<!DOCTYPE html><html lang=\"en\"><head><title>A very long page</title></head><body><article>"
        paragraph = ("<p>" + "The council said the budget would rise by 4% next year. " * 20 + "</p>\n").encode()
        chunk = paragraph * (CHUNK // len(paragraph) + 1)
        sent = 0
        try:
            self.wfile.write(head)
            sent += len(head)
            while sent < HUGE_PAGE_BYTES and not site.stopping.is_set():
                self.wfile.write(chunk)
                sent += len(chunk)
                with site.lock:
                    site.huge_bytes_sent += len(chunk)
        except OSError:
            pass  # the reader hung up, as it should

    def _send(self, status: int, content_type: str, text: str, *, etag: bool = False) -> None:
        site = self.server_site
        data = text.encode("utf-8")
        tag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"' if etag else ""
        if tag and self.headers.get("If-None-Match", "").strip() == tag:
            status, data = 304, b""
        with site.lock:
            site.statuses[(self.path.split("?", 1)[0], status)] += 1
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
        if tag:
            self.send_header("ETag", tag)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
