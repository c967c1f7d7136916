"""The desk's list of watched sources: switching them on and off, resuming a paused one, and
loading the starter list (claims/data/watched_sources.json). Polling them is
claims.services.watching."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Topic, WatchedSource
from .permissions import permission_require

WATCH_PERMISSION = "claims.manage_watchedsource"
STARTER_SOURCES = Path(__file__).resolve().parent.parent / "data" / "watched_sources.json"
# What a row of the starter list may say; anything else is the desk's own business.
STARTER_FIELDS = ("name", "url", "kind", "language", "poll_minutes", "topics")


def sources_switch(*, sources: QuerySet[WatchedSource], user: AbstractBaseUser, enabled: bool) -> int:
    """Switch sources on or off; a source switched on is due for a poll at once. Returns how
    many changed."""
    permission_require(user, WATCH_PERMISSION)
    changing = WatchedSource.objects.filter(pk__in=sources.values("pk")).exclude(enabled=enabled)
    if enabled:
        return changing.update(enabled=True, next_poll_at=timezone.now())
    return changing.update(enabled=False)


def sources_resume(*, sources: QuerySet[WatchedSource], user: AbstractBaseUser) -> int:
    """Take paused sources back into polling: their failures are forgotten and they are due
    at once (polled at the next tick, not after their backoff). Returns how many were paused."""
    permission_require(user, WATCH_PERMISSION)
    paused = WatchedSource.objects.filter(pk__in=sources.values("pk"), paused_at__isnull=False)
    return paused.update(paused_at=None, failures=0, next_poll_at=timezone.now())


@dataclass
class StarterLoad:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def starter_rows_read(path: Path) -> list[dict]:
    """The rows of a starter list file: {"sources": [{...}, ...]} or a bare list."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
    rows = data.get("sources") if isinstance(data, dict) else data
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValidationError(_("%(path)s holds no list of sources.") % {"path": path})
    return rows


def starter_sources_load(*, rows: list[dict]) -> StarterLoad:
    """Add the sources of a starter list that are not here yet (by address), switched off.

    A source already here is kept as it is, whatever the list says: an editor may have
    renamed it, chosen its topics or switched it on. Each row is written whole or not at all.
    """
    report = StarterLoad()
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for number, row in enumerate(rows, start=1):
        url = str(row.get("url") or "").strip()
        if url and WatchedSource.objects.filter(url=url).exists():
            report.kept.append(url)
            continue
        unknown = [name for name in row if name not in STARTER_FIELDS]
        slugs = row.get("topics") or []
        missing = [slug for slug in slugs if slug not in topics] if isinstance(slugs, list) else [str(slugs)]
        source = WatchedSource(
            name=str(row.get("name") or "").strip(), url=url, kind=row.get("kind") or WatchedSource.Kind.FEED,
            language=row.get("language") or "", poll_minutes=row.get("poll_minutes") or 30, enabled=False,
        )
        try:
            if unknown or missing:
                raise ValidationError(_("unknown fields or topics: %(names)s") % {"names": ", ".join(unknown + missing)})
            source.full_clean()
        except (ValidationError, TypeError, ValueError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            report.problems.append(_("Row %(n)d (%(url)s): %(error)s")
                                   % {"n": number, "url": url or "-", "error": " ".join(messages)})
            continue
        try:
            with transaction.atomic():
                source.save()
                source.topics.set([topics[slug] for slug in slugs])
        except IntegrityError:  # added by someone else since the check above
            report.kept.append(url)
            continue
        report.created.append(url)
    return report
