"""The founding article: everything in shared/seeds/EXPECTED.md."""

from __future__ import annotations

import pytest

from claims.nlp import ExtractedClaim, extract

TABLE = {
    1: (
        "Pemimpin Korea Utara Kim Jong Un datang",
        "event",
        "diplomacy",
        {"Kim Jong Un", "Vladimir Putin", "North Korea", "Russia"},
    ),
    2: ("Rusia sendiri dilaporkan telah menggunakan", "event", "arms-deals", {"Russia", "Ukraine"}),
    3: ("Moskow mengandalkan Iran", "event", "arms-deals", {"Russia", "Iran", "Belarus", "North Korea"}),
    4: ("Di sisi lain, China", "event", "arms-deals", {"China", "Russia"}),
    5: ("Rusia dilaporkan setuju", "event", "arms-deals", {"Russia", "Iran", "Ukraine"}),
    6: ("Jumlah pelurunya terbatas", "quantity", "ammunition", {"North Korea", "Russia"}),
}
NOT_WORTHY = (
    "Saya pikir jelas",
    "Bukan hanya ia gagal",
    "Banyak patriot Rusia",
    "Pertemuan keduanya diperkirakan",
    "Pertukaran senjata antara keduanya",
    "Perjanjian serupa ditakutkan",
    "Setiap peningkatan kemampuan militer",
)


@pytest.fixture(scope="module")
def claims(seed_text: str) -> list[ExtractedClaim]:
    return extract(seed_text)


def find(claims: list[ExtractedClaim], start: str) -> ExtractedClaim:
    matches = [c for c in claims if c.text.startswith(start)]
    assert len(matches) == 1, f"{start!r}: {[c.text[:40] for c in claims]}"
    return matches[0]


def test_spans_are_exact_and_ordered(seed_text, claims):
    assert claims
    for claim in claims:
        assert seed_text[claim.start : claim.end] == claim.text
    assert [c.start for c in claims] == sorted(c.start for c in claims)


def test_headline_is_not_a_claim(seed_text, claims):
    headline_end = seed_text.index("\n")
    assert all(c.start > headline_end for c in claims)


def test_lead_starts_after_the_outlet_dateline(claims):
    lead = find(claims, "Pemimpin Korea Utara")
    assert "RIAU24.COM" not in lead.text
    assert lead.attribution == "the outlet"
    assert lead.speaker == "RIAU24.COM"


@pytest.mark.parametrize("number", sorted(TABLE))
def test_table_claims_are_found(claims, number):
    start, claim_type, topic, entities = TABLE[number]
    claim = find(claims, start)
    assert claim.score >= 0.5, claim.reasons
    assert claim.claim_type == claim_type
    assert topic in claim.topics
    assert entities <= {e.canonical for e in claim.entities}


def test_lead_has_its_date(claims):
    lead = find(claims, "Pemimpin Korea Utara")
    dates = [e for e in lead.entities if e.label == "DATE"]
    assert [d.value for d in dates] == ["2023-09-12"]


@pytest.mark.parametrize("number, hedge", [(2, "dilaporkan"), (5, "dilaporkan")])
def test_reported_claims_keep_their_hedge(claims, number, hedge):
    claim = find(claims, TABLE[number][0])
    assert claim.hedge == hedge
    assert claim.attribution == "the outlet"


def test_outlet_claims_are_attributed_to_the_outlet(claims):
    for number in (1, 2, 3, 4, 5):
        assert find(claims, TABLE[number][0]).attribution == "the outlet"


def test_borderline_claim_keeps_its_hedge(claims):
    claim = find(claims, "Ini terkait dengan harapan Presiden Putin")
    assert claim.hedge == "disebut-sebut"


def test_both_miller_sentences_are_his(claims):
    for start in ("Saya pikir jelas", "Bukan hanya ia gagal"):
        claim = find(claims, start)
        assert claim.speaker == "Matthew Miller"
        assert claim.speaker_role == "juru bicara Departemen Luar Negeri AS"
        assert claim.attribution == "via Newsweek"


def test_both_mertens_quotes_are_his(claims):
    for start in ("Banyak patriot Rusia", "Setiap peningkatan kemampuan militer"):
        claim = find(claims, start)
        assert claim.speaker == "Frederik Mertens"
        assert "analis strategis" in claim.speaker_role


def test_last_quote_is_luzins_through_pungkasnya(claims):
    for start in ("Pyongyang tidak mampu", "Jumlah pelurunya terbatas"):
        claim = find(claims, start)
        assert claim.speaker == "Pavel Luzin"
        assert "The Fletcher School" in claim.speaker_role


def test_opinions_and_predictions_rank_below_every_table_claim(claims):
    lowest_claim = min(find(claims, TABLE[n][0]).score for n in TABLE)
    for start in NOT_WORTHY:
        claim = find(claims, start)
        assert claim.score < 0.5, (start, claim.reasons)
        assert claim.score < lowest_claim
        assert claim.claim_type in ("opinion", "prediction")


def test_opinion_reasons_name_the_cue(claims):
    assert "opinion verb 'Saya pikir'" in find(claims, "Saya pikir jelas").reasons


def test_aliases_are_unified(claims):
    canonical = {e.text: e.canonical for c in claims for e in c.entities}
    expected = {
        "Korea Utara": "North Korea",
        "Korut": "North Korea",
        "Pyongyang": "North Korea",
        "Rusia": "Russia",
        "Moskow": "Russia",
        "Iran": "Iran",
        "Teheran": "Iran",
        "Belarusia": "Belarus",
        "Ukraina": "Ukraine",
        "Kim Jong Un": "Kim Jong Un",
        "Putin": "Vladimir Putin",
        "Vladimir Putin": "Vladimir Putin",
    }
    for alias, name in expected.items():
        assert canonical.get(alias) == name, alias


def test_other_spellings_are_unified():
    text = "Kim Jong-un bertemu pejabat Amerika Serikat. AS menolak tawaran itu kemarin."
    names = {e.text: e.canonical for c in extract(text, "id", title="") for e in c.entities}
    assert names["Kim Jong-un"] == "Kim Jong Un"
    assert names["Amerika Serikat"] == "United States"
    assert names["AS"] == "United States"


def test_a_reason_names_the_headline_actor_without_calling_the_claim_a_headline(claims):
    """Editors read "headline" as "this sentence is the headline"; it means its actor is."""
    reasons = [r for c in claims for r in c.reasons]
    assert "headline" not in reasons
    assert any(r.startswith("named in the headline: ") and "Vladimir Putin" in r for r in reasons)
