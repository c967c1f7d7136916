"""A partner's `published_at` dates its article; without it, the page's own metadata does;
and the ClaimReview of a claim from that article says so, or says nothing."""

from __future__ import annotations

import pytest

from claims.models import Article

pytestmark = pytest.mark.django_db

TEXT = ("Menteri Keuangan mengatakan anggaran pertahanan 2025 mencapai Rp 165 triliun, naik 20 persen "
        "dibanding tahun sebelumnya.")
HTML = ("<html><head><title>Anggaran pertahanan</title>"
        '<meta property="article:published_time" content="2025-10-20T14:30:00+07:00"></head>'
        f"<body><article><p>{TEXT}</p><p>Hal itu disampaikan Selasa (21/10/2025).</p></article></body></html>")


@pytest.fixture
def submit(submitter, django_capture_on_commit_callbacks):
    def go(**fields) -> Article:
        with django_capture_on_commit_callbacks(execute=True):
            response = submitter.post("/api/v1/articles/", fields, format="json")
        assert response.status_code == 202, response.json()
        return Article.objects.get(jobs__pk=response.json()["id"])
    return go


@pytest.fixture
def item_reviewed(reader, publish):
    def go(article: Article) -> dict:
        claim = publish(article.claims.order_by("start").first())
        response = reader.get(f"/api/v1/claims/{claim.pk}/claimreview/")
        assert response.status_code == 200
        return response.json()["itemReviewed"]
    return go


def test_the_published_at_field_is_the_claims_date(submit, item_reviewed):
    article = submit(text=TEXT, outlet="Tempo", published_at="2025-03-01T08:00:00+07:00")
    item = item_reviewed(article)
    assert item["datePublished"] == "2025-03-01"
    assert item["appearance"][0]["datePublished"] == "2025-03-01"
    assert item["appearance"][0]["publisher"] == {"@type": "Organization", "name": "Tempo"}


def test_html_without_the_field_is_dated_by_its_metadata_and_the_field_wins(submit, item_reviewed):
    assert item_reviewed(submit(html=HTML))["datePublished"] == "2025-10-20"
    other = HTML.replace("Rp 165 triliun", "Rp 166 triliun")
    assert item_reviewed(submit(html=other, published_at="2025-10-19T23:00:00+07:00"))["datePublished"] == "2025-10-19"


def test_a_fetched_page_dates_its_article_and_its_address_is_the_appearance(
    submit, item_reviewed, submitter, page_server
):
    url = f"{page_server}/berita-bertanggal"
    article = submit(url=url)
    item = item_reviewed(article)
    assert item["datePublished"] == "2025-10-20"
    assert item["appearance"][0]["url"] == url
    # The partner that gave no date sees the page's.
    assert submitter.get("/api/v1/articles/").json()["results"][0]["published_at"].startswith("2025-10-20T14:30")


def test_text_without_a_date_has_none_in_its_claimreview(submit, item_reviewed):
    item = item_reviewed(submit(text=TEXT))
    assert "datePublished" not in item and "datePublished" not in item["appearance"][0]
