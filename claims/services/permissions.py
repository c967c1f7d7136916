"""Who may write: every service that changes something on a user's behalf checks here."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied

from ..workflow import PUBLISH_PERMISSION, WORK_PERMISSION

__all__ = ["PUBLISH_PERMISSION", "WORK_PERMISSION", "permission_require"]


def permission_require(user: AbstractBaseUser | None, permission: str) -> None:
    if user is None or not user.is_active or not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")
