"""Reading published fact-checks: nothing else ever comes out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.choices import ClaimStatus
from claims.models import Claim, Rating, Topic

pytestmark = pytest.mark.django_db

# A page of the list: the key, then the claims with their topics, sources and corrections,
# and translations, in one query on PostgreSQL and in five elsewhere.
LIST_QUERIES = 2 if connection.vendor == "postgresql" else 6


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
    services.verdict_draft(claim=drafted, user=editor, rating=Rating.objects.get(label_id="Benar"),
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
    from claims import claimreview, selectors

    response = reader.get(f"/api/v1/claims/{desk.pk}/claimreview/")
    assert response.status_code == 200
    assert response.json() == claimreview.claim_review(selectors.published_claims().get(pk=desk.pk))
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
    assert len(many) == len(one) == LIST_QUERIES


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


@pytest.fixture
def full_fact_checks(make_claim, publish, editor, publisher):
    """Published fact-checks with everything a list row shows: topics, sources, a correction."""
    def make(n: int) -> list[Claim]:
        made = []
        for i in range(n):
            claim = make_claim(f"Klaim {i}: anggaran pertahanan naik {i + 2} persen pada 2024.")
            services.source_add(claim=claim, user=editor, url=f"https://example.org/data/{i}", stance="supports",
                                title="Data", publisher="BPS", quote="Angka resmi.")
            claim = publish(claim)
            claim.topics.add(*Topic.objects.filter(slug__in=["ammunition", "arms-deals"]))
            services.verdict_correct(claim=claim, user=publisher, summary="Koreksi angka.", note="Data baru.",
                                     rating=Rating.objects.get(label_id="Benar"))
            made.append(claim)
        return made
    return make


def test_the_list_runs_the_same_queries_for_any_page_size(reader, full_fact_checks, settings):
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 0
    full_fact_checks(12)
    reader.get("/api/v1/claims/")  # the key's first use records it; later requests don't write
    counts = {}
    for size in (1, 5, 100):
        with CaptureQueriesContext(connection) as queries:
            body = reader.get(f"/api/v1/claims/?page_size={size}").json()
        assert len(body["results"]) == min(size, 12)
        counts[size] = len(queries)
    assert counts == {1: LIST_QUERIES, 5: LIST_QUERIES, 100: LIST_QUERIES}


def test_the_list_reads_only_the_columns_it_shows(reader, full_fact_checks, settings):
    """A page of 20 must not drag each article's full text (and the claim's context,
    reasons and search vector) out of the database only to drop it."""
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 0
    full_fact_checks(2)
    reader.get("/api/v1/claims/")
    with CaptureQueriesContext(connection) as queries:
        assert reader.get("/api/v1/claims/").status_code == 200
    sql = " ".join(q["sql"] for q in queries)
    for column in ('"claims_article"."body"', '"claims_claim"."context"', '"claims_claim"."reasons"',
                   '"claims_claim"."search_vector"', '"claims_correction"."previous_summary"'):
        assert column not in sql


def test_list_and_detail_equal_the_declared_serializer(reader, full_fact_checks, settings):
    """The list and the detail are built from plain rows for speed; they must say exactly
    what the declared FactCheckSerializer (the OpenAPI schema's source) says of the claim."""
    from rest_framework import serializers

    from claims import selectors
    from claims.api.serializers import FactCheckSerializer

    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 0
    made = full_fact_checks(3)
    listed = reader.get("/api/v1/claims/").json()["results"]
    claims = {c.pk: c for c in selectors.published_claims().prefetch_related("sources")}
    declared = [serializers.ModelSerializer.to_representation(FactCheckSerializer(claims[row["id"]]),
                                                              claims[row["id"]]) for row in listed]
    assert listed == declared
    assert [row["id"] for row in listed] == [c.pk for c in reversed(made)]
    correction = listed[0]["verdict"]["corrections"][0]
    assert {k: v for k, v in correction.items() if k != "created_at"} == {
        "note": "Data baru.", "changed": ["rating", "summary"], "previous_rating": "Keliru", "new_rating": "Benar",
        "previous_headline": "Keliru: pasokan peluru dibesar-besarkan",
        "new_headline": "Keliru: pasokan peluru dibesar-besarkan",
    }
    assert listed[0]["verdict"]["rating"]["label"] == "Benar"
    by_name = Topic.objects.filter(slug__in=["ammunition", "arms-deals"]).order_by("name")
    assert listed[0]["topics"] == [t.slug for t in by_name]
    assert len(listed[0]["sources"]) == 2
    assert reader.get(f"/api/v1/claims/{made[0].pk}/").json() == declared[-1]


def test_every_read_takes_the_lists_ordering_parameter(reader, full_fact_checks, settings):
    """List, detail and ClaimReview share the filters and ordering: none of them may 500 on them."""
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 0
    claim = full_fact_checks(1)[0]
    for url in ("/api/v1/claims/?ordering=published_at", f"/api/v1/claims/{claim.pk}/?ordering=-published_at",
                f"/api/v1/claims/{claim.pk}/claimreview/?ordering=published_at"):
        assert reader.get(url).status_code == 200, url


def test_a_published_translation_is_in_the_api_and_its_claimreview(reader, make_claim, publish, editor,
                                                                     publisher, settings):
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 0
    claim = publish(make_claim())
    services.verdict_translate(claim=claim, user=editor, language="en", headline="Shipments overstated",
                               summary="The data do not support it.")
    assert reader.get(f"/api/v1/claims/{claim.pk}/").json()["verdict"]["translations"] == []  # a draft
    services.verdict_translation_publish(claim=claim, user=publisher, language="en")

    verdict = reader.get(f"/api/v1/claims/{claim.pk}/").json()["verdict"]
    assert (verdict["language"], verdict["rating"]["label"]) == ("id", "Keliru")
    (translation,) = verdict["translations"]
    assert {k: translation[k] for k in ("language", "headline", "summary", "rationale", "rating_label")} == {
        "language": "en", "headline": "Shipments overstated", "summary": "The data do not support it.",
        "rationale": "", "rating_label": "False"}
    assert reader.get("/api/v1/claims/").json()["results"][0]["verdict"] == verdict

    english = reader.get(f"/api/v1/claims/{claim.pk}/claimreview/?lang=en").json()
    assert (english["headline"], english["inLanguage"], english["reviewRating"]["alternateName"]) == (
        "Shipments overstated", "en", "False")
    assert english["url"].endswith("?lang=en")
    original = reader.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()
    assert (original["inLanguage"], original["reviewRating"]["alternateName"]) == ("id", "Keliru")
