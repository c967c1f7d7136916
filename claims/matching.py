"""Claim matching for the product: the matcher with the shipped encoder and the settings.

``matcher_new`` is what ``evaluate_matching`` measures and what the desk, the API and the
public search use, so the figures the command prints are the product's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .choices import ClaimStatus
from .models import Claim, FactCheck
from .nlp import ann, vectors
from .nlp.matching import Hit, Matcher

logger = logging.getLogger(__name__)


def matcher_new(*, with_vectors: bool = True) -> Matcher:
    """An empty matcher: the encoder's vectors when shipped (and wanted), words always."""
    model = vectors.load_default() if with_vectors else None
    return Matcher(
        embed=model.embed if model is not None else None,
        # The documents a matcher is given to read are fact-checks (evaluate_matching's docs).
        embed_documents=(lambda texts: model.embed(texts, kind="passage")) if model is not None else None,
        lexical_weight=settings.FACTCHECK_MATCH_LEXICAL_WEIGHT,
        dimensions=model.dimensions if model is not None else 384,
    )


# --------------------------------------------------------------------------- the live indexes


def vector_pack(vector: np.ndarray) -> bytes:
    """A unit vector as stored on its row: float16, little-endian (768 bytes for 384 values)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def vector_unpack(data: bytes | memoryview | None) -> np.ndarray | None:
    if data is None:
        return None
    return np.frombuffer(bytes(data), dtype="<f2").astype(np.float32)


def encoder_version() -> str | None:
    """The version of the matching encoder in use (``VectorEncoder.version``), None without one."""
    model = vectors.load_default()
    return model.version if model is not None else None


def vector_stale(version: str) -> Q:
    """Rows whose vector the encoder ``version`` did not make: none yet, or another encoder's
    (an older model's vectors lie in another space and are computed again)."""
    return Q(vector__isnull=True) | ~Q(vector_encoder=version)


def vector_current(data: bytes | memoryview | None, made_by: str) -> np.ndarray | None:
    """A stored vector, if the encoder in use made it; None if missing or another's."""
    if data is None or made_by != encoder_version():
        return None
    return vector_unpack(data)


@dataclass(frozen=True)
class Row:
    key: tuple[str, int]  # ("factcheck", id) or ("claim", id)
    text: str
    vector: bytes | None
    changed_at: datetime


def key_number(key: tuple[str, int]) -> int:
    """A row's key as the index file stores it: fact-checks even, our claims odd."""
    kind, pk = key
    return pk * 2 + (1 if kind == "claim" else 0)


class _FileSource:
    """A LiveIndex's index file, answering by its matcher's positions."""

    def __init__(self, file: ann.VectorFile, covered: dict[int, int], keys: list[tuple[str, int]]) -> None:
        self.file = file
        self.covered = covered  # key number -> position, for the rows the file's vector is current for
        self.keys = keys  # position -> the row's key

    def nearest(self, vector: np.ndarray, count: int) -> list[tuple[int, float]]:
        keys, cosines = self.file.nearest(vector, count)
        found = []
        for key, cosine in zip(keys.tolist(), cosines.tolist(), strict=True):
            position = self.covered.get(key)
            if position is not None:  # not a row changed or removed since the file was built
                found.append((position, cosine))
        return found

    def cosines(self, positions: list[int], vector: np.ndarray) -> list[float]:
        return self.file.cosines([key_number(self.keys[p]) for p in positions], vector).tolist()


class LiveIndex:
    """A matcher over database rows, kept fresh in every process that searches it.

    Each search first reads the rows changed since the last read (at most once every
    ``FACTCHECK_MATCH_REFRESH_SECONDS``): a new fact-check or claim is found by every web
    process and worker within seconds, without a message between them. The first search
    of a process reads them all.

    With an index file (``index_name``; built by ``manage.py matching_index_build`` once
    there are ``FACTCHECK_MATCH_INDEX_MIN`` rows), the rows it holds as they are now are
    searched in it, approximately, from the one copy every process maps; the process keeps
    only the vectors of the rows changed or added since the file was built and searches
    them exactly. A rebuilt file is taken up at the next refresh; an unreadable one is
    logged and everything is searched exactly.
    """

    # Rows are read again from this far behind the newest change seen: a transaction that
    # committed late with an earlier timestamp is not missed.
    OVERLAP = timedelta(minutes=2)

    def __init__(self, name: str, rows: Callable[[datetime | None], Iterable[Row]],
                 keep: Callable[[], datetime | None] | None = None, index_name: str | None = None) -> None:
        self.name = name
        self._rows = rows
        self._keep = keep
        self._index_name = index_name
        self._lock = threading.Lock()
        self._matcher: Matcher | None = None
        self._positions: dict[tuple[str, int], int] = {}
        self._keys: list[tuple[str, int]] = []
        self._seen: dict[tuple[str, int], datetime] = {}
        self._watermark: datetime | None = None
        self._checked = 0.0
        self._file: ann.VectorFile | None = None
        self._file_stamp: tuple[int, int] | None = None
        self._covered: dict[int, int] = {}
        self._covers_until: datetime | None = None

    def __len__(self) -> int:
        return len(self._matcher) if self._matcher is not None else 0

    @property
    def pointer_path(self) -> Path | None:
        if self._index_name is None:
            return None
        return Path(settings.DATA_DIR) / "matching" / f"{self._index_name}.json"

    @property
    def file(self) -> ann.VectorFile | None:
        """The index file in use, if any."""
        return self._file

    def reset(self) -> None:
        with self._lock:
            self._reset()

    def _reset(self) -> None:
        self._matcher = None
        self._positions, self._keys, self._seen = {}, [], {}
        self._watermark, self._checked = None, 0.0
        self._file, self._file_stamp, self._covered, self._covers_until = None, None, {}, None

    def refresh(self, *, force: bool = False) -> None:
        with self._lock:
            now = time.monotonic()
            if self._matcher is not None and not force and now - self._checked < settings.FACTCHECK_MATCH_REFRESH_SECONDS:
                return
            pointer = self.pointer_path
            stamp = ann.VectorFile.stamp_of(pointer) if pointer is not None else None
            if self._matcher is not None and stamp != self._file_stamp:
                self._reset()  # a file built, replaced or removed since: read every row again
            if self._matcher is None:
                self._matcher = matcher_new()
                self._file_stamp = stamp
                if stamp is not None and self._matcher.embed is not None:
                    self._file_open(pointer)
            since = self._watermark - self.OVERLAP if self._watermark else None
            for row in self._rows(since):
                self._take(row)
            if self._keep is not None:
                oldest = self._keep()
                for key, changed in list(self._seen.items()):
                    if oldest is not None and changed < oldest:
                        self._drop(key)
            self._checked = now

    def _file_open(self, pointer: Path) -> None:
        file = ann.VectorFile.open(pointer, dimensions=self._matcher.dimensions, encoder=encoder_version())
        if file is None:
            return
        if len(file) < settings.FACTCHECK_MATCH_INDEX_MIN:
            logger.info("matching index %s holds %d rows, fewer than FACTCHECK_MATCH_INDEX_MIN: searching exactly",
                        pointer, len(file))
            return
        self._file = file
        self._covers_until = datetime.fromtimestamp(file.pointer.covers_until, tz=UTC)
        self._matcher.source = _FileSource(file, self._covered, self._keys)

    def _take(self, row: Row) -> None:
        if self._seen.get(row.key) == row.changed_at:
            return
        self._drop(row.key)
        embed = self._matcher.embed is not None
        number = key_number(row.key)
        if (embed and self._file is not None and row.vector is not None and row.changed_at <= self._covers_until
                and self._file.contains(number)):
            (position,) = self._matcher.add([row.text], held=False)
            self._covered[number] = position
        else:
            vector = vector_unpack(row.vector)
            if embed and vector is None:
                return  # not vectorised yet; it is read again once it is
            (position,) = self._matcher.add([row.text], vectors=vector[None, :] if embed else None)
        self._positions[row.key] = position
        self._keys.append(row.key)  # positions are handed out in order, one per row added
        self._seen[row.key] = row.changed_at
        if self._watermark is None or row.changed_at > self._watermark:
            self._watermark = row.changed_at

    def _drop(self, key: tuple[str, int]) -> None:
        position = self._positions.pop(key, None)
        if position is not None:
            self._matcher.remove(position)
            self._covered.pop(key_number(key), None)
        self._seen.pop(key, None)

    def search(self, text: str, *, vector: np.ndarray | None = None, k: int = 10) -> list[tuple[tuple[str, int], Hit]]:
        """The ``k`` closest rows to ``text`` (its vector computed unless given), best first."""
        self.refresh()
        with self._lock:
            if not self._matcher:
                return []
            if self._matcher.embed is not None and vector is None:
                vector = self._matcher.embed([text])[0]
            hits = self._matcher.search(text, k=k, query_vector=vector)
            return [(self._keys[hit.position], hit) for hit in hits]


def factcheck_rows(since: datetime | None) -> Iterator[Row]:
    """Every published fact-check: imported ones, and our own published claims."""
    imported = FactCheck.objects.all()
    if since is not None:
        imported = imported.filter(updated_at__gte=since)
    version = encoder_version()
    for pk, text, vector, made_by, changed in imported.values_list(
        "pk", "claim_reviewed", "vector", "vector_encoder", "updated_at"
    ).iterator(chunk_size=2000):
        yield Row(("factcheck", pk), text, vector if made_by == version else None, changed)
    ours = Claim.objects.filter(status=ClaimStatus.PUBLISHED, verdict__published_at__isnull=False)
    if since is not None:
        ours = ours.filter(Q(updated_at__gte=since) | Q(verdict__updated_at__gte=since))
    for pk, text, vector, made_by, changed, verdict_changed in ours.values_list(
        "pk", "text", "vector", "vector_encoder", "updated_at", "verdict__updated_at"
    ).iterator(chunk_size=2000):
        yield Row(("claim", pk), text, vector if made_by == version else None, max(changed, verdict_changed))


def recent_oldest() -> datetime:
    return timezone.now() - timedelta(days=settings.FACTCHECK_MATCH_CLAIM_DAYS)


def _recent_claim_rows(since: datetime | None) -> Iterator[Row]:
    """Claims of the last ``FACTCHECK_MATCH_CLAIM_DAYS`` days, whatever their state."""
    recent = Claim.objects.filter(created_at__gte=recent_oldest())
    if since is not None:
        recent = recent.filter(updated_at__gte=since)
    version = encoder_version()
    for pk, text, vector, made_by, changed in recent.values_list(
        "pk", "text", "vector", "vector_encoder", "updated_at"
    ).iterator(chunk_size=2000):
        yield Row(("claim", pk), text, vector if made_by == version else None, changed)


FACTCHECKS = LiveIndex("fact-checks", factcheck_rows, index_name="factchecks")
RECENT_CLAIMS = LiveIndex("recent claims", _recent_claim_rows, keep=recent_oldest)


def indexes_reset() -> None:
    """Forget what every index read (tests; a process after the encoder changed)."""
    FACTCHECKS.reset()
    RECENT_CLAIMS.reset()


def links_open(claim_ids: Iterable[int] | None = None):  # noqa: ANN201
    """The links an editor has not rejected, best first, with what they point at loaded
    (a fact-check, or another claim with its article and any published verdict)."""
    from .models import MatchLink

    links = (MatchLink.objects.exclude(state="rejected")
             .select_related("factcheck", "other__article", "other__verdict__rating", "decided_by")
             .order_by("-score", "id"))
    return links if claim_ids is None else links.filter(claim_id__in=list(claim_ids))


@dataclass(frozen=True)
class FactCheckMatch:
    """A published fact-check found for a text: ours (a published claim) or imported."""

    score: float
    claim: Claim | None
    factcheck: FactCheck | None


def factchecks_closest(text: str, *, limit: int = 5, source: str = "all") -> list[FactCheckMatch]:
    """The published fact-checks closest to ``text`` (any of our languages), best first:
    ours and imported ones (``source="all"``), or only ``"ours"`` or ``"elsewhere"``.

    Reads what the index found again from the database, so that a fact-check withdrawn
    since the index last looked is never answered."""
    from . import selectors

    found = FACTCHECKS.search(text, k=limit * 4)
    claim_ids = [pk for (kind, pk), _ in found if kind == "claim"] if source != "elsewhere" else []
    factcheck_ids = [pk for (kind, pk), _ in found if kind == "factcheck"] if source != "ours" else []
    claims = {c.pk: c for c in selectors.published_claims().filter(pk__in=claim_ids)} if claim_ids else {}
    factchecks = {f.pk: f for f in FactCheck.objects.filter(pk__in=factcheck_ids).defer("vector")} if factcheck_ids else {}
    matches = []
    for (kind, pk), hit in found:
        if kind == "claim" and pk in claims:
            matches.append(FactCheckMatch(round(hit.score, 4), claims[pk], None))
        elif kind == "factcheck" and pk in factchecks:
            matches.append(FactCheckMatch(round(hit.score, 4), None, factchecks[pk]))
    return matches[:limit]


# Public search: the vectors' best claims for a short query count as found when their cosine
# is at least this and close to the best one. Read again by hand for the fine-tuned encoder
# (claims/nlp/models/README.md), 8 short queries against 6 claims: 0.54-0.73 for what a
# query means, up to 0.54 for what merely shares a place name ("Russia", "Korea Utara"),
# 0.12-0.37 for the rest (the released e5's were 0.84-0.92, up to 0.85: 0.83 and 0.02 then).
SEARCH_MIN_COSINE = 0.55
SEARCH_MARGIN = 0.05
SEARCH_MAX = 5


def published_ids_closest(query: str) -> list[int]:
    """Our published fact-checks a search box query means, in any of our languages, best
    first; empty without the encoder (the words' search stands alone then)."""
    if vectors.load_default() is None or not query.strip():
        return []
    found = [(pk, hit.cosine or 0.0) for (kind, pk), hit in FACTCHECKS.search(query, k=SEARCH_MAX * 4)
             if kind == "claim"]
    if not found:
        return []
    best = max(cosine for _, cosine in found)
    return [pk for pk, cosine in found if cosine >= SEARCH_MIN_COSINE and cosine >= best - SEARCH_MARGIN][:SEARCH_MAX]
