"""Fitting the rules' weights (patterns/scoring.json) to sentences labelled by hand.

Indonesian has no labelled corpus: its score is the rules' alone, a logistic function of
the features a sentence fires ("number", "named actor", "opinion verb ..."). Their weights
are fitted to the Indonesian label sets in ``labels/`` (every candidate of whole articles,
labelled by people who saw no scores), pulled toward hand-set priors: where the labels say
little (a cue that fires a few times, or never), the weight stays what the rules' author
set. The English label sets are never fitted on; they show what the fit does to a language
whose score is mostly the trained model's.

``python manage.py tune_rule_weights`` runs this; the fit is deterministic.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .assembly import candidates_from_doc
from .attribution import SpeakerMemory
from .lexicon import PATTERNS_DIR, rules_key
from .pipeline import pipeline_for, prepared_doc
from .scoring import fired_features
from .topics import topic_matcher

LABELS_DIR = Path(__file__).resolve().parent / "labels"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
SCORING_FILE = PATTERNS_DIR / "scoring.json"
# (label file, language, folder of its articles): the sets the weights are fitted to, and
# the ones only reported. "seeds" is the project's own seeds/; the others are folders of
# the shared datasets. The seed's labels are shared/seeds/EXPECTED.md's: the claims it
# must find, and the opinions and predictions that must rank below them.
FITTED_SETS = (
    ("checkworthy_seed.jsonl", "id", "seeds"),
    ("checkworthy_id.jsonl", "id", "articles-id"),
    ("checkworthy_id_second.jsonl", "id", "articles-id"),
    ("checkworthy_id_third.jsonl", "id", "articles-id"),
)
REPORTED_SETS = (
    ("checkworthy_en_news.jsonl", "en", "articles-en"),
    ("checkworthy_en_news_second.jsonl", "en", "articles-en"),
)
STRENGTH = 0.01  # pull toward the priors (L2 on the difference, per sentence)
_NEWTON_STEPS = 50


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    label_set: str
    article: str
    text: str
    features: frozenset[str]
    checkworthy: bool


def candidate_features(text: str, language: str) -> list[tuple[str, frozenset[str]]]:
    """(sentence text, features it fires) for every candidate claim of an article, in order:
    what ``extract`` scores, before the English model has its say."""
    nlp = pipeline_for(rules_key(language))
    doc = nlp(prepared_doc(nlp, text, has_title=False, continuation=False, memory=SpeakerMemory()))
    candidates = candidates_from_doc(doc, topic_matcher(nlp, None, language), fallback_language=None)
    return [
        (text[c.start : c.end], frozenset(feature for feature, _ in fired_features(c.evidence)))
        for c in candidates
    ]


def read_labels(
    name: str, language: str, folder: str, datasets: Path, labels_dir: Path = LABELS_DIR
) -> list[LabelledSentence]:
    """A label file's sentences with the features the rules fire on each.

    Each row names an article and the start of a candidate sentence; a sentence that comes
    twice in an article is labelled twice, in order.
    """
    rows = [json.loads(line) for line in (labels_dir / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    by_article: dict[str, list[tuple[str, frozenset[str]]]] = {}
    result = []
    for row in rows:
        article = row["file"]
        if article not in by_article:
            directory = SEEDS_DIR if folder == "seeds" else datasets / folder
            text = (directory / article).read_text(encoding="utf-8")
            by_article[article] = candidate_features(text, language)
        remaining = by_article[article]
        at = next((i for i, (sentence, _) in enumerate(remaining) if sentence.startswith(row["start"])), None)
        if at is None:
            raise ValueError(f"{name}: no candidate in {article} starts with {row['start']!r}")
        sentence, features = remaining.pop(at)
        result.append(LabelledSentence(name, article, sentence, features, bool(row["checkworthy"])))
    return result


def _matrix(sentences: Sequence[LabelledSentence], names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[1.0] + [1.0 if n in s.features else 0.0 for n in names] for s in sentences])
    y = np.array([1.0 if s.checkworthy else 0.0 for s in sentences])
    return x, y


def fit(sentences: Sequence[LabelledSentence], priors: dict, strength: float = STRENGTH) -> dict:
    """Bias and weights maximising the labels' likelihood, less ``strength`` times the
    squared distance from the priors (Newton's method: the same labels give the same
    weights). The bias is pulled toward its prior too, but barely."""
    names = list(priors["weights"])
    x, y = _matrix(sentences, names)
    prior = np.array([priors["bias"]] + [priors["weights"][n] for n in names])
    pull = np.full(len(prior), strength)
    pull[0] = strength * 1e-3
    theta = prior.copy()
    n = len(y)
    for _ in range(_NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ theta)))
        gradient = x.T @ (p - y) / n + pull * (theta - prior)
        hessian = (x.T * (p * (1 - p))) @ x / n + np.diag(pull)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    return {"bias": round(float(theta[0]), 2), "weights": {n: round(float(w), 2) for n, w in zip(names, theta[1:], strict=True)}}


def rule_probability(sentence: LabelledSentence, weights: dict) -> float:
    # fsum: the features are a set, and a plain sum of the same weights in another order can
    # land either side of 0.5 when they cancel out exactly.
    total = math.fsum([weights["bias"], *(weights["weights"].get(f, 0.0) for f in sentence.features)])
    return 1.0 / (1.0 + float(np.exp(-total)))


def _right(sentences: Iterable[LabelledSentence], weights: dict) -> int:
    return sum((rule_probability(s, weights) >= 0.5) == s.checkworthy for s in sentences)


def blended_agreement(
    sentences: Sequence[LabelledSentence], weights: dict, model_probabilities: Sequence[float], model_weight: float
) -> float:
    """Agreement of the English score, the model's probability blended with the rules'."""
    right = 0
    for s, probability in zip(sentences, model_probabilities, strict=True):
        score = model_weight * probability + (1 - model_weight) * rule_probability(s, weights)
        right += (score >= 0.5) == s.checkworthy
    return right / len(sentences) if sentences else 0.0


def agreement(sentences: Sequence[LabelledSentence], weights: dict) -> float:
    """Share of sentences where the rules' score falls on the labelled side of 0.5."""
    return _right(sentences, weights) / len(sentences) if sentences else 0.0


def leave_one_article_out(sentences: Sequence[LabelledSentence], priors: dict, strength: float = STRENGTH) -> float:
    """Agreement on each article with weights fitted on all the others: what a fit does on
    an article it never saw."""
    right = 0
    for article in sorted({s.article for s in sentences}):
        fitted = fit([s for s in sentences if s.article != article], priors, strength)
        right += _right([s for s in sentences if s.article == article], fitted)
    return right / len(sentences) if sentences else 0.0


def load_scoring(path: Path = SCORING_FILE) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def write_scoring(scoring: dict, fitted: dict, path: Path = SCORING_FILE) -> None:
    updated = {**scoring, "bias": fitted["bias"], "weights": fitted["weights"]}
    path.write_text(json.dumps(updated, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
