"""Working as a team: notes on a claim, and notices to the colleague a claim concerns.

Notes are the desk's own: nothing public reads them. A notice goes to a claim's assignee
when someone else assigns the claim to them or writes a note on it; it shows in the desk
until seen, and goes by email too (Django's email backend; console by default) once the
transaction has committed, in the recipient's language (else the site's). A mail server
that is down loses the email, never the step.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Claim, ClaimNote, Notice
from .permissions import WORK_PERMISSION, permission_require

logger = logging.getLogger(__name__)

NOTE_MAX_CHARS = 5000


def note_add(*, claim: Claim, user: AbstractBaseUser, text: str) -> ClaimNote:
    """Write an internal note on a claim; its assignee, if someone else, is told."""
    permission_require(user, WORK_PERMISSION)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    if len(text) > NOTE_MAX_CHARS:
        raise ValidationError({"text": _("A note may be at most %(limit)s characters (this one has %(n)s).")
                               % {"limit": f"{NOTE_MAX_CHARS:,}", "n": f"{len(text):,}"}})
    with transaction.atomic():
        # Whose the claim is now, not when the caller read it.
        claim = Claim.objects.select_related("assignee").get(pk=claim.pk)
        note = ClaimNote.objects.create(claim=claim, author=user, text=text)
        if claim.assignee_id and claim.assignee_id != user.pk:
            notice_send(recipient=claim.assignee, actor=user, claim=claim, kind=Notice.Kind.NOTE)
    return note


def notice_send(*, recipient: AbstractBaseUser, actor: AbstractBaseUser | None, claim: Claim, kind: str) -> Notice:
    """Tell a colleague about a claim: a notice in the desk, and an email after commit."""
    notice = Notice.objects.create(recipient=recipient, actor=actor, claim=claim, kind=kind)
    if recipient.email:
        transaction.on_commit(lambda: _notice_email(notice))
    return notice


def _notice_email(notice: Notice) -> None:
    claim, actor = notice.claim, notice.actor
    link = settings.SITE_URL + reverse("admin:claims_claim_change", args=[claim.pk])
    with translation.override(selectors.user_language(user=notice.recipient)):
        who = actor.get_username() if actor else _("Someone")
        if notice.kind == Notice.Kind.ASSIGNED:
            subject = _("%(who)s assigned you a claim") % {"who": who}
        elif notice.kind == Notice.Kind.MATCHED:
            subject = _("A new claim matches a fact-check of yours")
        else:
            subject = _("%(who)s wrote a note on your claim") % {"who": who}
        body = "\n\n".join([subject + ":", Truncator(claim.text).chars(300), link])
    try:
        send_mail(subject, body, None, [notice.recipient.email])
    except Exception:  # noqa: BLE001 - the notice is in the desk; the email is a courtesy
        logger.exception("Could not email notice %s to %s", notice.pk, notice.recipient.email)


def notices_mark_read(*, user: AbstractBaseUser, claim: Claim | None = None) -> int:
    """Mark a user's unread notices seen: all of them, or those about one claim."""
    unread = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if claim is not None:
        unread = unread.filter(claim=claim)
    return unread.update(read_at=timezone.now())
