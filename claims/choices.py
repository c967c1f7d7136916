from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


# A job in these states still needs a worker.
JOB_WAITING = (JobStatus.QUEUED, JobStatus.RUNNING)


class ClaimStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review")
    VERDICT_DRAFTED = "verdict_drafted", _("Verdict drafted")
    PUBLISHED = "published", _("Published")
    DISMISSED = "dismissed", _("Dismissed")
    DUPLICATE = "duplicate", _("Duplicate")


class ClaimType(models.TextChoices):
    QUANTITY = "quantity", _("Quantity")
    EVENT = "event", _("Event")
    RULE = "rule", _("Rule or law")
    CAUSATION = "causation", _("Causation")
    PREDICTION = "prediction", _("Prediction")
    OPINION = "opinion", _("Opinion")
    PERSONAL = "personal", _("Personal")
    OTHER = "other", _("Other")


class SpeakerKind(models.TextChoices):
    """What the extractor took the speaker for (it decides how ClaimReview names them)."""

    UNKNOWN = "", _("Unknown")
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    REPRESENTATIVE = "representative", _("Someone speaking for the organisation")
    GROUP = "group", _("People the article does not name")
    OFFICIAL = "official", _("An official named by office only")


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    REFUTES = "refutes", _("Refutes")
    CONTEXT = "context", _("Context")


class LinkState(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class Language(models.TextChoices):
    INDONESIAN = "id", _("Indonesian")
    ENGLISH = "en", _("English")
    OTHER = "und", _("Other")


class ClaimOrigin(models.TextChoices):
    """How a claim came to the desk: found in an article by the extractor, or sent by a reader."""

    EXTRACTED = "extracted", _("Extracted from an article")
    TIP = "tip", _("Reader tip")


# Why a claim was dismissed: shown in the active language, stored in English (claims.display
# reads them back).
DISMISS_REASONS = {
    "not_checkworthy": _("Not check-worthy"),
    "opinion": _("Opinion"),
    "prediction": _("Prediction"),
    "duplicate": _("Duplicate"),
    "out_of_scope": _("Out of scope"),
    "not_a_claim": _("Not a claim (extraction error)"),
    "already_checked": _("Already checked (a fact-check exists)"),
}


def dismiss_reason_stored(reason: str) -> str:
    """A dismissal reason (a key of DISMISS_REASONS, or an editor's own words) as the
    database keeps it: in English, whatever language the desk works in."""
    with translation.override("en"):
        return str(DISMISS_REASONS.get(reason, reason))
