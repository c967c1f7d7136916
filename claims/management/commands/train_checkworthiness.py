"""Retrain the English check-worthiness model on CheckThat! train.tsv + dev.tsv."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.nlp.checkworthiness import (
    DATASET_SUBDIR,
    MODELS_DIR,
    CheckworthinessModel,
    default_data_dir,
    evaluate,
    train,
)


class Command(BaseCommand):
    help = "Train the check-worthiness model on CheckThat! 2024 English train.tsv and dev.tsv."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--data", type=Path, help="datasets folder (holding checkthat2024-en/) or that folder itself"
        )
        parser.add_argument("--out", type=Path, default=MODELS_DIR, help="where the weights are written")

    def handle(self, *args, data: Path | None, out: Path, **options) -> None:
        folder = default_data_dir() if data is None else data
        if (folder / DATASET_SUBDIR).is_dir():
            folder = folder / DATASET_SUBDIR
        paths = [folder / "train.tsv", folder / "dev.tsv"]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"missing training files: {', '.join(missing)}")
        metrics = train(paths, out)
        for key, value in metrics.items():
            self.stdout.write(f"{key} {value}")
        # dev-test is held out from training: report it, never tune on it.
        held_out = folder / "dev-test.tsv"
        if held_out.is_file():
            scores = evaluate(CheckworthinessModel.load(out), held_out)
            self.stdout.write(f"dev-test precision {scores['precision']:.4f} recall {scores['recall']:.4f}")
            self.stdout.write(f"dev-test F1 {scores['f1']:.4f}")
