"""A person's own settings on the desk: the language the desk opens in when they log in and
that the product emails them in (the morning list, notices)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied

from ..models import DeskProfile


def user_language_set(*, user: AbstractBaseUser, language: str, by: AbstractBaseUser | None = None) -> DeskProfile:
    """Store ``language`` ("" for the site's) as ``user``'s, set by ``by`` (themself unless
    said): a person sets their own, a superuser anyone's."""
    by = by or user
    if not by.is_authenticated or not by.is_active or (by.pk != user.pk and not by.is_superuser):
        raise PermissionDenied("Only you, or a superuser, may set your language.")
    DeskProfile(user_id=user.pk, language=language).full_clean(validate_unique=False)
    # Two requests at once (a double click, two tabs) for someone with no profile yet:
    # update_or_create reads the row again when the other one inserted it first.
    profile, _created = DeskProfile.objects.update_or_create(user_id=user.pk, defaults={"language": language})
    return profile
