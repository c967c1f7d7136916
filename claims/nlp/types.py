"""The shapes the extractor hands to the rest of the product (no Django here)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entity:
    """A mention resolved to a canonical name.

    ``label`` is one of PERSON, ORG, GPE (countries, cities), LOC, QUANTITY, MONEY,
    PERCENT, DATE. ``value`` holds the normalised value where there is one
    (ISO date, number, amount with currency), else None.
    """

    text: str
    canonical: str
    label: str
    start: int
    end: int
    value: str | None = None

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "canonical": self.canonical,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "value": self.value,
        }


@dataclass(frozen=True)
class ExtractedClaim:
    """One candidate claim: an exact span of the text it came from.

    ``text == source_text[start:end]`` always holds.
    """

    text: str
    start: int
    end: int
    score: float
    claim_type: str
    language: str
    speaker: str | None = None
    speaker_role: str | None = None
    # "person", "organisation", or "representative" (a person speaking for the
    # organisation that is ``speaker``: "A BBC spokesman"), "group", or "official" (no
    # ``speaker``, the office in ``speaker_role``: "Menteri Keuangan"); None: no one named.
    speaker_kind: str | None = None
    attribution: str | None = None
    hedge: str | None = None
    context: str = ""
    topics: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()
    reasons: tuple[str, ...] = field(default_factory=tuple)
    # How the score was made, for ``refine``: the rules' share, the English word model's
    # probability (None where the sentence was not scored as English), and the sentence
    # model's once ``refine`` has run (None before, or where it is not installed).
    rule_score: float = 0.0
    word_probability: float | None = None
    sentence_probability: float | None = None
    # The rule features that fired (scoring.fired_features), for the newsroom's layer.
    features: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "score": self.score,
            "claim_type": self.claim_type,
            "language": self.language,
            "speaker": self.speaker,
            "speaker_role": self.speaker_role,
            "speaker_kind": self.speaker_kind,
            "attribution": self.attribution,
            "hedge": self.hedge,
            "context": self.context,
            "topics": list(self.topics),
            "entities": [e.as_dict() for e in self.entities],
            "reasons": list(self.reasons),
        }
