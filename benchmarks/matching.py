"""Speed, memory and recall of claim matching's search (claims.nlp.matching.Matcher) as the
product runs it, both ways: exact cosine search over one packed float32 array in each
process, and the approximate index file every process maps (claims/nlp/ann.py, usearch's
HNSW, float16), which the product uses from FACTCHECK_MATCH_INDEX_MIN fact-checks on.

    .venv/bin/python benchmarks/matching.py [--sizes 100000 1000000] [--queries 300] [--no-words] [--random]

For each size: the documents' vectors, 384 dimensions like the encoder's, drawn with most
of their spread in a few directions as a sentence encoder's are (``--random``: isotropic
random unit vectors, the worst case for a graph index, where every neighbour is about as
far as any other); each query is a document's vector moved as far as a paraphrase moves it
(cosine about 0.85 with it). Printed for each path: search time p50/p99 (vectors alone, then
with the words' BM25 pooled in as the product does), the memory the vectors take in the
process (resident set growth; for the index, how much of it is the mapped file, which the
page cache shares between every process on the machine), the build time, and the index's
recall@10 against exact search (the share of exact search's ten best it also returns).
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.nlp.ann import VectorFile  # noqa: E402
from claims.nlp.matching import LexicalIndex, Matcher  # noqa: E402

DIMENSIONS = 384
P99_GOAL_MS = 50.0
LEXICAL_WEIGHT = 0.2  # the product's default (FACTCHECK_MATCH_LEXICAL_WEIGHT)


def sentences() -> list[str]:
    for folder in (ROOT.parent / "shared" / "datasets", ROOT / "seeds"):
        texts = [line.strip() for path in sorted(folder.rglob("*.txt")) for line in
                 path.read_text(encoding="utf-8", errors="replace").split(".") if len(line.split()) > 5]
        if texts:
            return texts
    return ["Korea Utara memasok satu juta peluru artileri ke Rusia pada 2023"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_mb() -> tuple[float, float]:
    """This process's resident memory now: (all of it, the part that maps files) (Linux)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    kb = {name: int(fields[name].split()[0]) for name in ("VmRSS", "RssFile", "RssShmem")}
    return kb["VmRSS"] / 1024, (kb["RssFile"] + kb["RssShmem"]) / 1024


def unit(rng: np.random.Generator, n: int, *, random: bool) -> np.ndarray:
    out = rng.standard_normal((n, DIMENSIONS), dtype=np.float32)
    if not random:
        out *= np.arange(1, DIMENSIONS + 1, dtype=np.float32) ** -0.75
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


class FileSource:
    """The index file, answering by matcher positions (here the key is the position)."""

    def __init__(self, file: VectorFile) -> None:
        self.file = file

    def nearest(self, vector: np.ndarray, count: int) -> list[tuple[int, float]]:
        keys, cosines = self.file.nearest(vector, count)
        return list(zip(keys.tolist(), cosines.tolist(), strict=True))

    def cosines(self, positions: list[int], vector: np.ndarray) -> list[float]:
        return self.file.cosines(positions, vector).tolist()


def timed(matcher: Matcher, queries: list[str], vectors: np.ndarray) -> tuple[float, float, list[list[int]]]:
    took, found = [], []
    for text, vector in zip(queries, vectors, strict=True):
        started = time.perf_counter()
        hits = matcher.search(text, k=10, query_vector=vector)
        took.append((time.perf_counter() - started) * 1000)
        found.append([hit.position for hit in hits])
    took.sort()
    return statistics.median(took), took[min(len(took) - 1, int(len(took) * 0.99))], found


def recall(found: list[list[int]], exact: list[list[int]]) -> float:
    return float(np.mean([len(set(a) & set(b)) / max(1, len(b)) for a, b in zip(found, exact, strict=True)]))


def line(label: str, p50: float, p99: float, goal: bool) -> str:
    met = "" if not goal else (" (under 50 ms: met)" if p99 < P99_GOAL_MS else " (under 50 ms: NOT met)")
    return f"    {label:34}: p50 {p50:6.1f} ms, p99 {p99:6.1f} ms{met}"


def run(size: int, n_queries: int, *, words: bool, random: bool, folder: Path) -> None:
    rng = np.random.default_rng(21)
    documents = unit(rng, size, random=random)
    picked = rng.integers(0, size, n_queries)
    query_vectors = documents[picked] + 0.6 * unit(rng, n_queries, random=random)
    query_vectors /= np.linalg.norm(query_vectors, axis=1, keepdims=True)
    texts = sentences()
    queries = [texts[(i * 7919) % len(texts)] for i in range(n_queries)]
    print(f"{size:,} documents ({'random' if random else 'encoder-like'} vectors), {n_queries} queries:")

    gc.collect()
    before, _ = memory_mb()
    started = time.perf_counter()
    exact = Matcher(embed=lambda batch: None, lexical_weight=0.0)
    exact.add([""] * size, vectors=documents)
    built = time.perf_counter() - started
    exact_memory = memory_mb()[0] - before
    p50, p99, exact_found = timed(exact, queries, query_vectors)
    print(f"  exact search, float32 in every process: memory {exact_memory:,.0f} MB a process; "
          f"built in {built:.1f} s")
    print(line("vectors", p50, p99, size <= 100_000))

    pointer = folder / f"bench-{size}.json"
    started = time.perf_counter()
    VectorFile.build(pointer, keys=np.arange(size, dtype=np.uint64), vectors=documents, covers_until=0)
    built = time.perf_counter() - started
    del documents
    gc.collect()
    before, before_file = memory_mb()
    file = VectorFile.open(pointer, dimensions=DIMENSIONS)
    index = Matcher(embed=lambda batch: None, lexical_weight=0.0)
    index.add([""] * size, held=False)
    index.source = FileSource(file)
    p50, p99, index_found = timed(index, queries, query_vectors)
    after, after_file = memory_mb()
    on_disk = sum(p.stat().st_size for p in folder.glob(f"bench-{size}-*.usearch")) / 1024 / 1024
    print(f"  index file, usearch HNSW float16, mapped: file {on_disk:,.0f} MB; resident growth "
          f"{after - before:,.0f} MB ({after_file - before_file:,.0f} MB of it the mapped file, shared); "
          f"built in {built:.1f} s")
    print(line("vectors", p50, p99, True) + f"; recall@10 against exact {recall(index_found, exact_found):.3f}")

    if words:
        lexical = LexicalIndex()
        for i in range(size):
            lexical.add(f"{texts[i % len(texts)]} {i}")
        for matcher in (exact, index):
            matcher.lexical = lexical
            matcher.lexical_weight = LEXICAL_WEIGHT
        p50, p99, exact_found = timed(exact, queries, query_vectors)
        print(line("exact, vectors + words", p50, p99, size <= 100_000))
        p50, p99, index_found = timed(index, queries, query_vectors)
        print(line("index, vectors + words", p50, p99, True)
              + f"; recall@10 against exact {recall(index_found, exact_found):.3f}")
    print(f"  (process peak so far {peak_mb():,.0f} MB)")
    del exact, index, file
    gc.collect()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-words", action="store_true", help="vectors only")
    parser.add_argument("--random", action="store_true", help="isotropic random vectors (the worst case)")
    args = parser.parse_args(argv)
    print("Claim matching: exact search against the index file (the product switches at "
          "FACTCHECK_MATCH_INDEX_MIN fact-checks)")
    with tempfile.TemporaryDirectory(prefix="matching-bench-") as folder:
        for size in args.sizes:
            run(size, args.queries, words=not args.no_words, random=args.random, folder=Path(folder))


if __name__ == "__main__":
    main()
