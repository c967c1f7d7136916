"""Already checked? The matches endpoint and ?similar_to= on the claims list."""

from __future__ import annotations

import pytest

from claims import services
from claims.claimreview import claimreviews_read
from claims.models import FactCheck

pytestmark = pytest.mark.django_db


def elsewhere(url: str, claim: str) -> FactCheck:
    items, _ = claimreviews_read({
        "@type": "ClaimReview", "url": url, "claimReviewed": claim, "datePublished": "2024-03-02",
        "author": {"name": "Tempo", "url": "https://cekfakta.tempo.co"},
        "reviewRating": {"alternateName": "Hoaks", "ratingValue": 1, "bestRating": 5, "worstRating": 1},
    })
    services.factchecks_store(items=items)
    return FactCheck.objects.get(url=url)


def test_a_text_finds_our_fact_check_and_another_publishers_best_first(reader, make_claim, publish):
    ours = publish(make_claim("Korea Utara memasok satu juta peluru artileri ke Rusia pada 2023."))
    publish(make_claim("Harga beras di Jakarta naik 20 persen dalam sebulan."),
            headline="Benar: harga beras naik", rating="Benar")
    theirs = elsewhere("https://cekfakta.example/peluru", "Korut kirim jutaan peluru artileri untuk Rusia")
    response = reader.post("/api/v1/matches/", {"text": "Benarkah Korea Utara mengirim satu juta peluru ke Rusia?",
                                                "limit": 3}, format="json")
    assert response.status_code == 200
    results = response.json()
    assert len(results) == 3
    assert {results[0]["url"], results[1]["url"]} >= {theirs.url} or results[0]["claim_reviewed"] == ours.text
    first = results[0]
    assert first["claimreview"]["@type"] == "ClaimReview"
    assert first["score"] >= results[1]["score"] >= results[2]["score"]
    assert {r["source"] for r in results} == {"ours", "elsewhere"}
    sources = {r["url"]: r["source"] for r in results}
    assert sources[theirs.url] == "elsewhere"


def test_an_unpublished_claim_is_never_a_match(reader, make_claim):
    make_claim("Korea Utara memasok satu juta peluru artileri ke Rusia pada 2023.")
    response = reader.post("/api/v1/matches/", {"text": "Korea Utara memasok peluru ke Rusia"}, format="json")
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("payload", [{}, {"text": ""}, {"text": "   "}, {"text": "x" * 2001},
                                     {"text": "ok", "limit": 0}, {"text": "ok", "limit": 500},
                                     {"text": ["a"]}, {"text": "nul\x00byte"}])
def test_a_malformed_question_gets_a_clear_400(reader, payload):
    response = reader.post("/api/v1/matches/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"]


def test_matches_need_a_key_with_the_read_scope(api, submitter):
    assert api().post("/api/v1/matches/", {"text": "peluru"}, format="json").status_code in (401, 403)
    assert submitter.post("/api/v1/matches/", {"text": "peluru"}, format="json").status_code == 403


def test_similar_to_lists_our_fact_checks_closest_first(reader, make_claim, publish):
    rice = publish(make_claim("Harga beras di Jakarta naik 20 persen dalam sebulan."),
                   headline="Benar: harga beras naik", rating="Benar")
    shells = publish(make_claim("Korea Utara memasok satu juta peluru artileri ke Rusia pada 2023."))
    response = reader.get("/api/v1/claims/", {"similar_to": "North Korea sent a million artillery shells to Russia"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results][:2] == [shells.pk, rice.pk]
    assert results[0]["similarity"] > results[1]["similarity"]
    assert reader.get("/api/v1/claims/", {"similar_to": " "}).status_code == 400


def test_the_schema_documents_matches(reader):
    schema = reader.get("/api/schema/", HTTP_ACCEPT="application/json")
    text = schema.content.decode()
    assert "/api/v1/matches/" in text and "similar_to" in text
