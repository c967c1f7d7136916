"""Fact-checks from elsewhere: ClaimReview pages, DataFeeds and files coming in."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from claims import services
from claims.claimreview import claimreviews_from_html, claimreviews_read
from claims.models import FactCheck


def review(url: str, claim: str, rating: str = "Salah", **extra) -> dict:
    node = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim,
        "datePublished": "2024-03-02",
        "author": {"@type": "Organization", "name": "Tempo", "url": "https://cekfakta.tempo.co"},
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                         "alternateName": rating},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Akun Facebook X"},
                         "datePublished": "2024-02-28"},
    }
    node.update(extra)
    return node


def data_feed(*reviews: dict) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "dateCreated": "2024-03-02", "item": [r]} for r in reviews
        ],
    }


PAGE = """<!doctype html><html><head><title>Cek fakta</title>
<script type="application/ld+json">{review}</script>
<script type="application/ld+json">{{ not json </script>
</head><body><h1>[HOAKS] Indonesia beli amunisi dari Korut</h1></body></html>"""


def test_a_datafeed_reads_every_review_and_names_the_broken_ones():
    feed = data_feed(
        review("https://cekfakta.example/1", "Indonesia membeli amunisi dari Korea Utara"),
        {"@type": "ClaimReview", "url": "https://cekfakta.example/2", "reviewRating": {"alternateName": "Salah"}},
        review("https://cekfakta.example/3", "The army ordered 1 million shells", rating="False", inLanguage="en"),
    )
    items, problems = claimreviews_read(feed)
    assert [i.url for i in items] == ["https://cekfakta.example/1", "https://cekfakta.example/3"]
    first = items[0]
    assert (first.publisher, first.rating_text, first.rating_value, first.claimant) == (
        "Tempo", "Salah", 1.0, "Akun Facebook X")
    assert first.reviewed_at.date().isoformat() == "2024-03-02"
    assert items[1].language == "en"
    assert problems == ["item 2: https://cekfakta.example/2: no claimReviewed"]


def test_a_page_reads_its_json_ld_and_takes_its_own_address_when_the_review_has_none():
    node = review("", "Vaksin mengandung chip")
    del node["url"]
    items, problems = claimreviews_from_html(PAGE.format(review=json.dumps(node)),
                                             page_url="https://cekfakta.example/vaksin")
    assert [i.url for i in items] == ["https://cekfakta.example/vaksin"]
    assert problems == ["a JSON-LD block that is not valid JSON was skipped"]


@pytest.mark.django_db
def test_importing_twice_updates_and_never_doubles():
    items, _ = claimreviews_read(data_feed(review("https://cekfakta.example/1", "Klaim A")))
    first = services.factchecks_store(items=items)
    again = services.factchecks_store(items=items)
    changed, _ = claimreviews_read(data_feed(review("https://cekfakta.example/1", "Klaim A", rating="Keliru")))
    third = services.factchecks_store(items=changed)
    assert (first.created, again.unchanged, third.updated) == (1, 1, 1)
    assert FactCheck.objects.get().rating_text == "Keliru"


@pytest.mark.django_db
def test_an_item_that_does_not_fit_is_skipped_and_the_rest_comes_in():
    items, _ = claimreviews_read(data_feed(
        review("https://cekfakta.example/ok", "Klaim yang baik"),
        review("https://cekfakta.example/" + "x" * 2100, "Alamat terlalu panjang"),
    ))
    report = services.factchecks_store(items=items)
    assert report.created == 1
    assert FactCheck.objects.filter(url="https://cekfakta.example/ok").exists()
    assert FactCheck.objects.count() == 1


@pytest.mark.django_db
def test_language_is_detected_when_the_markup_does_not_say():
    items, _ = claimreviews_read(review(
        "https://cekfakta.example/1", "Pemerintah Indonesia telah membeli satu juta butir amunisi dari Korea Utara"))
    services.factchecks_store(items=items)
    assert FactCheck.objects.get().language == "id"


@pytest.mark.django_db
def test_the_command_imports_a_file_with_a_summary(tmp_path, capsys):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(data_feed(
        review("https://cekfakta.example/1", "Klaim satu"), review("https://cekfakta.example/2", "Klaim dua"),
        {"@type": "ClaimReview", "claimReviewed": "tanpa alamat", "reviewRating": {"ratingValue": 1}},
    )))
    call_command("import_factchecks", str(path), "--no-progress")
    out, err = capsys.readouterr()
    assert "2 new, 0 updated, 0 unchanged, 1 skipped" in out
    assert "no url" in err
    call_command("import_factchecks", str(path), "--no-progress")
    assert "0 new, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert FactCheck.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("content", [b"", b"{not json", b"\xff\xfe\x00garbage", b'{"@type": "Thing"}', b"[" * 100000])
def test_the_command_refuses_what_is_not_a_feed_with_a_clear_error(tmp_path, capsys, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="nothing could be imported"):
        call_command("import_factchecks", str(path), "--no-progress")
    assert "not imported" in capsys.readouterr().err
    assert not FactCheck.objects.exists()


class _Feeds(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/feed.json":
            body, kind = json.dumps(data_feed(review("https://cekfakta.example/9", "Klaim feed"))).encode(), "application/json"
        elif self.path == "/page":
            body, kind = PAGE.format(review=json.dumps(review("https://cekfakta.example/10", "Klaim halaman"))).encode(), "text/html"
        else:
            body, kind = b"nothing", "text/plain"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def feeds(settings):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.django_db
def test_the_command_fetches_a_feed_and_a_page_by_address(feeds, capsys):
    call_command("import_factchecks", f"{feeds}/feed.json", f"{feeds}/page", "--no-progress")
    assert set(FactCheck.objects.values_list("url", flat=True)) == {
        "https://cekfakta.example/9", "https://cekfakta.example/10"}
    assert FactCheck.objects.get(url="https://cekfakta.example/9").imported_from == f"{feeds}/feed.json"


@pytest.mark.django_db
def test_an_address_inside_our_network_is_refused(settings, capsys):
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = []
    with pytest.raises(CommandError):
        call_command("import_factchecks", "http://127.0.0.1:6379/feed.json", "--no-progress")
    assert "not imported" in capsys.readouterr().err


@pytest.mark.django_db
def test_an_editor_imports_a_file_in_the_desk_and_an_outsider_cannot(client, editor, staff_outsider):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:claims_factcheck_import")
    client.force_login(staff_outsider)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    feed = json.dumps(data_feed(review("https://cekfakta.example/1", "Klaim dari desk"))).encode()
    response = client.post(url, {"file": SimpleUploadedFile("feed.json", feed, "application/json")}, follow=True)
    assert response.status_code == 200
    assert "1 new, 0 updated, 0 unchanged, 0 skipped." in response.content.decode()
    assert FactCheck.objects.get().claim_reviewed == "Klaim dari desk"
    response = client.post(url, {"file": SimpleUploadedFile("x.json", b"{oops", "application/json")})
    assert response.status_code == 200 and "not valid JSON" in response.content.decode()
    changelist = client.get(reverse("admin:claims_factcheck_changelist"))
    assert "Klaim dari desk" in changelist.content.decode()
