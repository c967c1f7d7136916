"""Import article files (.txt: line 1 title, then body; .html) and folders of them.

An article's publication date is ``--published`` when given, else what the file says (the
HTML's metadata, or a date line near the top of a .txt file), else none: never today.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims import services
from claims.dates import date_line_parse, iso_parse
from claims.ingest import IngestError, file_read, paths_expand


def published_option(value: str) -> datetime:
    """``2025-10-20``, ``2025-10-20T14:30+07:00`` or a date line such as ``20 Okt 2025``."""
    moment = iso_parse(value) or date_line_parse(value)
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a publication date (use YYYY-MM-DD, optionally with a time)"
        )
    return moment


class Command(BaseCommand):
    help = "Import articles from .txt and .html files or folders, and extract their claims."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--outlet", default="", help="Outlet to record on every article.")
        parser.add_argument("--language", default=None, help="Language code (default: detect).")
        parser.add_argument(
            "--published", type=published_option, default=None, metavar="DATE",
            help="Publication date of every file of this run (YYYY-MM-DD, or with a time and "
                 "zone); without it, each file's own date (HTML metadata, a date line), if any.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, paths: list[Path], outlet: str, language: str | None,
               published: datetime | None, no_progress: bool, **options) -> None:
        missing = [p for p in paths if not p.exists()]
        for path in missing:
            self.stderr.write(self.style.ERROR(f"{path}: no such file or folder"))
        files = paths_expand([p for p in paths if p.exists()])
        counts = {"imported": 0, "skipped": 0, "failed": len(missing)}
        bar = tqdm(files, unit="file", disable=no_progress or not files, file=self.stderr, leave=False)
        for path in bar:
            status, message = self._import_one(path, outlet=outlet, language=language, published=published)
            counts[status] += 1
            style = {"imported": self.style.SUCCESS, "skipped": self.style.WARNING,
                     "failed": self.style.ERROR}[status]
            bar.write(style(f"{path}: {message}"), file=self.stdout)
        self.stdout.write(
            f"{counts['imported']} imported, {counts['skipped']} already there, "
            f"{counts['failed']} failed."
        )
        if counts["failed"] and not (counts["imported"] or counts["skipped"]):
            raise CommandError("nothing could be imported")

    def _import_one(self, path: Path, *, outlet: str, language: str | None,
                    published: datetime | None) -> tuple[str, str]:
        try:
            text = file_read(path, max_bytes=settings.FACTCHECK_IMPORT_MAX_BYTES)
            submission = services.article_submit(
                title=text.title, body=text.body, html=text.html, outlet=outlet,
                language=language, source_name=path.name, published_at=published or text.published_at,
            )
        except IngestError as exc:
            return "failed", f"not imported: {exc}"
        except ValidationError as exc:
            return "failed", "not imported: " + "; ".join(exc.messages)
        except OSError as exc:
            return "failed", f"not imported: cannot read it ({exc.strerror or exc})"
        article = submission.article
        if not submission.created:
            return "skipped", f"already there as article {article.pk}"
        job = submission.job
        job.refresh_from_db()
        note = f" (read as {text.encoding})" if text.encoding != "utf-8" else ""
        if job.is_due:  # the broker could not be reached; the sweep sends the job later
            note += "; its job is stored and will be sent to the workers when they can be reached"
        dated = f", published {article.published_at:%Y-%m-%d}" if article.published_at else ", no publication date"
        return "imported", (
            f"article {article.pk}, language {article.language}{dated}, extraction {job.status}"
            + (f", {job.claims_found} claims" if job.claims_found is not None else "")
            + note
        )
