"""Claim matching measured on CheckThat! 2020 Task 2's format (docs, queries, qrels).

docs: a TSV with a header, id then ``vclaim`` then ``title``; queries: id then text;
qrels: TREC lines ``query_id 0 doc_id 1``. The docs are ranked for each query by
``Matcher.search``, the product's own search.

The suggestion threshold is measured the way it was chosen: a document in a query's top 5
scoring at least the threshold is a suggestion; it is right when it is the query's
fact-check. Precision over suggestions, recall over the fact-checks there are to find.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .matching import Matcher

csv.field_size_limit(sys.maxsize)


def tsv_read(path: Path) -> list[list[str]]:
    """Rows after the header; quoted fields may hold tabs and doubled quotes."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    return [row for row in rows[1:] if row and row[0].strip()]


def docs_read(path: Path) -> tuple[list[str], list[str]]:
    """Document ids and the text each is matched on: the claim, then its title."""
    ids, texts = [], []
    for row in tsv_read(path):
        ids.append(row[0].strip())
        texts.append(" ".join(part.strip() for part in row[1:3] if part.strip()))
    return ids, texts


def queries_read(path: Path) -> dict[str, str]:
    return {row[0].strip(): row[1] for row in tsv_read(path) if len(row) > 1}


def qrels_read(path: Path) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[3] != "0":
            relevant[parts[0]].add(parts[2])
    return dict(relevant)


def average_precision_at(ranked: list[str], relevant: set[str], k: int) -> float:
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k) if relevant else 0.0


@dataclass(frozen=True)
class MatchingScores:
    map_1: float
    map_5: float
    success_10: float
    queries: int
    queries_per_second: float


SUGGESTED_FROM_TOP = 5


@dataclass(frozen=True)
class ThresholdScores:
    threshold: float
    precision: float
    recall: float
    f1: float


def rankings(matcher: Matcher, doc_ids: list[str], queries: dict[str, str],
             k: int = 10) -> dict[str, list[tuple[str, float]]]:
    """Each query's best ``k`` documents with their scores, best first."""
    return {qid: [(doc_ids[hit.position], hit.score) for hit in matcher.search(text, k=k)]
            for qid, text in queries.items()}


def at_threshold(ranked: dict[str, list[tuple[str, float]]], qrels: dict[str, set[str]],
                 threshold: float) -> ThresholdScores:
    """Precision, recall and F1 of the suggestions a threshold makes (see the module)."""
    judged = [qid for qid in ranked if qid in qrels]
    right = wrong = 0
    for qid in judged:
        for doc, score in ranked[qid][:SUGGESTED_FROM_TOP]:
            if score >= threshold:
                right += doc in qrels[qid]
                wrong += doc not in qrels[qid]
    wanted = sum(len(qrels[qid]) for qid in judged)
    precision = right / (right + wrong) if right + wrong else 0.0
    recall = right / wanted if wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ThresholdScores(threshold, precision, recall, f1)


def best_threshold(ranked: dict[str, list[tuple[str, float]]], qrels: dict[str, set[str]]) -> ThresholdScores:
    """The threshold (0.20 to 0.95, in steps of 0.01) with the best F1; the lowest of equals."""
    grid = [step / 100 for step in range(20, 96)]
    return max((at_threshold(ranked, qrels, t) for t in grid), key=lambda scores: (scores.f1, -scores.threshold))


def measure(ranked: dict[str, list[str]], qrels: dict[str, set[str]], seconds: float) -> MatchingScores:
    judged = [qid for qid in ranked if qid in qrels]
    n = len(judged) or 1
    return MatchingScores(
        map_1=sum(average_precision_at(ranked[q], qrels[q], 1) for q in judged) / n,
        map_5=sum(average_precision_at(ranked[q], qrels[q], 5) for q in judged) / n,
        success_10=sum(bool(set(ranked[q][:10]) & qrels[q]) for q in judged) / n,
        queries=len(judged),
        queries_per_second=len(ranked) / seconds if seconds > 0 else float("inf"),
    )


def evaluate(matcher: Matcher, docs: Path, queries: Path, qrels: Path,
             threshold: float) -> tuple[MatchingScores, ThresholdScores, ThresholdScores]:
    """The ranking's measures, the suggestions at ``threshold``, and the best threshold."""
    doc_ids, texts = docs_read(docs)
    matcher.add(texts)
    asked = queries_read(queries)
    relevant = qrels_read(qrels)
    started = time.perf_counter()
    ranked = rankings(matcher, doc_ids, asked)
    seconds = time.perf_counter() - started
    scores = measure({qid: [doc for doc, _score in found] for qid, found in ranked.items()}, relevant, seconds)
    return scores, at_threshold(ranked, relevant, threshold), best_threshold(ranked, relevant)
