"""Rank CheckThat! 2020 Task 2 documents for each query with the product's own matcher."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.matching import matcher_new
from claims.nlp.matching_evaluation import evaluate


class Command(BaseCommand):
    help = ("MAP@1, MAP@5, success@10 and queries per second of claim matching on the CheckThat! 2020 "
            "Task 2 format: docs (id, vclaim, title), queries (id, text), qrels (query_id 0 doc_id 1); "
            "and the F1 of the suggestions (a document in a query's top 5 scoring at least the threshold) "
            "at the threshold and at the best one.")

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--docs", type=Path, required=True, help="TSV of fact-checked claims: id, vclaim, title")
        parser.add_argument("--queries", type=Path, required=True, help="TSV of queries: id, text")
        parser.add_argument("--qrels", type=Path, required=True, help="TREC qrels: query_id 0 doc_id 1")
        parser.add_argument("--lexical-only", action="store_true", help="words alone, without the encoder's vectors")
        parser.add_argument("--threshold", type=float, default=None,
                            help="the suggestion threshold to measure (default FACTCHECK_MATCH_THRESHOLD)")

    def handle(self, *args, docs: Path, queries: Path, qrels: Path, lexical_only: bool, threshold: float | None,
               **options) -> None:
        threshold = settings.FACTCHECK_MATCH_THRESHOLD if threshold is None else threshold
        if not 0.0 <= threshold <= 1.0:
            raise CommandError("--threshold must be between 0 and 1")
        for path in (docs, queries, qrels):
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
        matcher = matcher_new(with_vectors=not lexical_only)
        self.stdout.write(f"method {'vectors + words' if matcher.embed else 'words only'}")
        try:
            scores, at, best = evaluate(matcher, docs, queries, qrels, threshold)
        except (UnicodeDecodeError, IndexError, ValueError) as exc:
            raise CommandError(f"cannot read the files: {exc}") from exc
        self.stdout.write(f"queries {scores.queries}")
        self.stdout.write(f"queries per second {scores.queries_per_second:.0f}")
        self.stdout.write(f"MAP@1 {scores.map_1:.4f}")
        self.stdout.write(f"success@10 {scores.success_10:.4f}")
        for label, found in (("at the threshold", at), ("best threshold", best)):
            self.stdout.write(f"{label} {found.threshold:.2f}: F1 {found.f1:.4f} "
                              f"(precision {found.precision:.4f}, recall {found.recall:.4f})")
        # Last line is parsed by scripts: keep it exactly "MAP@5 <value>".
        self.stdout.write(f"MAP@5 {scores.map_5:.4f}")
