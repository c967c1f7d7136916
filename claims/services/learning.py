"""Learning from the desk: the newsroom's layer over the shipped scorer, refitted from the
editors' decisions and switched in only when it measures better (claims.nlp.newsroom_layer).

The decisions are split by article and by time: the articles decided last are held out,
and both the layer in use (or the shipped model, when there is none) and the new one are
measured on them. The new layer is switched in only when its held-out log-loss is lower
and its F1 at the queue's cut no lower. Every fit is kept in ScorerLayer with its figures.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from .. import nlp, selectors
from ..choices import ClaimOrigin, ClaimStatus, dismiss_reason_stored
from ..models import Claim, ScorerLayer, Source
from ..nlp import newsroom_layer
from .permissions import PUBLISH_PERMISSION

logger = logging.getLogger(__name__)

# The share of decisions (the latest articles') held out to measure old and new on.
HELD_OUT_SHARE = 0.3
# Fewer than this many of either label on either side of the split measures nothing.
MIN_PER_LABEL = 5


# Dismissed for these reasons: the desk said "not worth checking". Other reasons
# (duplicate, out of scope, extraction error, prediction) say nothing about that.
NOT_WORTH_REASONS = ("not_checkworthy", "opinion")


@dataclass(frozen=True)
class Decision:
    """One editor decision as a label: 1 worth checking, 0 not."""

    claim_id: int
    article_id: int
    label: int
    decided_at: datetime
    example: newsroom_layer.Example


def decision_labels() -> list[Decision]:
    """Every claim the desk has decided on: published or given a source is worth checking;
    dismissed as not check-worthy or as opinion is not. A dismissal is the last word, even
    on a claim that had a source. Ordered by when it was decided."""
    sources = Source.objects.filter(claim=OuterRef("pk"))
    claims = (
        Claim.objects.annotate(
            has_source=Exists(sources),
            first_source_at=Subquery(sources.order_by("created_at").values("created_at")[:1]),
        )
        .filter(
            Q(status=ClaimStatus.PUBLISHED)
            # Reasons are stored in English (services.workflow): compared in English, whatever
            # language the desk (a publisher's "retrain now") speaks.
            | Q(status=ClaimStatus.DISMISSED, dismiss_reason__in=[dismiss_reason_stored(r) for r in NOT_WORTH_REASONS])
            | (Q(has_source=True) & ~Q(status__in=[ClaimStatus.DISMISSED, ClaimStatus.DUPLICATE]))
        )
        # A reader's tip is not a sentence the extractor scored: it teaches the layer nothing.
        .exclude(origin=ClaimOrigin.TIP)
        .select_related("verdict")
        .only(
            "id", "article_id", "status", "score", "shipped_score", "features", "reasons", "language",
            "speaker_kind", "updated_at", "verdict__published_at",
        )
    )
    decisions = []
    for claim in claims:
        if claim.status == ClaimStatus.DISMISSED:
            label, at = 0, claim.updated_at
        else:
            verdict = getattr(claim, "verdict", None)
            published = verdict.published_at if verdict is not None else None
            label, at = 1, published or claim.first_source_at or claim.updated_at
        decisions.append(Decision(claim.pk, claim.article_id, label, at, claim_example(claim)))
    decisions.sort(key=lambda d: (d.decided_at, d.claim_id))
    return decisions


@dataclass(frozen=True)
class TrainingOutcome:
    """What a training did: ``switched``, ``kept`` (fitted, not better) or ``refused``."""

    status: str
    message: str
    layer: ScorerLayer | None = None


def claim_example(claim: Claim) -> newsroom_layer.Example:
    """A stored claim as the layer reads it. Claims stored before their features were have
    them read back from their reasons."""
    features = claim.features or newsroom_layer.features_from_reasons(claim.reasons or [])
    shipped = claim.score if claim.shipped_score is None else claim.shipped_score
    return newsroom_layer.Example(shipped, tuple(features), claim.language, claim.speaker_kind)


def _split(decisions: Sequence[Decision]) -> tuple[list, list]:
    """Training and held-out decisions: whole articles, the last decided held out."""
    by_article: dict[int, list[Decision]] = {}
    for d in decisions:
        by_article.setdefault(d.article_id, []).append(d)
    articles = sorted(by_article.values(), key=lambda ds: (min(d.decided_at for d in ds), ds[0].article_id))
    held_out: list[Decision] = []
    while articles and len(held_out) < HELD_OUT_SHARE * len(decisions):
        held_out = articles.pop() + held_out
    return [d for ds in articles for d in ds], held_out


def _refusal(decisions: Sequence[Decision], train: list, test: list) -> str | None:
    minimum = settings.FACTCHECK_LEARN_MIN_DECISIONS
    if len(decisions) < minimum:
        return (
            f"only {len(decisions)} editor decisions (published, sourced, or dismissed as not "
            f"check-worthy or opinion); the layer is trained from {minimum}"
        )
    for name, part in (("training", train), ("held-out", test)):
        worth = sum(d.label for d in part)
        if min(worth, len(part) - worth) < MIN_PER_LABEL:
            return (
                f"the {name} decisions have {worth} worth checking and {len(part) - worth} not; "
                f"each needs at least {MIN_PER_LABEL} to measure anything"
            )
    return None


def layer_train(*, triggered_by: str) -> TrainingOutcome:
    """Refit the newsroom's layer from the desk's decisions; switch it in if it is better."""
    decisions = decision_labels()
    train, test = _split(decisions)
    refused = _refusal(decisions, train, test)
    if refused is not None:
        return TrainingOutcome("refused", f"Not trained: {refused}.")
    cut = settings.FACTCHECK_QUEUE_CUT
    test_examples = [d.example for d in test]
    test_labels = [d.label for d in test]
    current = ScorerLayer.objects.filter(active=True).first()
    old_coefficients = current.coefficients if current else newsroom_layer.identity()
    coefficients = newsroom_layer.fit([d.example for d in train], [d.label for d in train])
    old = newsroom_layer.figures(newsroom_layer.predict(old_coefficients, test_examples), test_labels, cut=cut)
    new = newsroom_layer.figures(newsroom_layer.predict(coefficients, test_examples), test_labels, cut=cut)
    old_name = f"layer {current.pk}" if current else "the shipped model"
    better = newsroom_layer.is_better(new, old)
    note = (
        f"held out {len(test)} decisions (the latest articles'), trained on {len(train)}: "
        f"log-loss {new['log_loss']:.4f} against {old['log_loss']:.4f} for {old_name}, "
        f"F1 at {cut:g} {new['f1']:.4f} against {old['f1']:.4f}; "
        + ("switched in" if better else f"not better, {old_name} stays in use")
    )
    figures = {"old": {**old, "model": old_name}, "new": new, "cut": cut, "trained_on": len(train)}
    values = {"coefficients": coefficients, "figures": figures, "decisions": len(decisions),
              "triggered_by": triggered_by[:200]}
    layer = None
    if better:
        try:
            with transaction.atomic():
                in_use = ScorerLayer.objects.select_for_update().filter(active=True).values_list("pk", flat=True)
                if list(in_use) == ([current.pk] if current else []):
                    ScorerLayer.objects.filter(active=True).update(active=False)
                    layer = ScorerLayer.objects.create(**values, active=True, activated_at=timezone.now(), note=note)
        except IntegrityError:  # another training switched its layer in at the same moment
            layer = None
        if layer is None:
            better = False
            note += ", but another training switched its layer in meanwhile: not switched"
    if layer is None:
        layer = ScorerLayer.objects.create(**values, active=False, note=note)
    logger.info("newsroom layer %s: %s", layer.pk, note)
    return TrainingOutcome("switched" if better else "kept", f"Layer {layer.pk}: {note}.", layer)


def claims_rescore_open(*, batch: int = 500) -> int:
    """Score again, with the layer in use (or the shipped score when none is), the claims
    nobody has touched yet; the rest keep the score the desk worked from. How many changed."""
    layer = layer_active()
    coefficients = layer.coefficients if layer is not None else newsroom_layer.identity()
    untouched = selectors.claims_untouched(Claim.objects.all()).order_by("pk")
    changed = 0
    last = 0
    while True:
        claims = list(
            untouched.filter(pk__gt=last).only(
                "id", "score", "shipped_score", "features", "reasons", "language", "speaker_kind"
            )[:batch]
        )
        if not claims:
            return changed
        last = claims[-1].pk
        examples = [claim_example(c) for c in claims]
        todo = []
        for claim, example, p in zip(claims, examples, newsroom_layer.predict(coefficients, examples), strict=True):
            reasons = [r for r in claim.reasons or [] if not str(r).startswith(newsroom_layer.REASON_START)]
            if layer is not None:
                reasons.insert(0, newsroom_layer.reason(p, example.shipped_score))
            score = round(min(1.0, max(0.0, p)), 4)
            if claim.score != score or claim.reasons != reasons or claim.shipped_score is None:
                claim.score, claim.reasons, claim.shipped_score = score, reasons, example.shipped_score
                claim.updated_at = timezone.now()
                todo.append(claim)
        with transaction.atomic():
            # Said again in SQL: a claim an editor took up meanwhile is left as it is.
            still = set(selectors.claims_untouched(Claim.objects.filter(pk__in=[c.pk for c in todo]))
                        .values_list("pk", flat=True))
            todo = [c for c in todo if c.pk in still]
            Claim.objects.bulk_update(todo, ["score", "reasons", "shipped_score", "updated_at"])
        changed += len(todo)


def layer_train_by(*, user: AbstractBaseUser | None) -> TrainingOutcome:
    """``layer_train`` on an editor's behalf: superusers and publishers only."""
    if user is None or not user.is_active or not (user.is_superuser or user.has_perm(PUBLISH_PERMISSION)):
        raise PermissionDenied("Only publishers may retrain the newsroom's scoring layer.")
    return layer_train(triggered_by=f"admin: {user.get_username()}")


_cache = threading.local()


def layer_active() -> ScorerLayer | None:
    """The layer in use, loaded again only when another one has been switched in: one
    small query for its id per call, the coefficients kept per thread."""
    active_id = ScorerLayer.objects.filter(active=True).values_list("pk", flat=True).first()
    cached = getattr(_cache, "layer", None)
    if active_id is None:
        _cache.layer = None
    elif cached is None or cached.pk != active_id:
        _cache.layer = ScorerLayer.objects.filter(pk=active_id).first()
    return _cache.layer


def layer_scores(
    layer: ScorerLayer | None, extracted: Sequence[nlp.ExtractedClaim]
) -> list[tuple[float, tuple[str, ...]]]:
    """Each claim's score and reasons with the layer applied (as they were without one)."""
    if layer is None or not extracted:
        return [(c.score, tuple(c.reasons)) for c in extracted]
    examples = [
        newsroom_layer.Example(c.score, c.features, c.language, c.speaker_kind or "") for c in extracted
    ]
    return [
        (round(p, 4), (newsroom_layer.reason(p, c.score), *c.reasons))
        for c, p in zip(extracted, newsroom_layer.predict(layer.coefficients, examples), strict=True)
    ]
