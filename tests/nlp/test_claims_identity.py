"""The extractor's claims are what the committed digests say, field for field.

A refactor of claims/nlp must leave every claim identical (issue 18). This runs the quick
half of ``python -m claims.nlp.identity check``: the seed, the shared evaluation articles
and the first blocks of generated texts. A change meant to alter claims re-records with
``python -m claims.nlp.identity record --full`` and says why in its commit.
"""

from __future__ import annotations

import json

import pytest

from claims.nlp import identity
from claims.nlp.datasets import datasets_dir


@pytest.fixture(scope="module")
def root():
    found = datasets_dir()
    if found is None or not (found / "articles-en").is_dir():
        pytest.skip("shared datasets not available")
    return found


def test_claims_identical_to_recorded_digests(root):
    expected = json.loads(identity.DIGESTS.read_text())
    actual = identity.fingerprint(root, full=False)
    assert set(actual) <= set(expected), "groups never recorded"
    assert actual["seed"]["claims"] > 0 and all(g["texts"] > 0 for g in actual.values())
    assert identity.differences(expected, actual) == []


def test_generated_texts_depend_only_on_seed_and_index(root):
    few = identity.generated_texts(root, 5)
    more = identity.generated_texts(root, 50)
    assert more[:5] == few
    assert identity.generated_texts(root, 5, seed=identity.GENERATOR_SEED + 1) != few


def test_check_names_a_changed_claim(root, monkeypatch):
    """The check is not blind: one changed field in one claim makes its group differ."""
    recorded = identity.fingerprint(root, full=False)
    original = identity.claim_record

    def nudged(claim):
        row = original(claim)
        if claim.text.startswith("Pemimpin Korea Utara"):
            row["speaker_role"] = "nudged"
        return row

    monkeypatch.setattr(identity, "claim_record", nudged)
    changed = identity.fingerprint(root, full=False)
    assert [line.split(":")[0] for line in identity.differences(recorded, changed)] == ["seed"]
