"""One error shape for the whole API:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"url": ["..."]}}}
"""

from __future__ import annotations

import logging
import sys

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger(__name__)

SERVER_ERROR = {"status": 500, "code": "server_error",
                "message": _("Something went wrong on our side; it has been logged. Please try again later.")}
# The database cannot be reached (restarting, failing over): nothing was written; try again.
DATABASE_DOWN_SECONDS = 30
DATABASE_DOWN = {"status": 503, "code": "unavailable", "retry_after": DATABASE_DOWN_SECONDS,
                 "message": _("The service is briefly unavailable; nothing was stored. Please try again shortly.")}
DATABASE_ERRORS = (OperationalError, InterfaceError)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = _("The request is too large.")


class QueueUnavailable(exceptions.APIException):
    """The article is stored but its job could not be handed to the workers' queue."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"
    default_detail = (
        "The article is stored, but it cannot be queued for extraction right now. It will be "
        "queued automatically within a few minutes; you may also send the same article again "
        "later (it is not stored twice)."
    )

    def __init__(self, *, wait: int) -> None:
        super().__init__()
        self.wait = wait  # seconds; DRF sends it as Retry-After


def _flatten(detail) -> object:  # noqa: ANN001
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None and isinstance(exc, DATABASE_ERRORS):
        logger.warning("API answered 503: the database cannot be reached (%s)", exc)
        set_rollback()
        return _database_down(Response)
    if response is None:
        # Anything unexpected: logged with its traceback, answered in the API's shape,
        # and never with its own text (it may name tables, paths or hosts).
        logger.error("Unhandled error in %s", context.get("view").__class__.__name__, exc_info=exc)
        set_rollback()
        return Response({"error": dict(SERVER_ERROR)}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    error: dict = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if isinstance(fields, list):
            fields = {"non_field_errors": fields}
        error.update(code="invalid", message=_("The request has invalid fields."), fields=fields)
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        detail = _flatten(getattr(exc, "detail", str(exc)))
        error.update(code=codes if isinstance(codes, str) else "error",
                     message=detail if isinstance(detail, str) else str(detail))
    if isinstance(exc, exceptions.Throttled | QueueUnavailable) and exc.wait is not None:
        error["retry_after"] = int(exc.wait)
    response.data = {"error": error}
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's last resort (an error outside a view: middleware, URL routing): JSON under
    /api/, the site's own page elsewhere."""
    if request.path.startswith("/api/"):
        if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
            return _database_down(JsonResponse)
        return JsonResponse({"error": dict(SERVER_ERROR)}, status=500)
    return defaults.server_error(request)


def _database_down(response_class):  # noqa: ANN001, ANN202
    response = response_class({"error": dict(DATABASE_DOWN)}, status=503)
    response["Retry-After"] = str(DATABASE_DOWN_SECONDS)
    return response
