"""The review workflow: a claim from new to published, or set aside.

Which step may be taken by whom, from which states, and to which state it moves the claim
is the table in claims/workflow.py (STEPS); each step here checks the user's permission
and locks the claim in one of its step's states from there, then checks what else must
hold, and runs in one transaction. Every change lands in the history tables.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import ClaimStatus, Stance, dismiss_reason_stored
from ..errors import WorkflowError
from ..models import Claim, Correction, Notice, Rating, Source, Verdict, VerdictTranslation, site_languages
from ..public_cache import public_cache_expire
from ..search import claim_index
from ..workflow import STEPS, state_names, step_is_open
from .permissions import WORK_PERMISSION, permission_require
from .team import notice_send
from .webhooks import webhooks_queue

logger = logging.getLogger(__name__)


def _permission_check(user: AbstractBaseUser | None, step: str) -> None:
    permission_require(user, STEPS[step].permission)


def _lock(claim: Claim, step: str | None) -> Claim:
    """The claim's row, locked, in one of the states the step may start from (with no
    step, in whatever state it is: the caller chooses the step by it)."""
    locked = Claim.objects.select_for_update().filter(pk=claim.pk).first()
    if locked is None:  # a new extraction of its article removed it before this step
        raise WorkflowError(_("This claim is no longer there: its article was extracted again without it."))
    if step is not None:
        _state_check(locked, step)
    return locked


def _state_check(locked: Claim, step: str) -> None:
    if not step_is_open(step, locked.status):
        names = state_names(STEPS[step].sources)
        raise WorkflowError(
            _("This claim is %(status)s; this step needs it to be: %(states)s.")
            % {"status": locked.get_status_display().lower(), "states": names}
        )


def claim_assign(*, claim: Claim, user: AbstractBaseUser, assignee: AbstractBaseUser | None = None) -> Claim:
    """Put a claim in someone's hands (the user's own by default) and start its review.

    A colleague given the claim by someone else gets a notice (claims.services.team).
    """
    _permission_check(user, "assign")
    assignee = assignee or user
    if not assignee.is_active or not assignee.has_perm(WORK_PERMISSION):
        raise ValidationError({"assignee": _("Claims can only be assigned to editors.")})
    with transaction.atomic():
        claim = _lock(claim, "assign")
        if claim.assignee_id == assignee.pk and claim.status == STEPS["assign"].target:
            return claim  # already theirs: no second notice, no empty history row
        claim.assignee = assignee
        claim.status = STEPS["assign"].target
        claim._change_reason = f"assigned to {assignee.get_username()}"
        claim._history_user = user
        claim.save(update_fields=["assignee", "status", "updated_at"])
        if assignee.pk != user.pk:
            notice_send(recipient=assignee, actor=user, claim=claim, kind=Notice.Kind.ASSIGNED)
    return claim


def claim_dismiss(*, claim: Claim, user: AbstractBaseUser, reason: str) -> Claim:
    """Set a claim aside as not worth checking, with the reason on record."""
    _permission_check(user, "dismiss")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the claim is dismissed.")})
    with transaction.atomic():
        claim = _lock(claim, "dismiss")
        claim.status = STEPS["dismiss"].target
        claim.dismiss_reason = dismiss_reason_stored(reason)[:200]
        claim._change_reason = f"dismissed: {claim.dismiss_reason}"
        claim._history_user = user
        claim.save(update_fields=["status", "dismiss_reason", "updated_at"])
    return claim


def claim_mark_duplicate(*, claim: Claim, user: AbstractBaseUser, original: Claim) -> Claim:
    """Fold a claim into another that says the same; work continues on the original."""
    _permission_check(user, "duplicate")
    while original.duplicate_of_id:  # point at the root, never at another duplicate
        original = original.duplicate_of
    if original.pk == claim.pk:
        raise ValidationError({"original": _("A claim cannot be a duplicate of itself.")})
    with transaction.atomic():
        claim = _lock(claim, "duplicate")
        claim.status = STEPS["duplicate"].target
        claim.duplicate_of = original
        claim.dismiss_reason = dismiss_reason_stored("duplicate")
        claim._change_reason = f"duplicate of claim {original.pk}"
        claim._history_user = user
        claim.save(update_fields=["status", "duplicate_of", "dismiss_reason", "updated_at"])
    return claim


def source_add(
    *, claim: Claim, user: AbstractBaseUser, url: str, title: str = "", publisher: str = "",
    quote: str = "", stance: str = Stance.CONTEXT, archived_url: str = "",
) -> Source:
    """Log a piece of evidence on a claim under review."""
    _permission_check(user, "source")
    with transaction.atomic():
        claim = _lock(claim, "source")
        source = Source(
            claim=claim, url=url, title=title, publisher=publisher, quote=quote, stance=stance,
            archived_url=archived_url, added_by=user, checked_at=timezone.now(),
        )
        source.full_clean()
        source._history_user = user
        source.save()
        if claim.status == ClaimStatus.NEW:
            claim.status = ClaimStatus.IN_REVIEW
            claim.assignee = claim.assignee or user
            claim._change_reason = "review started with a source"
            claim._history_user = user
            claim.save(update_fields=["status", "assignee", "updated_at"])
    return source


SOURCE_FIELDS = ("url", "title", "publisher", "quote", "stance", "archived_url")


def source_update(*, source: Source, user: AbstractBaseUser, **changes: str) -> Source:
    """Correct a piece of evidence on a claim still under review.

    The sources of a published, dismissed or duplicate claim stay as they were: what a
    published fact-check cites changes only with a correction of the verdict.
    """
    _permission_check(user, "source_edit")
    unknown = sorted(set(changes) - set(SOURCE_FIELDS))
    if unknown:
        raise ValidationError(_("These fields of a source cannot be changed: %(fields)s.") % {"fields": ", ".join(unknown)})
    with transaction.atomic():
        _lock(Claim(pk=source.claim_id), "source_edit")
        source = Source.objects.select_for_update().get(pk=source.pk)
        for name, value in changes.items():
            setattr(source, name, value)
        source.full_clean()
        if changes:
            source._change_reason = f"changed by {user.get_username()}"
            source._history_user = user
            source.save(update_fields=list(changes))
    return source


def verdict_language_default(claim: Claim) -> str:
    """The language a verdict on the claim is written in unless the editor says otherwise:
    the claim's, when the site speaks it."""
    from django.conf import settings

    return claim.language if claim.language in site_languages() else settings.LANGUAGE_CODE


def verdict_draft(
    *, claim: Claim, user: AbstractBaseUser, rating: Rating, headline: str, summary: str,
    rationale: str = "", language: str = "",
) -> Verdict:
    """Write (or rewrite) the verdict on a claim under review; it stays private.

    It is written in ``language`` (the claim's by default; see ``verdict_language_default``)
    and shows its rating's label in that language. A verdict once published is never drafted
    over, whatever the claim's status says: its text changes only by a correction
    (``verdict_correct``), which readers and partners see.
    """
    _permission_check(user, "draft")
    with transaction.atomic():
        claim = _lock(claim, "draft")
        verdict = Verdict.objects.select_for_update().filter(claim=claim).first() or Verdict(claim=claim)
        if verdict.published_at is not None:
            raise WorkflowError(_("This verdict has been published; change it with a correction."))
        verdict.rating = rating
        verdict.language = language or verdict.language or verdict_language_default(claim)
        verdict.headline = headline.strip()
        verdict.summary = summary.strip()
        verdict.rationale = rationale.strip()
        verdict.drafted_by = user
        verdict.full_clean()
        verdict._history_user = user
        verdict.save()
        claim.status = STEPS["draft"].target
        claim._change_reason = "verdict drafted"
        claim._history_user = user
        claim.save(update_fields=["status", "updated_at"])
    return verdict


def verdict_drafters(verdict: Verdict) -> set[int]:
    """The ids of everyone who wrote a version of the verdict's draft (its history keeps
    each version with its writer)."""
    drafters = set(verdict.history.exclude(drafted_by=None).values_list("drafted_by_id", flat=True))
    if verdict.drafted_by_id is not None:
        drafters.add(verdict.drafted_by_id)
    return drafters


def two_person_rule_check(*, verdict: Verdict, user: AbstractBaseUser, step: str) -> None:
    """With FACTCHECK_TWO_PERSON_RULE on, whoever drafted a verdict (any version of it) may
    neither publish it nor, once published, correct it alone: a second publisher does."""
    if not settings.FACTCHECK_TWO_PERSON_RULE or user.pk not in verdict_drafters(verdict):
        return
    if step == "publish":
        message = _("You drafted this verdict, so another publisher must publish it (the two-person rule).")
    else:
        message = _("You drafted this verdict, so another publisher must correct it (the two-person rule).")
    raise WorkflowError(message, code="two_person_rule")


def verdict_publish(*, claim: Claim, user: AbstractBaseUser) -> Verdict:
    """Put a drafted verdict out: it needs a rating, at least one source and, under the
    two-person rule, a publisher who did not draft it."""
    _permission_check(user, "publish")
    with transaction.atomic():
        claim = _lock(claim, "publish")
        verdict = Verdict.objects.select_for_update().filter(claim=claim).first()
        if verdict is None or verdict.rating_id is None:
            raise WorkflowError(_("Publishing needs a verdict with a rating."))
        if not claim.sources.exists():
            raise WorkflowError(_("Publishing needs at least one source."))
        two_person_rule_check(verdict=verdict, user=user, step="publish")
        verdict.published_at = timezone.now()
        verdict.published_by = user
        verdict._change_reason = f"published by {user.get_username()}"
        verdict._history_user = user
        verdict.save(update_fields=["published_at", "published_by", "updated_at"])
        claim.status = STEPS["publish"].target
        claim._change_reason = f"published by {user.get_username()}"
        claim._history_user = user
        claim.save(update_fields=["status", "updated_at"])
        _published_changed(claim, "verdict.published")
    # A published fact-check is matched against: it needs its vector (a claim the job did
    # not vectorise, below the queue's first few, gets it here; one claim, milliseconds).
    # The open claims already in the queue that it settles say so now.
    from .matching import claims_vectorize, published_claim_match_claims

    claims_vectorize(claim_ids=[claim.pk])
    published_claim_match_claims(claim_id=claim.pk)
    return verdict


def verdict_correct(
    *, claim: Claim, user: AbstractBaseUser, note: str, rating: Rating | None = None,
    headline: str | None = None, summary: str | None = None, rationale: str | None = None,
) -> Correction:
    """Change a published verdict's rating, headline, summary or rationale (None: keep it).

    The correction keeps the values before and after and which of them changed; readers
    see it with its note. Under the two-person rule the verdict's drafter may not make it.
    """
    _permission_check(user, "correct")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("A correction needs a note for readers.")})
    with transaction.atomic():
        claim = _lock(claim, "correct")
        verdict = Verdict.objects.select_for_update().select_related("rating").get(claim=claim)
        two_person_rule_check(verdict=verdict, user=user, step="correct")
        before = {name: getattr(verdict, name) for name in Verdict.CORRECTABLE_FIELDS}
        given = {"rating": rating, "headline": headline, "summary": summary, "rationale": rationale}
        for name, value in given.items():
            if value is not None:
                setattr(verdict, name, value.strip() if isinstance(value, str) else value)
        changed = [name for name in Verdict.CORRECTABLE_FIELDS if getattr(verdict, name) != before[name]]
        if not changed:
            raise ValidationError(_("Nothing changed: a correction changes the rating, headline, summary "
                                    "or rationale."))
        verdict.full_clean()
        verdict._change_reason = f"correction: {note[:80]}"
        verdict._history_user = user
        verdict.save()
        correction = Correction(
            verdict=verdict, previous_rating=before["rating"], previous_headline=before["headline"],
            previous_summary=before["summary"], previous_rationale=before["rationale"],
            new_rating=verdict.rating, new_headline=verdict.headline, new_summary=verdict.summary,
            new_rationale=verdict.rationale, changed=changed, note=note, corrected_by=user,
        )
        correction.full_clean()
        correction._history_user = user
        correction.save()
        claim._change_reason = f"corrected by {user.get_username()}: {', '.join(changed)}"
        claim.save(update_fields=["updated_at"])
        _published_changed(claim, "verdict.corrected")
    return correction


def _correction_record(*, verdict: Verdict, user: AbstractBaseUser, note: str) -> Correction:
    """A published claim edited (its wording, speaker ...): a public correction whose verdict
    values stay as they are, with a note for readers. Under the two-person rule the
    verdict's drafter may not make it."""
    two_person_rule_check(verdict=verdict, user=user, step="correct")
    correction = Correction(
        verdict=verdict, previous_rating=verdict.rating, previous_headline=verdict.headline,
        previous_summary=verdict.summary, previous_rationale=verdict.rationale,
        new_rating=verdict.rating, new_headline=verdict.headline, new_summary=verdict.summary,
        new_rationale=verdict.rationale, changed=["claim"], note=note, corrected_by=user,
    )
    correction._history_user = user
    correction.save()
    return correction


# What an editor may correct of the extraction: the claim as it will be checked.
CLAIM_EDIT_FIELDS = ("text", "speaker", "speaker_role", "speaker_kind", "claim_type", "claimed_on")


def claim_edit(*, claim: Claim, user: AbstractBaseUser, note: str = "", **changes: object) -> Claim:
    """Correct what the extraction got wrong: the claim's wording (as it will be checked),
    its speaker, their role and kind, the claim's type and the day it was made.

    The new values are written over the claim's own fields, so that every reader (pages,
    feeds, API, ClaimReview, search) sees the claim as checked. What the extractor found is
    kept in ``claim.extracted`` from the first edit on, and an edited claim counts as worked:
    extracting its article again never changes it (claims_store).

    Before publication an editor may edit (step "edit"). Once published, the claim is a
    public fact-check: only a publisher may edit it, with a note for readers, and the edit
    is published as a correction (step "edit_published").
    """
    unknown = sorted(set(changes) - set(CLAIM_EDIT_FIELDS))
    if unknown:
        raise ValidationError(f"These fields of a claim cannot be edited: {', '.join(unknown)}.")
    note = (note or "").strip()
    with transaction.atomic():
        claim = _lock(claim, None)
        step = "edit_published" if claim.status == ClaimStatus.PUBLISHED else "edit"
        _permission_check(user, step)
        _state_check(claim, step)
        before = {name: getattr(claim, name) for name in CLAIM_EDIT_FIELDS}
        for name, value in changes.items():
            setattr(claim, name, value.strip() if isinstance(value, str) else value)
        claim.full_clean(exclude=[f.name for f in claim._meta.fields if f.name not in changes])
        changed = [name for name in CLAIM_EDIT_FIELDS if getattr(claim, name) != before[name]]
        if not changed:
            return claim
        if step == "edit_published" and not note:
            raise ValidationError({"note": "Editing a published claim needs a note for readers."})
        if claim.extracted is None:
            claim.extracted = {name: _json_value(value) for name, value in before.items()}
        claim.edited_by = user
        claim.edited_at = timezone.now()
        claim._change_reason = f"edited: {', '.join(changed)}"
        claim._history_user = user
        saved = [*changed, "extracted", "edited_by", "edited_at", "updated_at"]
        if "text" in changed:
            claim.vector = None  # matched by its new words (below, once this commits)
            saved.append("vector")
        claim.save(update_fields=saved)
        if "text" in changed:
            from .matching import claims_vectorize

            claim_id = claim.pk
            transaction.on_commit(lambda: claims_vectorize(claim_ids=[claim_id]))
        if step == "edit_published":
            _correction_record(verdict=Verdict.objects.select_for_update().get(claim=claim), user=user, note=note)
            _published_changed(claim, "verdict.corrected")
    return claim


def _json_value(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def verdict_translate(
    *, claim: Claim, user: AbstractBaseUser, language: str, headline: str, summary: str, rationale: str = "",
) -> VerdictTranslation:
    """Write (or rewrite) a published verdict's translation into ``language``.

    Saved, the translation is a draft: readers see it once a publisher publishes it
    (``verdict_translation_publish``). A published translation that is changed is withdrawn
    until a publisher publishes it again: no words reach readers without a second look.
    """
    _permission_check(user, "translate")
    with transaction.atomic():
        claim = _lock(claim, "translate")
        verdict = Verdict.objects.select_for_update().get(claim=claim)
        translation = (VerdictTranslation.objects.select_for_update().filter(verdict=verdict, language=language)
                       .first() or VerdictTranslation(verdict=verdict, language=language))
        was_public = translation.published_at is not None
        translation.headline = headline.strip()
        translation.summary = summary.strip()
        translation.rationale = rationale.strip()
        translation.translator = user
        translation.published_at = None
        translation.full_clean()
        translation._change_reason = f"translation into {language} saved by {user.get_username()}"
        translation.save()
        if was_public:
            transaction.on_commit(public_cache_expire)
    return translation


def verdict_translation_publish(*, claim: Claim, user: AbstractBaseUser, language: str) -> VerdictTranslation:
    """Put a drafted translation of a published verdict out."""
    _permission_check(user, "translation_publish")
    with transaction.atomic():
        claim = _lock(claim, "translation_publish")
        translation = (VerdictTranslation.objects.select_for_update()
                       .filter(verdict__claim=claim, language=language).first())
        if translation is None:
            raise WorkflowError("There is no translation into this language to publish.")
        if translation.published_at is not None:
            raise WorkflowError("This translation is published already.")
        translation.published_at = timezone.now()
        translation._change_reason = f"translation into {language} published by {user.get_username()}"
        translation.save(update_fields=["published_at", "updated_at"])
        transaction.on_commit(public_cache_expire)
    return translation


def _published_changed(claim: Claim, event: str) -> None:
    """What follows a publication or correction: search, public caches, partners."""
    claim_index(claim=claim)
    transaction.on_commit(public_cache_expire)
    webhooks_queue(claim=claim, event=event)
