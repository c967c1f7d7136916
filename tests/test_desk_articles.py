"""Articles added from the desk: pasted text or a URL, then the page that follows the job."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.choices import JobStatus
from claims.models import Article, Claim

pytestmark = pytest.mark.django_db

ADD = "admin:claims_article_add"

ARTICLE = (
    "Impor beras naik tajam\n"
    "Pemerintah mengimpor 2 juta ton beras pada 2024, kata Kepala Bulog Budi Waseso di Jakarta.\n"
    "Jumlah itu naik 40 persen dibanding tahun sebelumnya menurut data Badan Pusat Statistik.\n"
)


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def add(client, **fields):  # noqa: ANN001, ANN201
    data = {"text": "", "url": "", "title": "", "outlet": "", "language": "", "published_on": ""}
    data.update(fields)
    return client.post(reverse(ADD), data)


def added(client, capture, **fields):  # noqa: ANN001, ANN201
    """Add an article, let its job run as it does once the request's transaction commits,
    and open the page the desk is sent to."""
    with capture(execute=True):
        response = add(client, **fields)
    assert response.status_code == 302, response.content.decode()[:1000]
    return client.get(response["Location"])


def test_it_offers_add_article_to_editors_and_publishers(client, editor, publisher):
    for user in (editor, publisher):
        client.force_login(user)
        listing = client.get(reverse("admin:claims_article_changelist")).content.decode()
        assert reverse(ADD) in listing
        assert client.get(reverse(ADD)).status_code == 200


def test_it_refuses_staff_outside_the_newsroom(client, staff_outsider):
    client.force_login(staff_outsider)
    assert client.get(reverse(ADD)).status_code == 403
    assert add(client, text=ARTICLE).status_code == 403
    assert not Article.objects.exists()


def test_pasted_text_reaches_the_queue_and_its_job_page_says_so(desk, editor, django_capture_on_commit_callbacks):
    response = added(desk, django_capture_on_commit_callbacks, text=ARTICLE, outlet="Kompas", language="id",
                     published_on="2025-10-20")
    article = Article.objects.get()
    assert response.request["PATH_INFO"] == reverse("admin:claims_article_job", args=[article.pk])
    assert article.title == "Impor beras naik tajam"
    assert article.outlet == "Kompas" and article.language == "id"
    assert timezone.localtime(article.published_at).date().isoformat() == "2025-10-20"  # the newsroom's day
    assert article.submitted_by == editor and article.source_name == "desk:editor"
    job = article.jobs.get()
    assert job.status == JobStatus.SUCCEEDED
    found = Claim.objects.filter(article=article).count()
    assert found >= 1
    page = response.content.decode()
    assert "Succeeded" in page and 'http-equiv="refresh"' not in page
    queue = reverse("admin:claims_claim_changelist") + f"?article={article.pk}&amp;status=all&amp;folded=all"
    assert queue in page
    listed = desk.get(reverse("admin:claims_claim_changelist"), {"article": article.pk, "status": "all",
                                                                   "folded": "all"})
    assert len(listed.context["cl"].result_list) == found


def test_a_queued_job_page_refreshes_itself(desk, editor):
    from claims import services

    submission = services.article_submit(body=ARTICLE, title="x", user=editor)  # not yet run: still queued
    page = desk.get(reverse("admin:claims_article_job", args=[submission.article.pk])).content.decode()
    assert "Queued" in page and 'http-equiv="refresh"' in page


def test_the_language_is_detected_when_not_given(desk, django_capture_on_commit_callbacks):
    added(desk, django_capture_on_commit_callbacks, text=ARTICLE)
    assert Article.objects.get().language == "id"


def test_the_same_text_again_is_the_same_article(desk, django_capture_on_commit_callbacks):
    added(desk, django_capture_on_commit_callbacks, text=ARTICLE)
    response = added(desk, django_capture_on_commit_callbacks, text=ARTICLE)
    assert Article.objects.count() == 1
    assert "already here" in response.content.decode()


@pytest.mark.parametrize(("fields", "message"), [
    ({}, "Paste the article&#x27;s text or give its address"),
    ({"text": "   \n  "}, "Paste the article&#x27;s text or give its address"),
    ({"text": ARTICLE, "url": "https://example.org/a"}, "Paste the article&#x27;s text or give its address"),
    ({"url": "http://127.0.0.1:8000/admin/"}, "address"),
    ({"url": "http://10.0.0.8/secret"}, "address"),
    ({"url": "file:///etc/passwd"}, "http"),
    ({"text": "<html><body><script>var x = 1;</script></body></html>"}, "cannot be read as an article"),
    ({"text": ARTICLE, "published_on": "20-20-2020"}, "Enter a valid date"),
    ({"text": ARTICLE, "language": "xx"}, "Select a valid choice"),
])
def test_bad_input_gets_a_clear_form_error_and_keeps_what_was_typed(desk, fields, message):
    response = add(desk, outlet="Kompas", **fields)
    page = response.content.decode()
    assert response.status_code == 200, page[:500]
    assert "errornote" in page
    assert message.lower() in page.lower(), page[page.find("errornote") - 200:][:1500]
    assert 'value="Kompas"' in page  # nothing typed is lost
    assert not Article.objects.exists()


def test_a_huge_paste_is_refused_with_the_limit(desk, settings):
    settings.FACTCHECK_ARTICLE_MAX_CHARS = 1000
    response = add(desk, text="Kata menteri, impor naik 40 persen. " * 100)
    page = response.content.decode()
    assert response.status_code == 200
    assert "too long" in page and "1,000" in page
    assert not Article.objects.exists()


def test_broken_html_that_still_has_text_is_read(desk, django_capture_on_commit_callbacks):
    broken = ("<html><head><title>Impor beras</title><body><article><p>Pemerintah mengimpor 2 juta ton "
              "beras pada 2024, kata Kepala Bulog.<p>Jumlah itu naik 40 persen menurut BPS.</div></span>")
    response = added(desk, django_capture_on_commit_callbacks, text=broken)
    assert response.status_code == 200
    article = Article.objects.get()
    assert "2 juta ton" in article.body and "<p>" not in article.body


@pytest.fixture
def news_site(settings):
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    page = (b"<html><head><title>Ekspor sawit</title></head><body><article>"
            b"<p>Ekspor sawit naik 12 persen pada 2024, kata Menteri Perdagangan Zulkifli Hasan.</p>"
            b"<p>Nilainya mencapai 25 miliar dolar menurut data Badan Pusat Statistik.</p>"
            b"</article></body></html>")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = self.path == "/berita"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(page)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_is_fetched_through_the_outbound_guard(desk, editor, news_site, django_capture_on_commit_callbacks):
    response = added(desk, django_capture_on_commit_callbacks, url=f"{news_site}/berita", outlet="Antara")
    article = Article.objects.get()
    assert article.title == "Ekspor sawit" and "12 persen" in article.body
    assert article.submitted_by == editor
    assert article.jobs.get().status == JobStatus.SUCCEEDED
    assert "Succeeded" in response.content.decode()


def test_a_url_that_cannot_be_fetched_shows_a_failed_job_not_an_error_page(
    desk, news_site, django_capture_on_commit_callbacks,
):
    response = added(desk, django_capture_on_commit_callbacks, url=f"{news_site}/missing")
    assert response.status_code == 200
    job = Article.objects.get().jobs.get()
    assert job.status == JobStatus.FAILED
    page = response.content.decode()
    assert "Failed" in page and job.error in page


def test_a_refused_form_keeps_its_date_in_indonesian_too(desk):
    response = desk.post(reverse(ADD), {"text": "", "url": "", "outlet": "Kompas", "language": "id",
                                        "published_on": "2025-10-20"}, HTTP_ACCEPT_LANGUAGE="id")
    page = response.content.decode()
    assert "Tempel teks artikel atau berikan alamatnya" in page
    assert 'value="2025-10-20"' in page  # as a date input reads it, whatever the language


def test_a_paste_larger_than_any_request_may_be_is_a_clear_400_not_a_500(desk, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = desk.post(reverse(ADD), {"text": "impor naik 40 persen " * 1000, "url": ""})
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Article.objects.exists()
