"""Create an API key for a partner (the partner is created if new); the key is printed once."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from claims import services
from claims.models import Partner


class Command(BaseCommand):
    help = "Create an API key for PARTNER. Example: partner_key_create 'Tempo' --scope read --scope submit"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("partner", help="The partner organisation's name.")
        parser.add_argument("--scope", action="append", choices=services.API_SCOPES, required=True,
                            dest="scopes")
        parser.add_argument("--name", default="", help="A label for the key, e.g. 'newsroom CMS'.")
        parser.add_argument("--expires-in-days", type=int, default=None)
        parser.add_argument("--rate-limit", type=int, default=None, help="Requests per minute per key.")

    def handle(self, *args, partner: str, scopes: list[str], name: str, expires_in_days: int | None,
               rate_limit: int | None, **options) -> None:
        organisation, created = Partner.objects.get_or_create(name=partner.strip())
        if rate_limit is not None:
            if rate_limit < 1:
                raise CommandError("--rate-limit must be at least 1")
            organisation.rate_limit_per_minute = rate_limit
            organisation.save(update_fields=["rate_limit_per_minute"])
        expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        try:
            api_key, key = services.api_key_create(partner=organisation, scopes=scopes, name=name,
                                                   expires_at=expires_at)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if created:
            self.stderr.write(f"Created partner {organisation.name}.")
        self.stderr.write(
            f"Key {api_key.prefix} for {organisation.name}, scopes {', '.join(api_key.scopes)}"
            + (f", expires {expires_at:%Y-%m-%d}" if expires_at else "")
            + ". It is shown only now; keep it safe:"
        )
        self.stdout.write(key)
