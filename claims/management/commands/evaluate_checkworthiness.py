"""Score a CheckThat! TSV with the shipped English check-worthiness scorer, or labelled
articles (``--articles``) with the whole extraction job."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.nlp.article_evaluation import ArticlesFileError, evaluate_articles, read_articles
from claims.nlp.checkworthiness import evaluate, load_scorer

DEFAULT_ARTICLES_DIR = Path(settings.BASE_DIR).parent / "shared" / "datasets"


class Command(BaseCommand):
    help = ("Precision, recall and F1 (positive class, 0.5 cut) of the check-worthiness model on a "
            "CheckThat! TSV; with --articles, top-3 precision and F1 at the cut per language over "
            "labelled articles, scored by the whole extraction job.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, nargs="?", help="TSV with Sentence_id, Text, class_label (Yes/No)")
        parser.add_argument("--articles", type=Path, help="JSONL of labelled articles or label rows "
                            "(claims/nlp/article_evaluation.py says the shapes)")
        parser.add_argument("--articles-dir", type=Path, action="append", default=[],
                            help="where label rows' articles are found, by file name (repeatable; "
                            f"default {DEFAULT_ARTICLES_DIR} and seeds/)")
        parser.add_argument("--cut", type=float, default=0.5, help="the score from which a claim counts as worth checking")

    def handle(self, *args, file: Path | None, articles: Path | None, **options) -> None:
        if articles is not None:
            self._articles(articles, options["articles_dir"], options["cut"])
            return
        if file is None:
            raise CommandError("give a CheckThat! TSV, or --articles FILE")
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

    def _articles(self, path: Path, folders: list[Path], cut: float) -> None:
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        roots = folders or [DEFAULT_ARTICLES_DIR, Path(settings.BASE_DIR) / "seeds"]
        try:
            items = read_articles(path, roots)
        except ArticlesFileError as exc:
            raise CommandError(f"{path}: {exc}") from None
        results = evaluate_articles(items, cut)
        overall = results.pop("all", None)
        for language, scores in sorted(results.items()):
            self.stdout.write(
                f"{language}: articles {scores.articles}, labels {scores.labels} ({scores.matched} found), "
                f"top-{3} precision {scores.top_precision:.4f}, at cut {cut}: precision {scores.precision:.4f}, "
                f"recall {scores.recall:.4f}, F1 {scores.f1:.4f}"
            )
        # Last line is parsed by scripts: keep it exactly "F1 <value>" (all languages together).
        self.stdout.write(f"F1 {overall.f1 if overall else 0.0:.4f}")
