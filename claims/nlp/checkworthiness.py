"""English check-worthiness: is a sentence a factual claim worth checking?

A logistic regression over three feature blocks: word 1-2-gram TF-IDF, character
2-5-gram TF-IDF (within word boundaries, so numbers and rare names still match),
and a few hand features (numbers, money, opinion markers...). Training uses
scikit-learn; inference needs only NumPy, and the weights are a ``.npz`` of plain
arrays plus a JSON vocabulary, so they do not depend on a scikit-learn version.

No Django here: the management commands are thin wrappers over this module.
"""

from __future__ import annotations

import csv
import json
import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .datasets import datasets_dir

MODELS_DIR = Path(__file__).resolve().parent / "models"
WEIGHTS_FILE = "checkworthiness_en.npz"
VOCAB_FILE = "checkworthiness_en.vocab.json"
DATASET_SUBDIR = "checkthat2024-en"

# Chosen on dev.tsv (C over 1/3/10, class weights none/balanced). Balanced class
# weights make 0.5 the cut that weighs a missed claim like a false alarm, which
# is what an editor's queue wants, instead of the 24 % prior of the training set.
C_REGULARISATION = 3.0
WORD_MIN_DF = 2
CHAR_MIN_DF = 3

_WORD_RE = re.compile(r"\b\w\w+\b")
_SPACE_RE = re.compile(r"\s+")

# Hand features: cues a debate fact-checker looks for that n-grams capture only
# sparsely. The name is what explain() shows to an editor.
HAND_FEATURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("a number", r"\d"),
        ("a percentage", r"%|\bpercent"),
        ("money", r"\$|\bdollars?\b|\b(?:m|b|tr)illion\b"),
        ("a year", r"\b(?:1[89]|20)\d\d\b"),
        ("a comparison", r"\b(?:more|less|fewer|than|most|least)\b"),
        ("an opinion marker", r"\bi (?:think|believe|feel|hope|want|will)\b"),
        ("a question", r"\?"),
        ("first person", r"\b(?:i|me|my|we|our|us)\b"),
        ("second person", r"\b(?:you|your)\b"),
        ("third person", r"\b(?:he|his|she|her|they|them)\b"),
        ("an action verb", r"\b(?:voted|passed|signed|cut|raised|increased|decreased|created|lost)\b"),
        ("an absolute", r"\b(?:never|always|every|all|nobody|everybody)\b"),
    )
)
# A capitalised word that does not open a sentence: usually a named actor.
_NAME_RE = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+")
N_HAND = len(HAND_FEATURES) + 2  # + named actor, + length


def word_ngrams(text: str) -> list[str]:
    """Lower-cased words of two or more characters, and their bigrams."""
    words = _WORD_RE.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def char_ngrams(text: str) -> list[str]:
    """2- to 5-character n-grams inside space-padded words."""
    grams: list[str] = []
    for word in _SPACE_RE.sub(" ", text.lower()).split():
        grams.extend(_word_char_ngrams(word))
    return grams


@lru_cache(maxsize=100_000)
def _word_char_ngrams(word: str) -> tuple[str, ...]:
    # News text repeats its words: cutting each word once is most of the saving.
    padded = f" {word} "
    return tuple(
        padded[i : i + n] for n in range(2, 6) for i in range(max(1, len(padded) - n + 1))
    )


def hand_features(text: str) -> np.ndarray:
    low = text.lower()
    values = [1.0 if pattern.search(low) else 0.0 for _, pattern in HAND_FEATURES]
    values.append(1.0 if _NAME_RE.search(text) else 0.0)
    values.append(min(len(text.split()), 60) / 60)
    return np.asarray(values, dtype=np.float64)


HAND_NAMES: tuple[str, ...] = tuple(name for name, _ in HAND_FEATURES) + ("a named actor", "length")


@dataclass(frozen=True)
class _Block:
    """One TF-IDF block: vocabulary, idf and the model's weight per term.

    idf and coef are kept as lists for the word block, which is read a term at a time
    (faster than indexing NumPy), and as arrays for the character block, scored whole.
    """

    index: dict[str, int]
    idf: list[float]
    coef: list[float]
    _idf_array: np.ndarray = field(init=False, repr=False)
    _coef_array: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_idf_array", np.asarray(self.idf, dtype=np.float64))
        object.__setattr__(self, "_coef_array", np.asarray(self.coef, dtype=np.float64))

    def weights(self, grams: Iterable[str]) -> dict[int, float]:
        """Sublinear, l2-normalised TF-IDF of known grams, as scikit-learn computes it."""
        counts = Counter(self.index[g] for g in grams if g in self.index)
        raw = {j: (1.0 + math.log(c)) * self.idf[j] for j, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        return {j: v / norm for j, v in raw.items()}

    def known_ids(self, grams: Iterable[str]) -> np.ndarray:
        index = self.index
        return np.fromiter((index[g] for g in grams if g in index), dtype=np.int32)

    def score_ids(self, ids: np.ndarray) -> float:
        """Sublinear, l2-normalised TF-IDF of the terms dotted with the model's weights."""
        if ids.size == 0:
            return 0.0
        unique, counts = np.unique(ids, return_counts=True)
        tf = 1.0 + np.log(counts)
        idf = self._idf_array[unique]
        dot = float(np.dot(tf * idf, self._coef_array[unique]))
        return dot / (math.sqrt(float(np.dot(tf * idf, tf * idf))) or 1.0)


class CheckworthinessModel:
    def __init__(self, words: _Block, chars: _Block, hand_coef: np.ndarray, intercept: float) -> None:
        self._words = words
        self._chars = chars
        self._hand_coef = hand_coef
        self._intercept = intercept
        self._word_terms = {j: t for t, j in words.index.items()}
        # Known character n-gram ids per word: news text repeats its words.
        self._char_ids = lru_cache(maxsize=100_000)(
            lambda word: self._chars.known_ids(_word_char_ngrams(word))
        )

    @classmethod
    def load(cls, model_dir: Path = MODELS_DIR) -> CheckworthinessModel:
        vocab = json.loads((model_dir / VOCAB_FILE).read_text(encoding="utf-8"))
        with np.load(model_dir / WEIGHTS_FILE, allow_pickle=False) as w:
            words = _Block(
                {t: i for i, t in enumerate(vocab["word"])}, w["word_idf"].tolist(), w["word_coef"].tolist()
            )
            chars = _Block(
                {t: i for i, t in enumerate(vocab["char"])}, w["char_idf"].tolist(), w["char_coef"].tolist()
            )
            return cls(words, chars, w["hand_coef"], float(w["intercept"]))

    def _parts(self, text: str) -> tuple[float, dict[int, float], np.ndarray]:
        """The logit, and the word weights and hand features that explain() reads."""
        word_weights = self._words.weights(word_ngrams(text))
        hand = hand_features(text)
        logit = (
            self._intercept
            + sum(self._words.coef[j] * v for j, v in word_weights.items())
            + self._chars_score(text)
            + float(hand @ self._hand_coef)
        )
        return logit, word_weights, hand

    def _logit(self, text: str) -> float:
        return self._parts(text)[0]

    def _chars_score(self, text: str) -> float:
        words = _SPACE_RE.sub(" ", text.lower()).split()
        if not words:
            return 0.0
        return self._chars.score_ids(np.concatenate([self._char_ids(w) for w in words]))

    def predict_proba(self, texts: Sequence[str]) -> list[float]:
        logits = np.fromiter((self._logit(t) for t in texts), dtype=np.float64, count=len(texts))
        return (1.0 / (1.0 + np.exp(-logits))).tolist()

    def explain(self, text: str, k: int = 3) -> list[str]:
        """The k readable features that pushed the score most, with their direction.

        Character n-grams are left out: they carry weight but mean nothing to an editor.
        """
        _, word_weights, hand = self._parts(text)
        return self._reasons(word_weights, hand, k)

    def predict_explained(self, texts: Sequence[str], k: int = 3) -> list[tuple[float, list[str]]]:
        """predict_proba and explain together, computing each sentence's features once."""
        result = []
        for text in texts:
            logit, word_weights, hand = self._parts(text)
            result.append((1.0 / (1.0 + math.exp(-logit)), self._reasons(word_weights, hand, k)))
        return result

    def _reasons(self, word_weights: dict[int, float], hand: np.ndarray, k: int) -> list[str]:
        contributions: list[tuple[float, str]] = [
            (self._words.coef[j] * v, self._word_terms[j]) for j, v in word_weights.items()
        ]
        contributions += [
            (c * x, name) for name, c, x in zip(HAND_NAMES, self._hand_coef, hand, strict=True) if x
        ]
        contributions.sort(key=lambda cn: abs(cn[0]), reverse=True)
        return [f"model: '{name}' ({'+' if c > 0 else '-'})" for c, name in contributions[:k] if c]


@lru_cache(maxsize=1)
def load_default() -> CheckworthinessModel:
    return CheckworthinessModel.load(MODELS_DIR)


def read_tsv(path: Path) -> list[tuple[str, str, int]]:
    """(sentence_id, text, label 1/0) rows of a CheckThat! TSV.

    One row of the published train.tsv lacks its line break, so its label cell
    reads ``No29286`` followed by a second row's cells; such rows are split back.
    """
    rows: list[tuple[str, str, int]] = []
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader, None)
        for cells in reader:
            while len(cells) >= 3:
                sentence_id, text, label = cells[0], cells[1], cells[2]
                head = "Yes" if label.startswith("Yes") else "No"
                rows.append((sentence_id, text, int(head == "Yes")))
                rest = label[len(head) :]
                cells = [rest, *cells[3:]] if rest else []
    return rows


def default_data_dir() -> Path:
    """The CheckThat! folder of the shared datasets (see datasets.datasets_dir)."""
    root = datasets_dir() or Path("/work/shared/datasets")
    return root / DATASET_SUBDIR


def _scores(labels: Sequence[int], probs: Sequence[float]) -> dict[str, float]:
    predicted = [p >= 0.5 for p in probs]
    tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    precision = tp / max(1, sum(predicted))
    recall = tp / max(1, sum(labels))
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def train(train_paths: Sequence[Path], out_dir: Path) -> dict:
    """Fit on all rows of the given TSVs and write the weights into out_dir."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [row for path in train_paths for row in read_tsv(path)]
    texts = [text for _, text, _ in rows]
    labels = [label for _, _, label in rows]
    started = time.perf_counter()
    word_vec = TfidfVectorizer(analyzer=word_ngrams, min_df=WORD_MIN_DF, sublinear_tf=True)
    char_vec = TfidfVectorizer(analyzer=char_ngrams, min_df=CHAR_MIN_DF, sublinear_tf=True)
    hand = np.vstack([hand_features(t) for t in texts])
    features = hstack(
        [word_vec.fit_transform(texts), char_vec.fit_transform(texts), csr_matrix(hand)]
    ).tocsr()
    clf = LogisticRegression(C=C_REGULARISATION, class_weight="balanced", max_iter=5000)
    clf.fit(features, labels)

    coef = clf.coef_[0]
    n_words, n_chars = len(word_vec.vocabulary_), len(char_vec.vocabulary_)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out_dir / WEIGHTS_FILE,
        word_idf=word_vec.idf_.astype(np.float32),
        word_coef=coef[:n_words].astype(np.float32),
        char_idf=char_vec.idf_.astype(np.float32),
        char_coef=coef[n_words : n_words + n_chars].astype(np.float32),
        hand_coef=coef[n_words + n_chars :].astype(np.float64),
        intercept=np.float64(clf.intercept_[0]),
    )
    vocab = {
        "word": sorted(word_vec.vocabulary_, key=word_vec.vocabulary_.__getitem__),
        "char": sorted(char_vec.vocabulary_, key=char_vec.vocabulary_.__getitem__),
    }
    (out_dir / VOCAB_FILE).write_text(
        json.dumps(vocab, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )

    model = CheckworthinessModel.load(out_dir)
    return {
        "rows": len(rows),
        "positives": sum(labels),
        "word_features": n_words,
        "char_features": n_chars,
        "seconds": round(time.perf_counter() - started, 1),
        **{f"train_{k}": round(v, 4) for k, v in _scores(labels, model.predict_proba(texts)).items()},
    }


def evaluate(model: CheckworthinessModel, path: Path) -> dict:
    """Precision, recall and F1 of the positive class at the 0.5 cut, and throughput."""
    rows = read_tsv(path)
    started = time.perf_counter()
    probs = model.predict_proba([text for _, text, _ in rows])
    elapsed = time.perf_counter() - started
    return {
        **_scores([label for _, _, label in rows], probs),
        "n": len(rows),
        "sentences_per_second": len(rows) / elapsed if elapsed > 0 else float("inf"),
    }
