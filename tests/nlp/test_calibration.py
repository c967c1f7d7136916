"""Indonesian scores against sentences labelled by hand (tests/nlp/fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

from claims.nlp import extract

LABELS = Path(__file__).resolve().parent / "fixtures" / "checkworthy_id.jsonl"
# Rules, not a trained model: the bar is that the 0.5 cut agrees with an editor on most.
MIN_ACCURACY = 0.8


def test_half_is_a_sensible_cut(datasets):
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    claims_by_file = {}
    correct = []
    for row in rows:
        if row["file"] not in claims_by_file:
            text = (datasets / "articles-id" / row["file"]).read_text(encoding="utf-8")
            claims_by_file[row["file"]] = extract(text)
        matches = [c for c in claims_by_file[row["file"]] if c.text.startswith(row["start"])]
        assert len(matches) == 1, row
        correct.append((matches[0].score >= 0.5) == row["checkworthy"])
    assert sum(correct) / len(correct) >= MIN_ACCURACY, [
        r["start"] for r, ok in zip(rows, correct, strict=True) if not ok
    ]
