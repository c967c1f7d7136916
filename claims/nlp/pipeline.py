"""One spaCy pipeline per rule set ("id", "en", or the multilingual "xx"), built once."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factcheck_* factories)
from .lexicon import FALLBACK_RULES, rules_key

COMPONENTS = (
    "factcheck_segmenter",
    "factcheck_entities",
    "factcheck_cues",
    "factcheck_attribution",
)
# Long texts are cut into chunks of at most this many characters (at paragraph breaks),
# which bounds memory; spaCy's own limit is set just above it.
MAX_CHUNK_CHARS = 200_000


@cache
def pipeline_for(key: str) -> Language:
    nlp = spacy.blank(key if key != FALLBACK_RULES else "xx")
    nlp.max_length = MAX_CHUNK_CHARS + 1
    for name in COMPONENTS:
        nlp.add_pipe(name, config={"rules": key})
    return nlp


def pipeline_for_language(language: str) -> Language:
    return pipeline_for(rules_key(language))
