"""The Attributor: the walk over one document, assembled from its parts, and
``speaker_kind_of`` for stored speakers."""

from __future__ import annotations

from ..lexicon import rules_key
from .core import SpeakerMemory, _Speaker
from .names import Names
from .reported import ReportedSpeech
from .rules import AttributionRules, compiled_rules
from .speakers import Speakers
from .subjects import Subjects
from .verbs import Verbs
from .walk import Walk


class Attributor(Names, Speakers, Subjects, ReportedSpeech, Verbs, Walk):
    """The walk over one document: who said each of its sentences. Made per document from
    the language's shared AttributionRules; what it learns of the text (its speakers,
    organisations, boilerplate) stays on this object and in its SpeakerMemory."""

    def __init__(self, compiled: AttributionRules) -> None:
        self.compiled = compiled
        self.rules = compiled.rules
        self.initials: frozenset[str] = frozenset()
        # Set for each text by attribute(); the pipeline makes one walker per document,
        # so that documents extracted at once keep their own.
        self.memory = SpeakerMemory()
        self.text = ""
        self.titled: frozenset[str] = frozenset()  # the words the text puts after a title
        self.body_start = 0
        self.position = 0  # where the sentence being attributed starts
        self.sentence_end = 0  # and where it ends
        self.furniture: list[tuple[int, int]] = []  # the text's boilerplate lines and headings
        self.organisation_forms: dict[str, str] = {}
        self._first_at: dict[str, int] | None = None  # word -> where the body first has it
        # (start, name, kind) of each organisation the text introduced as one of a kind
        # ("airline Lufthansa": "airline"), and the names of all organisations named.
        self.introduced: list[tuple[int, str, str]] = []
        self.organisations: frozenset[str] = frozenset()
        self.longest_organisation = 1


def speaker_kind_of(speaker: str, role: str | None, language: str) -> str | None:
    """What a stored speaker is, from the name and role alone: for claims extracted before
    extraction recorded it. Extraction itself knows more (how the article introduced the
    name), so this is the same decision with less to go on: a name of two or more words
    that is no organisation's is taken for a person's ("Mike Gallagher", role
    "Representative"), a single word with a spokesman's role for an organisation's."""
    if not speaker:
        return None
    walker = Attributor(compiled_rules(rules_key(language)))
    name = _Speaker(speaker, role or None, False)
    words = speaker.split()
    heads = walker.rules.organisation_heads
    if (
        len(words) > 1
        and walker.compiled.labels.get(speaker) != "ORG"
        and not any(w.lower() in heads for w in words)
        and not walker._is_group(speaker)
    ):
        walker.memory.people.add(speaker)
    return walker._kind(name, role or None)
