"""From a processed Doc to candidate claims: span, speaker, entities, topics, type, score."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc

from .attribution import OUTLET, Attribution
from .cues import Cue
from .doctext import doc_text
from .lexicon import scoring_weights
from .scoring import OPINION, Evidence, claim_type, expert_word, rule_score
from .segmentation import SENTENCE, Segment
from .topics import TopicMatcher
from .types import Entity

_CONTEXT_MAX_CHARS = 1_200
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC"})


@dataclass(slots=True)
class Candidate:
    """A claim before its final score (English still needs the model's probability)."""

    start: int
    end: int
    context: tuple[int, int]
    attribution: Attribution
    evidence: Evidence
    claim_type: str
    rule_score: float
    reasons: list[str] = field(default_factory=list)


class _Index:
    """Items sorted by start offset, sliced by character range."""

    def __init__(self, items: list, start_of) -> None:
        self.items = items
        self.starts = [start_of(item) for item in items]

    def within(self, start: int, end: int) -> list:
        return self.items[bisect_left(self.starts, start) : bisect_right(self.starts, end - 1)]


def _context(segments: list[Segment], index: int) -> tuple[int, int]:
    """The sentence with its neighbours in the same paragraph."""
    segment = segments[index]
    start, end = segment.start, segment.end
    before = index - 1
    if before >= 0 and segments[before].kind == SENTENCE:
        if segments[before].paragraph == segment.paragraph:
            start = segments[before].start
    after = index + 1
    if after < len(segments) and segments[after].kind == SENTENCE:
        if segments[after].paragraph == segment.paragraph:
            end = segments[after].end
    if end - start > _CONTEXT_MAX_CHARS:
        start, end = segment.start, segment.end
    return start, end


def candidates_from_doc(
    doc: Doc,
    topic_matcher: TopicMatcher,
    *,
    fallback_language: str | None,
    title_entities: list[Entity] | None = None,
) -> list[Candidate]:
    segmentation = doc._.factcheck_segmentation
    segments: list[Segment] = segmentation.segments
    attributions: list[Attribution | None] = doc._.factcheck_attributions
    entities = _Index(doc._.factcheck_entities, lambda e: e.start)
    cues = _Index(doc._.factcheck_cues, lambda c: c.start)
    topics = _Index(topic_matcher.find(doc), lambda t: t[0])
    text = doc_text(doc)
    weights = scoring_weights()
    found_people = doc._.factcheck_found_people or frozenset()

    headline_actors: set[str] = set()
    headline_entities = title_entities or []
    if segmentation.headline is not None:
        headline = segmentation.headline
        headline_entities = entities.within(headline.start, headline.end)
    headline_actors = {e.canonical for e in headline_entities if e.label in _NAME_LABELS}

    result: list[Candidate] = []
    previous: Candidate | None = None
    previous_segment: Segment | None = None
    previous_index = -1
    for index, segment in enumerate(segments):
        attribution = attributions[index]
        if segment.kind != SENTENCE or attribution is None:
            continue
        start, end = segment.claim_start, segment.claim_end
        claim_entities = tuple(entities.within(start, end))
        # Not a cue inside a name: "Konstitusi" of "Mahkamah Konstitusi" is no rule.
        organisations = [(e.start, e.end) for e in claim_entities if e.label == "ORG"]
        claim_cues: list[Cue] = [
            cue
            for cue in cues.within(start, end)
            if not any(s <= cue.start and cue.end <= e for s, e in organisations)
        ]
        evidence = Evidence(
            entities=claim_entities,
            topics=tuple(dict.fromkeys(slug for _, slug in topics.within(start, end))),
            words=len(text[start:end].split()),
            question=text[start:end].rstrip().endswith("?"),
            quoted=segment.quote is not None,
            by_outlet=attribution.source == OUTLET,
            fallback_language=fallback_language,
            expert_role=expert_word(attribution.role, weights.get("expert_roles", ())),
            not_actors=found_people & {attribution.speaker},
        )
        evidence.add_cues(claim_cues)
        same_quote = (
            previous is not None
            and previous_segment is not None
            and segment.quote is not None
            and previous_segment.quote is segment.quote
        )
        if same_quote and not evidence.actors:
            # "Jumlah pelurunya terbatas": the actor was named in the quote's sentence before.
            inherited = tuple(e for e in previous.evidence.entities if e.label in _NAME_LABELS)
            if inherited:
                evidence.entities = inherited + claim_entities
                evidence.actor_reason = "actor named earlier in the quote"
        follows_quote = (
            previous is not None
            and previous_index == index - 1
            and previous_segment is not None
            and previous_segment.quote is not None
            and segment.quote is not None
            and previous.attribution.speaker == attribution.speaker
        )
        if (same_quote or follows_quote) and previous.claim_type == OPINION:
            # The second sentence of an opinion goes on in the same voice.
            evidence.continues_opinion = True
        in_headline = headline_actors & evidence.actors
        if in_headline:
            # Not "this is the headline" (that is never a claim): its actor is this one's.
            evidence.actor_reason = "named in the headline: " + ", ".join(sorted(in_headline))
        kind = claim_type(evidence)
        score, reasons = rule_score(evidence, weights)
        candidate = Candidate(
            start=start,
            end=end,
            context=_context(segments, index),
            attribution=attribution,
            evidence=evidence,
            claim_type=kind,
            rule_score=score,
            reasons=reasons,
        )
        result.append(candidate)
        previous, previous_segment, previous_index = candidate, segment, index
    return result
