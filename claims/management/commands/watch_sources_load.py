"""Load the starter list of watched sources (claims/data/watched_sources.json), or another
file of the same shape: the sources not here yet are added, switched off; a source already
here (same url) is kept exactly as the editors left it."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims import services


class Command(BaseCommand):
    help = ("Add the starter list of watched sources (switched off). Sources already here, by url, "
            "are kept as they are.")

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--file", type=Path, default=services.STARTER_SOURCES,
                            help="A JSON file: {\"sources\": [{\"name\", \"url\", \"kind\", \"language\", "
                                 "\"poll_minutes\", \"topics\": [slugs]}]} (default: the shipped starter list).")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            rows = services.starter_rows_read(file)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        report = services.starter_sources_load(rows=rows)
        for problem in report.problems:
            self.stderr.write(self.style.WARNING(problem))
        self.stdout.write(f"Watched sources: {len(report.created)} created (switched off), "
                          f"{len(report.kept)} kept as they were, {len(report.problems)} not loaded.")
        if report.created:
            self.stdout.write("Check each address and switch sources on in the desk: Watched sources.")
