from __future__ import annotations

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .errors import PayloadTooLarge


class BoundedJSONParser(JSONParser):
    """JSON bodies up to FACTCHECK_API_MAX_BODY_BYTES; larger ones get a 413 before reading.

    Python's json module recurses once per nested array or object, so a body of a few
    thousand ``[`` would end in a RecursionError (a 500); it is a malformed request instead.
    """

    def parse(self, stream, media_type=None, parser_context=None):  # noqa: ANN001
        request = (parser_context or {}).get("request")
        limit = settings.FACTCHECK_API_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            length = 0
        if length > limit:
            raise PayloadTooLarge(f"The request body is {length:,} bytes; the limit is {limit:,}.")
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the JSON is nested too deeply.") from None
