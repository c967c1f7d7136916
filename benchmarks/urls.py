"""The product's URLs plus ``/bench/bare/``, a bare Django view to compare the API against.

The bare view is what the partner API would cost with nothing but Django: one ``.values()``
query for the same 20 newest published fact-checks (the same filter and ordering as
``GET /api/v1/claims/``, so the same main query for the database), the flat row dicts
dumped with ``json.dumps`` and padded with spaces to ``?bytes=N`` (the API page's size), so
both answers put the same number of bytes on the wire. No authentication, throttling,
serializers, prefetch queries or per-row URLs: that is the overhead the ratio measures.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from claims.selectors import published_claims

BARE_FIELDS = (
    "id", "text", "speaker", "speaker_role", "attribution", "hedge", "language", "claim_type",
    "entity_names", "article__title", "article__outlet", "article__url", "article__published_at",
    "article__language", "verdict__headline", "verdict__summary", "verdict__rationale",
    "verdict__published_at", "verdict__updated_at", "verdict__language", "verdict__rating__label_en",
    "verdict__rating__label_id",
)


def bare(request: HttpRequest) -> HttpResponse:
    rows = list(published_claims().prefetch_related(None).values(*BARE_FIELDS)[:20])
    page = {"next": None, "previous": None, "results": rows, "padding": ""}
    body = json.dumps(page, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()
    target = int(request.GET.get("bytes", "0") or 0)
    if target > len(body):
        page["padding"] = " " * (target - len(body))
        body = json.dumps(page, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()
    return HttpResponse(body, content_type="application/json")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("", include("factcheck.urls")),
]
