"""The speaker cases: each text gives exactly the claims its line in
tests/nlp/data/attribution_cases.jsonl says, with their speaker, role, kind, hedge and
attribution. New cases go into that file; ``python -m claims.nlp.evaluate_attribution``
prints the accuracy per language over it."""

from __future__ import annotations

import pytest

from claims.nlp.evaluate_attribution import claims_of, evaluate, load_cases, report

CASES = load_cases()


def _param(case: dict):
    """A case marked ``known_miss`` (what the extractor still gets wrong, and why) must
    fail: strictly, so that fixing it means removing the mark."""
    marks = [pytest.mark.xfail(strict=True, reason=case["known_miss"])] if case.get("known_miss") else []
    return pytest.param(case, id=case["case"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case):
    assert claims_of(case) == case["claims"]


def test_the_cases_cover_both_languages_and_name_speakers():
    """The data set is no empty shell: both languages, and most cases name someone."""
    languages = {c["language"] for c in CASES}
    assert {"en", "id"} <= languages
    named = sum(1 for c in CASES if any(claim["speaker"] for claim in c["claims"]))
    assert len(CASES) >= 300 and named > len(CASES) // 2


def test_accuracy_counts_a_wrong_speaker_against_its_language():
    [case] = [c for c in CASES if c["case"] == "an_organisations_spokesman_speaks_for_the_organisation"]
    wrong = {**case, "claims": [{**case["claims"][0], "speaker": "Someone Else"}]}
    scores = evaluate([case, wrong])
    assert scores["en"]["cases"] == [1, 2]
    assert scores["en"]["speaker"] == [1, 2]
    assert scores["en"]["role"] == [2, 2]
    assert "en" in report(scores)


def test_a_known_miss_is_counted_as_a_miss_and_reported():
    [case] = [c for c in CASES if c["case"] == "an_organisations_spokesman_speaks_for_the_organisation"]
    miss = {**case, "known_miss": "a wrong expectation", "claims": [{**case["claims"][0], "speaker": "Someone Else"}]}
    scores = evaluate([case, miss])
    assert scores["en"]["cases"] == [1, 2]
    assert scores["en"]["known misses"] == [0, 1]
    assert "known misses" in report(scores)
