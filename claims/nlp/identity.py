"""The extractor's output, fingerprinted: proof that a refactor changed no claim.

Extracts claims from the seed article, the shared articles and texts generated from them
(sentences of the shared articles recombined with a fixed seed), and hashes every field of
every ``ExtractedClaim``. ``record`` writes the digests; ``check`` recomputes them and
names each group (and generated block) whose claims differ.

    python -m claims.nlp.identity record [--full] [--datasets DIR] [--out FILE]
    python -m claims.nlp.identity check  [--full] [--datasets DIR] [--digests FILE]

Without ``--full`` (what the test runs): the seed, ``articles-en``, ``articles-id`` and the
first QUICK_BLOCKS blocks of generated texts. With ``--full``: also ``articles-*-extra``
and all GENERATED_BLOCKS blocks (a few thousand texts). ``--dump FILE`` writes every claim
as JSON lines, to diff two runs by eye when a digest differs.

The datasets directory defaults to ``datasets_dir()`` (../shared/datasets beside the
checkout). No Django here.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from . import ExtractedClaim, extract_many
from .datasets import datasets_dir

_REPO = Path(__file__).resolve().parents[2]
DIGESTS = _REPO / "tests" / "nlp" / "data" / "claims_identity.json"
SEEDS = _REPO / "seeds"

ARTICLE_GROUPS = ("articles-en", "articles-id")
EXTRA_GROUPS = ("articles-en-extra", "articles-id-extra")
GENERATOR_SEED = 18
BLOCK = 100
QUICK_BLOCKS = 3
GENERATED_BLOCKS = 30

# A sentence break good enough for recombining: after . ! ? (and a closing quote), before
# whitespace. The generator only needs variety, not linguistics.
_SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?][\"”’)])|(?<=[.!?]))\s+")


# Floats are compared to this many decimal places: a model's probability may differ in its
# last bit on another machine (another BLAS), which is no change of the extractor's.
FLOAT_PLACES = 9


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, FLOAT_PLACES)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def claim_record(claim: ExtractedClaim) -> dict:
    """Every field of the claim, entities included, as plain JSON values."""
    return _rounded(dataclasses.asdict(claim))


def _digest(rows: list[list[dict]]) -> str:
    payload = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _articles(root: Path, group: str) -> list[tuple[str, str]]:
    """(name, text) of a folder's articles, in name order."""
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted((root / group).glob("*.txt"))]


def _seed_texts() -> list[tuple[str, str]]:
    seen = {}
    for folder in (SEEDS, _REPO.parent / "shared" / "seeds"):
        for p in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            seen.setdefault(p.name, p.read_text(encoding="utf-8"))
    return sorted(seen.items())


def _sentences(root: Path) -> dict[str, list[str]]:
    """Every body sentence of the shared articles (the evaluation sets), per language."""
    pools: dict[str, list[str]] = {}
    for lang in ("en", "id"):
        pool = pools.setdefault(lang, [])
        for group in (f"articles-{lang}", f"articles-{lang}-extra"):
            for _, text in _articles(root, group):
                body = text.split("\n", 2)[-1]
                for paragraph in body.split("\n"):
                    pool.extend(s.strip() for s in _SENTENCE_BREAK.split(paragraph) if len(s.strip()) > 1)
    return pools


def generated_texts(root: Path, count: int, seed: int = GENERATOR_SEED) -> list[tuple[str, str | None, str]]:
    """``count`` texts as (name, language or None to detect, text), text i depending only on
    ``seed`` and i: English, Indonesian, or mixed; one to four paragraphs of sentences drawn
    from the shared articles, sometimes with a title line, sometimes a sentence quoted."""
    pools = _sentences(root)
    texts = []
    for i in range(count):
        rng = random.Random(f"{seed}:{i}")
        kind = rng.choice(("en", "id", "mixed", "detect"))
        lang = kind if kind in ("en", "id") else rng.choice(("en", "id"))
        paragraphs = []
        for _ in range(rng.randint(1, 4)):
            sentences = []
            for _ in range(rng.randint(1, 5)):
                source = rng.choice(("en", "id")) if kind == "mixed" else lang
                sentence = rng.choice(pools[source])
                if rng.random() < 0.1:
                    sentence = f"\u201c{sentence}\u201d"
                sentences.append(sentence)
            paragraphs.append(" ".join(sentences))
        body = "\n\n".join(paragraphs)
        if rng.random() < 0.5:
            body = rng.choice(pools[lang]).rstrip(".") + "\n\n" + body
        texts.append((f"generated_{i:05d}", lang if kind in ("en", "id") else None, body))
    return texts


def _run(items: list[tuple[str, str | None, str]]) -> list[list[dict]]:
    """Claims of each text; texts sharing a language hint go through extract_many together."""
    out: list[list[dict] | None] = [None] * len(items)
    by_hint: dict[str | None, list[int]] = {}
    for i, (_, hint, _) in enumerate(items):
        by_hint.setdefault(hint, []).append(i)
    for hint, indices in by_hint.items():
        results = extract_many([items[i][2] for i in indices], hint)
        for i, claims in zip(indices, results, strict=True):
            out[i] = [claim_record(c) for c in claims]
    return out  # type: ignore[return-value]


def groups(root: Path, full: bool) -> Iterator[tuple[str, list[tuple[str, str | None, str]]]]:
    """(group name, texts) in a fixed order: what ``record`` and ``check`` fingerprint."""
    yield "seed", [(name, None, text) for name, text in _seed_texts()]
    for group in ARTICLE_GROUPS + (EXTRA_GROUPS if full else ()):
        lang = group.split("-")[1]
        yield group, [(name, lang, text) for name, text in _articles(root, group)]
    blocks = GENERATED_BLOCKS if full else QUICK_BLOCKS
    generated = generated_texts(root, blocks * BLOCK)
    for b in range(blocks):
        yield f"generated-{b:02d}", generated[b * BLOCK : (b + 1) * BLOCK]


def fingerprint(root: Path, full: bool, dump: Path | None = None) -> dict[str, dict]:
    """Per group: how many texts and claims, and the digest of all their fields."""
    result = {}
    sink = dump.open("w", encoding="utf-8") if dump else None
    try:
        for name, items in groups(root, full):
            rows = _run(items)
            result[name] = {
                "texts": len(items),
                "claims": sum(len(r) for r in rows),
                "sha256": _digest(rows),
            }
            if sink:
                for (text_name, _, _), claims in zip(items, rows, strict=True):
                    for claim in claims:
                        sink.write(
                            json.dumps({"group": name, "text": text_name, **claim}, ensure_ascii=False) + "\n"
                        )
    finally:
        if sink:
            sink.close()
    return result


def differences(expected: dict[str, dict], actual: dict[str, dict]) -> list[str]:
    """One line per group whose fingerprint differs (groups only one side has are skipped)."""
    return [
        f"{name}: expected {expected[name]}, got {actual[name]}"
        for name in actual
        if name in expected and expected[name] != actual[name]
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m claims.nlp.identity", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("record", "check"))
    parser.add_argument(
        "--full", action="store_true", help="also the extra articles and all generated blocks"
    )
    parser.add_argument("--datasets", type=Path, default=None)
    parser.add_argument("--digests", "--out", dest="digests", type=Path, default=DIGESTS)
    parser.add_argument("--dump", type=Path, default=None, help="write every claim as JSON lines")
    args = parser.parse_args(argv)
    root = args.datasets or datasets_dir()
    if root is None:
        print("no datasets directory: pass --datasets or set FACTCHECK_DATASETS", file=sys.stderr)
        return 2
    actual = fingerprint(root, args.full, args.dump)
    if args.command == "record":
        known = json.loads(args.digests.read_text()) if args.digests.exists() else {}
        known.update(actual)
        args.digests.parent.mkdir(parents=True, exist_ok=True)
        args.digests.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n")
        print(
            f"recorded {len(actual)} groups, {sum(g['claims'] for g in actual.values())} claims -> {args.digests}"
        )
        return 0
    expected = json.loads(args.digests.read_text())
    missing = [name for name in actual if name not in expected]
    diffs = differences(expected, actual)
    for line in diffs:
        print("DIFFERS", line)
    for name in missing:
        print("NOT RECORDED", name)
    texts = sum(g["texts"] for g in actual.values())
    claims = sum(g["claims"] for g in actual.values())
    if diffs or missing:
        return 1
    print(f"identical: {len(actual)} groups, {texts} texts, {claims} claims")
    return 0


if __name__ == "__main__":
    sys.exit(main())
