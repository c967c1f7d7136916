"""spaCy components: each builds its matchers and patterns once, in __init__."""

from __future__ import annotations

import numpy as np
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .attribution import Attributor, compiled_rules
from .cues import CueMatcher
from .doctext import doc_text
from .entities import EntityFinder, initials_in
from .lexicon import language_rules
from .segmentation import segment_text

# Set on the Doc before the pipeline runs: the article's title came separately (so the
# first line is body text), or the doc is a later chunk of a long text (no dateline).
_EXTENSIONS = (
    "factcheck_has_title",
    "factcheck_continuation",
    "factcheck_segmentation",
    "factcheck_entities",
    "factcheck_cues",
    "factcheck_attributions",
    # Shared by the pieces of one long text, in order: the speakers named so far.
    "factcheck_speaker_memory",
    # People found as speakers, not in the gazetteer, whose mentions were added as entities.
    "factcheck_found_people",
    # The initials the text gives people ("tersangka AS"): found once, read by the entity
    # finder and the attributor.
    "factcheck_initials",
)
for _name in _EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("factcheck_segmenter", default_config={"rules": "xx"})
class Segmenter:
    """Headline, boilerplate, sentences and quotes; also sets the tokens' sentence starts."""

    def __init__(self, nlp: Language, name: str, rules: str) -> None:
        self.rules = language_rules(rules)

    def __call__(self, doc: Doc) -> Doc:
        segmentation = segment_text(
            doc_text(doc),
            self.rules,
            has_title=bool(doc._.factcheck_has_title or doc._.factcheck_continuation),
            find_dateline=not doc._.factcheck_continuation,
        )
        doc._.factcheck_segmentation = segmentation
        if len(doc) and segmentation.segments:
            # The token holding each segment's first character starts a sentence; set
            # them all in one array, as token-by-token char_span lookups were slow.
            token_starts = doc.to_array(IDX)
            first = np.searchsorted(
                token_starts, [segment.start for segment in segmentation.segments], side="right"
            ) - 1
            sent_starts = np.zeros(len(doc), dtype=np.uint64)
            sent_starts[first[first >= 0]] = 1
            doc.from_array([SENT_START], sent_starts)
        return doc


@Language.factory("factcheck_entities", default_config={"rules": "xx"})
class Entities:
    """Gazetteer names (canonical) plus numbers, money, percentages and dates."""

    def __init__(self, nlp: Language, name: str, rules: str) -> None:
        self.rules = language_rules(rules)
        self.finder = EntityFinder(nlp, self.rules)

    def __call__(self, doc: Doc) -> Doc:
        doc._.factcheck_initials = initials = initials_in(doc_text(doc), self.rules)
        doc._.factcheck_entities = self.finder.find(doc, initials)
        return doc


@Language.factory("factcheck_cues", default_config={"rules": "xx"})
class Cues:
    """Hedges, opinion verbs, prediction and rule markers, ... as character spans."""

    def __init__(self, nlp: Language, name: str, rules: str) -> None:
        self.matcher = CueMatcher(nlp, language_rules(rules))

    def __call__(self, doc: Doc) -> Doc:
        doc._.factcheck_cues = self.matcher.find(doc)
        return doc


@Language.factory("factcheck_attribution", default_config={"rules": "xx"})
class AttributionComponent:
    """Speaker, role and medium of every sentence; runs after segmenter and entities."""

    def __init__(self, nlp: Language, name: str, rules: str) -> None:
        self.rules = compiled_rules(rules)

    def __call__(self, doc: Doc) -> Doc:
        segmentation = doc._.factcheck_segmentation
        # The walk keeps the document's speakers on its walker; one walker per document
        # keeps two documents extracted at once (threads of one web process, sharing this
        # pipeline) from lending each other their speakers. The compiled rules are shared.
        walker = Attributor(self.rules)
        text = doc_text(doc)
        entities = doc._.factcheck_entities
        doc._.factcheck_attributions = walker.attribute(
            text,
            segmentation.segments,
            segmentation.outlet,
            entities,
            memory=doc._.factcheck_speaker_memory,
            initials=doc._.factcheck_initials,
        )
        entities = walker.own_people(entities)
        people = walker.person_mentions(text, entities)
        doc._.factcheck_found_people = frozenset(e.canonical for e in people)
        doc._.factcheck_entities = sorted(entities + people, key=lambda e: (e.start, -e.end)) if people else entities
        return doc
