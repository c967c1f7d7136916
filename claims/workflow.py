"""The claim workflow's rules, as data: each step, who may take it, from which states, what
it moves the claim to and what else must hold.

One table, read by the services (claims.services.workflow: the permission they check, the
states they lock the claim in, the state they set) and by the admin (the buttons a claim's
page offers). A new step, or a changed rule, is a change here.

    new -> in_review (assigned) -> verdict_drafted -> published
    new / in_review -> dismissed, or duplicate

A published claim changes only by a correction, which readers and partners see. That holds
for an editor's change to the claim itself (its wording, speaker, date...): before
publication any editor may make it ("edit"); once published only a publisher may, with a
note for readers that is recorded as a correction of the fact-check ("edit_published").
Dismissed and duplicate claims are set aside and not edited. A published verdict may be
translated (an editor drafts, a publisher publishes the translation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .choices import ClaimStatus

WORK_PERMISSION = "claims.work_claim"
PUBLISH_PERMISSION = "claims.publish_verdict"

# Claims nobody has drafted a verdict on yet: they may still be assigned or set aside.
UNDECIDED_STATUSES = (ClaimStatus.NEW, ClaimStatus.IN_REVIEW)
# Claims still under review: their evidence may be added to and corrected.
OPEN_STATUSES = (ClaimStatus.NEW, ClaimStatus.IN_REVIEW, ClaimStatus.VERDICT_DRAFTED)


@dataclass(frozen=True)
class Step:
    permission: str
    sources: tuple[ClaimStatus, ...]  # the states the claim may be in
    target: ClaimStatus | None  # the state it ends in; None: it stays (see `needs`)
    needs: str = ""  # what else must hold, checked by the service, in words


STEPS: dict[str, Step] = {
    "assign": Step(WORK_PERMISSION, UNDECIDED_STATUSES, ClaimStatus.IN_REVIEW,
                   "the assignee is an editor (the user by default)"),
    "dismiss": Step(WORK_PERMISSION, UNDECIDED_STATUSES, ClaimStatus.DISMISSED, "a reason"),
    "duplicate": Step(WORK_PERMISSION, UNDECIDED_STATUSES, ClaimStatus.DUPLICATE,
                      "an original claim other than this one (its root, if it is a duplicate)"),
    "source": Step(WORK_PERMISSION, OPEN_STATUSES, None,
                   "a valid source; a new claim goes in review, assigned to the user"),
    "source_edit": Step(WORK_PERMISSION, OPEN_STATUSES, None, "only a source's own fields"),
    "edit": Step(WORK_PERMISSION, OPEN_STATUSES, None,
                 "only the claim's editable fields; the extractor's values are kept"),
    "edit_published": Step(PUBLISH_PERMISSION, (ClaimStatus.PUBLISHED,), None,
                           "a note for readers: the edit is published as a correction"),
    "draft": Step(WORK_PERMISSION, (ClaimStatus.IN_REVIEW, ClaimStatus.VERDICT_DRAFTED),
                  ClaimStatus.VERDICT_DRAFTED, "a verdict never published (else: a correction)"),
    "publish": Step(PUBLISH_PERMISSION, (ClaimStatus.VERDICT_DRAFTED,), ClaimStatus.PUBLISHED,
                    "a drafted verdict with a rating, and at least one source"),
    "correct": Step(PUBLISH_PERMISSION, (ClaimStatus.PUBLISHED,), None, "a note for readers"),
    "translate": Step(WORK_PERMISSION, (ClaimStatus.PUBLISHED,), None,
                      "a language the site speaks other than the verdict's; saved, it is a draft again"),
    "translation_publish": Step(PUBLISH_PERMISSION, (ClaimStatus.PUBLISHED,), None, "a drafted translation"),
}


def step_is_open(name: str, status: str) -> bool:
    """Does the claim's state allow this step?"""
    return status in STEPS[name].sources


def steps_open(*, status: str, permissions: Iterable[str]) -> set[str]:
    """The steps someone holding `permissions` may take on a claim in `status`."""
    held = set(permissions)
    return {name for name, step in STEPS.items() if step.permission in held and status in step.sources}


def state_names(statuses: Iterable[str]) -> str:
    return ", ".join(str(ClaimStatus(s).label).lower() for s in statuses)
