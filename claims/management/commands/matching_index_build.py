"""Build the fact-checks' vector index file that every process searches (claims/nlp/ann.py)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from claims import services


class Command(BaseCommand):
    help = ("Build the fact-checks' approximate vector index (DATA_DIR/matching/) and switch every web "
            "process and worker to it; below FACTCHECK_MATCH_INDEX_MIN vectors, remove it (exact search).")

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--force", action="store_true",
                            help="build it even below FACTCHECK_MATCH_INDEX_MIN (processes still search exactly "
                                 "until there are that many)")

    def handle(self, *args, force: bool, **options) -> None:
        outcome = services.factcheck_index_build(force=force)
        self.stdout.write(outcome.message)
