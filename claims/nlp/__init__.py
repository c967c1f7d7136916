"""Claim extraction: candidate check-worthy sentences with speaker, entities and a score.

Pure Python and spaCy; nothing here imports Django. ``extract`` never raises on bad
input: whatever the text, it returns a (possibly empty) list ordered by start offset.
Anything else that goes wrong (a bug, a worker's time limit raised inside it) goes up to
the caller: an empty list would be taken as "this article has no claims".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

from .assembly import Candidate, candidates_from_doc
from .attribution import OUTLET, SpeakerMemory
from .language import detect_language
from .lexicon import RULE_LANGUAGES, language_rules, rules_key, scoring_weights
from .pipeline import MAX_CHUNK_CHARS, pipeline_for, pipeline_in_use, prepared_doc, tokenizable
from .scoring import fired_features
from .sentence_model import model_error
from .topics import TopicKeywords, topic_matcher
from .types import Entity, ExtractedClaim

__all__ = [
    "EXTRACTOR_VERSION",
    "DeadlineExceeded",
    "Entity",
    "ExtractedClaim",
    "detect_language",
    "extract",
    "extract_many",
    "refine",
]

EXTRACTOR_VERSION = "2026.11.26.28"

logger = logging.getLogger(__name__)

_BATCH_SIZE = 32


@dataclass(slots=True)
class _Chunk:
    owner: int
    offset: int
    text: str
    language: str
    has_title: bool
    continuation: bool
    speaker_memory: SpeakerMemory


def _split_long(text: str) -> Iterable[tuple[int, str]]:
    """Chunks of at most MAX_CHUNK_CHARS, cut at a paragraph or sentence break if any."""
    offset = 0
    while len(text) - offset > MAX_CHUNK_CHARS:
        window_end = offset + MAX_CHUNK_CHARS
        cut = text.rfind("\n", offset + MAX_CHUNK_CHARS // 2, window_end)
        if cut < 0:
            cut = text.rfind(". ", offset + MAX_CHUNK_CHARS // 2, window_end)
            cut = cut + 1 if cut >= 0 else window_end
        yield offset, text[offset:cut]
        offset = cut
    yield offset, text[offset:]


# An English quote this short ("Absolutely not") is no sentence for the model to judge.
_MIN_QUOTE_WORDS = 4


@cache
def _english_model():
    """The trained check-worthiness model, or None when it is not installed.

    Tried once per process: a missing model must not cost a failed load per article.
    """
    try:
        from . import checkworthiness
    except ImportError:
        return None
    try:
        return checkworthiness.load_default()
    except Exception as exc:
        if not model_error(exc):
            raise  # not the model's fault (e.g. a time limit): try again next time
        logger.warning("English check-worthiness model could not be loaded; rules only", exc_info=True)
        return None


def _attribution_text(candidate: Candidate) -> str | None:
    medium = candidate.attribution.medium
    if medium:
        return f"via {medium}"
    return "the outlet" if candidate.attribution.source == OUTLET else None


def _claims(
    text: str, chunk: _Chunk, candidates: list[Candidate], scores: list[_Score]
) -> list[ExtractedClaim]:
    claims = []
    shift = chunk.offset
    for candidate, (score, reasons, probability) in zip(candidates, scores, strict=True):
        start, end = candidate.start + shift, candidate.end + shift
        c_start, c_end = candidate.context
        evidence = candidate.evidence
        claims.append(
            ExtractedClaim(
                text=text[start:end],
                start=start,
                end=end,
                score=round(min(1.0, max(0.0, score)), 4),
                claim_type=candidate.claim_type,
                language=chunk.language,
                speaker=candidate.attribution.speaker,
                speaker_role=candidate.attribution.role,
                speaker_kind=candidate.attribution.kind,
                attribution=_attribution_text(candidate),
                hedge=evidence.hedge,
                context=text[c_start + shift : c_end + shift],
                topics=evidence.topics,
                entities=tuple(
                    Entity(e.text, e.canonical, e.label, e.start + shift, e.end + shift, e.value)
                    for e in evidence.entities
                ),
                reasons=tuple(reasons),
                rule_score=candidate.rule_score,
                word_probability=probability,
                features=tuple(feature for feature, _ in fired_features(evidence)),
            )
        )
    return claims


# A claim's score, its reasons, and the English word model's probability (None: rules only).
_Score = tuple[float, list[str], float | None]


def _final_scores(chunk: _Chunk, candidates: list[Candidate]) -> list[_Score]:
    """The rules' scores, blended with the English model's for English sentences: all of an
    English text's, and an English quote in another language's article ("We have seen North
    Korea send more than a million rounds," kata Miller), which that language's rules
    cannot read."""
    scores: list[_Score] = [(c.rule_score, c.reasons, None) for c in candidates]
    texts = [chunk.text[c.start : c.end] for c in candidates]
    if chunk.language == "en":
        english = list(range(len(candidates)))
    else:
        english = [
            i
            for i, (candidate, text) in enumerate(zip(candidates, texts, strict=True))
            if candidate.evidence.quoted and len(text.split()) >= _MIN_QUOTE_WORDS and detect_language(text) == "en"
        ]
    # Loaded on the first English sentence, not for a run of Indonesian text without one.
    model = _english_model() if english else None
    if model is None:
        return scores
    predicted = model.predict_explained([texts[i] for i in english], k=3)
    for i, (probability, explained) in zip(english, predicted, strict=True):
        candidate = candidates[i]
        probability = float(probability)
        scores[i] = (
            _with_rules(probability, candidate.rule_score),
            [_model_label(chunk.language, probability), *explained, *candidate.reasons],
            probability,
        )
    return scores


def _with_rules(probability: float, rule_score: float) -> float:
    """An English sentence's score: the English models' probability and the rules' score,
    in the shares scoring.json gives them."""
    weight = scoring_weights()["model_weight"]
    return weight * probability + (1 - weight) * rule_score


def _model_label(language: str, probability: float) -> str:
    """The first reason of a claim the English models scored."""
    return f"model {probability:.2f}" if language == "en" else f"English quote: model {probability:.2f}"


class DeadlineExceeded(Exception):
    """The caller's time for an extraction ran out; it is stopped between two chunks."""


def _deadline_check(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() >= deadline:
        raise DeadlineExceeded("the extraction ran past its deadline")


def _run(
    texts: Sequence[object],
    language: str | None,
    titles: Sequence[str | None],
    topics: TopicKeywords | None,
    batch_size: int,
    deadline: float | None,
) -> list[list[ExtractedClaim]]:
    results: list[list[ExtractedClaim]] = [[] for _ in texts]
    by_rules: dict[str, list[_Chunk]] = {}
    for owner, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            continue
        lang = language or detect_language(text)
        memory = SpeakerMemory()  # one text's speakers, carried from chunk to chunk
        for offset, piece in _split_long(text):
            by_rules.setdefault(rules_key(lang), []).append(
                _Chunk(owner, offset, piece, lang, titles[owner] is not None, offset > 0, memory)
            )
    for key, chunks in by_rules.items():
        nlp = pipeline_in_use(key)
        finder = nlp.get_pipe("factcheck_entities").finder
        docs = []
        for chunk in chunks:
            _deadline_check(deadline)
            docs.append(
                prepared_doc(
                    nlp,
                    chunk.text,
                    has_title=chunk.has_title,
                    continuation=chunk.continuation,
                    memory=chunk.speaker_memory,
                )
            )
        # One look-up per language, not per text: the cache key is the whole topic set.
        matchers = {lang: topic_matcher(nlp, topics, lang) for lang in {chunk.language for chunk in chunks}}
        for chunk, doc in zip(chunks, nlp.pipe(docs, batch_size=batch_size), strict=True):
            _deadline_check(deadline)
            title = titles[chunk.owner]
            title_entities = finder.find(nlp.make_doc(tokenizable(title))) if title else None
            candidates = candidates_from_doc(
                doc,
                matchers[chunk.language],
                fallback_language=None if chunk.language in RULE_LANGUAGES else chunk.language,
                title_entities=title_entities,
            )
            scores = _final_scores(chunk, candidates)
            results[chunk.owner].extend(_claims(texts[chunk.owner], chunk, candidates, scores))
    for claims in results:
        claims.sort(key=lambda c: (c.start, c.end))
    return results


def extract_many(
    texts: Iterable[str],
    language: str | None = None,
    *,
    titles: Sequence[str | None] | None = None,
    topics: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    batch_size: int = _BATCH_SIZE,
    deadline: float | None = None,
) -> list[list[ExtractedClaim]]:
    """``extract`` over many texts, batched through each language's pipeline.

    ``deadline`` (a ``time.monotonic()`` value) stops a long extraction between two
    chunks with DeadlineExceeded: a bound that needs no signal from outside.
    """
    items = list(texts)
    title_list = list(titles) if titles is not None else [None] * len(items)
    if len(title_list) != len(items):
        raise ValueError("titles must have one entry per text")
    return _run(items, language, title_list, topics, batch_size, deadline)


def extract(
    text: str,
    language: str | None = None,
    *,
    title: str | None = None,
    topics: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    deadline: float | None = None,
) -> list[ExtractedClaim]:
    """Candidate claims in ``text``, ordered by start offset.

    ``title`` given means ``text`` is the body only; otherwise a headline-like first line
    is recognised and never returned. ``topics`` maps slug -> language -> keywords; None
    uses the shipped patterns/topics.json.
    """
    return extract_many([text], language, titles=[title], topics=topics, deadline=deadline)[0]


def refine(claims: Sequence[ExtractedClaim], *, deadline: float | None = None) -> list[ExtractedClaim]:
    """The second pass over extracted claims, in the same job: every claim, in either
    language, read again by the check-worthiness encoder (``encoder_model``), whose stacker
    weighs its reading with the rules' features; that is the claim's score. A claim the
    rules score below the encoder's floor keeps its first score, unread (it costs
    milliseconds a claim, and those almost never turn out worth checking).

    Kept out of ``extract``, which must stay fast enough to run on every article as it
    comes in; the encoder costs one to two milliseconds a claim. Where the encoder is not
    installed, English claims are read by the English sentence model instead (blended with
    the word model) and the others come back as they were. A claim already refined is not
    refined again. When a model itself fails (its libraries' errors) the claims keep their
    first scores; anything else (a time limit, a bug) goes up.
    """
    result = list(claims)
    todo = [i for i, c in enumerate(result) if c.sentence_probability is None]
    if not todo:
        return result
    _deadline_check(deadline)
    try:
        from .encoder_model import load_default as load_encoder

        encoder = load_encoder()
        if encoder is not None:
            todo = [i for i in todo if encoder.reads(result[i])]
            predicted = encoder.predict([result[i] for i in todo])
    except Exception as exc:
        if not model_error(exc):
            raise
        logger.exception("check-worthiness encoder failed; claims keep their first scores")
        return result
    if encoder is None:
        return _refine_english(result, [i for i in todo if result[i].word_probability is not None])
    for i, (encoder_probability, score) in zip(todo, predicted, strict=True):
        claim = result[i]
        # An English claim's first reason is the word model's label _final_scores put there.
        english = claim.word_probability is not None
        rest = claim.reasons[1:] if english else claim.reasons
        label = _model_label(claim.language, score) if english else f"model {score:.2f}"
        result[i] = replace(
            claim,
            score=round(min(1.0, max(0.0, score)), 4),
            reasons=(label, f"sentence model {encoder_probability:.2f}", *rest),
            sentence_probability=float(encoder_probability),
        )
    return result


def _refine_english(result: list[ExtractedClaim], todo: list[int]) -> list[ExtractedClaim]:
    """Without the encoder: English claims read by the English sentence model."""
    if not todo:
        return result
    try:
        from .checkworthiness import BlendedModel, load_scorer

        scorer = load_scorer()
        if not isinstance(scorer, BlendedModel):
            return result
        probabilities = scorer.sentences.predict_proba([result[i].text for i in todo])
    except Exception as exc:
        if not model_error(exc):
            raise
        logger.exception("sentence model failed; claims keep their first scores")
        return result
    for i, sentence_probability in zip(todo, probabilities, strict=True):
        claim = result[i]
        blended = scorer.blend(claim.word_probability, sentence_probability)
        # The first reason is the model label _final_scores put there; it now gives the blend.
        result[i] = replace(
            claim,
            score=round(min(1.0, max(0.0, _with_rules(blended, claim.rule_score))), 4),
            reasons=(
                _model_label(claim.language, blended),
                f"sentence model {sentence_probability:.2f}",
                *claim.reasons[1:],
            ),
            sentence_probability=float(sentence_probability),
        )
    return result


def warm_up(language: str) -> None:
    """Build the pipeline (and load rules) ahead of the first request, e.g. in a worker."""
    language_rules(rules_key(language))
    pipeline_for(rules_key(language))
