"""Watched sources in the desk (issue 22, parts 1 and 3): who may see and change them, what
the list and a source's page show, the queue by source, and the starter list."""

from __future__ import annotations

import itertools
import json
import threading
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from claims import selectors, services
from claims.models import Article, Claim, Topic, WatchedEntry, WatchedSource

pytestmark = pytest.mark.django_db

LIST = reverse("admin:claims_watchedsource_changelist")
ADD = reverse("admin:claims_watchedsource_add")
QUEUE = reverse("admin:claims_claim_changelist")
_n = itertools.count(1)


def source(name: str = "Tempo", **fields) -> WatchedSource:
    n = next(_n)
    return WatchedSource.objects.create(name=name, url=fields.pop("url", f"https://outlet{n}.example/rss"), **fields)


def article(src: WatchedSource | None, *, ago: timedelta = timedelta(hours=1), claims: int = 0) -> Article:
    """An article found in ``src`` ``ago`` ago, with ``claims`` claims found at the same time."""
    n = next(_n)
    when = timezone.now() - ago
    body = " ".join(f"Klaim nomor {n}-{i} menyebut angka {i} juta." for i in range(max(claims, 1)))
    row = Article.objects.create(title=f"Berita {n}", body=body, content_hash=f"watch-{n}", watched_source=src,
                                 url=f"https://outlet.example/berita-{n}")
    Article.objects.filter(pk=row.pk).update(created_at=when)
    sentence = len(body) // max(claims, 1)
    for i in range(claims):
        claim = Claim.objects.create(article=row, text=body[i * sentence:(i + 1) * sentence].strip() or "x",
                                     start=i * sentence, end=(i + 1) * sentence, score=0.8, language="id")
        Claim.objects.filter(pk=claim.pk).update(created_at=when)
    return row


def form_data(**fields) -> dict:
    return {"name": "Kompas", "url": "https://www.kompas.com/getrss/all", "kind": "feed", "language": "id",
            "poll_minutes": "30", **fields}


@pytest.fixture(autouse=True)
def _english_after():
    yield
    # A request in Indonesian leaves the thread speaking it; the next test starts in the default.
    translation.deactivate()


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


# Who may see and change sources ---------------------------------------------------------

def test_it_sends_an_anonymous_visitor_to_the_login(client):
    assert client.get(LIST).status_code == 302
    assert "/admin/login/" in client.get(LIST)["Location"]


def test_it_refuses_staff_outside_the_newsroom(client, staff_outsider):
    client.force_login(staff_outsider)
    assert client.get(LIST).status_code == 403


def test_editors_see_the_list_and_add_a_source(desk, editor):
    assert editor.has_perm("claims.manage_watchedsource")  # granted to the Editors group by migration
    assert desk.get(LIST).status_code == 200
    topic = Topic.objects.first()
    response = desk.post(ADD, form_data(topics=[topic.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = WatchedSource.objects.get(url="https://www.kompas.com/getrss/all")
    assert (added.name, added.language, added.enabled, list(added.topics.all())) == ("Kompas", "id", False, [topic])


def test_a_desk_member_without_the_permission_sees_but_cannot_change(client, editor):
    editor.groups.get(name="Editors").permissions.remove(Permission.objects.get(codename="manage_watchedsource"))
    client.force_login(editor)
    row = source(name="Tempo")
    assert client.get(LIST).status_code == 200
    page = client.get(reverse("admin:claims_watchedsource_change", args=[row.pk]))
    assert page.status_code == 200 and 'name="url"' not in page.content.decode()  # read-only
    assert client.post(ADD, form_data()).status_code == 403
    client.post(reverse("admin:claims_watchedsource_change", args=[row.pk]), form_data(name="Renamed"))
    response = client.post(LIST, {"action": "enable", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert (row.name, row.enabled) == ("Tempo", False)
    assert response.status_code in (200, 302)
    with pytest.raises(Exception, match="permission"):
        services.sources_switch(sources=WatchedSource.objects.all(), user=editor, enabled=True)


def test_a_bad_address_is_a_form_error_not_a_row(desk):
    response = desk.post(ADD, form_data(url="not an address", poll_minutes="1"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"url", "poll_minutes"}
    assert not WatchedSource.objects.exists()


def test_saving_the_form_leaves_what_a_poll_wrote_since(desk):
    row = source(name="Tempo")
    page = desk.get(reverse("admin:claims_watchedsource_change", args=[row.pk]))
    assert page.status_code == 200
    WatchedSource.objects.filter(pk=row.pk).update(failures=2, last_error="HTTP 503", etag='"abc"')
    desk.post(reverse("admin:claims_watchedsource_change", args=[row.pk]),
              form_data(name="Tempo Nasional", url=row.url))
    row.refresh_from_db()
    assert (row.name, row.failures, row.last_error, row.etag) == ("Tempo Nasional", 2, "HTTP 503", '"abc"')
    # Switched on in the form: due at once, whatever backoff the failures had set.
    WatchedSource.objects.filter(pk=row.pk).update(next_poll_at=timezone.now() + timedelta(hours=20))
    desk.post(reverse("admin:claims_watchedsource_change", args=[row.pk]),
              form_data(name="Tempo Nasional", url=row.url, enabled="on"))
    row.refresh_from_db()
    assert row.enabled and row.next_poll_at <= timezone.now()


# What the list shows ---------------------------------------------------------------------

def test_the_list_says_how_each_source_is_doing_in_words(desk):
    now = timezone.now()
    source(name="Sehat", last_polled_at=now - timedelta(minutes=5))
    source(name="Gagal", last_polled_at=now, failures=2, last_error="HTTP 503 from the outlet")
    source(name="Berhenti", last_polled_at=now, failures=5, last_error="timeout", paused_at=now)
    source(name="Baru")
    body = desk.get(LIST).content.decode()
    assert "OK" in body
    assert "Failing: HTTP 503 from the outlet" in body
    assert "Paused after 5 failures" in body
    assert "Not polled yet" in body
    assert "5\xa0minutes ago" in body
    shown = {s.name for s in desk.get(LIST + "?state=failing").context["cl"].result_list}
    assert shown == {"Gagal"}
    shown = {s.name for s in desk.get(LIST + "?state=paused").context["cl"].result_list}
    assert shown == {"Berhenti"}


def test_the_list_counts_articles_claims_and_errors_per_source(desk):
    tempo, kompas = source(name="Tempo"), source(name="Kompas")
    article(tempo, ago=timedelta(hours=2), claims=3)
    article(tempo, ago=timedelta(days=3), claims=1)
    article(tempo, ago=timedelta(days=20), claims=4)  # older than a week: not counted
    article(kompas, ago=timedelta(hours=1))
    article(None, ago=timedelta(hours=1), claims=2)  # not from a watched source
    WatchedEntry.objects.create(source=tempo, url="https://outlet.example/gagal", state=WatchedEntry.State.FAILED,
                                error="HTTP 404")
    WatchedEntry.objects.create(source=tempo, url="https://outlet.example/baik", state=WatchedEntry.State.IMPORTED)
    rows = {s.name: s for s in desk.get(LIST).context["cl"].result_list}
    assert (rows["Tempo"].n_articles_day, rows["Tempo"].n_articles_week) == (1, 2)
    assert (rows["Tempo"].n_claims_week, rows["Tempo"].n_errors_week) == (4, 1)
    assert (rows["Kompas"].n_articles_day, rows["Kompas"].n_claims_week, rows["Kompas"].n_errors_week) == (1, 0, 0)
    body = desk.get(LIST).content.decode()
    assert "1 / 2" in body and f"?watched_source={tempo.pk}" in body


def test_the_list_takes_the_same_queries_for_one_source_as_for_thirty(desk, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert desk.get(LIST).status_code == 200
        return len(seen)

    first = source(name="Satu", failures=1, last_error="x", last_polled_at=timezone.now())
    article(first, claims=2)
    one = queries()
    for i in range(29):
        row = source(name=f"Sumber {i}", last_polled_at=timezone.now(), paused_at=timezone.now() if i % 3 else None)
        article(row, claims=1)
        WatchedEntry.objects.create(source=row, url=f"https://outlet.example/e{i}", state=WatchedEntry.State.FAILED)
    assert queries() == one
    with django_assert_num_queries(one):
        desk.get(LIST + "?enabled__exact=0&language=id&kind__exact=feed&state=failing")


def test_the_filters_narrow_the_list(desk):
    source(name="Antara", language="id", kind="feed", enabled=True)
    source(name="BBC", language="en", kind="news_sitemap")
    source(name="Campuran", language="", kind="sitemap")
    def names(query: str) -> set[str]:
        return {s.name for s in desk.get(f"{LIST}?{query}").context["cl"].result_list}
    assert names("enabled__exact=1") == {"Antara"}
    assert names("language=en") == {"BBC"}
    assert names("language=detect") == {"Campuran"}
    assert names("kind__exact=sitemap") == {"Campuran"}
    assert desk.get(f"{LIST}?state=bogus").status_code == 200


# Actions ---------------------------------------------------------------------------------

def test_switching_on_and_off_and_resuming(desk):
    old = timezone.now() - timedelta(days=3)
    row = source(name="Tempo", next_poll_at=old + timedelta(days=10))
    paused = source(name="Kompas", enabled=True, failures=6, last_error="HTTP 500", paused_at=old)
    desk.post(LIST, {"action": "enable", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.enabled and row.next_poll_at <= timezone.now()  # due at once
    desk.post(LIST, {"action": "disable", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert not row.enabled
    desk.post(LIST, {"action": "resume", "_selected_action": [paused.pk]})
    paused.refresh_from_db()
    assert (paused.paused_at, paused.failures, paused.enabled) == (None, 0, True)


class Outlet(BaseHTTPRequestHandler):
    """A news site on this machine: feeds at /rss and /rss-*, a broken feed at /broken,
    article pages. Counts the requests for each address."""

    hits: Counter = Counter()

    def log_message(self, format, *args):  # noqa: A002, ANN001, ANN002
        pass

    def do_GET(self) -> None:
        Outlet.hits[self.path] += 1
        if self.path == "/rss" or self.path.startswith("/rss-"):
            items = "".join(f"<item><title>Berita {i}</title><link>http://{self.headers['Host']}/berita-{i}</link>"
                            f"</item>" for i in (1, 2))
            status, body = 200, f'<?xml version="1.0"?><rss version="2.0"><channel><title>Contoh</title>{items}' \
                                '</channel></rss>'
            kind = "application/rss+xml"
        elif self.path.startswith("/berita-"):
            number = self.path.rsplit("-", 1)[-1]
            paragraph = (f"<p>Menteri {number} mengatakan pemerintah membangun 120 sekolah baru tahun ini, "
                         "dan oposisi membantah angka itu di parlemen pada hari Selasa.</p>")
            status, kind = 200, "text/html; charset=utf-8"
            body = f"<html><head><title>Berita {self.path}</title></head><body><article>{paragraph * 6}</article></body></html>"
        else:
            status, kind, body = 404, "text/plain", "not here"
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def outlet(settings):
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FACTCHECK_WATCH_HOST_DELAY_SECONDS = 0
    Outlet.hits.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Outlet)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def feed_hits() -> int:
    return sum(n for path, n in Outlet.hits.items() if path.startswith(("/rss", "/broken")))


def poll_now(desk, rows: list[WatchedSource]):  # noqa: ANN001, ANN201
    return desk.post(LIST, {"action": "poll_now", "_selected_action": [r.pk for r in rows]}, follow=True)


def test_poll_now_on_one_source_polls_it_at_once_and_says_how_it_went(desk, outlet):
    good = source(name="Contoh", url=f"{outlet}/rss")
    bad = source(name="Rusak", url=f"{outlet}/broken")
    response = poll_now(desk, [good])
    assert [str(m) for m in response.context["messages"]] == ["Contoh: polled, 2 new entries."]
    assert WatchedEntry.objects.filter(source=good).count() == 2
    rows = {s.name: s for s in response.context["cl"].result_list}
    assert rows["Contoh"].n_articles_day == Article.objects.filter(watched_source=good).count() == 2
    assert "2 / 2" in response.content.decode()
    response = poll_now(desk, [bad])
    said = [str(m) for m in response.context["messages"]]
    assert len(said) == 1 and said[0].startswith("Rusak: the poll failed:"), said
    assert "Failing: " in response.content.decode()
    # Polled again at once: the feed is the same, nothing new.
    poll_now(desk, [good])
    assert WatchedEntry.objects.filter(source=good).count() == 2
    assert Outlet.hits["/rss"] == 2


def several(outlet: str) -> list[WatchedSource]:
    """Four sources as a desk has them: due later, failing (a long backoff), paused, switched off."""
    later = timezone.now() + timedelta(hours=20)
    return [
        source(name="Contoh", url=f"{outlet}/rss", enabled=True, next_poll_at=later,
               last_polled_at=timezone.now()),
        source(name="Rusak", url=f"{outlet}/broken", enabled=True, failures=1, last_error="HTTP 404",
               next_poll_at=later),
        source(name="Berhenti", url=f"{outlet}/rss-paused", enabled=True, failures=5, last_error="timeout",
               paused_at=timezone.now(), next_poll_at=later),
        source(name="Mati", url=f"{outlet}/rss-off", enabled=False, next_poll_at=later),
    ]


def test_poll_now_on_several_sources_polls_none_in_the_request_and_wakes_the_scheduler(
        desk, outlet, monkeypatch, django_capture_on_commit_callbacks):
    # `make run`: no broker, the in-process scheduler polls.
    from claims.services import watching

    wake = threading.Event()
    monkeypatch.setattr(watching, "_in_process_wake", wake)
    rows = several(outlet)
    with django_capture_on_commit_callbacks(execute=True):
        response = poll_now(desk, rows)

    assert [str(m) for m in response.context["messages"]] == [
        "4 sources will be polled in a moment; their state shows in this list."]
    assert feed_hits() == 0 and wake.is_set()
    assert watching.sources_due(now=timezone.now()).count() == 4
    # As the message says, the list shows the asked polls until a worker has done them.
    assert desk.get(LIST).content.decode().count("waiting for a worker") == 4

    watching.watch_tick()  # the scheduler's round

    assert {path: n for path, n in Outlet.hits.items() if path.startswith(("/rss", "/broken"))} == {
        "/rss": 1, "/broken": 1, "/rss-paused": 1, "/rss-off": 1}
    done = {r.name: r for r in WatchedSource.objects.all()}
    assert done["Contoh"].last_new_entries == 2 and done["Rusak"].failures == 2
    # Polled once, as `poll_sources --source` polls them. The paused one answered, so it is
    # no longer paused (a success starts the count again); the switched-off one stays off.
    assert done["Berhenti"].paused_at is None and done["Berhenti"].failures == 0
    assert not done["Mati"].enabled
    watching.watch_tick()
    assert feed_hits() == 4
    body = desk.get(LIST).content.decode()
    assert "Failing: " in body and "Paused after" not in body and "waiting for a worker" not in body


def test_poll_now_on_several_sources_sends_their_polls_to_the_workers(
        desk, outlet, monkeypatch, django_capture_on_commit_callbacks):
    from claims.services import watching
    from claims.services.watching import source_poll

    monkeypatch.setattr(watching, "_eager", lambda: False)  # a broker
    sent = []
    monkeypatch.setattr(watching.poll_source, "apply_async", lambda args, **kw: sent.append(args[0]))
    rows = several(outlet)
    with django_capture_on_commit_callbacks(execute=True):
        response = poll_now(desk, rows)

    assert "4 sources will be polled in a moment" in str(list(response.context["messages"])[0])
    assert feed_hits() == 0
    assert sorted(sent) == sorted(r.pk for r in rows)
    assert WatchedSource.objects.filter(lease_until__gt=timezone.now()).count() == 4  # leased: not sent twice
    assert watching.sources_poll_due() == 0

    for pk in sent:  # the workers
        assert source_poll(source_id=pk, sent=True).status in ("ok", "failed")
    assert feed_hits() == 4
    assert not WatchedSource.objects.filter(poll_asked_at__isnull=False).exists()


def test_poll_now_needs_the_permission(client, editor, outlet, monkeypatch, django_capture_on_commit_callbacks):
    from claims.services import watching

    editor.groups.get(name="Editors").permissions.remove(Permission.objects.get(codename="manage_watchedsource"))
    client.force_login(editor)
    wake = threading.Event()
    monkeypatch.setattr(watching, "_in_process_wake", wake)
    rows = several(outlet)
    for chosen in (rows[:1], rows):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(LIST, {"action": "poll_now", "_selected_action": [r.pk for r in chosen]})
    watching.watch_tick()
    assert feed_hits() == 0 and not wake.is_set()
    assert not WatchedSource.objects.filter(poll_asked_at__isnull=False).exists()


# A source's page -------------------------------------------------------------------------

def test_a_sources_page_shows_its_last_error_entries_and_articles(desk):
    row = source(name="Tempo", failures=2, last_error="HTTP 503 Service Unavailable", last_polled_at=timezone.now())
    found = article(row, claims=1)
    WatchedEntry.objects.create(source=row, url=found.url, title="Berita yang diimpor",
                                state=WatchedEntry.State.IMPORTED, article=found)
    WatchedEntry.objects.create(source=row, url="https://outlet.example/rusak", title="Halaman rusak",
                                state=WatchedEntry.State.FAILED, error="HTTP 404 Not Found")
    body = desk.get(reverse("admin:claims_watchedsource_change", args=[row.pk])).content.decode()
    assert "HTTP 503 Service Unavailable" in body
    assert "Berita yang diimpor" in body and reverse("admin:claims_article_change", args=[found.pk]) in body
    assert "Halaman rusak" in body and "HTTP 404 Not Found" in body and "Failed" in body
    assert "<svg" in body and "Articles and claims per day, last 30 days" in body


def test_the_chart_counts_articles_and_claims_per_day(desk):
    row = source(name="Tempo")
    article(row, ago=timedelta(days=0), claims=2)
    article(row, ago=timedelta(days=0), claims=1)
    article(row, ago=timedelta(days=2), claims=4)
    article(row, ago=timedelta(days=45), claims=5)  # before the chart's 30 days
    article(source(name="Lain"), ago=timedelta(days=0), claims=7)  # another source
    today = timezone.localdate()
    days = selectors.watched_source_per_day(source_id=row.pk, days=30, now=timezone.now())
    assert len(days) == 30 and days[-1]["day"] == timezone.localdate()
    counts = {d["day"]: (d["articles"], d["claims"]) for d in days if d["articles"] or d["claims"]}
    assert counts == {today: (2, 3), today - timedelta(days=2): (1, 4)}
    page = desk.get(reverse("admin:claims_watchedsource_change", args=[row.pk]))
    body = page.content.decode()
    assert f'data-day="{today:%Y-%m-%d}" data-articles="2" data-claims="3"' in body
    assert page.context["fc_chart"]["articles"] == 3 and page.context["fc_chart"]["claims"] == 7


def test_the_chart_is_drawn_the_same_in_indonesian(desk):
    row = source(name="Tempo")
    article(row, claims=3)
    desk.cookies["django_language"] = "id"
    body = desk.get(reverse("admin:claims_watchedsource_change", args=[row.pk]),
                    headers={"accept-language": "id"}).content.decode()
    assert "Artikel dan klaim per hari" in body
    start = body.index("<svg class=\"fc-watch-chart\"")
    chart = body[start:body.index("</svg>", start)]
    assert "," not in chart.split("<title>")[0]  # coordinates stay numbers an SVG reads (12.5, not 12,5)


# The queue and articles by source --------------------------------------------------------

def test_the_queue_can_be_filtered_by_source(desk):
    tempo, kompas = source(name="Tempo"), source(name="Kompas")
    from_tempo = article(tempo, claims=2)
    article(kompas, claims=1)
    article(None, claims=1)
    page = desk.get(f"{QUEUE}?watched_source={tempo.pk}&folded=all")
    assert page.status_code == 200
    assert {c.article_id for c in page.context["cl"].result_list} == {from_tempo.pk}
    assert len(page.context["cl"].result_list) == 2
    assert "Watched source" in page.content.decode() or "watched source" in page.content.decode()
    assert desk.get(f"{QUEUE}?watched_source=nope").status_code == 200


def test_an_articles_page_shows_its_source(desk):
    row = source(name="Tempo")
    found = article(row, claims=1)
    body = desk.get(reverse("admin:claims_article_change", args=[found.pk])).content.decode()
    assert reverse("admin:claims_watchedsource_change", args=[row.pk]) in body
    listed = desk.get(reverse("admin:claims_article_changelist") + f"?watched_source={row.pk}")
    assert [a.pk for a in listed.context["cl"].result_list] == [found.pk]


# The starter list ------------------------------------------------------------------------

def test_the_starter_list_loads_switched_off_and_once(db):
    out = StringIO()
    call_command("watch_sources_load", stdout=out)
    rows = json.loads(services.STARTER_SOURCES.read_text())["sources"]
    assert len(rows) >= 20 and "0 not loaded" in out.getvalue()
    assert WatchedSource.objects.count() == len(rows)
    assert not WatchedSource.objects.filter(enabled=True).exists()
    assert set(WatchedSource.objects.values_list("language", flat=True)) == {"id", "en"}
    assert set(WatchedSource.objects.values_list("kind", flat=True)) == {"feed", "news_sitemap", "sitemap"}
    # An editor renames one and switches it on; loading again keeps that and adds nothing.
    tempo = WatchedSource.objects.get(url="https://rss.tempo.co/nasional")
    WatchedSource.objects.filter(pk=tempo.pk).update(name="Tempo Nasional", enabled=True, poll_minutes=10)
    out = StringIO()
    call_command("watch_sources_load", stdout=out)
    assert f"0 created (switched off), {len(rows)} kept" in out.getvalue()
    tempo.refresh_from_db()
    assert (tempo.name, tempo.enabled, tempo.poll_minutes) == ("Tempo Nasional", True, 10)
    assert WatchedSource.objects.count() == len(rows)


def test_a_bad_row_is_reported_and_the_others_load(tmp_path):
    path = tmp_path / "sources.json"
    path.write_text(json.dumps({"sources": [
        {"name": "Baik", "url": "https://baik.example/rss", "kind": "feed", "language": "id", "topics": ["ammunition"]},
        {"name": "Buruk", "url": "bukan alamat", "kind": "feed"},
        {"name": "Aneh", "url": "https://aneh.example/rss", "kind": "podcast"},
        {"name": "Topik", "url": "https://topik.example/rss", "topics": ["no-such-topic"]},
    ]}))
    err = StringIO()
    call_command("watch_sources_load", file=path, stdout=StringIO(), stderr=err)
    assert list(WatchedSource.objects.values_list("name", flat=True)) == ["Baik"]
    assert list(WatchedSource.objects.get().topics.values_list("slug", flat=True)) == ["ammunition"]
    assert "Row 2" in err.getvalue() and "Row 3" in err.getvalue() and "no-such-topic" in err.getvalue()
    path.write_text("{not json")
    with pytest.raises(CommandError):
        call_command("watch_sources_load", file=path, stdout=StringIO())


def test_the_sources_pages_speak_indonesian(desk):
    from tests.test_i18n import english_in, visible_text

    now = timezone.now()
    row = source(name="Tempo", last_polled_at=now, failures=3, last_error="HTTP 503", paused_at=now)
    found = article(row, claims=2)
    WatchedEntry.objects.create(source=row, url=found.url, title="Berita", state=WatchedEntry.State.IMPORTED,
                                article=found)
    desk.cookies["django_language"] = "id"
    pages = {
        "list": desk.get(LIST).content.decode(),
        "source": desk.get(reverse("admin:claims_watchedsource_change", args=[row.pk])).content.decode(),
        "add": desk.get(ADD).content.decode(),
        "queue": desk.get(f"{QUEUE}?watched_source={row.pk}").content.decode(),
    }
    assert "Dijeda setelah 3 kegagalan" in pages["list"] and "24 jam / 7 hari" in pages["list"]
    assert "Artikel dan klaim per hari, 30 hari terakhir" in pages["source"]
    extra = ["Paused", "Failing", "OK", "entries", "articles", "Poll", "Switch", "Detect", "ago", "never"]
    leaks = {name: [w for w in english_in(visible_text(html))] + [
        w for w in extra if f" {w} " in f" {visible_text(html)} "] for name, html in pages.items()}
    assert {name: words for name, words in leaks.items() if words} == {}
    other = source(name="Kompas")
    response = desk.post(LIST, {"action": "poll_now", "_selected_action": [row.pk, other.pk]}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "2 sumber akan diperiksa sebentar lagi; keadaannya tampak di daftar ini."]
