"""Score a CheckThat! TSV with the shipped English check-worthiness scorer."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.nlp.checkworthiness import evaluate, load_scorer


class Command(BaseCommand):
    help = "Precision, recall and F1 (positive class, 0.5 cut) of the check-worthiness model on a CheckThat! TSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="TSV with Sentence_id, Text, class_label (Yes/No)")

    def handle(self, *args, file: Path, **options) -> None:
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        model = load_scorer()
        scores = evaluate(model, file)
        self.stdout.write(f"model {model}")
        self.stdout.write(f"sentences {scores['n']}")
        self.stdout.write(f"sentences per second {scores['sentences_per_second']:.0f}")
        self.stdout.write(f"precision {scores['precision']:.4f}")
        self.stdout.write(f"recall {scores['recall']:.4f}")
        # Last line is parsed by scripts: keep it exactly "F1 <value>".
        self.stdout.write(f"F1 {scores['f1']:.4f}")
