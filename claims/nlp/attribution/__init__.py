"""Who says each sentence: quotes, reported speech, pronoun verbs, and the outlet itself.

Walks the sentences in order with a little memory: the last named speaker (for
`pungkasnya`, "he added"), the previous quote (for a quote that goes on in the next
paragraph), and every full name seen (so that "kata Mertens" becomes Frederik Mertens).

The package, in reading order: ``rules`` (one language's compiled rules, shared),
``core`` (the shapes every part uses), then the parts of the walk over one document,
``names``, ``speakers``, ``subjects``, ``reported`` (the reported-speech sieve), ``verbs``
and ``walk``, which ``attributor`` assembles into the Attributor.
"""

from .attributor import Attributor, speaker_kind_of
from .core import (
    GROUP,
    OFFICIAL,
    ORGANISATION,
    OUTLET,
    PERSON,
    QUOTE,
    REPORTED,
    REPRESENTATIVE,
    Attribution,
    SpeakerMemory,
)
from .reported import REPORTED_SPEECH_SIEVE
from .rules import AttributionRules, compiled_rules

__all__ = [
    "GROUP",
    "OFFICIAL",
    "ORGANISATION",
    "OUTLET",
    "PERSON",
    "QUOTE",
    "REPORTED",
    "REPORTED_SPEECH_SIEVE",
    "REPRESENTATIVE",
    "Attribution",
    "AttributionRules",
    "Attributor",
    "SpeakerMemory",
    "compiled_rules",
    "speaker_kind_of",
]
