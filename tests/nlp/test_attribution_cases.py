"""The speaker cases: each text gives exactly the claims its line in
tests/nlp/data/attribution_cases.jsonl says, with their speaker, role, kind, hedge and
attribution. New cases go into that file; ``python -m claims.nlp.evaluate_attribution``
prints the accuracy per language over it."""

from __future__ import annotations

import hashlib
import json

import pytest

from claims.nlp.evaluate_attribution import claims_of, evaluate, load_cases, main, report

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
    miss = {
        **case,
        "known_miss": "a wrong expectation",
        "claims": [{**case["claims"][0], "speaker": "Someone Else"}],
    }
    scores = evaluate([case, miss])
    assert scores["en"]["cases"] == [1, 2]
    assert scores["en"]["known misses"] == [0, 1]
    assert "known misses" in report(scores)


def test_the_held_out_cases_were_chosen_by_their_text():
    """The held-out part of a batch is decided by a hash of the text, not by hand: a
    quarter, and exactly the cases the hash picks (tests/nlp/data/ATTRIBUTION_GUIDELINE.md)."""
    batch = [c for c in CASES if " b3 " in c["case"]]
    assert len([c for c in batch if c["language"] == "id"]) >= 110
    assert len([c for c in batch if c["language"] == "en"]) >= 110
    for case in batch:
        picked = int(hashlib.sha256(case["text"].encode()).hexdigest(), 16) % 4 == 0
        assert (case.get("split") == "heldout") == picked, case["case"]
    assert 0.15 < sum(c.get("split") == "heldout" for c in batch) / len(batch) < 0.35


def test_accuracy_is_printed_per_language_and_split(capsys, tmp_path):
    [case] = [c for c in CASES if c["case"] == "an_organisations_spokesman_speaks_for_the_organisation"]
    held = {
        **case,
        "case": "held b9",
        "split": "heldout",
        "claims": [{**case["claims"][0], "speaker": "Someone Else"}],
    }
    scores = evaluate([case, held])
    assert scores["en"]["cases"] == [1, 2]
    assert scores["en dev"]["cases"] == [1, 1]
    assert scores["en heldout"]["cases"] == [0, 1]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in (case, held)) + "\n", encoding="utf-8")
    assert main([str(path), "--only", "b9"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines[1:]] == [["en", "0/1"], ["en", "heldout"]]
    assert main([str(path), "--only", "no such batch"]) == 1
