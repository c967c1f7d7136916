"""Throughput of ``extract`` against a bare spaCy pipeline over the same articles, and of
the job's second pass (``refine``, the English sentence model) after it.

Run as ``python -m claims.nlp.bench [datasets-dir]``; the datasets directory defaults to
$FACTCHECK_DATASETS, ../shared/datasets next to the repository, or /work/shared/datasets.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from . import extract_many, refine, warm_up
from .datasets import datasets_dir
from .sentence_model import load_default as load_sentence_model

_REPEAT = 7


def _load(root: Path) -> dict[str, list[str]]:
    return {
        lang: [p.read_text(encoding="utf-8") for p in sorted((root / f"articles-{lang}").glob("*.txt"))]
        for lang in ("id", "en")
    }


def _timed(*runs: Callable[[], int]) -> list[tuple[float, int]]:
    """Best time of each run over _REPEAT rounds, the runs taking turns in each round.

    Taking turns means a busy spell on the machine hits both alike, and the best round is
    the one least disturbed by anything else (as timeit does).
    """
    best = [float("inf")] * len(runs)
    counts = [0] * len(runs)
    for _ in range(_REPEAT):
        for i, run in enumerate(runs):
            start = time.perf_counter()
            counts[i] = run()
            best[i] = min(best[i], time.perf_counter() - start)
    return list(zip(best, counts, strict=True))


def _bench_refine(texts: dict[str, list[str]], articles: int, bare_seconds: float, extract_seconds: float) -> None:
    """The second pass a job runs after ``extract``: the sentence model over English claims."""
    if load_sentence_model() is None:
        print("refine: the sentence model is not installed (onnxruntime, tokenizers)")
        return
    extracted = [claims for lang in texts for claims in extract_many(texts[lang], lang)]
    english = sum(1 for claims in extracted for c in claims if c.word_probability is not None)
    ((refine_seconds, _),) = _timed(lambda: sum(len(refine(claims)) for claims in extracted))
    total = extract_seconds + refine_seconds
    print(
        f"refine (sentence model):      {english / refine_seconds:8.1f} English claims/s ({english} claims)"
    )
    print(
        f"extract + refine:             {articles / total:8.1f} articles/s; "
        f"ratio to bare {bare_seconds / total:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else datasets_dir()
    if root is None:
        print("no datasets directory found (set FACTCHECK_DATASETS)", file=sys.stderr)
        return 1
    texts = _load(root)
    articles = sum(len(v) for v in texts.values())
    bare = {lang: spacy.blank(lang) for lang in texts}
    for nlp in bare.values():
        nlp.add_pipe("sentencizer")
    for lang in texts:
        warm_up(lang)

    def run_bare() -> int:
        return sum(len(list(doc.sents)) for lang, nlp in bare.items() for doc in nlp.pipe(texts[lang]))

    def run_extract() -> int:
        return sum(len(claims) for lang in texts for claims in extract_many(texts[lang], lang))

    run_bare()
    run_extract()
    (bare_seconds, bare_sentences), (ours_seconds, ours_sentences) = _timed(run_bare, run_extract)
    print(f"articles: {articles} ({', '.join(f'{k}: {len(v)}' for k, v in texts.items())})")
    print(
        f"bare spacy.blank+sentencizer: {articles / bare_seconds:8.1f} articles/s "
        f"{bare_sentences / bare_seconds:10.1f} sentences/s"
    )
    print(
        f"extract:                      {articles / ours_seconds:8.1f} articles/s "
        f"{ours_sentences / ours_seconds:10.1f} sentences/s (candidate claims)"
    )
    print(f"ratio extract/bare (articles/s): {bare_seconds / ours_seconds:.2f}")
    for lang in texts:
        # Per language: English includes the check-worthiness model's predictions.
        (lang_bare, _), (lang_ours, _) = _timed(
            lambda lang=lang: sum(1 for _ in bare[lang].pipe(texts[lang])),
            lambda lang=lang: len(extract_many(texts[lang], lang)),
        )
        print(f"  {lang}: ratio {lang_bare / lang_ours:.2f}")
    _bench_refine(texts, articles, bare_seconds, ours_seconds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
