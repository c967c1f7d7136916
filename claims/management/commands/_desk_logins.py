"""The two desk logins `make run` creates, and where their first passwords are kept (.env)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class DeskLogin:
    role: str
    username: str
    group: str
    password_variables: tuple[str, ...]  # the first one set is the password


DESK_LOGINS = (
    # FACTCHECK_ADMIN_PASSWORD: the name an .env written by an earlier version uses.
    DeskLogin("Editor", "editor", "Editors", ("FACTCHECK_EDITOR_PASSWORD", "FACTCHECK_ADMIN_PASSWORD")),
    DeskLogin("Publisher", "publisher", "Publishers", ("FACTCHECK_PUBLISHER_PASSWORD",)),
)


def login_password(login: DeskLogin) -> str:
    """The password .env (or the environment) holds for a login; empty if none."""
    return next((os.environ[name] for name in login.password_variables if os.environ.get(name)), "")
