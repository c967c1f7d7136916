"""A person's language on the desk follows them: switching it in the desk's header stores it
(their DeskProfile), and logging in makes the stored one the browser's.

Logging in sets the language cookie rather than activating the language on each request:
the cookie is what Django's LocaleMiddleware reads, so the desk (and the public site in the
same browser) speaks it from the next page on, the switch in the header still wins for the
rest of the visit, and no request pays a query for it. The ``user_logged_in`` signal has no
response to set a cookie on, so it leaves the language on the request and
``LoginLanguageMiddleware`` puts it on the response.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.i18n import set_language

from . import selectors, services

COOKIE_YEAR = 365 * 24 * 60 * 60
LOGIN_LANGUAGE = "fc_login_language"  # the request attribute the signal leaves for the middleware


def language_cookie_set(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language,
        max_age=settings.LANGUAGE_COOKIE_AGE or COOKIE_YEAR, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def language_set(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (the desk's header switch), which also stores the language
    as the person's own when they are logged in to the desk. Nobody else's is written."""
    response = set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    user = request.user
    if language in dict(settings.LANGUAGES) and user.is_authenticated and user.is_active and user.is_staff:
        services.user_language_set(user=user, language=language)
    return response


def language_on_login(sender, request: HttpRequest | None, user, **kwargs) -> None:  # noqa: ANN001
    """``user_logged_in``: the stored language, if any, for the middleware to set."""
    if request is not None and user.is_staff and (language := selectors.user_language_chosen(user=user)):
        setattr(request, LOGIN_LANGUAGE, language)


class LoginLanguageMiddleware:
    """Sets the language cookie on the response to a login, to the person's stored language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, LOGIN_LANGUAGE, None)
        if language:
            language_cookie_set(response, language)
        return response
