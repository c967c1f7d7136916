"""Import fact-checks published elsewhere: DataFeed or ClaimReview JSON files, fact-check
pages saved as HTML, or the address of either (fetched through the outbound guard)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims import services
from claims.ingest import IngestError, bytes_decode, file_bytes_read

# A DataFeed of a newsroom's whole archive fits; anything larger is not one.
MAX_FILE_BYTES = 200 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import fact-checks from DataFeed / ClaimReview JSON files, saved fact-check pages "
        "(.html) or their URLs. Known by URL: importing again updates, never doubles."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("sources", nargs="+", metavar="FILE|URL")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, sources: list[str], no_progress: bool, **options) -> None:
        total = services.FactCheckImport()
        unreadable = 0
        for source in sources:
            try:
                items, problems = self._read(source)
            except services.FactCheckSourceError as exc:
                self.stderr.write(self.style.ERROR(f"{source}: not imported: {exc}"))
                unreadable += 1
                continue
            report = services.FactCheckImport(problems=[f"{source}: {p}" for p in problems])
            bar = tqdm(items, unit="fact-check", disable=no_progress or len(items) < 2,
                       file=self.stderr, leave=False, desc=Path(source).name[:30])
            services.factchecks_store(items=bar, imported_from=source, report=report)
            for problem in report.problems:
                self.stderr.write(self.style.WARNING(f"skipped {problem}"))
            self.stdout.write(
                f"{source}: {report.created} new, {report.updated} updated, "
                f"{report.unchanged} unchanged, {report.skipped} skipped"
            )
            for name in ("created", "updated", "unchanged"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            total.problems.extend(report.problems)
        self.stdout.write(
            f"{total.created} new, {total.updated} updated, {total.unchanged} unchanged, "
            f"{total.skipped} skipped, {unreadable} unreadable."
        )
        if unreadable == len(sources):
            raise CommandError("nothing could be imported")

    def _read(self, source: str) -> tuple[list, list[str]]:
        if source.startswith(("http://", "https://")):
            return services.factchecks_fetch(source)
        path = Path(source)
        try:
            data = file_bytes_read(path, max_bytes=MAX_FILE_BYTES)
        except IngestError as exc:
            raise services.FactCheckSourceError(str(exc)) from exc
        except OSError as exc:
            raise services.FactCheckSourceError(f"cannot read it ({exc.strerror or exc})") from exc
        if path.suffix.lower() in {".html", ".htm"}:
            html, _encoding = bytes_decode(data)
            return services.factchecks_read_html(html)
        return services.factchecks_read_json(data)
