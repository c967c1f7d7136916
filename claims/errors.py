"""The exceptions one layer raises and another catches, in one place.

Services raise them; tasks, views, the API and the admin catch them. This module imports
nothing of the project, so that any layer may import it without a circle.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from kombu.exceptions import KombuError

# Errors a retry can cure: the database restarted, a connection dropped, a lock timed out.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)
# What a broker that cannot be reached raises (kombu wraps redis-py's errors).
BROKER_ERRORS = (KombuError, OSError)


class WorkflowError(ValidationError):
    """The claim is not in a state that allows this step."""


class JobRetry(Exception):
    """The job was put back in the queue for another try; the task sends it again."""




class DigestEmailRetry(Exception):
    """Some of today's morning lists are not emailed yet (the mail server failed, or another
    run holds them): the task runs again later."""


class WebhookRetry(Exception):
    """A delivery that may work later (network error, 5xx, 429): try again after `countdown`
    seconds, as attempt number `attempts` + 1."""

    def __init__(self, message: str, *, attempts: int = 0, countdown: float = 0) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.countdown = countdown


class SubmitBudgetExceeded(Exception):
    """A partner has sent more new text this minute than it may."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TipRateExceeded(Exception):
    """A reader's address has sent as many tips as FACTCHECK_TIP_RATE allows for now."""
