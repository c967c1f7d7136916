"""Create the two desk logins `make run` prints: an editor and a publisher, once.

Neither is a superuser: the editor is in the Editors group (works the queue), the publisher
in Publishers (also publishes and corrects), so the split between the roles is what one sees.
An account that exists is left as it is: its password is never reset (one changed in the
admin stays changed). `manage.py desk_logins` shows the logins again.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from ._desk_logins import DESK_LOGINS, login_password


class Command(BaseCommand):
    help = "Create the local editor and publisher logins (once; passwords from .env, never reset)."

    def handle(self, *args, **options) -> None:
        User = get_user_model()
        created, kept, superusers = [], [], []
        for login in DESK_LOGINS:
            existing = User.objects.filter(username=login.username).first()
            if existing is not None:
                kept.append(login)
                if existing.is_superuser:
                    superusers.append(login.username)
                continue
            password = login_password(login)
            generated = not password
            if generated:
                password = secrets.token_urlsafe(12)
            with transaction.atomic():
                user = User.objects.create_user(
                    login.username, email=f"{login.username}@localhost", password=password, is_staff=True,
                )
                user.groups.add(*Group.objects.filter(name=login.group))
            created.append((login, password, generated))
        if created:
            self.stdout.write("Desk logins created (first run):")
            for login, password, generated in created:
                note = "  (not in .env: shown this once)" if generated else ""
                self.stdout.write(f"  {login.role:<9} {login.username} / {password}   [{login.group}]{note}")
        if kept:
            names = ", ".join(f"{login.username} ({login.group})" for login in kept)
            self.stdout.write(f"Desk logins: {names}. Passwords: `make logins`.")
        elif created:
            self.stdout.write("See them again with `make logins`.")
        for username in superusers:
            # Left as it is, like every existing account; but say why it can do everything.
            self.stdout.write(
                f"Note: {username} is a superuser (an earlier version of `make run` made it one), so it "
                "may do everything either role may. A superuser can untick its Superuser status in the admin."
            )
