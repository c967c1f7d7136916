"""Delete readers' contact details older than FACTCHECK_TIP_CONTACT_DAYS (Celery beat does it daily)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from claims import services


class Command(BaseCommand):
    help = ("Blank the contact details of readers' tips sent more than FACTCHECK_TIP_CONTACT_DAYS days "
            "ago (Celery beat runs the same every night).")

    def handle(self, *args, **options) -> None:
        purged = services.tips_contact_purge()
        self.stdout.write(f"Deleted the contact details of {purged} tip(s) older than "
                          f"{settings.FACTCHECK_TIP_CONTACT_DAYS} days.")
