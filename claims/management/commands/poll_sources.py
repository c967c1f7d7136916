"""Poll watched feeds and sitemaps now, without waiting for Celery beat (issue 22)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from claims.models import WatchedSource
from claims.services.watching import source_poll_now, sources_due


class Command(BaseCommand):
    help = ("Poll watched sources now: the ones given with --source (even when paused or disabled), every "
            "enabled, unpaused one with --all, else the ones that are due. New entries are fetched by the "
            "workers (in this process when no broker is set).")

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--source", type=int, action="append", default=[], metavar="ID",
                            help="the id of a source to poll (may be given more than once)")
        parser.add_argument("--all", action="store_true", help="every enabled source that is not paused")

    def handle(self, *args, source: list[int], all: bool, **options) -> None:  # noqa: A002
        if source and all:
            raise CommandError("Give --source or --all, not both.")
        if source:
            missing = set(source) - set(WatchedSource.objects.filter(pk__in=source).values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No watched source with id {', '.join(map(str, sorted(missing)))}.")
            ids = source
        elif all:
            ids = list(WatchedSource.objects.filter(enabled=True, paused_at__isnull=True)
                       .order_by("pk").values_list("pk", flat=True))
        else:
            ids = list(sources_due(now=timezone.now()).order_by("next_poll_at", "pk").values_list("pk", flat=True))
        if not ids:
            self.stdout.write("No source to poll.")
            return
        names = dict(WatchedSource.objects.filter(pk__in=ids).values_list("pk", "name"))
        for pk in ids:
            result = source_poll_now(source_id=pk)
            line = f"{names.get(pk, pk)} (#{pk}): {result.status}"
            if result.status == "ok":
                line += f", {result.new_entries} new, {result.skipped_entries} skipped (not about its topics)"
            elif result.status == "not_taken":
                line += " (a poll of it is under way)"
            elif result.status == "deferred":
                line += " (the site was visited too recently; it is polled at its next turn)"
            if result.error:
                line += f": {result.error}"
            self.stdout.write(line)
