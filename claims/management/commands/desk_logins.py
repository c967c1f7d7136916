"""Show the desk logins `make run` created, with their passwords from .env while they still work.

A password changed since (in the admin, or with `changepassword`) is stored only as a hash:
it cannot be shown, only replaced.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from ._desk_logins import DESK_LOGINS, login_password


class Command(BaseCommand):
    help = "Print the editor and publisher logins (passwords from .env, while they still work)."

    def handle(self, *args, **options) -> None:
        User = get_user_model()
        for login in DESK_LOGINS:
            user = User.objects.filter(username=login.username).first()
            label = f"{login.role:<9} {login.username}"
            if user is None:
                self.stdout.write(f"{label}: not created yet (`make run` creates it).")
                continue
            password = login_password(login)
            if password and user.check_password(password):
                self.stdout.write(f"{label} / {password}   [{login.group}]")
            else:
                self.stdout.write(
                    f"{label}: its password was changed after it was created (or is not in .env), so it "
                    f"cannot be shown. Set a new one: .venv/bin/python manage.py changepassword {login.username}"
                )
            if not user.is_active:
                self.stdout.write(f"  ({login.username} is deactivated: it cannot sign in.)")
