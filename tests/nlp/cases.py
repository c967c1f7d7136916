"""Tables of one-sentence cases: what the extractor reads in each, to compare whole."""

from __future__ import annotations

from collections.abc import Iterable

from claims.nlp import extract


def read_each(texts: Iterable[str], language: str, *fields: str) -> dict[str, object]:
    """``{text: (field, ...)}`` for each text, extracted alone as one claim; a single field
    gives its value rather than a tuple. Comparing the whole table shows every case that
    went wrong at once."""
    found: dict[str, object] = {}
    for text in texts:
        [claim] = extract(text, language, title="")
        values = tuple(getattr(claim, field) for field in fields)
        found[text] = values if len(fields) > 1 else values[0]
    return found
