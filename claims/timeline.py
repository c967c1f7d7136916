"""One timeline per claim: everything that happened to it, with who and when.

Read from what is already recorded, in a fixed number of queries whatever the number of
events: the history tables of the claim, its sources and its verdict (django-simple-
history), the verdict's corrections (written once, never changed) and the extraction jobs
of its article. Extraction writes claims in bulk, without history rows; the claim's own
``created_at`` and the job rows say when it was found and re-read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import ClaimStatus, ClaimType, SpeakerKind
from .display import dismiss_reason_display
from .models import Claim, Correction, ExtractionJob, Source, Verdict

# The fields of a claim an editor edits (services.claim_edit), as the timeline names them.
EDITED_FIELD_LABELS = {
    "text": gettext_lazy("Wording"),
    "speaker": gettext_lazy("Speaker"),
    "speaker_role": gettext_lazy("Role"),
    "speaker_kind": gettext_lazy("Kind of speaker"),
    "claim_type": gettext_lazy("Type"),
    "claimed_on": gettext_lazy("Date"),
}
_CHOICES = {"speaker_kind": dict(SpeakerKind.choices), "claim_type": dict(ClaimType.choices)}


@dataclass(frozen=True)
class Event:
    when: dt.datetime
    kind: str  # extraction, edit, assignment, dismissal, duplicate, change, source_added,
    # source_changed, source_removed, draft, publication, correction
    what: str  # the event in a few words, translated
    detail: str = ""
    who: str = ""  # a username; "" for the system (the extractor, a command)


def value_shown(name: str, value: object) -> str:
    """A claim field's value as a reader of the timeline or the desk should see it."""
    if value in (None, ""):
        return "—"
    if name in _CHOICES:
        return str(_CHOICES[name].get(value, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _who(row) -> str:  # noqa: ANN001
    return row.history_user.get_username() if row.history_user_id and row.history_user else ""


def _claim_events(claim: Claim) -> list[Event]:
    rows = list(
        Claim.history.filter(id=claim.pk).select_related("history_user", "assignee")
        .order_by("history_date", "history_id")
    )
    # What the claim was before its first recorded change: as extracted, nobody's.
    before = {"status": ClaimStatus.NEW, "assignee_id": None, "duplicate_of_id": None}
    if rows:
        original = claim.extracted or {}
        for name in EDITED_FIELD_LABELS:
            value = original.get(name, getattr(rows[0], name))
            if name == "claimed_on" and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            before[name] = value
    events = []
    for row in rows:
        if row.history_type == "+":
            before = {name: getattr(row, name) for name in before}
            continue
        who, when = _who(row), row.history_date
        edits = [name for name in EDITED_FIELD_LABELS if getattr(row, name) != before[name]]
        if edits:
            events.append(Event(when, "edit", _("Edited"), "; ".join(
                f"{EDITED_FIELD_LABELS[n]}: {value_shown(n, before[n])} → {value_shown(n, getattr(row, n))}"
                for n in edits), who))
        status_changed = row.status != before["status"]
        if row.status == ClaimStatus.DISMISSED and status_changed:
            events.append(Event(when, "dismissal", _("Dismissed"), dismiss_reason_display(row.dismiss_reason), who))
        elif row.status == ClaimStatus.DUPLICATE and status_changed:
            events.append(Event(when, "duplicate", _("Marked as a duplicate"),
                                _("of claim #%(id)s") % {"id": row.duplicate_of_id}, who))
        elif row.assignee_id != before["assignee_id"]:
            events.append(Event(when, "assignment", _("Assigned"),
                                row.assignee.get_username() if row.assignee else _("nobody"), who))
        elif status_changed and row.status not in (ClaimStatus.VERDICT_DRAFTED, ClaimStatus.PUBLISHED):
            # Drafting and publishing are told by the verdict's own history.
            events.append(Event(when, "change", _("Status changed"), row.get_status_display(), who))
        elif not edits and not status_changed and not row.history_change_reason:
            # A save of the claim's form with no step behind it: its topics. (A step that
            # leaves the claim's own fields as they were, redrafting, is the verdict's event.)
            events.append(Event(when, "change", _("Changed"), _("topics or other details"), who))
        before = {name: getattr(row, name) for name in before}
    return events


def _source_events(claim: Claim) -> list[Event]:
    what = {"+": ("source_added", _("Source added")), "~": ("source_changed", _("Source changed")),
            "-": ("source_removed", _("Source removed"))}
    rows = Source.history.filter(claim_id=claim.pk).select_related("history_user").order_by("history_date")
    return [
        Event(row.history_date, *what[row.history_type],
              f"{row.title or row.url} ({row.get_stance_display()})", _who(row))
        for row in rows
    ]


def _verdict_events(claim: Claim) -> list[Event]:
    rows = (Verdict.history.filter(claim_id=claim.pk).select_related("history_user", "rating")
            .order_by("history_date", "history_id"))
    events, published = [], False
    for row in rows:
        finding = f"{row.rating.label if row.rating else '?'} — {row.headline}"
        if row.history_type == "+":
            events.append(Event(row.history_date, "draft", _("Verdict drafted"), finding, _who(row)))
        elif row.history_type == "-":
            events.append(Event(row.history_date, "change", _("Verdict removed"), finding, _who(row)))
        elif row.published_at and not published:
            events.append(Event(row.history_date, "publication", _("Published"), finding, _who(row)))
        elif not row.published_at:
            events.append(Event(row.history_date, "draft", _("Draft revised"), finding, _who(row)))
        # A published verdict changes only with a correction: told by the correction's row.
        published = row.published_at is not None
    return events


def _correction_events(claim: Claim) -> list[Event]:
    # Corrections are written once and never changed: their own rows tell it, also for
    # those made before corrections had a history table.
    rows = (Correction.objects.filter(verdict__claim_id=claim.pk)
            .select_related("corrected_by", "previous_rating").order_by("created_at", "id"))
    return [
        Event(row.created_at, "correction", _("Correction published"),
              _("%(note)s (earlier: %(rating)s — %(headline)s)") % {
                  "note": row.note, "rating": row.previous_rating.label, "headline": row.previous_headline},
              row.corrected_by.get_username() if row.corrected_by else "")
        for row in rows
    ]


def _extraction_events(claim: Claim) -> list[Event]:
    events = [Event(claim.created_at, "extraction", _("Found by extraction"),
                    _("score %(score)s, extractor %(version)s") % {
                        "score": f"{claim.score:.2f}", "version": claim.extractor_version or "—"})]
    jobs = (ExtractionJob.objects.filter(article_id=claim.article_id)
            .only("id", "status", "claims_found", "created_at", "finished_at", "error"))
    for job in jobs:
        detail = job.get_status_display()
        if job.claims_found is not None:
            detail = _("%(status)s: %(n)d claims found") % {"status": detail, "n": job.claims_found}
        elif job.error:
            detail = f"{detail}: {job.error}"
        events.append(Event(job.finished_at or job.created_at, "extraction",
                            _("Article extracted (job #%(id)s)") % {"id": job.pk}, detail))
    return events


def claim_timeline(*, claim: Claim) -> list[Event]:
    """The claim's events, oldest first: five queries, however many there are."""
    events = [
        *_extraction_events(claim), *_claim_events(claim), *_source_events(claim),
        *_verdict_events(claim), *_correction_events(claim),
    ]
    return sorted(events, key=lambda e: e.when)
