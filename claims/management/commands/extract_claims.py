"""Show what the extractor makes of a file, or re-extract stored articles."""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from claims import nlp, selectors, services
from claims.ingest import IngestError, bytes_decode
from claims.models import Article


class Command(BaseCommand):
    help = (
        "Print the claims the extractor finds in FILE (spans are offsets into the file's text), "
        "or with --all queue re-extraction of stored articles; claims editors have worked on "
        "are never changed."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("--json", action="store_true", help="Print a JSON list.")
        parser.add_argument("--language", choices=["id", "en"], default=None)
        parser.add_argument("--all", action="store_true", help="Re-extract stored articles.")
        parser.add_argument("--since", default=None,
                            help="With --all: only articles added on or after this date (YYYY-MM-DD).")

    def handle(self, *args, file: Path | None, json: bool, language: str | None, all: bool,
               since: str | None, **options) -> None:
        if all == bool(file):
            raise CommandError("give either a FILE or --all")
        if all:
            self._reextract(since)
        else:
            self._show(file, as_json=json, language=language)

    def _topics(self) -> dict | None:
        """The editors' topics; the shipped ones when there is no database yet.

        Looking at a file needs no database: a new checkout can try the extractor before
        `make run` has created one.
        """
        try:
            return selectors.topic_keywords()
        except DatabaseError:
            self.stderr.write(
                "No database yet (run `make run` or `manage.py migrate`): using the shipped topics."
            )
            return None

    def _show(self, path: Path, *, as_json: bool, language: str | None) -> None:
        try:
            if path.stat().st_size > settings.FACTCHECK_IMPORT_MAX_BYTES:
                raise IngestError("the file is too large")
            text, _ = bytes_decode(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
        except IngestError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        claims = nlp.extract(text, language, topics=self._topics())
        if settings.FACTCHECK_SENTENCE_MODEL:
            claims = nlp.refine(claims)
        rows = [
            {
                "text": c.text, "start": c.start, "end": c.end, "score": round(c.score, 4),
                "type": c.claim_type, "topics": list(c.topics), "speaker": c.speaker,
                "entities": [e.as_dict() for e in c.entities], "reasons": list(c.reasons),
            }
            for c in claims
        ]
        if as_json:
            self.stdout.write(json_dumps(rows))
            return
        for claim, row in zip(claims, rows, strict=True):
            entities = ", ".join(sorted({e["canonical"] for e in row["entities"]})) or "-"
            speaker = ", ".join(filter(None, (claim.speaker, claim.speaker_role))) or "-"
            self.stdout.write(
                f"[{row['start']}:{row['end']}] {row['score']:.2f} {row['type']}"
                f" | speaker: {speaker} | topics: {', '.join(row['topics']) or '-'}\n"
                f"  {row['text']}\n  entities: {entities}\n  reasons: {'; '.join(row['reasons'])}"
            )
        self.stdout.write(f"{len(rows)} claims, extractor {nlp.EXTRACTOR_VERSION}")

    def _reextract(self, since: str | None) -> None:
        articles = Article.objects.order_by("pk")
        if since:
            moment = parse_datetime(since) or (
                datetime.combine(parse_date(since), time.min) if parse_date(since) else None
            )
            if moment is None:
                raise CommandError(f"--since {since!r} is not a date (YYYY-MM-DD)")
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            articles = articles.filter(created_at__gte=moment)
        count = 0
        for article in articles.iterator():
            services.article_job_queue(article=article)
            count += 1
        self.stdout.write(f"Queued {count} article(s) for extraction with {nlp.EXTRACTOR_VERSION}.")


def json_dumps(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)
