"""Refit the rules' weights in patterns/scoring.json to the hand-labelled sentences."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.nlp.checkworthiness import load_default
from claims.nlp.datasets import datasets_dir
from claims.nlp.tuning import (
    FITTED_SETS,
    LABELS_DIR,
    REPORTED_SETS,
    SCORING_FILE,
    STRENGTH,
    agreement,
    blended_agreement,
    fit,
    leave_one_article_out,
    load_scoring,
    read_labels,
    write_scoring,
)


class Command(BaseCommand):
    help = (
        "Fit the rule weights (the Indonesian score, and the rules' share of the English one) "
        "to the labelled Indonesian sentences, pulled toward the hand-set priors; print how "
        "often the 0.5 cut agrees with every label set before and after."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--data", type=Path, help="datasets folder holding articles-id/ and articles-en/")
        parser.add_argument("--labels", type=Path, default=LABELS_DIR, help="folder of the label files")
        parser.add_argument("--out", type=Path, default=SCORING_FILE, help="scoring file to write")
        parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")

    def handle(self, *args, data: Path | None, labels: Path, out: Path, dry_run: bool, **options) -> None:
        folder = data or datasets_dir() or Path("/work/shared/datasets")
        needed = {f for _, _, f in FITTED_SETS + REPORTED_SETS if f != "seeds"}
        missing = sorted(name for name in needed if not (folder / name).is_dir())
        if missing:
            raise CommandError(f"{folder} has no {', '.join(missing)}: pass --data")
        scoring = load_scoring()
        priors = scoring.get("priors")
        if not priors:
            raise CommandError("scoring.json has no 'priors' to fit from")
        try:
            fitted_sets = {name: read_labels(name, lang, sub, folder, labels) for name, lang, sub in FITTED_SETS}
            reported_sets = {name: read_labels(name, lang, sub, folder, labels) for name, lang, sub in REPORTED_SETS}
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        sentences = [s for rows in fitted_sets.values() for s in rows]
        fitted = fit(sentences, priors)
        self.stdout.write(f"fitted on {len(sentences)} sentences of {len({s.article for s in sentences})} articles")
        for name, rows in fitted_sets.items():
            before, after = agreement(rows, scoring), agreement(rows, fitted)
            self.stdout.write(f"{name}: agreement {before:.3f} -> {after:.3f} ({len(rows)} sentences)")
        model = load_default()
        for name, rows in reported_sets.items():
            # English scores are the model's probability blended with the rules'.
            probabilities = [float(p) for p in model.predict_proba([s.text for s in rows])]
            weight = scoring["model_weight"]
            before = blended_agreement(rows, scoring, probabilities, weight)
            after = blended_agreement(rows, fitted, probabilities, weight)
            self.stdout.write(f"{name} (never fitted on): agreement {before:.3f} -> {after:.3f}")
        self.stdout.write(
            f"leave one article out: priors {agreement(sentences, priors):.3f}, "
            f"fitted {leave_one_article_out(sentences, priors, STRENGTH):.3f}"
        )
        changed = {n: (scoring["weights"].get(n), w) for n, w in fitted["weights"].items() if scoring["weights"].get(n) != w}
        if scoring["bias"] != fitted["bias"]:
            changed = {"bias": (scoring["bias"], fitted["bias"]), **changed}
        for name, (old, new) in changed.items():
            self.stdout.write(f"  {name}: {old} -> {new}")
        if dry_run:
            self.stdout.write("dry run: nothing written")
            return
        write_scoring(scoring, fitted, out)
        self.stdout.write(f"written to {out}" if changed else f"{out} already holds these weights")
