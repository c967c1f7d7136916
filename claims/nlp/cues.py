"""Cue words and phrases (hedges, opinion verbs, prediction markers, ...) in a document."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc

from .doctext import doc_text
from .lexicon import LanguageRules


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str
    phrase: str
    start: int
    end: int


# Where the cue phrases found are put: doc.spans[CUE_SPANS], labelled with their kind.
CUE_SPANS = "cues"


class CueMatcher:
    """One case-insensitive SpanRuler over every cue list of the language (lexicon.json's
    "cues"), each phrase a pattern labelled with its kind."""

    def __init__(self, nlp: Language, rules: LanguageRules) -> None:
        self.ruler = SpanRuler(nlp, "cues", spans_key=CUE_SPANS, phrase_matcher_attr="LOWER", overwrite=True)
        # The phrases are tokenised alone, not run through the pipeline's other components.
        with nlp.select_pipes(disable=nlp.pipe_names):
            self.ruler.add_patterns(
                [{"label": kind, "pattern": phrase} for kind, phrases in rules.cues.items() for phrase in phrases]
            )
        self.kinds = {nlp.vocab.strings.add(kind): kind for kind in rules.cues}

    def find(self, doc: Doc) -> list[Cue]:
        if not len(self.ruler):
            return []
        # The ruler's own spans, as it puts them in doc.spans (reading them back from the
        # SpanGroup would build every Span again).
        matches = self.ruler.match(doc)
        self.ruler.set_annotations(doc, matches)
        if not matches:
            return []
        text = doc_text(doc)
        kinds = self.kinds
        found = []
        for span in matches:
            start, end = span.start_char, span.end_char
            found.append(Cue(kinds[span.label], text[start:end], start, end))
        # A "not_<kind>" phrase cancels a <kind> cue inside it: "dilaporkan ke polisi" is
        # a complaint filed with the police, not a hedge.
        cancelled = [c for c in found if c.kind.startswith("not_")]
        cues = [
            c for c in found
            if not c.kind.startswith("not_")
            and not any(n.kind == f"not_{c.kind}" and n.start <= c.start and c.end <= n.end for n in cancelled)
        ]
        # At one position the longest phrase comes first: "disebut-sebut", not "disebut".
        cues.sort(key=lambda c: (c.start, -c.end))
        return cues
