"""Cue words and phrases (hedges, opinion verbs, prediction markers, ...) in a document."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import IDX, LENGTH
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .doctext import doc_text
from .lexicon import LanguageRules


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str
    phrase: str
    start: int
    end: int


class CueMatcher:
    """One case-insensitive PhraseMatcher over every cue list of the language."""

    def __init__(self, vocab: Vocab, rules: LanguageRules, make_doc) -> None:
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.strings = vocab.strings
        for kind, phrases in rules.cues.items():
            if phrases:
                self.matcher.add(kind, [make_doc(p) for p in phrases])

    def find(self, doc: Doc) -> list[Cue]:
        matches = self.matcher(doc)
        if not matches:
            return []
        text = doc_text(doc)
        offsets = doc.to_array([IDX, LENGTH]).tolist()
        found = []
        for match_id, s, e in matches:
            start = offsets[s][0]
            end = offsets[e - 1][0] + offsets[e - 1][1]
            found.append(Cue(self.strings[match_id], text[start:end], start, end))
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
