"""English speakers and roles as an editor reads them: who speaks, and in what capacity.

The one-sentence cases (who speaks, in what role, how hedged) are data in
tests/nlp/data/attribution_cases.jsonl, run by test_attribution_cases.py; what stays here
asserts more than the speaker: entities, reasons, or a text long enough to be cut.
"""

from claims.nlp import extract


def test_a_very_long_article_remembers_its_speakers_from_piece_to_piece():
    """Texts over MAX_CHUNK_CHARS are extracted in pieces; the speakers carry over."""
    from claims.nlp.pipeline import MAX_CHUNK_CHARS

    filler = "The committee met again on Tuesday to discuss the schedule for the hearings.\n\n"
    head = "Finance minister John Carter said inflation rose to 5 percent in March.\n\n"
    tail = "Carter said wages fell by 2 percent in the same month.\n\nHe added that 300 jobs were lost."
    text = head + filler * (MAX_CHUNK_CHARS // len(filler) + 10) + tail
    assert len(text) > MAX_CHUNK_CHARS

    claims = extract(text, "en")
    last_two = [(c.speaker, c.speaker_role) for c in claims[-2:]]
    assert last_two == [("John Carter", "Finance minister")] * 2
    assert claims[0].speaker == "John Carter"


def test_a_spokesperson_for_an_organisation_the_gazetteer_lacks_is_no_person_named_after_it():
    text = (
        "A Department of Health spokesperson said the government would spend 10 million pounds. "
        "He added that 300 nurses were hired. "
        "The Department of Health also said 20 clinics opened."
    )
    claims = extract(text, "en", title="")
    assert [(c.speaker, c.speaker_role, c.speaker_kind) for c in claims] == [
        ("Department of Health", "spokesperson", "representative"),
        ("Department of Health", "spokesperson", "representative"),
        ("Department of Health", None, "organisation"),
    ]
    assert not [e for c in claims for e in c.entities if e.label == "PERSON"]


def test_agencies_named_with_and_a_passive_past_still_and_our_own_surveys():
    cases = {
        "The National Research and Innovation Agency (BRIN) said 38 percent of reefs were damaged.": (
            "Badan Riset dan Inovasi Nasional"
        ),
        "The Maritime Affairs and Fisheries Ministry said 2,000 boats were inspected in 2024.": (
            "Maritime Affairs and Fisheries Ministry"
        ),
        "Blast fishing is still reported in parts of Sulawesi, where 40 percent of reefs are damaged.": None,
        "Our surveys in 2024 found that about 38 percent of reefs were bleached.": None,
    }
    assert {text: extract(text, "en", title="")[0].speaker for text in cases} == cases
    [no_comment] = extract("The ministry did not respond to a request for comment on the 2,000 boats.", "en", title="")
    assert any(r.startswith("about the statement or event") for r in no_comment.reasons)


def test_a_surname_the_gazetteer_knows_is_the_person_the_article_named():
    claims = extract(
        "Douglas Bush, the Army's former acquisition chief, told Defense News that production reached "
        '40,000 shells a month. "We have more than tripled production since 2022," Bush said.\n\n'
        "Bush said 4 plants were new.",
        "en",
        title="",
    )
    assert [c.speaker for c in claims] == ["Douglas Bush"] * 3
    people = {e.text: e.canonical for c in claims for e in c.entities if e.label == "PERSON"}
    assert people == {"Douglas Bush": "Douglas Bush", "Bush": "Douglas Bush"}
