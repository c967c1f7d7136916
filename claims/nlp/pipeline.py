"""One spaCy pipeline per rule set ("id", "en", or the multilingual "xx"), built once."""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import components  # noqa: F401  (registers the factcheck_* factories)
from .attribution import SpeakerMemory
from .lexicon import FALLBACK_RULES, rules_key
from .topics import forget_topic_matchers

COMPONENTS = (
    "factcheck_segmenter",
    "factcheck_entities",
    "factcheck_cues",
    "factcheck_attribution",
)
# Long texts are cut into chunks of at most this many characters (at paragraph breaks),
# which bounds memory; spaCy's own limit is set just above it.
MAX_CHUNK_CHARS = 200_000


# spaCy's tokenizer peels prefixes and suffixes off a space-free run one at a time, each
# time searching the whole rest of it: 40,000 brackets in a row took minutes. No word is
# this long; a run that is gets a space in place of every MAX_RUN_CHARS-th character.
MAX_RUN_CHARS = 64
_LONG_RUN_RE = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")


def tokenizable(text: str) -> str:
    """``text`` as the tokenizer may safely read it: the same length, so every offset
    into it is an offset into ``text``; different only inside runs no word is as long as."""
    if _LONG_RUN_RE.search(text) is None:
        return text

    def cut(match: re.Match[str]) -> str:
        chars = list(match.group())
        chars[MAX_RUN_CHARS - 1 :: MAX_RUN_CHARS] = " " * len(range(MAX_RUN_CHARS - 1, len(chars), MAX_RUN_CHARS))
        return "".join(chars)

    return _LONG_RUN_RE.sub(cut, text)


def prepared_doc(
    nlp: Language, text: str, *, has_title: bool, continuation: bool, memory: SpeakerMemory
) -> Doc:
    """A Doc of ``text`` ready for the pipeline: what the components read besides tokens.

    ``has_title``: the title came separately, so the first line is body text;
    ``continuation``: a later piece of a long text (no dateline); ``memory``: the text's
    speakers so far, handed from piece to piece.
    """
    doc = nlp.make_doc(tokenizable(text))
    doc._.factcheck_text = text
    doc._.factcheck_has_title = has_title
    doc._.factcheck_continuation = continuation
    doc._.factcheck_speaker_memory = memory
    return doc


# Every word, number and name a text brings stays in the pipeline's vocabulary and its
# tokenizer's cache: a worker that extracts for months would grow without end. Past this
# many strings the pipeline is built afresh (a second or two), which forgets them.
MAX_VOCAB_STRINGS = 300_000


def pipeline_in_use(key: str) -> Language:
    """The pipeline for ``key``, built afresh once its vocabulary has grown too large."""
    nlp = pipeline_for(key)
    if len(nlp.vocab.strings) > MAX_VOCAB_STRINGS:
        pipeline_for.cache_clear()
        forget_topic_matchers()  # they hold the old pipelines' vocabularies
        nlp = pipeline_for(key)
    return nlp


@cache
def pipeline_for(key: str) -> Language:
    nlp = spacy.blank(key if key != FALLBACK_RULES else "xx")
    nlp.max_length = MAX_CHUNK_CHARS + 1
    for name in COMPONENTS:
        nlp.add_pipe(name, config={"rules": key})
    return nlp


def pipeline_for_language(language: str) -> Language:
    return pipeline_for(rules_key(language))
