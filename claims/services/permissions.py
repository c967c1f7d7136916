"""Who may write: every service that changes something on a user's behalf checks here."""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied

logger = logging.getLogger(__name__)


WORK_PERMISSION = "claims.work_claim"


PUBLISH_PERMISSION = "claims.publish_verdict"


def permission_require(user: AbstractBaseUser | None, permission: str) -> None:
    if user is None or not user.is_active or not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")
