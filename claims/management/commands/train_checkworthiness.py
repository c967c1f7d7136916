"""Retrain the English check-worthiness models: the word model on CheckThat! train.tsv +
dev.tsv, and with --sentence-model the sentence model (train.tsv, blend chosen on dev.tsv).

With --from-decisions, instead: refit the newsroom's layer over the shipped models from
the desk's decisions (claims.services.learning), switched in only when it measures better."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims import services
from claims.nlp import sentence_training
from claims.nlp.checkworthiness import (
    DATASET_SUBDIR,
    MODELS_DIR,
    BlendedModel,
    CheckworthinessModel,
    default_data_dir,
    evaluate,
    train,
)
from claims.nlp.sentence_model import SentenceModel


class Command(BaseCommand):
    help = "Train the check-worthiness model on CheckThat! 2024 English train.tsv and dev.tsv."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--data", type=Path, help="datasets folder (holding checkthat2024-en/) or that folder itself"
        )
        parser.add_argument("--out", type=Path, default=MODELS_DIR, help="where the weights are written")
        parser.add_argument(
            "--sentence-model",
            type=Path,
            metavar="BASE_DIR",
            help="also fine-tune the sentence model from this all-MiniLM-L6-v2 folder "
            "(needs requirements-train.txt: PyTorch, transformers, onnx; about 20 minutes)",
        )

        parser.add_argument(
            "--from-decisions",
            action="store_true",
            help="refit the newsroom's layer from the editors' decisions (published or sourced: worth "
            "checking; dismissed as not check-worthy or opinion: not) and switch it in if it is better",
        )

        parser.add_argument(
            "--rescore-open",
            action="store_true",
            help="with --from-decisions: when a new layer is switched in, score again the claims nobody "
            "has touched yet (otherwise they keep their scores until their article is extracted again)",
        )

    def handle(
        self, *args, data: Path | None, out: Path, sentence_model: Path | None, from_decisions: bool,
        rescore_open: bool, **options,
    ) -> None:
        if rescore_open and not from_decisions:
            raise CommandError("--rescore-open goes with --from-decisions")
        if from_decisions:
            self._from_decisions(rescore_open=rescore_open)
            return
        folder = default_data_dir() if data is None else data
        if (folder / DATASET_SUBDIR).is_dir():
            folder = folder / DATASET_SUBDIR
        paths = [folder / "train.tsv", folder / "dev.tsv"]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"missing training files: {', '.join(missing)}")
        if sentence_model is not None:
            if not (sentence_model / "config.json").is_file():
                raise CommandError(f"{sentence_model}: no encoder here (config.json missing)")
            missing = sentence_training.missing_requirements()
            if missing:
                raise CommandError(
                    f"the sentence model needs requirements-train.txt (missing: {', '.join(missing)})"
                )
        metrics = train(paths, out)
        for key, value in metrics.items():
            self.stdout.write(f"{key} {value}")
        words = CheckworthinessModel.load(out)
        model: BlendedModel | CheckworthinessModel = words
        if sentence_model is not None:
            for key, value in sentence_training.train(sentence_model, folder, out, log=self.stdout.write).items():
                self.stdout.write(f"sentence_{key} {value}")
            model = BlendedModel(words, SentenceModel.load(out))
        # dev-test is held out from training: report it, never tune on it.
        held_out = folder / "dev-test.tsv"
        if held_out.is_file():
            scores = evaluate(model, held_out)
            self.stdout.write(f"dev-test ({model}) precision {scores['precision']:.4f} recall {scores['recall']:.4f}")
            self.stdout.write(f"dev-test F1 {scores['f1']:.4f}")

    def _from_decisions(self, *, rescore_open: bool) -> None:
        outcome = services.layer_train(triggered_by="command: train_checkworthiness --from-decisions")
        if outcome.status == "refused":
            raise CommandError(outcome.message)
        self.stdout.write(outcome.message)
        if outcome.layer is not None:
            for name in ("old", "new"):
                f = outcome.layer.figures[name]
                self.stdout.write(
                    f"{name}: log-loss {f['log_loss']:.4f} precision {f['precision']:.4f} "
                    f"recall {f['recall']:.4f} F1 {f['f1']:.4f} ({f['n']} held-out decisions)"
                )
        if rescore_open and outcome.status == "switched":
            self.stdout.write(f"rescored {services.claims_rescore_open()} untouched claims with the new layer")
