from __future__ import annotations

from django.conf import settings
from rest_framework import permissions

from ..models import ApiKey


def _scopes(request) -> list[str]:  # noqa: ANN001
    return request.auth.scopes if isinstance(request.auth, ApiKey) else []


class CanRead(permissions.BasePermission):
    """A key with the `read` scope; anyone, if the newsroom opened reading to all."""

    message = "This needs an API key with the read scope."

    def has_permission(self, request, view) -> bool:  # noqa: ANN001
        if "read" in _scopes(request):
            return True
        return (settings.FACTCHECK_API_ANONYMOUS_READ and request.auth is None
                and request.method in permissions.SAFE_METHODS)


class CanSubmit(permissions.BasePermission):
    message = "This needs an API key with the submit scope."

    def has_permission(self, request, view) -> bool:  # noqa: ANN001
        return "submit" in _scopes(request)
