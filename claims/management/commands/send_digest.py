"""Send the morning list now: what Celery beat does at FACTCHECK_DIGEST_TIME."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims import services
from claims.models import Topic


class Command(BaseCommand):
    help = ("Send the morning list: the open claims of the last 24 hours the queue puts on top, for the "
            "whole desk and each topic, by email and to subscribed partners. A list already made today "
            "is not made again; today's lists not yet emailed (an earlier run's email failed) are emailed.")

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--topic", action="append", default=[], metavar="SLUG",
                            help="only this topic's list (repeat for several); without it, the desk's and every topic's")
        parser.add_argument("--dry-run", action="store_true", help="print the lists; record and send nothing")
        parser.add_argument("--since", type=int, default=24, metavar="HOURS",
                            help="claims found in the last HOURS hours (default 24)")

    def handle(self, *args, topic: list[str], dry_run: bool, since: int, **options) -> None:
        if not 1 <= since <= 24 * 31:
            raise CommandError("--since takes a number of hours between 1 and 744.")
        unknown = sorted(set(topic) - set(Topic.objects.filter(slug__in=topic).values_list("slug", flat=True)))
        if unknown:
            raise CommandError(f"No topic with the slug {', '.join(unknown)}.")
        run = services.digest_send(hours=since, topic_slugs=topic or None, dry_run=dry_run)
        for item in run.made:
            name = item.topic.slug if item.topic else "whole desk"
            self.stdout.write(f"== {name}: {len(item.claims)} claim(s)")
            for claim in item.claims:
                self.stdout.write(f"  #{claim.pk} {claim.score:.2f} {claim.text[:100]}")
        for item in run.skipped:
            self.stdout.write(f"== {item.topic.slug if item.topic else 'whole desk'}: made already on {run.day}")
        if dry_run:
            self.stdout.write(f"Dry run: {len(run.made)} list(s) for {run.day}; nothing recorded or sent.")
            return
        self.stdout.write(f"{len(run.made)} list(s) made for {run.day}, {len(run.skipped)} made already; "
                          f"{len(run.emailed)} emailed to {run.recipients} recipient(s); "
                          f"{run.deliveries} partner webhook(s).")
        if run.email_error:
            self.stderr.write(f"The email failed ({run.email_error}); {run.unemailed} list(s) of {run.day} "
                              "are not emailed yet. The next run (this command, or the task's retry) tries again.")
        elif run.unemailed:
            self.stderr.write(f"{run.unemailed} list(s) of {run.day} are being emailed by another run.")
