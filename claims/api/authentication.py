"""Partners authenticate with `Authorization: Api-Key <key>`; keys are stored hashed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ..models import ApiKey, Partner
from ..services import key_is_valid

KEYWORD = "Api-Key"


@dataclass(frozen=True)
class PartnerPrincipal:
    """Who is calling: a partner through one of its keys (request.user in the API)."""

    partner: Partner
    key: ApiKey
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_active: bool = True
    is_staff: bool = False

    @property
    def pk(self) -> int:
        return self.partner.pk

    def __str__(self) -> str:
        return self.partner.name


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):  # noqa: ANN001
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, key = header.partition(" ")
        if keyword != KEYWORD:
            return None
        key = key.strip()
        parts = key.split("_")
        if len(parts) < 3 or parts[0] != "fc":
            raise exceptions.AuthenticationFailed("The API key is malformed.")
        api_key = ApiKey.objects.select_related("partner").filter(prefix=parts[1]).first()
        if not key_is_valid(api_key, key):
            raise exceptions.AuthenticationFailed("The API key is not valid.")
        now = timezone.now()
        if api_key.revoked_at is not None:
            raise exceptions.AuthenticationFailed("The API key has been revoked.")
        if api_key.expires_at is not None and api_key.expires_at <= now:
            raise exceptions.AuthenticationFailed("The API key has expired.")
        if not api_key.partner.is_active:
            raise exceptions.AuthenticationFailed("The partner account is not active.")
        if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return PartnerPrincipal(partner=api_key.partner, key=api_key), api_key

    def authenticate_header(self, request) -> str:  # noqa: ANN001
        return KEYWORD


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "claims.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):  # noqa: ANN001
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Api-Key <your key>`"}
