"""Submitting articles and following their extraction jobs."""

import pytest

from claims.choices import JobStatus
from claims.models import Article, ExtractionJob

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = {
    "text": "Menteri Keuangan mengatakan anggaran pertahanan 2025 mencapai Rp 165 triliun, naik 20 persen.",
    "title": "Anggaran pertahanan", "outlet": "Tempo", "published_at": "2025-03-01T08:00:00+07:00",
}


def test_submitting_text_answers_202_with_the_job(submitter):
    response = submitter.post("/api/v1/articles/", ARTICLE, format="json")
    assert response.status_code == 202
    job = response.json()
    assert response["Location"].endswith(f"/api/v1/jobs/{job['id']}/")
    polled = submitter.get(f"/api/v1/jobs/{job['id']}/").json()
    assert polled["status"] == JobStatus.SUCCEEDED
    assert polled["claims_found"] >= 1
    article = Article.objects.get()
    assert (article.partner.name, article.outlet, article.language) == ("Tempo", "Tempo", "id")


def test_the_same_article_again_answers_with_the_existing_one(submitter):
    first = submitter.post("/api/v1/articles/", ARTICLE, format="json").json()
    again = submitter.post("/api/v1/articles/", ARTICLE, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert Article.objects.count() == 1 and ExtractionJob.objects.count() == 1


def test_submitting_html_extracts_its_main_text(submitter):
    html = ("<html><head><title>Harga beras</title></head><body><nav>Menu</nav><article>"
            "<p>Harga beras di Jakarta naik 12 persen pada Maret 2025, kata Badan Pusat Statistik.</p>"
            "<p>Kenaikan itu tertinggi sejak 2019 menurut data yang dirilis Senin.</p></article></body></html>")
    response = submitter.post("/api/v1/articles/", {"html": html}, format="json")
    assert response.status_code == 202
    article = Article.objects.get()
    assert article.title == "Harga beras" and "<p>" not in article.body


def test_a_partner_sees_its_articles_claims_and_their_review_status(submitter):
    submitter.post("/api/v1/articles/", ARTICLE, format="json")
    body = submitter.get("/api/v1/articles/").json()
    article = body["results"][0]
    assert article["latest_job"]["status"] == JobStatus.SUCCEEDED
    assert article["claims"] and {c["status"] for c in article["claims"]} == {"new"}
    assert all(c["fact_check_url"] is None for c in article["claims"])
    assert "verdict" not in str(article)


@pytest.mark.parametrize("payload, field", [
    ({}, "non_field_errors"),
    ({"text": "a", "url": "https://example.org/a"}, "non_field_errors"),
    ({"text": "   "}, "text"),
    ({"text": "Satu dua.", "language": "fr"}, "language"),
    ({"text": "Satu dua.", "published_at": "yesterday"}, "published_at"),
    ({"url": "not a url"}, "url"),
    ({"url": "http://127.0.0.1/admin/"}, "url"),
    ({"url": "http://169.254.169.254/latest/meta-data/"}, "url"),
    ({"url": "file:///etc/passwd"}, "url"),
    ({"html": "<html><body><script>x</script></body></html>"}, "html"),
])
def test_malformed_submissions_get_field_errors_and_change_nothing(submitter, payload, field):
    response = submitter.post("/api/v1/articles/", payload, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    assert Article.objects.count() == 0


def test_broken_json_is_a_clear_400(submitter):
    response = submitter.post("/api/v1/articles/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]["message"]


def test_a_too_large_body_is_413(submitter, settings):
    settings.FACTCHECK_API_MAX_BODY_BYTES = 1000
    response = submitter.post("/api/v1/articles/", {"text": "kata " * 1000}, format="json")
    assert response.status_code == 413
    assert "limit" in response.json()["error"]["message"]


def test_a_too_long_article_is_400(submitter, settings):
    settings.FACTCHECK_ARTICLE_MAX_CHARS = 50
    response = submitter.post("/api/v1/articles/", {"text": "kata " * 30}, format="json")
    assert response.status_code == 400
    assert "text" in response.json()["error"]["fields"]


def test_a_submitted_url_is_fetched_and_extracted(submitter, page_server):
    response = submitter.post("/api/v1/articles/", {"url": f"{page_server}/berita", "outlet": "Bulog"},
                              format="json")
    assert response.status_code == 202
    job = submitter.get(f"/api/v1/jobs/{response.json()['id']}/").json()
    assert job["status"] == JobStatus.SUCCEEDED, job["error"]
    article = Article.objects.get()
    assert article.title == "Impor beras"
    assert "2 juta ton beras" in article.body
    assert submitter.post("/api/v1/articles/", {"url": f"{page_server}/berita"}, format="json").status_code == 200


@pytest.mark.parametrize("path, message", [("/hilang", "404"), ("/berkas.pdf", "application/pdf")])
def test_a_url_that_cannot_be_used_ends_the_job_with_a_clear_error(submitter, page_server, path, message):
    response = submitter.post("/api/v1/articles/", {"url": f"{page_server}{path}"}, format="json")
    job = submitter.get(f"/api/v1/jobs/{response.json()['id']}/").json()
    assert job["status"] == JobStatus.FAILED
    assert message in job["error"]
