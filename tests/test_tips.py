"""Readers' tips: the public "Send us a claim" form, the tip in the desk's queue, the reader's
private link, and contact details that stay private and are deleted in time."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from claims import services
from claims.choices import ClaimOrigin, ClaimStatus, LinkState
from claims.claimreview import claimreviews_read
from claims.models import Article, Claim, FactCheck, MatchLink, Rating, Tip

pytestmark = pytest.mark.django_db

CONTACT = "pembaca.rahasia@example.org"
TIP_TEXT = "Pemerintah membeli 1 juta peluru dari Korea Utara tahun ini, katanya di grup WhatsApp."
LINK = re.compile(r'href="(http://testserver/tips/([A-Za-z0-9_-]+)/)"')


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 0
    settings.FACTCHECK_TIP_RATE = "5/hour"
    cache.clear()


def send(client, capture, **fields):
    """Post the form as a reader's browser does; the tip's after-commit work runs too."""
    address = fields.pop("address", "203.0.113.7")
    data = {"text": "", "url": "", "language": "", "contact": "", "website": "", **fields}
    with capture(execute=True):
        return client.post("/tips/", data, REMOTE_ADDR=address)


def token_of(response) -> str:
    found = LINK.search(response.content.decode())
    assert found, "the page shows the private link"
    return found.group(2)


def publish(claim: Claim, editor, publisher, *, headline: str = "Klaim pembelian peluru tidak benar") -> Claim:
    services.claim_assign(claim=claim, user=editor)
    services.source_add(claim=claim, user=editor, url="https://data.example/report", title="Laporan",
                        stance="refutes")
    services.verdict_draft(claim=claim, user=editor, rating=Rating.objects.get(label_id="Keliru"),
                           headline=headline, summary="Data impor menunjukkan sebaliknya.")
    services.verdict_publish(claim=claim, user=publisher)
    return Claim.objects.get(pk=claim.pk)


# The form ------------------------------------------------------------------------------


def test_the_form_is_linked_from_every_page_and_speaks_both_languages(client):
    home = client.get("/").content.decode()
    assert 'href="/tips/"' in home
    english = client.get("/tips/")
    assert english.status_code == 200 and "Send us a claim" in english.content.decode()
    assert "csrfmiddlewaretoken" in english.content.decode()
    client.cookies["django_language"] = "id"
    indonesian = client.get("/tips/").content.decode()
    assert "Kirimkan klaim kepada kami" in indonesian
    assert "Send us a claim" not in indonesian


TIP_ENGLISH = ["Send us a claim", "Received", "Being checked", "Published", "Your claim", "Thank you",
               "optional", "Reader tip", "Contact", "Link", "Sent", "editors", "link", "claim"]


def test_the_tip_pages_and_the_desk_speak_indonesian(client, settings, editor, django_capture_on_commit_callbacks):
    from tests.test_i18n import english_in, visible_text

    settings.FACTCHECK_NEWSROOM_NAME = "Cek Fakta Contoh"  # the newsroom's own name, not interface
    client.cookies["django_language"] = "id"
    sent = send(client, django_capture_on_commit_callbacks, text=TIP_TEXT, contact=CONTACT)
    tip = Tip.objects.get()
    pages = {
        "form": client.get("/tips/").content.decode(),
        "errors": send(client, django_capture_on_commit_callbacks).content.decode(),
        "sent": sent.content.decode(),
        "status": client.get(f"/tips/{token_of(sent)}/").content.decode(),
    }
    client.force_login(editor)
    pages["queue"] = client.get("/admin/claims/claim/", {"origin": "tip"}).content.decode()
    pages["claim"] = client.get(f"/admin/claims/claim/{tip.claim_id}/change/").content.decode()
    pages["tips"] = client.get("/admin/claims/tip/").content.decode()
    leaks = {}
    for name, html in pages.items():
        # The reader's own words (the tip) are not interface.
        text = visible_text(html).replace(TIP_TEXT, "")
        words = english_in(text) + [w for w in TIP_ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
        if words:
            leaks[name] = words
    assert leaks == {}
    assert "Kirimkan klaim kepada kami" in pages["form"]
    assert "Tuliskan klaimnya" in pages["errors"]
    assert "Diterima" in pages["status"]
    assert "Kiriman pembaca" in pages["queue"]


def test_a_tip_enters_the_queue_as_one_claim_of_its_own(client, django_capture_on_commit_callbacks):
    response = send(client, django_capture_on_commit_callbacks, text=TIP_TEXT, contact=CONTACT)
    assert response.status_code == 200
    token = token_of(response)
    tip = Tip.objects.get()
    claim = tip.claim
    assert claim.origin == ClaimOrigin.TIP and claim.status == ClaimStatus.NEW
    assert claim.text == TIP_TEXT and claim.language == "id"
    assert claim.article.claims.count() == 1
    assert tip.contact == CONTACT
    # The token is stored only as its hash; the address only as a keyed hash.
    assert tip.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Tip.objects.filter(token_hash=token).exists()
    assert "203.0.113.7" not in tip.address_hash and len(tip.address_hash) == 64


def test_the_same_words_sent_twice_are_two_tips(client, django_capture_on_commit_callbacks):
    send(client, django_capture_on_commit_callbacks, text=TIP_TEXT)
    send(client, django_capture_on_commit_callbacks, text=TIP_TEXT)
    assert Tip.objects.count() == 2 and Claim.objects.filter(origin=ClaimOrigin.TIP).count() == 2


@pytest.mark.parametrize("contact", ["+62 812-3456-7890", "(021) 555 1234", "nama@example.co.id"])
def test_an_email_or_a_phone_number_is_taken(client, django_capture_on_commit_callbacks, contact):
    assert send(client, django_capture_on_commit_callbacks, text=TIP_TEXT, contact=contact).status_code == 200
    assert Tip.objects.get().contact == contact


def test_the_reader_may_choose_the_language(client, django_capture_on_commit_callbacks):
    send(client, django_capture_on_commit_callbacks, text=TIP_TEXT, language="en")
    assert Tip.objects.get().claim.language == "en"


def test_a_filled_honeypot_is_thanked_and_stores_nothing(client, django_capture_on_commit_callbacks):
    response = send(client, django_capture_on_commit_callbacks, text=TIP_TEXT, contact=CONTACT,
                    website="http://spam.example")
    assert response.status_code == 200
    token = token_of(response)  # looks like any success
    assert Tip.objects.count() == 0 and Article.objects.count() == 0 and Claim.objects.count() == 0
    assert client.get(f"/tips/{token}/").status_code == 404


def test_one_address_may_send_only_so_many_tips(client, settings, django_capture_on_commit_callbacks):
    settings.FACTCHECK_TIP_RATE = "2/hour"
    for _ in range(2):
        assert send(client, django_capture_on_commit_callbacks, text=TIP_TEXT).status_code == 200
    refused = send(client, django_capture_on_commit_callbacks, text=TIP_TEXT)
    assert refused.status_code == 429
    assert "try again later" in refused.content.decode()
    assert Tip.objects.count() == 2
    # Another reader is not held up by the first.
    assert send(client, django_capture_on_commit_callbacks, text=TIP_TEXT, address="198.51.100.9").status_code == 200
    assert Tip.objects.count() == 3


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, settings, django_capture_on_commit_callbacks):
    settings.FACTCHECK_TIP_RATE = "1/hour"
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/tips/", {"text": TIP_TEXT}, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert Tip.objects.count() == 1


def test_behind_a_named_proxy_each_reader_has_their_own_limit(client, settings, django_capture_on_commit_callbacks):
    settings.FACTCHECK_TIP_RATE = "1/hour"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}  # FACTCHECK_NUM_PROXIES=1
    for forwarded in ("198.51.100.1", "198.51.100.2", "9.9.9.9, 198.51.100.2"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/tips/", {"text": TIP_TEXT}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert Tip.objects.count() == 2  # the third is the second reader again, whatever they prepend


@pytest.mark.parametrize(("fields", "message"), [
    ({}, "Write the claim, or give a link"),
    ({"text": "   \n  "}, "Write the claim, or give a link"),
    ({"text": "x" * 2001}, "Please keep it under 2000 characters"),
    ({"text": TIP_TEXT, "contact": "y" * 201}, "at most 200 characters"),
    ({"text": TIP_TEXT, "contact": "call me maybe"}, "Give an email address or a phone number"),
    ({"text": TIP_TEXT, "contact": "12-34"}, "Give an email address or a phone number"),
    ({"url": "http://127.0.0.1:8000/admin/"}, "We cannot open this link"),
    ({"url": "http://10.0.0.5/internal"}, "We cannot open this link"),
    ({"url": "file:///etc/passwd"}, "Enter a valid URL"),
    ({"url": "javascript:alert(1)"}, "Enter a valid URL"),
    ({"language": "xx", "text": TIP_TEXT}, "Select a valid choice"),
])
def test_bad_input_is_answered_with_a_clear_error_and_stores_nothing(
        client, django_capture_on_commit_callbacks, fields, message):
    response = send(client, django_capture_on_commit_callbacks, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Tip.objects.count() == 0 and Article.objects.count() == 0


def test_a_body_too_big_for_the_server_is_a_400_not_a_500(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post("/tips/", {"text": "x" * 20_000})
    assert response.status_code == 400
    assert Tip.objects.count() == 0


def test_the_form_needs_its_csrf_token(django_capture_on_commit_callbacks):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/tips/", {"text": TIP_TEXT}).status_code == 403
    assert Tip.objects.count() == 0


# The private link ----------------------------------------------------------------------


@pytest.fixture
def sent(client, django_capture_on_commit_callbacks):
    response = send(client, django_capture_on_commit_callbacks, text=TIP_TEXT, contact=CONTACT)
    return Tip.objects.get(), token_of(response)


def test_the_private_link_is_not_indexed_nor_cached(client, sent):
    _tip, token = sent
    response = client.get(f"/tips/{token}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert token not in page.split("<body>")[0]  # neither canonical nor og:url carry it
    assert "/tips/" not in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("token", ["nope", "A" * 32, "../../admin", "x" * 200])
def test_an_unknown_token_is_a_404(client, sent, token):
    assert client.get(f"/tips/{token}/").status_code == 404


def test_the_link_follows_the_claim_in_reader_words_never_the_desks(client, sent, editor, publisher):
    tip, token = sent
    page = client.get(f"/tips/{token}/").content.decode()
    assert "Received" in page and TIP_TEXT in page
    assert CONTACT not in page

    editor.first_name, editor.last_name = "Siti", "Rahayuningsih"
    editor.save()
    services.claim_assign(claim=tip.claim, user=editor)
    services.note_add(claim=tip.claim, user=editor, text="Catatan internal ZZNOTE")
    page = client.get(f"/tips/{token}/").content.decode()
    assert "Being checked" in page
    assert "Rahayuningsih" not in page and "ZZNOTE" not in page
    # nor its score (0.5, or 0,5 in Indonesian), as a number of its own, not inside a timestamp
    assert not re.search(r"(?<![\d.,:])0[.,]50?(?![\d])", page)

    claim = publish(tip.claim, editor, publisher)
    page = client.get(f"/tips/{token}/").content.decode()
    assert "Published" in page
    assert "Klaim pembelian peluru tidak benar" in page
    assert "Keliru" in page
    assert claim.get_absolute_url() in page
    assert "ZZNOTE" not in page and CONTACT not in page and "Rahayuningsih" not in page


def test_the_link_says_kindly_when_a_tip_is_not_checked(client, sent, editor):
    tip, token = sent
    services.claim_dismiss(claim=tip.claim, user=editor, reason="out_of_scope")
    page = client.get(f"/tips/{token}/").content.decode()
    assert "Closed" in page and "Thank you" in page
    assert "Out of scope" not in page  # the desk's reason stays in the desk


def test_a_tip_dismissed_as_already_checked_says_so_whatever_the_desks_language(client, sent, editor):
    from django.utils import translation

    tip, token = sent
    with translation.override("id"):  # an editor working in Indonesian
        services.claim_dismiss(claim=tip.claim, user=editor, reason="already_checked")
    page = client.get(f"/tips/{token}/").content.decode()
    assert "Already checked" in page and "Closed" not in page


def test_a_tip_checked_elsewhere_leads_the_reader_to_that_fact_check(client, sent, editor):
    tip, token = sent
    items, _ = claimreviews_read({
        "@type": "ClaimReview", "url": "https://cekfakta.example/peluru", "datePublished": "2024-03-02",
        "claimReviewed": "Pemerintah membeli sejuta peluru dari Korea Utara", "author": {"name": "Tempo"},
        "reviewRating": {"alternateName": "Salah"}})
    services.factchecks_store(items=items)
    # The import suggests it on the tip's claim (an open claim it settles); an editor would link it anyway.
    link, _ = MatchLink.objects.get_or_create(claim=tip.claim, factcheck=FactCheck.objects.get(),
                                              defaults={"score": 0.9, "method": "editor"})
    link = services.link_decide(link=link, user=editor, state=LinkState.CONFIRMED)
    services.link_close_as_checked(link=link, user=editor)
    page = client.get(f"/tips/{token}/").content.decode()
    assert "Already checked" in page
    assert "https://cekfakta.example/peluru" in page and "Tempo" in page


def test_a_tip_marked_duplicate_of_a_published_claim_shows_that_fact_check(
        client, sent, editor, publisher, django_capture_on_commit_callbacks):
    tip, token = sent
    other = send(client, django_capture_on_commit_callbacks, text="Korut jual peluru ke Indonesia", address="1.2.3.4")
    original = publish(Tip.objects.exclude(pk=tip.pk).get().claim, editor, publisher, headline="Penjualan peluru tidak terbukti")
    assert other.status_code == 200
    services.claim_mark_duplicate(claim=tip.claim, user=editor, original=original)
    page = client.get(f"/tips/{token}/").content.decode()
    assert "Penjualan peluru tidak terbukti" in page and original.get_absolute_url() in page


def test_the_token_is_never_logged(client, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    response = send(client, django_capture_on_commit_callbacks, text=TIP_TEXT, contact=CONTACT)
    token = token_of(response)
    client.get(f"/tips/{token}/")
    assert token not in caplog.text
    assert CONTACT not in caplog.text


# Contact details: private, and deleted in time -----------------------------------------


def test_contact_details_are_never_public(client, settings, sent, editor, publisher):
    tip, _token = sent
    claim = publish(tip.claim, editor, publisher)
    settings.FACTCHECK_API_ANONYMOUS_READ = True
    pages = [
        client.get(claim.get_absolute_url()),  # with its ClaimReview markup
        client.get("/"),
        client.get("/claims/", {"q": "peluru"}),
        client.get("/feeds/rss/"),
        client.get("/feeds/atom/"),
        client.get("/sitemap.xml"),
        client.get("/api/v1/claims/"),
        client.get(f"/api/v1/claims/{claim.pk}/"),
    ]
    for response in pages:
        assert response.status_code == 200, response.wsgi_request.path
        assert CONTACT not in response.content.decode(), response.wsgi_request.path
    assert "peluru" in pages[2].content.decode()  # the search found the tip's fact-check
    assert "Sent in by a reader" in pages[0].content.decode()
    # Searching for the reader's address finds nothing (the search box echoes the words only).
    assert "Klaim pembelian peluru" not in client.get("/claims/", {"q": "pembaca.rahasia"}).content.decode()


def test_old_contact_details_are_deleted(sent, settings, django_capture_on_commit_callbacks, client):
    settings.FACTCHECK_TIP_CONTACT_DAYS = 30
    old, _token = sent
    Tip.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    send(client, django_capture_on_commit_callbacks, text="Tip baru", contact="baru@example.org", address="5.6.7.8")
    assert services.tips_contact_purge() == 1
    old.refresh_from_db()
    assert old.contact == "" and old.contact_deleted_at is not None
    assert Tip.objects.get(contact="baru@example.org").contact_deleted_at is None
    assert services.tips_contact_purge() == 0  # run again, nothing more


def test_the_purge_runs_from_beat_and_from_a_command(sent, settings, capsys):
    from claims import tasks

    assert settings.CELERY_BEAT_SCHEDULE["purge-tip-contacts"]["task"] == "claims.tasks.purge_tip_contacts"
    tip, _token = sent
    Tip.objects.filter(pk=tip.pk).update(created_at=timezone.now() - timedelta(days=settings.FACTCHECK_TIP_CONTACT_DAYS + 1))
    call_command("purge_tip_contacts")
    assert "1 tip(s)" in capsys.readouterr().out
    assert Tip.objects.get().contact == ""
    Tip.objects.update(contact="lagi@example.org", contact_deleted_at=None)
    tasks.purge_tip_contacts.apply()
    assert Tip.objects.get().contact == ""


@pytest.mark.parametrize(("name", "value"), [
    ("FACTCHECK_TIP_RATE", "many"), ("FACTCHECK_TIP_RATE", "5/fortnightly"), ("FACTCHECK_TIP_RATE", "0/hour"),
    ("FACTCHECK_TIP_CONTACT_DAYS", "0"), ("FACTCHECK_TIP_MAX_CHARS", "10"), ("FACTCHECK_NUM_PROXIES", "-1"),
])
def test_bad_tip_settings_are_clear_errors(name, value):
    from tests.test_settings import django_run

    assert f"{name} must" in django_run("check", DEBUG="true", **{name: value}).stderr


# The desk ------------------------------------------------------------------------------


def test_the_desk_sees_the_tip_with_its_badge_and_is_never_folded_away(client, sent, editor, settings):
    tip, _token = sent
    settings.FACTCHECK_QUEUE_CUT = 0.9  # above the tip's score: a tip is shown all the same
    client.force_login(editor)
    queue = client.get("/admin/claims/claim/").content.decode()
    assert "Reader tip" in queue and TIP_TEXT[:60] in queue
    only_tips = client.get("/admin/claims/claim/", {"origin": "tip"}).content.decode()
    assert TIP_TEXT[:60] in only_tips
    extracted = client.get("/admin/claims/claim/", {"origin": "extracted"}).content.decode()
    assert TIP_TEXT[:60] not in extracted
    page = client.get(f"/admin/claims/claim/{tip.claim_id}/change/").content.decode()
    assert CONTACT in page  # the desk may reach the reader


def test_the_tips_screen_is_for_the_desk_only(client, sent, editor, staff_outsider):
    tip, _token = sent
    client.force_login(editor)
    listing = client.get("/admin/claims/tip/")
    assert listing.status_code == 200 and CONTACT in listing.content.decode()
    assert client.get(f"/admin/claims/tip/{tip.pk}/change/").status_code == 200
    assert client.post(f"/admin/claims/tip/{tip.pk}/change/", {"text": "changed"}).status_code == 403
    client.force_login(staff_outsider)
    assert client.get("/admin/claims/tip/").status_code == 403
    assert CONTACT not in client.get(f"/admin/claims/claim/{tip.claim_id}/change/").content.decode()


def test_an_editor_deletes_a_contact_now(client, sent, editor, staff_outsider):
    from django.core.exceptions import PermissionDenied

    tip, _token = sent
    with pytest.raises(PermissionDenied):
        services.tips_contact_delete(tips=[tip], user=staff_outsider)
    client.force_login(editor)
    client.post("/admin/claims/tip/", {"action": "contact_delete", "_selected_action": [tip.pk]})
    tip.refresh_from_db()
    assert tip.contact == "" and tip.contact_deleted_at is not None


def test_extracting_the_tips_article_again_keeps_the_tip(sent):
    tip, _token = sent
    services.claims_store(article=tip.claim.article, extracted=[])
    assert Claim.objects.filter(pk=tip.claim_id, origin=ClaimOrigin.TIP).exists()


def test_a_tip_teaches_the_scoring_layer_nothing(sent, editor, publisher):
    tip, _token = sent
    publish(tip.claim, editor, publisher)
    assert tip.claim_id not in {d.claim_id for d in services.decision_labels()}


# Matching ------------------------------------------------------------------------------


def test_a_tip_checked_elsewhere_is_suggested_to_the_desk(client, settings, editor, django_capture_on_commit_callbacks):
    settings.FACTCHECK_MATCH_THRESHOLD = 0.3
    items, _ = claimreviews_read({
        "@type": "ClaimReview", "url": "https://cekfakta.example/peluru-korut", "datePublished": "2024-03-02",
        "claimReviewed": "Pemerintah membeli 1 juta peluru dari Korea Utara", "author": {"name": "Tempo"},
        "reviewRating": {"alternateName": "Salah"}})
    services.factchecks_store(items=items)
    services.factchecks_vectorize()
    send(client, django_capture_on_commit_callbacks, text=TIP_TEXT)
    tip = Tip.objects.get()
    link = MatchLink.objects.get(claim=tip.claim)
    assert link.factcheck.url == "https://cekfakta.example/peluru-korut"
    client.force_login(editor)
    queue = client.get("/admin/claims/claim/", {"origin": "tip"}).content.decode()
    assert "Checked by Tempo" in queue


@pytest.fixture
def news_site(settings):
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    page = (b"<html><head><title>Korut kirim sejuta peluru ke Indonesia</title></head><body><article>"
            b"<p>Sebuah unggahan menyebut Korea Utara mengirim satu juta peluru ke Indonesia.</p>"
            b"<p>Unggahan itu dibagikan ribuan kali di media sosial pekan ini.</p>"
            b"</article></body></html>")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_link_alone_is_read_through_the_outbound_guard(client, news_site, django_capture_on_commit_callbacks):
    response = send(client, django_capture_on_commit_callbacks, url=f"{news_site}/post/1")
    assert response.status_code == 200
    tip = Tip.objects.get()
    claim = Claim.objects.select_related("article").get(pk=tip.claim_id)
    assert claim.text == "Korut kirim sejuta peluru ke Indonesia"
    assert claim.article.body[claim.start:claim.end] == claim.text
    assert "dibagikan ribuan kali" in claim.article.body
    assert tip.url == f"{news_site}/post/1" and tip.text == ""


def test_a_link_that_cannot_be_read_leaves_the_tip_in_the_queue(client, settings, django_capture_on_commit_callbacks):
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    response = send(client, django_capture_on_commit_callbacks, text=TIP_TEXT, url="http://127.0.0.1:9/gone")
    assert response.status_code == 200
    assert Claim.objects.get(origin=ClaimOrigin.TIP).text == TIP_TEXT


def test_log_lines_and_the_access_log_blank_the_token():
    from datetime import timedelta as duration
    from types import SimpleNamespace

    from gunicorn.config import Config

    from factcheck.log_redact import RedactingGunicornLogger, TipTokenFilter

    token = "Zq3x_9-Abcdefghijklmnopqrstuvwx"
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s",
                               (f"/tips/{token}/",), None)
    assert TipTokenFilter().filter(record)
    assert record.getMessage() == "Not Found: /tips/…/"
    # The handler the settings configure carries the filter.
    handler = logging.getLogger().handlers
    assert any(isinstance(f, TipTokenFilter) for h in handler for f in h.filters)

    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/language/id/?next=%2Ftips%2F{token}%2F",
               "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": "/language/id/",
               "QUERY_STRING": f"next=%2Ftips%2F{token}%2F", "HTTP_REFERER": f"http://x/tips/{token}/"}
    atoms = RedactingGunicornLogger(Config()).atoms(
        SimpleNamespace(status="302 Found", headers=[], sent=0), SimpleNamespace(headers=[]), environ,
        duration(seconds=0))
    assert token not in " ".join(str(v) for v in atoms.values())
    assert atoms["r"] == "GET /language/id/?next=%2Ftips%2F…%2F HTTP/1.1"
