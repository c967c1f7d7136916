"""Readers' private tip links never reach a log: the token in /tips/<token>/ is blanked in
Django's own log lines (runserver's requests, "Not Found: ...") and in gunicorn's access log.

Anyone holding the link may see the tip's progress, so a log line carrying it would hand
it to whoever reads the logs. The path stays (`/tips/…/`): a 404 or a slow page can still
be told apart from the form.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

# The token as it stands in a path, or URL-encoded in a query (?next=%2Ftips%2F...).
_TIP_TOKEN = re.compile(r"((?:/|%2F)tips(?:/|%2F))[A-Za-z0-9_-]{16,}", re.IGNORECASE)


def redact(text: str) -> str:
    return _TIP_TOKEN.sub(r"\1…", text)


class TipTokenFilter(logging.Filter):
    """On a handler: the record's message, tokens blanked (arguments merged in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class RedactingGunicornLogger(Logger):
    """gunicorn's logger with tip tokens blanked from every access-log field
    (``--logger-class factcheck.log_redact.RedactingGunicornLogger``)."""

    def atoms(self, resp, req, environ, request_time) -> dict:  # noqa: ANN001
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}
