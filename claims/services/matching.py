"""Claim matching's writes: vectors on claims and fact-checks, suggested links, an editor's
decision on a link, and closing a claim as already checked.

A link is suggested once per pair: a pair an editor rejected is never suggested again,
and a confirmed one is not touched by later matching.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from .. import matching
from ..choices import ClaimStatus, LinkState
from ..models import Claim, FactCheck, MatchLink, Notice
from ..nlp import vectors
from .permissions import WORK_PERMISSION, permission_require
from .team import notice_send
from .webhooks import webhooks_queue
from .workflow import claim_dismiss, claim_mark_duplicate

logger = logging.getLogger(__name__)

VECTOR_BATCH = 256


def claims_vectorize(*, claim_ids: Iterable[int]) -> int:
    """Store the encoder's vector on each claim that has none, or another encoder's; returns
    how many were stored.

    A claim whose text changed while its vector was computed keeps none (it is computed
    again next time). Without the encoder, nothing is stored and matching uses words."""
    encoder = vectors.load_default()
    if encoder is None:
        return 0
    stale = matching.vector_stale(encoder.version)
    todo = list(Claim.objects.filter(stale, pk__in=list(claim_ids)).values_list("pk", "text"))
    stored = 0
    for start in range(0, len(todo), VECTOR_BATCH):
        chunk = todo[start:start + VECTOR_BATCH]
        for (pk, text), vector in zip(chunk, encoder.embed([t for _, t in chunk]), strict=True):
            stored += Claim.objects.filter(stale, pk=pk, text=text).update(
                vector=matching.vector_pack(vector), vector_encoder=encoder.version, updated_at=timezone.now()
            )
    return stored


def factchecks_vectorize(*, factcheck_ids: Iterable[int] | None = None) -> int:
    """Store the encoder's vector on each fact-check that has none (all, unless told which)."""
    encoder = vectors.load_default()
    if encoder is None:
        return 0
    stale = matching.vector_stale(encoder.version)
    rows = FactCheck.objects.filter(stale)
    if factcheck_ids is not None:
        rows = rows.filter(pk__in=list(factcheck_ids))
    stored = 0
    todo = list(rows.values_list("pk", "claim_reviewed"))
    for start in range(0, len(todo), VECTOR_BATCH):
        chunk = todo[start:start + VECTOR_BATCH]
        for (pk, text), vector in zip(chunk, encoder.embed([t for _, t in chunk], kind="passage"), strict=True):
            stored += FactCheck.objects.filter(stale, pk=pk, claim_reviewed=text).update(
                vector=matching.vector_pack(vector), vector_encoder=encoder.version, updated_at=timezone.now()
            )
    return stored


def vectors_refresh() -> tuple[int, int]:
    """After the matching encoder changed: the vectors the old one made, computed again with
    the one in use, for what matching searches (every fact-check, our published claims and
    the claims of the last ``FACTCHECK_MATCH_CLAIM_DAYS`` days that had one). Until then a
    row with an old vector is left out of the search rather than compared across two
    spaces. Returns (fact-checks, claims) vectorised."""
    encoder = vectors.load_default()
    if encoder is None:
        return 0, 0
    factchecks = factchecks_vectorize()
    old = Claim.objects.filter(vector__isnull=False).exclude(vector_encoder=encoder.version)
    published = Q(status=ClaimStatus.PUBLISHED, verdict__published_at__isnull=False)
    recent = Q(created_at__gte=matching.recent_oldest())
    ids = list(old.filter(published | recent).order_by("pk").values_list("pk", flat=True))
    claims = sum(claims_vectorize(claim_ids=ids[start:start + VECTOR_BATCH])
                 for start in range(0, len(ids), VECTOR_BATCH))
    return factchecks, claims


def _method() -> str:
    return "vectors+words" if vectors.load_default() is not None else "words"


def claim_matches_suggest(*, claim_ids: Iterable[int]) -> int:
    """Match each claim against every fact-check and the recent claims of other articles;
    store the matches scoring at least the threshold as suggestions (a fact-check or our
    published claim: FACTCHECK_MATCH_THRESHOLD; another article's claim:
    FACTCHECK_MATCH_CLAIM_THRESHOLD). Returns how many."""
    from django.conf import settings

    threshold = settings.FACTCHECK_MATCH_THRESHOLD
    claim_threshold = settings.FACTCHECK_MATCH_CLAIM_THRESHOLD
    limit = settings.FACTCHECK_MATCH_SUGGESTIONS
    claims = list(Claim.objects.filter(pk__in=list(claim_ids)).only("pk", "text", "vector", "vector_encoder", "article_id"))
    if not claims:
        return 0
    known = {
        (link.claim_id, link.factcheck_id, link.other_id)
        for link in MatchLink.objects.filter(claim__in=claims).only("claim_id", "factcheck_id", "other_id")
    }
    # Read what changed since the indexes last looked, whatever FACTCHECK_MATCH_REFRESH_SECONDS
    # says (that pause is for searches from pages): a worker extracting a burst of articles
    # would otherwise match an article against indexes read before the previous one's claims
    # were vectorised, and the same story in two articles would never be linked. Each job
    # writes its vectors before it searches, so of two jobs the later always sees the other.
    matching.FACTCHECKS.refresh(force=True)
    matching.RECENT_CLAIMS.refresh(force=True)
    article_of = {}
    method = _method()
    new: list[MatchLink] = []
    for claim in claims:
        vector = matching.vector_current(claim.vector, claim.vector_encoder)
        if method != "words" and vector is None:
            continue  # vectorised later; suggested then
        found = [(key, hit, threshold) for key, hit in
                 matching.FACTCHECKS.search(claim.text, vector=vector, k=limit)]
        found += [(key, hit, claim_threshold) for key, hit in
                  matching.RECENT_CLAIMS.search(claim.text, vector=vector, k=limit + 5)]
        found = [item for item in found if item[1].score >= item[2]]
        others = [pk for (kind, pk), _, _ in found if kind == "claim"]
        missing = [pk for pk in others if pk not in article_of]
        article_of.update(Claim.objects.filter(pk__in=missing).values_list("pk", "article_id"))
        taken = 0
        for (kind, pk), hit, _ in sorted(found, key=lambda item: -item[1].score):
            if taken >= limit:
                break
            if kind == "claim" and (pk == claim.pk or article_of.get(pk) in (None, claim.article_id)):
                continue  # itself, or the same article saying it twice
            target = (claim.pk, pk, None) if kind == "factcheck" else (claim.pk, None, pk)
            if target in known:
                continue
            known.add(target)
            taken += 1
            new.append(MatchLink(claim_id=claim.pk, factcheck_id=target[1], other_id=target[2],
                                 score=round(hit.score, 4), method=method))
    # An index may still hold a row deleted since it was read: link only what exists.
    factchecks = set(FactCheck.objects.filter(pk__in={n.factcheck_id for n in new if n.factcheck_id})
                     .values_list("pk", flat=True))
    new = [n for n in new if n.factcheck_id is None or n.factcheck_id in factchecks]
    new = [n for n in new if n.other_id is None or n.other_id in article_of]
    if new:
        MatchLink.objects.bulk_create(new, ignore_conflicts=True)
        clusters_join(pairs=[(link.claim_id, link.other_id) for link in new if link.other_id is not None])
        _published_matched_alert([link for link in new if link.other_id is not None])
    return len(new)


# A fact-check that arrives after the claims it settles (another fact-checker publishes at
# ten, our queue has had the claim since eight; or our own verdict is published) is looked
# for among them: the recent claims closest to it in the index a new claim is matched
# against, read the other way round, each then matched as a new claim is, so that it gets
# the same suggestions at the same scores. Read this way the words' part differs, so
# candidates are taken a little under the threshold.
CANDIDATE_MARGIN = 0.1
OPEN_STATUSES = (ClaimStatus.NEW, ClaimStatus.IN_REVIEW)


def _settled_claims_match(rows: Iterable[tuple[str, bytes | None, str]], what: str) -> int:
    """Suggestions for the open claims of the last ``FACTCHECK_MATCH_CLAIM_DAYS`` days that
    the fact-checks in ``rows`` (text, stored vector, its encoder) settle; returns how many
    links were suggested. Never raises: an error is logged (``match_claims`` tries again)."""
    from django.conf import settings

    try:
        matching.RECENT_CLAIMS.refresh(force=True)
        wanted = settings.FACTCHECK_MATCH_THRESHOLD - CANDIDATE_MARGIN
        candidates: set[int] = set()
        for text, vector, made_by in rows:
            found = matching.RECENT_CLAIMS.search(text, vector=matching.vector_current(vector, made_by),
                                                  k=settings.FACTCHECK_MATCH_SUGGESTIONS + 5)
            candidates.update(pk for (kind, pk), hit in found if kind == "claim" and hit.score >= wanted)
        if not candidates:
            return 0
        still_open = Claim.objects.filter(pk__in=candidates, status__in=OPEN_STATUSES).order_by("pk")
        return claim_matches_suggest(claim_ids=list(still_open.values_list("pk", flat=True)))
    except Exception:  # noqa: BLE001 - matching is a suggestion; the import or the publication stands
        logger.exception("matching the open claims to %s failed", what)
        return 0


def factchecks_match_claims(*, factcheck_ids: Iterable[int]) -> int:
    """After an import: the open claims that new or changed fact-checks settle get their
    suggestions (see ``_settled_claims_match``)."""
    ids = list(factcheck_ids)
    rows = (row for start in range(0, len(ids), VECTOR_BATCH)
            for row in FactCheck.objects.filter(pk__in=ids[start:start + VECTOR_BATCH]).values_list(
                "claim_reviewed", "vector", "vector_encoder"))
    return _settled_claims_match(rows, f"{len(ids)} imported fact-checks")


def published_claim_match_claims(*, claim_id: int) -> int:
    """After our verdict is published: the other open claims repeating it get "checked by us"
    (and its assignee and partners hear of it, as for a new claim)."""
    rows = Claim.objects.filter(pk=claim_id, status=ClaimStatus.PUBLISHED).values_list("text", "vector", "vector_encoder")
    return _settled_claims_match(rows.iterator(), f"published claim {claim_id}")


def clusters_join(*, pairs: Iterable[tuple[int, int]]) -> None:
    """Claims matched to each other are one story: each pair's two stories become one,
    known by the smallest claim id among them.

    Only the rows that change are written: a wire story repeated by hundreds of outlets is
    one big story, and each new copy joining it writes its own row, not the whole story's
    (which every worker extracting a copy would otherwise wait for, one after another).

    Two workers may join crossing stories at once. Each locks the pair's rows, then the
    rows of the two stories' first claims (the story's name: a merge always rewrites the
    row of the story it ends), and reads the pair's stories again once it holds them; so
    merges that touch one story run one after the other, and each sees what the one before
    it wrote. A deadlock between two of them is tried again."""
    for a, b in pairs:
        for attempt in range(JOIN_TRIES):
            try:
                _stories_join(a, b)
                break
            except OperationalError:
                # Two workers merged crossing stories at once and the database chose this
                # one to give way (a deadlock): the other goes on; try again a moment later.
                if attempt == JOIN_TRIES - 1 or transaction.get_connection().in_atomic_block:
                    raise
                time.sleep(random.uniform(0, 0.05 * (attempt + 1)))


JOIN_TRIES = 8


def _stories_join(a: int, b: int) -> None:
    with transaction.atomic():
        # The pair and the first claims of their stories, locked in one go in id order;
        # then the pair read again, as a merge that held one of them until now may have
        # moved it to another story (whose first claim is then locked too).
        stories: set[int] = set()
        while True:
            seen = dict(Claim.objects.filter(pk__in=[a, b]).values_list("pk", "cluster"))
            if len(seen) < 2:
                return
            wanted = {seen[a] or a, seen[b] or b}
            if wanted <= stories:
                break
            stories |= wanted
            list(Claim.objects.select_for_update().filter(pk__in={a, b} | stories).order_by("pk").values_list("pk"))
        stories = {seen[a] or a, seen[b] or b}
        if len(stories) == 1:
            return  # already one story
        root = min(stories)
        Claim.objects.filter(Q(pk__in=[a, b]) | Q(cluster__in=stories - {root})).exclude(
            cluster=root).update(cluster=root)


def claim_links_prune() -> int:
    """Suggestions between claims of two articles scoring under FACTCHECK_MATCH_CLAIM_THRESHOLD
    (made before it was raised, or under a lower setting): removed, and the stories they
    tied split along the links left. Links an editor decided and links to our published
    fact-checks stay. Returns how many were removed."""
    from django.conf import settings

    weak = MatchLink.objects.filter(state=LinkState.SUGGESTED, other__isnull=False,
                                    score__lt=settings.FACTCHECK_MATCH_CLAIM_THRESHOLD).exclude(
        other__status=ClaimStatus.PUBLISHED, other__verdict__published_at__isnull=False)
    ends = list(weak.values_list("pk", "claim_id"))
    if not ends:
        return 0
    MatchLink.objects.filter(pk__in=[pk for pk, _ in ends]).delete()
    for claim_id in sorted({claim_id for _, claim_id in ends}):
        cluster_recompute(claim_id=claim_id)
    return len(ends)


def cluster_recompute(*, claim_id: int) -> None:
    """After a link is rejected: the story of ``claim_id`` split along the links left."""
    cluster = Claim.objects.filter(pk=claim_id).values_list("cluster", flat=True).first()
    if cluster is None:
        return
    with transaction.atomic():
        members = set(Claim.objects.select_for_update().filter(cluster=cluster).values_list("pk", flat=True))
        edges: dict[int, set[int]] = {pk: set() for pk in members}
        for a, b in MatchLink.objects.filter(claim_id__in=members, other_id__in=members).exclude(
                state=LinkState.REJECTED).values_list("claim_id", "other_id"):
            edges[a].add(b)
            edges[b].add(a)
        left = set(members)
        while left:
            start = min(left)
            part, todo = {start}, [start]
            while todo:
                for other in edges[todo.pop()] - part:
                    part.add(other)
                    todo.append(other)
            left -= part
            Claim.objects.filter(pk__in=part).update(cluster=min(part) if len(part) > 1 else None)


def _published_matched_alert(links: list[MatchLink]) -> None:
    """A new claim repeats one of our published fact-checks: the desk hears of it (the
    fact-check's assignee gets a notice) and so do partners (a ``claim.matched`` webhook)."""
    ours = {c.pk: c for c in Claim.objects.filter(pk__in={link.other_id for link in links},
                                                  status=ClaimStatus.PUBLISHED).select_related("assignee")}
    new = Claim.objects.select_related("article").in_bulk(
        {link.claim_id for link in links if link.other_id in ours})
    for link in links:
        original = ours.get(link.other_id)
        if original is None:
            continue
        claim = new[link.claim_id]
        if original.assignee is not None:
            notice_send(recipient=original.assignee, actor=None, claim=claim, kind=Notice.Kind.MATCHED)
        webhooks_queue(claim=original, event="claim.matched", extra={"match": {
            "claim_id": claim.pk, "text": claim.text, "article_url": claim.article.url,
            "outlet": claim.article.outlet, "score": link.score, "method": link.method,
        }})


def article_claims_match(*, article_id: int) -> int:
    """After an extraction: vectors for the article's best claims (at most
    ``FACTCHECK_MATCH_PER_ARTICLE``, scoring at least ``FACTCHECK_MATCH_MIN_SCORE``: the
    claims the queue shows), then their suggestions.

    Matching never fails a job: an error is logged and the claims stay unmatched until the
    next extraction or ``match_claims``."""
    from django.conf import settings

    from ..selectors import queue_rank

    # In the queue's order (an attributed claim before the reporter's narration scoring a
    # little more), so that the claims vectorised are the ones the queue shows.
    ids = list(Claim.objects.filter(article_id=article_id, score__gte=settings.FACTCHECK_MATCH_MIN_SCORE)
               .order_by(queue_rank().desc(), "created_at", "id")
               .values_list("pk", flat=True)[:settings.FACTCHECK_MATCH_PER_ARTICLE])
    try:
        claims_vectorize(claim_ids=ids)
        return claim_matches_suggest(claim_ids=ids)
    except Exception:  # noqa: BLE001 - matching is a suggestion; the extraction stands
        logger.exception("matching the claims of article %s failed", article_id)
        return 0


def link_decide(*, link: MatchLink, user: AbstractBaseUser, state: str) -> MatchLink:
    """An editor confirms or rejects a suggested link (or changes their mind)."""
    permission_require(user, WORK_PERMISSION)
    if state not in (LinkState.CONFIRMED, LinkState.REJECTED):
        raise ValidationError({"state": "A link is confirmed or rejected."})
    with transaction.atomic():
        link = MatchLink.objects.select_for_update().get(pk=link.pk)
        link.state = state
        link.decided_by = user
        link.decided_at = timezone.now()
        link.save(update_fields=["state", "decided_by", "decided_at"])
        if state == LinkState.REJECTED and link.other_id is not None:
            cluster_recompute(claim_id=link.claim_id)
    return link


def link_close_as_checked(*, link: MatchLink, user: AbstractBaseUser) -> Claim:
    """Close a claim as already checked by the fact-check it was confirmed to match: a
    duplicate of our own published claim, or set aside as checked by another publisher."""
    if link.state != LinkState.CONFIRMED:
        raise ValidationError({"state": "Confirm the match first."})
    if link.other_id is not None:
        return claim_mark_duplicate(claim=link.claim, user=user, original=link.other)
    return claim_dismiss(claim=link.claim, user=user, reason="already_checked")


@dataclass(frozen=True)
class ThresholdAdvice:
    decisions: int
    confirmed: int
    threshold: float | None  # None: too few decisions to say
    f1: float | None


MIN_DECISIONS_TO_TUNE = 20


def threshold_from_decisions(*, claims: bool = False) -> ThresholdAdvice:
    """The suggestion threshold the editors' decisions support: of the links they confirmed
    (worth suggesting) and rejected (not), the score from which suggesting gives the best F1.
    Links an editor never looked at say nothing. Links to fact-checks (and to our published
    claims) by default, for FACTCHECK_MATCH_THRESHOLD; with ``claims``, links to other
    articles' claims, for FACTCHECK_MATCH_CLAIM_THRESHOLD."""
    ours = Q(other__status=ClaimStatus.PUBLISHED, other__verdict__published_at__isnull=False)
    kind = Q(other__isnull=False) & ~ours if claims else Q(factcheck__isnull=False) | ours
    decided = list(MatchLink.objects.filter(kind, state__in=[LinkState.CONFIRMED, LinkState.REJECTED])
                   .values_list("score", "state"))
    confirmed = sum(state == LinkState.CONFIRMED for _, state in decided)
    if len(decided) < MIN_DECISIONS_TO_TUNE or not 0 < confirmed < len(decided):
        return ThresholdAdvice(len(decided), confirmed, None, None)
    best: tuple[float, float] | None = None
    for cut in sorted({score for score, _ in decided}):
        tp = sum(score >= cut and state == LinkState.CONFIRMED for score, state in decided)
        fp = sum(score >= cut and state == LinkState.REJECTED for score, state in decided)
        f1 = 2 * tp / (2 * tp + fp + (confirmed - tp))
        if best is None or f1 > best[1]:
            best = (cut, f1)
    return ThresholdAdvice(len(decided), confirmed, round(best[0], 3), round(best[1], 3))


@dataclass(frozen=True)
class IndexBuild:
    built: bool
    count: int
    seconds: float
    message: str


def factcheck_index_build(*, force: bool = False) -> IndexBuild:
    """Build the fact-checks' vector index file and switch every process to it (each takes it
    up at its next refresh). Below ``FACTCHECK_MATCH_INDEX_MIN`` vectors nothing is built and
    any old file is removed, so that exact search goes on, unless ``force``.

    One build at a time on a machine: a build that finds another running (a slow one that
    outlasted beat's interval, or the command beside beat) is skipped."""
    import fcntl

    folder = matching.FACTCHECKS.pointer_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "build.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return IndexBuild(False, 0, 0.0, "another build of the index is running; this one is skipped")
        return _factcheck_index_build(force=force)


def _factcheck_index_build(*, force: bool) -> IndexBuild:
    import time
    from datetime import UTC

    import numpy as np
    from django.conf import settings

    from ..nlp.ann import VectorFile

    started = time.monotonic()
    index = matching.FACTCHECKS
    pointer = index.pointer_path
    encoder = vectors.load_default()
    if encoder is None:
        return IndexBuild(False, 0, 0.0, "no encoder shipped: matching uses words only, no vector index")
    # Rows changed in the last minutes may have committed after this read: they are left to
    # each process's exact search until the next build.
    vectors_refresh()  # after an encoder change: the old one's vectors are made again first
    covers_until = timezone.now() - matching.LiveIndex.OVERLAP
    keys, rows = [], []
    for row in matching.factcheck_rows(None):
        if row.vector is not None and row.changed_at <= covers_until:
            keys.append(matching.key_number(row.key))
            rows.append(np.frombuffer(bytes(row.vector), dtype="<f2"))
    if len(keys) < settings.FACTCHECK_MATCH_INDEX_MIN and not force:
        if pointer.exists():
            pointer.unlink()
        return IndexBuild(False, len(keys), time.monotonic() - started,
                          f"{len(keys)} fact-check vectors, fewer than FACTCHECK_MATCH_INDEX_MIN "
                          f"({settings.FACTCHECK_MATCH_INDEX_MIN}): searched exactly, no index built")
    block = np.vstack(rows).astype(np.float32) if rows else np.zeros((0, encoder.dimensions), dtype=np.float32)
    VectorFile.build(pointer, keys=np.asarray(keys, dtype=np.uint64), vectors=block,
                     covers_until=covers_until.astimezone(UTC).timestamp(), encoder=encoder.version)
    seconds = time.monotonic() - started
    return IndexBuild(True, len(keys), seconds, f"indexed {len(keys)} fact-check vectors in {seconds:.1f} s: {pointer}")
