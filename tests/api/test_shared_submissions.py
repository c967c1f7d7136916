"""Several partners submitting the same article: each follows the one job and sees the
result, described as it described the article itself; nobody else sees any of it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.choices import JobStatus
from claims.models import Article, ArticleSubmission, ExtractionJob, Partner
from tests.api.conftest import key_for
from tests.migration_state import at_migration, migrate

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Menteri Keuangan mengatakan anggaran pertahanan 2025 mencapai Rp 165 triliun, naik 20 persen."
FIRST = {"text": TEXT, "title": "Anggaran pertahanan", "outlet": "Tempo",
         "published_at": "2025-03-01T08:00:00+07:00"}
SECOND = {"text": TEXT, "title": "Belanja militer naik", "outlet": "Kompas"}


def article_id(job: dict) -> str:
    return job["article"].rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def clients(api, partner, other_partner):
    third = Partner.objects.create(name="Detik", rate_limit_per_minute=1000)
    return {name: api(key_for(p, "submit")) for name, p in
            (("a", partner), ("b", other_partner), ("c", third))}


def test_a_second_partner_submitting_the_same_text_follows_the_same_job(clients):
    a, b = clients["a"], clients["b"]
    first = a.post("/api/v1/articles/", FIRST, format="json")
    assert first.status_code == 202
    second = b.post("/api/v1/articles/", SECOND, format="json")
    assert second.status_code == 200
    job = second.json()
    assert job["id"] == first.json()["id"]
    assert second["Location"].endswith(f"/api/v1/jobs/{job['id']}/")

    polled = b.get(f"/api/v1/jobs/{job['id']}/")
    assert polled.status_code == 200
    assert polled.json()["status"] == JobStatus.SUCCEEDED and polled.json()["claims_found"] >= 1
    article = b.get(f"/api/v1/articles/{article_id(job)}/")
    assert article.status_code == 200
    assert article.json()["claims"] and article.json()["latest_job"]["id"] == job["id"]

    # Nobody else's description: B sees its own title and outlet, A keeps its own.
    seen_by_b, seen_by_a = article.json(), a.get(f"/api/v1/articles/{article_id(job)}/").json()
    assert (seen_by_b["title"], seen_by_b["outlet"], seen_by_b["published_at"]) == (
        "Belanja militer naik", "Kompas", None)
    assert (seen_by_a["title"], seen_by_a["outlet"]) == ("Anggaran pertahanan", "Tempo")
    assert "Tempo" not in str(seen_by_b) and "Anggaran" not in str(seen_by_b)

    # One article, one extraction.
    assert Article.objects.count() == 1 and ExtractionJob.objects.count() == 1
    assert ExtractionJob.objects.get().attempts == 1


def test_a_partner_that_did_not_submit_it_still_gets_404(clients):
    job = clients["a"].post("/api/v1/articles/", FIRST, format="json").json()
    clients["b"].post("/api/v1/articles/", SECOND, format="json")
    c = clients["c"]
    assert c.get(f"/api/v1/jobs/{job['id']}/").status_code == 404
    assert c.get(f"/api/v1/articles/{article_id(job)}/").status_code == 404
    assert c.get("/api/v1/articles/").json()["results"] == []


def test_submitting_again_records_one_submission_per_partner(clients):
    for _ in range(2):
        clients["a"].post("/api/v1/articles/", FIRST, format="json")
        clients["b"].post("/api/v1/articles/", SECOND, format="json")
    assert ArticleSubmission.objects.count() == 2
    assert ExtractionJob.objects.count() == 1
    for name in ("a", "b"):
        assert len(clients[name].get("/api/v1/articles/").json()["results"]) == 1


def test_each_partners_list_is_in_the_order_it_submitted(clients):
    b = clients["b"]
    shared = clients["a"].post("/api/v1/articles/", FIRST, format="json").json()
    b.post("/api/v1/articles/", {"text": "Harga beras di Jakarta naik 12 persen pada Maret 2025."},
           format="json")
    b.post("/api/v1/articles/", SECOND, format="json")
    listed = b.get("/api/v1/articles/").json()["results"]
    assert [str(r["id"]) for r in listed][0] == article_id(shared)  # submitted last by B
    assert listed[0]["created_at"] > listed[1]["created_at"]


def test_an_article_imported_by_the_newsroom_is_followed_by_the_partner_that_submits_it(clients):
    imported = services.article_submit(body=TEXT, title="Dari arsip", source_name="import.csv")
    response = clients["a"].post("/api/v1/articles/", FIRST, format="json")
    assert response.status_code == 200 and response.json()["id"] == imported.job.pk
    assert clients["a"].get(f"/api/v1/jobs/{imported.job.pk}/").status_code == 200
    assert clients["b"].get(f"/api/v1/jobs/{imported.job.pk}/").status_code == 404
    assert ExtractionJob.objects.count() == 1


def test_a_second_partner_submitting_the_same_url_follows_the_same_job(clients, page_server):
    url = f"{page_server}/berita"
    a, b, c = clients["a"], clients["b"], clients["c"]
    first = a.post("/api/v1/articles/", {"url": url, "title": "Impor beras 2024"}, format="json")
    assert first.status_code == 202
    second = b.post("/api/v1/articles/", {"url": url, "outlet": "Kompas"}, format="json")
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    job = second.json()

    polled = b.get(f"/api/v1/jobs/{job['id']}/")
    assert polled.status_code == 200 and polled.json()["status"] == JobStatus.SUCCEEDED
    seen_by_b = b.get(f"/api/v1/articles/{article_id(job)}/").json()
    # B gave no title: it sees the page's own, not the one A gave.
    assert (seen_by_b["title"], seen_by_b["outlet"], seen_by_b["source_url"]) == ("Impor beras", "Kompas", url)
    assert a.get(f"/api/v1/articles/{article_id(job)}/").json()["title"] == "Impor beras 2024"

    assert c.get(f"/api/v1/jobs/{job['id']}/").status_code == 404
    assert c.get(f"/api/v1/articles/{article_id(job)}/").status_code == 404
    assert Article.objects.count() == 1 and ExtractionJob.objects.count() == 1


def test_a_url_whose_page_is_an_article_already_sent_as_text_joins_that_article(clients, page_server):
    """B sends the address of a page whose text A already sent: B's job ends on A's article
    (extracted once), B sees it as B described it, and nobody else sees it."""
    import urllib.request

    from claims.ingest import html_to_article

    url = f"{page_server}/berita"
    with urllib.request.urlopen(url) as page:  # noqa: S310 - the test's own local server
        body = html_to_article(page.read().decode()).body
    a, b, c = clients["a"], clients["b"], clients["c"]
    first = a.post("/api/v1/articles/", {"text": body, "title": "Impor beras 2024"}, format="json").json()

    second = b.post("/api/v1/articles/", {"url": url, "outlet": "Kompas"}, format="json")
    assert second.status_code == 202
    job = b.get(f"/api/v1/jobs/{second.json()['id']}/").json()
    assert job["status"] == JobStatus.SUCCEEDED, job["error"]
    assert article_id(job) == article_id(first) and job["claims_found"] >= 1

    seen_by_b = b.get(f"/api/v1/articles/{article_id(job)}/").json()
    assert seen_by_b["claims"]
    assert (seen_by_b["title"], seen_by_b["outlet"], seen_by_b["source_url"]) == ("Impor beras", "Kompas", url)
    assert a.get(f"/api/v1/articles/{article_id(job)}/").json()["title"] == "Impor beras 2024"
    assert c.get(f"/api/v1/jobs/{job['id']}/").status_code == 404

    # One article, which now also answers to the address: a third submission of it is a 200.
    assert Article.objects.count() == 1 and Article.objects.get().url == url
    assert c.post("/api/v1/articles/", {"url": url}, format="json").status_code == 200


def queries_for(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return [q["sql"] for q in captured]


def test_reading_a_shared_job_or_article_costs_what_reading_an_own_one_does(clients):
    a, b = clients["a"], clients["b"]
    job = a.post("/api/v1/articles/", FIRST, format="json").json()
    paths = (f"/api/v1/jobs/{job['id']}/", f"/api/v1/articles/{article_id(job)}/", "/api/v1/articles/")
    own = [queries_for(a, path) for path in paths]
    b.post("/api/v1/articles/", SECOND, format="json")
    shared = [queries_for(b, path) for path in paths]
    assert [len(q) for q in shared] == [len(q) for q in own]


def test_a_partners_article_list_runs_the_same_queries_for_few_and_many_shared_articles(clients, api):
    b = clients["b"]
    others = [api(key_for(Partner.objects.create(name=f"P{i}", rate_limit_per_minute=1000), "submit"))
              for i in range(3)]
    b.post("/api/v1/articles/", {"text": "Inflasi Maret 2025 sebesar 1,2 persen, kata BPS."}, format="json")
    with CaptureQueriesContext(connection) as few:
        assert len(b.get("/api/v1/articles/").json()["results"]) == 1
    for i in range(5):
        text = f"Produksi padi 2024 turun {i + 2} persen menurut Badan Pusat Statistik."
        for other in others:
            other.post("/api/v1/articles/", {"text": text}, format="json")
        b.post("/api/v1/articles/", {"text": text}, format="json")
    with CaptureQueriesContext(connection) as many:
        assert len(b.get("/api/v1/articles/").json()["results"]) == 6
    assert len(many) == len(few)


def test_the_migration_makes_each_articles_partner_its_submission_and_back(partner):
    before, after = [("claims", "0007_verdict_published_index")], [("claims", "0008_article_submissions")]
    with at_migration(before) as old:
        OldArticle = old.get_model("claims", "Article")
        submitted = OldArticle.objects.create(body="Satu.", content_hash="m1", title="Judul", outlet="Tempo",
                                              url="https://example.org/satu", partner_id=partner.pk)
        imported = OldArticle.objects.create(body="Dua.", content_hash="m2")

        new = migrate(after)
        Submission = new.get_model("claims", "ArticleSubmission")
        row = Submission.objects.get()
        assert (row.article_id, row.partner_id, row.title, row.outlet, row.url) == (
            submitted.pk, partner.pk, "Judul", "Tempo", "https://example.org/satu")
        assert row.submitted_at == submitted.created_at
        assert not Submission.objects.filter(article_id=imported.pk).exists()

        # Backwards: an article only a submission names gets that partner back.
        new.get_model("claims", "Article").objects.filter(pk=submitted.pk).update(partner=None)
        migrate(before)
        assert OldArticle.objects.get(pk=submitted.pk).partner_id == partner.pk
        assert OldArticle.objects.get(pk=imported.pk).partner_id is None


@pytest.mark.django_db
def test_the_article_admin_lists_every_partner_that_submitted_it(admin_client, partner, other_partner):
    from django.urls import reverse

    Partner.objects.create(name="Detik")
    first = services.partner_article_submit(partner=partner, text=TEXT)
    services.partner_article_submit(partner=other_partner, text=TEXT)
    page = admin_client.get(reverse("admin:claims_article_change", args=[first.article.pk])).content.decode()
    assert "Tempo" in page and "Kompas" in page and "Detik" not in page
