"""The newsroom's layer: a small logistic model over the shipped score, refitted from what
the desk decided (no Django here; claims/services/learning.py feeds it the decisions).

Its inputs, for one claim: the shipped score as a logit, the rule features that fired, the
language and the speaker's kind. It starts as the identity (the shipped score, unchanged)
and is pulled away from it only as far as the decisions demand: the fit penalises the
distance from the identity, so that a few dozen decisions cannot undo the shipped model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .lexicon import scoring_weights

SHIPPED = "shipped_logit"
BIAS = "bias"
LANGUAGES = ("id", "en")
SPEAKER_KINDS = ("person", "organisation", "representative", "group", "official")
# How strongly the fit is held to the identity (an L2 penalty on the distance from it).
PENALTY = 2.0
_EPS = 1e-4


def feature_names() -> list[str]:
    """Every input the layer weighs, in a fixed order."""
    rules = sorted(scoring_weights()["weights"])
    return [
        SHIPPED,
        *(f"rule:{name}" for name in rules),
        *(f"language:{code}" for code in LANGUAGES),
        *(f"speaker:{kind}" for kind in SPEAKER_KINDS),
    ]


def identity() -> dict:
    """The coefficients that give back the shipped score."""
    return {BIAS: 0.0, "weights": {SHIPPED: 1.0}}


def _logit(p: float) -> float:
    p = min(1 - _EPS, max(_EPS, float(p)))
    return math.log(p / (1 - p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


@dataclass(frozen=True, slots=True)
class Example:
    """One claim as the layer sees it."""

    shipped_score: float
    features: tuple[str, ...] = ()
    language: str = ""
    speaker_kind: str = ""


def _row(example: Example, index: Mapping[str, int]) -> np.ndarray:
    row = np.zeros(len(index))
    row[index[SHIPPED]] = _logit(example.shipped_score)
    for name in (
        *(f"rule:{f}" for f in example.features),
        f"language:{example.language}",
        f"speaker:{example.speaker_kind}",
    ):
        if name in index:
            row[index[name]] = 1.0
    return row


def _matrix(examples: Sequence[Example], names: Sequence[str]) -> np.ndarray:
    index = {name: i for i, name in enumerate(names)}
    return np.array([_row(e, index) for e in examples]).reshape(len(examples), len(names))


def _vector(coefficients: Mapping, names: Sequence[str]) -> tuple[float, np.ndarray]:
    weights = coefficients.get("weights", {})
    return float(coefficients.get(BIAS, 0.0)), np.array([float(weights.get(n, 0.0)) for n in names])


def predict(coefficients: Mapping, examples: Sequence[Example]) -> list[float]:
    """The layer's probability of "worth checking" for each example."""
    if not examples:
        return []
    names = feature_names()
    bias, w = _vector(coefficients, names)
    return [float(p) for p in _sigmoid(_matrix(examples, names) @ w + bias)]


def fit(examples: Sequence[Example], labels: Sequence[int], *, penalty: float = PENALTY) -> dict:
    """Coefficients fitted by Newton's method to the labels (1: worth checking), held to
    the identity by ``penalty``. Names whose weight stays 0 are left out."""
    names = feature_names()
    x = np.hstack([np.ones((len(examples), 1)), _matrix(examples, names)])
    y = np.asarray(labels, dtype=float)
    b0, w0 = _vector(identity(), names)
    prior = np.concatenate([[b0], w0])
    beta = prior.copy()
    ridge = np.full(len(prior), penalty)
    ridge[0] = penalty / 10  # the bias may move more freely than any one feature
    for _ in range(50):
        p = _sigmoid(x @ beta)
        gradient = x.T @ (p - y) + ridge * (beta - prior)
        hessian = (x.T * (p * (1 - p))) @ x + np.diag(ridge)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    weights = {name: round(float(v), 6) for name, v in zip(names, beta[1:], strict=True) if abs(v) > 1e-9}
    return {BIAS: round(float(beta[0]), 6), "weights": weights}


def figures(probabilities: Sequence[float], labels: Sequence[int], *, cut: float) -> dict:
    """Log-loss, and precision, recall and F1 of "worth checking" at the cut."""
    p = np.clip(np.asarray(probabilities, dtype=float), 1e-6, 1 - 1e-6)
    y = np.asarray(labels, dtype=float)
    log_loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))) if len(y) else 0.0
    chosen = p >= cut
    tp = float(np.sum(chosen & (y == 1)))
    precision = tp / float(np.sum(chosen)) if np.any(chosen) else 0.0
    recall = tp / float(np.sum(y == 1)) if np.any(y == 1) else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "log_loss": round(log_loss, 4),
        "f1": round(f1, 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "n": len(y),
    }


def is_better(new: Mapping, old: Mapping) -> bool:
    """The new layer replaces the old only with a lower log-loss and an F1 at the cut no
    lower, both on decisions neither was fitted to."""
    return new["log_loss"] < old["log_loss"] and new["f1"] >= old["f1"]


REASON_START = "newsroom layer "


def reason(probability: float, shipped: float) -> str:
    """The reason an editor reads first on a claim the newsroom's layer scored."""
    return f"{REASON_START}{probability:.2f} (shipped {shipped:.2f})"


_REASON_FEATURES = (
    # What rule_score writes for each feature (scoring.fired_features), for claims stored
    # before their features were: a reason's start names its feature.
    ("number", "number"),
    ("quantity word '", "quantity_word"),
    ("named actor", "named_actor"),
    ("actor named earlier in the quote", "named_actor"),
    ("named in the headline: ", "named_actor"),
    ("several actors", "several_actors"),
    ("date", "date"),
    ("topic: ", "topic"),
    ("factual verb '", "fact"),
    ("rule or law: '", "rule"),
    ("cause: '", "causation"),
    ("hedged: '", "hedge"),
    ("reported as fact", "reported_as_fact"),
    ("quoted speech", "quote"),
    ("expert source: '", "expert_source"),
    ("opinion verb '", "opinion"),
    ("what should be: '", "normative"),
    ("about the statement or event: '", "procedural"),
    ("rhetorical: '", "rhetorical"),
    ("continues an opinion", "continues_opinion"),
    ("prediction: '", "prediction"),
    ("question", "question"),
    ("first person", "personal"),
    ("too short", "short"),
    ("no rules for language '", "no_rules"),
)


def features_from_reasons(reasons: Iterable[str]) -> tuple[str, ...]:
    """The rule features a stored claim's reasons name (those with a weight; the rest left
    no reason). Model reasons ("model 0.91", "model: 'money' (+)") name none."""
    found: list[str] = []
    for text in reasons:
        if not isinstance(text, str):
            continue
        for start, feature in _REASON_FEATURES:
            exact = not start.endswith((" ", "'"))
            if (text == start if exact else text.startswith(start)) and feature not in found:
                found.append(feature)
                break
    return tuple(found)
