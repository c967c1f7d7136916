"""Attribution accuracy per language over the speaker cases.

Each line of the cases file (default tests/nlp/data/attribution_cases.jsonl) is one text
and the claims it must give, with who said each (speaker, role, kind), its hedge and how
it is attributed. This extracts every text and prints, per language, how many cases come
out exactly right and the accuracy of each field over the claims.

    python -m claims.nlp.evaluate_attribution [cases.jsonl]

A new case (a sentence the extractor gets wrong) goes into the file with what it must
give; tests/nlp/test_attribution_cases.py holds every case to it. A case it still gets
wrong may carry ``"known_miss": "<why>"``: the test then expects it to fail, and the
accuracy here counts it as the miss it is (the last column: how many known misses come
out right now). No Django here.

A case may carry ``"split": "heldout"``: cases kept aside to judge the attribution rules
on sentences their fixes never looked at (chosen by a hash of the text; see
tests/nlp/data/ATTRIBUTION_GUIDELINE.md). Every other case is ``dev``. Each language is
printed whole, then per split ("en dev", "en heldout"). ``--only TEXT`` keeps the cases
whose name contains TEXT (a batch, such as "b3").
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from . import extract
from .language import detect_language

CASES = Path(__file__).resolve().parents[2] / "tests" / "nlp" / "data" / "attribution_cases.jsonl"
# What a case expects of each claim, as the case file names it, and the claim's field.
FIELDS = {
    "text": "text",
    "speaker": "speaker",
    "role": "speaker_role",
    "kind": "speaker_kind",
    "hedge": "hedge",
    "attribution": "attribution",
}


def load_cases(path: Path = CASES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def claims_of(case: dict) -> list[dict]:
    """What the extractor gives for the case's text, in the case file's terms."""
    claims = extract(case["text"], case["language"], title=case["title"])
    return [{key: getattr(claim, name) for key, name in FIELDS.items()} for claim in claims]


def split_of(case: dict) -> str:
    return case.get("split") or "dev"


def evaluate(cases: Iterable[dict]) -> dict[str, dict[str, list[int]]]:
    """Per language, and per language and split ("en heldout"): [right, total] for whole
    cases and for each field over the claims (a claim missing or extra counts as wrong in
    every field)."""
    scores: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for case in cases:
        language = case["language"] or detect_language(case["text"])
        found = claims_of(case)
        expected = case["claims"]
        for tally in (scores[language], scores[f"{language} {split_of(case)}"]):
            tally["cases"][0] += found == expected
            tally["cases"][1] += 1
            if case.get("known_miss"):
                # A case marked as a known miss counts like any other; this says how
                # many there are, and how many of them now come out right.
                tally["known misses"][0] += found == expected
                tally["known misses"][1] += 1
            for i in range(max(len(found), len(expected))):
                got = found[i] if i < len(found) else None
                want = expected[i] if i < len(expected) else None
                for key in FIELDS:
                    if key == "text":
                        continue
                    tally[key][0] += got is not None and want is not None and got[key] == want[key]
                    tally[key][1] += 1
    return scores


def report(scores: dict[str, dict[str, list[int]]]) -> str:
    columns = ["cases", *(key for key in FIELDS if key != "text"), "known misses"]
    lines = ["language     " + " ".join(f"{c:>13}" for c in columns)]
    for language in sorted(scores):
        cells = []
        for column in columns:
            right, total = scores[language][column]
            cells.append(f"{right:>4}/{total:<4} {right / total:4.0%}" if total else f"{'-':>13}")
        lines.append(f"{language:<12} " + " ".join(f"{cell:>13}" for cell in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Attribution accuracy per language and split over the speaker cases."
    )
    parser.add_argument("cases", nargs="?", type=Path, default=CASES, help="cases file (JSONL)")
    parser.add_argument("--only", metavar="TEXT", help="only the cases whose name contains TEXT")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    cases = [c for c in load_cases(args.cases) if not args.only or args.only in c["case"]]
    if not cases:
        print("no cases", file=sys.stderr)
        return 1
    print(report(evaluate(cases)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
