"""Reading published fact-checks: nothing else ever comes out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.choices import ClaimStatus
from claims.models import Claim, Rating, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(make_claim, publish, editor):
    """One published claim, and one of every unpublished kind, each with a marker."""
    published = publish(make_claim("Korut memasok satu juta peluru ke Rusia pada 2023."))
    published.topics.add(Topic.objects.get(slug="ammunition"))
    make_claim("SECRET-NEW klaim baru.")
    in_review = make_claim("SECRET-REVIEW klaim ditinjau.")
    services.claim_assign(claim=in_review, user=editor)
    drafted = make_claim("SECRET-DRAFT klaim draf.")
    services.claim_assign(claim=drafted, user=editor)
    services.source_add(claim=drafted, user=editor, url="https://example.org/secret")
    services.verdict_draft(claim=drafted, user=editor, rating=Rating.objects.get(language="id", label="Benar"),
                           headline="SECRET-HEADLINE", summary="SECRET-SUMMARY")
    dismissed = make_claim("SECRET-DISMISSED klaim.")
    services.claim_dismiss(claim=dismissed, user=editor, reason="opinion")
    return published


def test_the_list_has_only_published_fact_checks(reader, desk):
    response = reader.get("/api/v1/claims/")
    body = response.json()
    assert response.status_code == 200
    assert [c["id"] for c in body["results"]] == [desk.pk]
    assert "SECRET" not in response.content.decode()
    fact_check = body["results"][0]
    assert fact_check["verdict"]["rating"]["label"] == "Keliru"
    assert fact_check["verdict"]["rating"]["value"] == 1
    assert fact_check["sources"][0]["stance"] == "refutes"
    assert fact_check["topics"] == ["ammunition"]
    assert fact_check["entities"] == ["North Korea", "Russia"]
    assert fact_check["url"].startswith("http")


def test_unpublished_claims_are_not_found_anywhere(reader, desk):
    for claim in Claim.objects.exclude(status=ClaimStatus.PUBLISHED):
        for url in (f"/api/v1/claims/{claim.pk}/", f"/api/v1/claims/{claim.pk}/claimreview/"):
            assert reader.get(url).status_code == 404
    for query in ("q=SECRET", "q=klaim", "speaker=Pavel", "entity=Russia", "outlet=RIAU24.COM",
                  "rating=Benar", "language=id", "ordering=-published_at", "page_size=100"):
        assert "SECRET" not in reader.get(f"/api/v1/claims/?{query}").content.decode(), query


def test_filters(reader, desk):
    def ids(query: str) -> list[int]:
        response = reader.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["results"]]

    assert ids("rating=keliru") == [desk.pk]
    assert ids("rating=Benar") == []
    assert ids("topic=ammunition") == [desk.pk]
    assert ids("topic=health") == []
    assert ids("language=id") == [desk.pk]
    assert ids("language=en") == []
    assert ids("speaker=luzin") == [desk.pk]
    assert ids("entity=north korea") == [desk.pk]
    assert ids("outlet=riau24.com") == [desk.pk]
    assert ids("published_after=2000-01-01&published_before=2999-01-01") == [desk.pk]
    assert ids("published_after=2999-01-01") == []
    assert ids("q=peluru") == [desk.pk]
    assert ids("q=vaksin") == []


def test_a_bad_filter_value_is_a_400_with_field_details(reader, desk):
    response = reader.get("/api/v1/claims/?published_after=not-a-date")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "published_after" in error["fields"]


@pytest.mark.parametrize("query", ["published_before=", "published_after=", "published_after=%20"])
def test_an_empty_date_filter_is_a_400_as_the_schema_says(reader, desk, query):
    response = reader.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["error"]["fields"]


def test_an_unknown_topic_finds_nothing_like_any_other_filter(reader, desk):
    response = reader.get("/api/v1/claims/?topic=no-such-topic")
    assert response.status_code == 200 and response.json()["results"] == []
    assert [c["id"] for c in reader.get("/api/v1/claims/?topic=ammunition").json()["results"]] == [desk.pk]


def test_cursor_pagination_walks_every_fact_check_once(reader, make_claim, publish):
    made = [publish(make_claim(f"Klaim nomor {i} tentang anggaran Rp {i} triliun.")).pk for i in range(5)]
    seen, url = [], "/api/v1/claims/?page_size=2"
    while url:
        body = reader.get(url).json()
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
    assert seen == list(reversed(made))
    assert len(reader.get("/api/v1/claims/?page_size=100000").json()["results"]) == 5


def test_the_claimreview_is_the_pages(reader, desk):
    from claims import jsonld, selectors

    response = reader.get(f"/api/v1/claims/{desk.pk}/claimreview/")
    assert response.status_code == 200
    assert response.json() == jsonld.claim_review(selectors.published_claims().get(pk=desk.pk))
    assert response.json()["@type"] == "ClaimReview"


def test_topics_are_listed(reader):
    slugs = [t["slug"] for t in reader.get("/api/v1/topics/").json()]
    assert "arms-deals" in slugs and "ammunition" in slugs


def test_the_list_runs_the_same_queries_for_one_and_many(reader, make_claim, publish, settings):
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 0  # measure the real work, not the cache
    publish(make_claim("Klaim pertama tentang 5 persen inflasi."))
    reader.get("/api/v1/claims/")  # the key's first use records it; later requests don't write
    with CaptureQueriesContext(connection) as one:
        reader.get("/api/v1/claims/")
    for i in range(10):
        publish(make_claim(f"Klaim {i} tentang anggaran Rp {i} triliun."))
    with CaptureQueriesContext(connection) as many:
        reader.get("/api/v1/claims/")
    assert len(many) == len(one) == 5  # key, claims, topics, corrections, sources


def test_reads_are_cached_until_the_next_publication(reader, make_claim, publish,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = publish(make_claim("Klaim pertama: inflasi 5 persen pada 2024."))
    assert [c["id"] for c in reader.get("/api/v1/claims/").json()["results"]] == [first.pk]
    with CaptureQueriesContext(connection) as cached:
        assert reader.get("/api/v1/claims/").status_code == 200
    assert len(cached) == 1  # only the key's lookup

    with django_capture_on_commit_callbacks(execute=True):
        second = publish(make_claim("Klaim kedua: anggaran naik Rp 10 triliun."))
    assert [c["id"] for c in reader.get("/api/v1/claims/").json()["results"]] == [second.pk, first.pk]


def test_the_cache_still_checks_every_key(api, reader, revoked_key, make_claim, publish):
    publish(make_claim())
    assert reader.get("/api/v1/claims/").status_code == 200
    assert api(revoked_key).get("/api/v1/claims/").status_code == 401
    assert api().get("/api/v1/claims/").status_code == 401


def test_the_fast_fact_check_json_equals_the_declared_serializer(make_claim, publish, publisher):
    from rest_framework import serializers

    from claims import selectors
    from claims.api.serializers import FactCheckSerializer

    claim = publish(make_claim())
    claim.topics.add(Topic.objects.get(slug="ammunition"))
    services.verdict_correct(claim=claim, user=publisher, rating=Rating.objects.get(language="id", label="Benar"),
                             summary="Koreksi.", note="Data baru.")
    claim = selectors.published_claims().get(pk=claim.pk)
    fast = FactCheckSerializer(claim).data
    declared = serializers.ModelSerializer.to_representation(FactCheckSerializer(claim), claim)
    assert fast == declared
    assert fast["verdict"]["corrections"][0]["previous_rating"] == "Keliru"
