"""Create (or update) the editor login that `make run` prints."""

from __future__ import annotations

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the local editor account; its password comes from FACTCHECK_ADMIN_PASSWORD."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--username", default=os.environ.get("FACTCHECK_ADMIN_USER", "editor"))

    def handle(self, *args, username: str, **options) -> None:
        password = os.environ.get("FACTCHECK_ADMIN_PASSWORD") or ""
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@localhost"}
        )
        if not created and generated:
            self.stdout.write(
                f"Editor login: {username} (existing account, password unchanged; set "
                "FACTCHECK_ADMIN_PASSWORD to change it)"
            )
            return
        user.is_staff = True
        user.is_superuser = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(*Group.objects.filter(name__in=["Editors", "Publishers"]))
        self.stdout.write(f"Editor login: {username} / {password}")
