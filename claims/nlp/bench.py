"""Throughput of the whole extraction job against a bare spaCy pipeline, per language.

For each language (and all together) it prints articles per second per core of:
- bare spaCy: ``spacy.blank`` with a sentencizer, the floor any pipeline starts from;
- ``extract``: the first pass alone (rules, entities, speakers, the scores ``extract``
  gives), batched as ``extract_many`` does for imports;
- the whole job: what an extraction job runs on each article, one at a time: ``extract``
  and then every further model pass (``refine``), the same functions
  claims.services.jobs.job_run calls, so that whatever models those passes run is timed.

"Per core" is per CPU second of this process (all its threads), so a pass that spreads
over several threads does not look faster than it costs. Each figure is the best of
several rounds, the runs taking turns. Peak memory is the process's whole resident peak.

A second table says where the whole job's time goes, per language: CPU milliseconds per
article of ``extract`` and of each further pass, and how many claims the check-worthiness
encoder read and how many the matching pass vectorised (the models' cost is per claim
read, about proportional to its tokens).

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

from . import extract, extract_many, refine, vectors, warm_up
from .datasets import datasets_dir

LANGUAGES = ("id", "en")
_REPEAT = 5
# Issue 19's goal for the whole job, on one core.
GOAL_ARTICLES_PER_CORE = 20.0
GOAL_RATIO = 0.05
GOAL_PEAK_MB = 600


def _load(root: Path) -> dict[str, list[str]]:
    return {
        lang: [p.read_text(encoding="utf-8") for p in sorted((root / f"articles-{lang}").glob("*.txt"))]
        for lang in LANGUAGES
    }


def _timed(*runs: Callable[[], int]) -> list[float]:
    """Least CPU time of each run over _REPEAT rounds, the runs taking turns in each round.

    Taking turns means a busy spell on the machine hits all alike, and the best round is
    the one least disturbed by anything else (as timeit does).
    """
    best = [float("inf")] * len(runs)
    for _ in range(_REPEAT):
        for i, run in enumerate(runs):
            start = time.process_time()
            run()
            best[i] = min(best[i], time.process_time() - start)
    return [max(b, 1e-9) for b in best]


# What the queue shows of an article (FACTCHECK_QUEUE_CUT, FACTCHECK_QUEUE_PER_ARTICLE):
# the job vectorises those claims (FACTCHECK_MATCH_MIN_SCORE and _PER_ARTICLE default to them).
QUEUE_CUT = 0.5
QUEUE_PER_ARTICLE = 3


# claims.selectors.ATTRIBUTED_BONUS: the queue ranks an attributed claim before the
# reporter's narration scoring up to this much more.
ATTRIBUTED_BONUS = 0.1


def queue_shown(claims: list) -> list:
    """The claims the queue shows of an article: the best few at or above the cut, in the
    queue's order (claims.selectors.review_queue_folded)."""
    def rank(claim) -> float:  # noqa: ANN001
        attributed = bool(claim.speaker or claim.speaker_role) and claim.speaker_kind != "group"
        return claim.score + (ATTRIBUTED_BONUS if attributed else 0.0)

    return sorted((c for c in claims if c.score >= QUEUE_CUT), key=lambda c: -rank(c))[:QUEUE_PER_ARTICLE]


def matching_vectors(claims: list) -> list:
    """The job's matching pass (claims.services.matching.article_claims_match): the matching
    encoder's vector of each claim the queue shows; the database writes are not timed."""
    encoder = vectors.load_default()
    if encoder is not None:
        encoder.embed([c.text for c in queue_shown(claims)])
    return claims


# The passes an extraction job runs after ``extract`` (claims.services.jobs.job_run), in order.
JOB_PASSES = (refine, matching_vectors)


def job(text: str, language: str) -> list:
    """One article through every pass an extraction job runs."""
    claims = extract(text, language)
    for further in JOB_PASSES:
        claims = further(claims)
    return claims


def _by_pass(items: list[str], language: str) -> tuple[list[float], dict[str, int]]:
    """Where the whole job's time goes: CPU seconds of ``extract`` and of each further pass
    over the articles (each the least over _REPEAT rounds), and what the models read:
    claims extracted, claims the check-worthiness encoder read (those ``refine`` gave a
    sentence probability), claims the matching pass vectorised (those the queue shows)."""
    best = [float("inf")] * (1 + len(JOB_PASSES))
    counts = {"claims": 0, "read": 0, "vectors": 0}
    for round_ in range(_REPEAT):
        spent = [0.0] * len(best)
        for text in items:
            start = time.process_time()
            claims = extract(text, language)
            spent[0] += time.process_time() - start
            for i, further in enumerate(JOB_PASSES, start=1):
                start = time.process_time()
                claims = further(claims)
                spent[i] += time.process_time() - start
            if round_ == 0:
                counts["claims"] += len(claims)
                counts["read"] += sum(c.sentence_probability is not None for c in claims)
                counts["vectors"] += len(queue_shown(claims)) if vectors.load_default() is not None else 0
        best = [min(b, s) for b, s in zip(best, spent, strict=True)]
    return best, counts


def _row(name: str, articles: int, seconds: tuple[float, float, float]) -> str:
    bare, first, whole = seconds
    return (
        f"{name:<4}{articles:>9}{articles / bare:>12.1f}{articles / first:>10.1f}{bare / first:>7.2f}"
        f"{articles / whole:>12.1f}{bare / whole:>7.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else datasets_dir()
    if root is None:
        print("no datasets directory found (set FACTCHECK_DATASETS)", file=sys.stderr)
        return 1
    texts = _load(root)
    bare = {lang: spacy.blank(lang) for lang in texts}
    for nlp in bare.values():
        nlp.add_pipe("sentencizer")
    for lang in texts:
        warm_up(lang)
        for text in texts[lang][:2]:
            job(text, lang)  # models load on first use: not in the timings

    timings: dict[str, tuple[float, float, float]] = {}
    claims: dict[str, int] = {}
    passes: dict[str, tuple[list[float], dict[str, int]]] = {}
    for lang, items in texts.items():
        if not items:
            continue
        claims[lang] = sum(len(job(text, lang)) for text in items)
        b, e, j = _timed(
            lambda lang=lang, items=items: sum(len(list(d.sents)) for d in bare[lang].pipe(items)),
            lambda lang=lang, items=items: sum(len(c) for c in extract_many(items, lang)),
            lambda lang=lang, items=items: sum(len(job(text, lang)) for text in items),
        )
        timings[lang] = (b, e, j)
        passes[lang] = _by_pass(items, lang)

    print(f"articles: {sum(len(v) for v in texts.values())} ({', '.join(f'{k}: {len(v)}' for k, v in texts.items())})")
    print("articles/s per core (per CPU second of this process); ratio: to bare spaCy")
    print(f"{'':<4}{'articles':>9}{'bare spaCy':>12}{'extract':>10}{'ratio':>7}{'whole job':>12}{'ratio':>7}")
    for lang, seconds in timings.items():
        print(_row(lang, len(texts[lang]), seconds))
    if len(timings) > 1:
        # The same work as the languages' runs together: their times add up.
        total = tuple(sum(t[i] for t in timings.values()) for i in range(3))
        print(_row("all", sum(len(texts[lang]) for lang in timings), total))  # type: ignore[arg-type]
    print("whole job: extract, then " + ", ".join(p.__name__ for p in JOB_PASSES) + f" ({sum(claims.values())} claims)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    names = ["extract", *(p.__name__ for p in JOB_PASSES)]
    print("where the whole job's time goes: CPU ms per article of each pass; what the models read")
    print(f"{'':<4}" + "".join(f"{n:>18}" for n in names) + f"{'claims':>8}{'read':>6}{'vectors':>9}")
    for lang, (spent, counts) in passes.items():
        n = len(texts[lang])
        print(f"{lang:<4}" + "".join(f"{1000 * s / n:>18.1f}" for s in spent)
              + f"{counts['claims']:>8}{counts['read']:>6}{counts['vectors']:>9}")
    print(f"peak memory: {peak_mb:.0f} MB")
    if "torch" in sys.modules:
        print("  (PyTorch is loaded: spaCy imports it wherever it is installed, about 220 MB the product "
              "does not use; measure in a venv without requirements-train.txt, as workers should run)")
    if timings:
        seconds = [sum(t[i] for t in timings.values()) for i in range(3)]
        articles = sum(len(texts[lang]) for lang in timings)
        per_core, ratio = articles / seconds[2], seconds[0] / seconds[2]
        met = per_core >= GOAL_ARTICLES_PER_CORE and ratio >= GOAL_RATIO and peak_mb < GOAL_PEAK_MB
        slowest = min(timings, key=lambda lang: len(texts[lang]) / timings[lang][2])
        print(
            f"goal: whole job >= {GOAL_ARTICLES_PER_CORE:g} articles/s per core, >= {GOAL_RATIO:g} of bare, "
            f"< {GOAL_PEAK_MB} MB over all articles: {'met' if met else 'not met'} "
            f"({per_core:.1f}, {ratio:.2f}, {peak_mb:.0f} MB; slowest language {slowest}: "
            f"{len(texts[slowest]) / timings[slowest][2]:.1f} articles/s per core)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
