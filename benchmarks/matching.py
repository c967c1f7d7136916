"""Speed and memory of claim matching's search (claims.nlp.matching.Matcher), as the product
runs it: exact cosine search over one packed float32 array, pooled with the words' BM25.

    .venv/bin/python benchmarks/matching.py [--sizes 100000 1000000] [--queries 300]

For each size: the documents' vectors (random unit vectors of the encoder's 384 dimensions,
as costly to search as real ones) and texts (sentences of the shared articles, each with its
own number so that no two are alike), then the time of one search (p50, p99), with and
without the words, and the process's memory. The search is exact, so its recall@10
against exact search is 1 by construction; the line says so rather than measuring it.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.nlp.matching import Matcher  # noqa: E402

DIMENSIONS = 384
P99_GOAL_MS = 50.0


def sentences() -> list[str]:
    for folder in (ROOT.parent / "shared" / "datasets", ROOT / "seeds"):
        texts = [line.strip() for path in sorted(folder.rglob("*.txt")) for line in
                 path.read_text(encoding="utf-8", errors="replace").split(".") if len(line.split()) > 5]
        if texts:
            return texts
    return ["Korea Utara memasok satu juta peluru artileri ke Rusia pada 2023"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_mb() -> float:
    """This process's resident memory now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1024 / 1024


def unit(rng: np.random.Generator, n: int) -> np.ndarray:
    vectors = rng.standard_normal((n, DIMENSIONS), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def timed(matcher: Matcher, queries: list[str], vectors: np.ndarray) -> tuple[float, float]:
    took = []
    for text, vector in zip(queries, vectors, strict=True):
        started = time.perf_counter()
        matcher.search(text, k=10, query_vector=vector)
        took.append((time.perf_counter() - started) * 1000)
    took.sort()
    return statistics.median(took), took[min(len(took) - 1, int(len(took) * 0.99))]


def run(size: int, n_queries: int, words: bool) -> None:
    rng = np.random.default_rng(21)
    texts = sentences()
    matcher = Matcher(embed=lambda batch: unit(rng, len(batch)), lexical_weight=0.2 if words else 0.0)
    gc.collect()
    before = resident_mb()
    started = time.perf_counter()
    chunk = 50_000
    for start in range(0, size, chunk):
        count = min(chunk, size - start)
        batch = [f"{texts[(start + i) % len(texts)]} {start + i}" for i in range(count)] if words else [""] * count
        matcher.add(batch, vectors=unit(rng, count))
    built = time.perf_counter() - started
    queries = [texts[(i * 7919) % len(texts)] for i in range(n_queries)]
    p50, p99 = timed(matcher, queries, unit(rng, n_queries))
    goal = "" if size > 100_000 else (" (goal: p99 under 50 ms: met)" if p99 < P99_GOAL_MS else " (goal: p99 under 50 ms: NOT met)")
    what = "vectors + words" if words else "vectors only"
    print(f"{size:>9,} documents, {what:15}: search p50 {p50:6.1f} ms, p99 {p99:6.1f} ms{goal}; "
          f"built in {built:5.1f} s; index memory {resident_mb() - before:,.0f} MB (process peak {peak_mb():,.0f} MB)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-words", action="store_true", help="vectors only, for the largest sizes")
    args = parser.parse_args(argv)
    print("Claim matching: exact search on one packed float32 array (recall@10 against exact search: "
          "1.000, by construction)")
    for size in args.sizes:
        run(size, args.queries, words=False)
        if not args.no_words:
            run(size, args.queries, words=True)


if __name__ == "__main__":
    main()
