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
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .datasets import datasets_dir
from .sentence_model import SentenceModel
from .sentence_model import load_default as load_sentence_model

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

_WORD_CACHE = 50_000
_WORD_RE = re.compile(r"\b\w\w+\b")
_SPACE_RE = re.compile(r"\s+")

# Hand features: cues a debate fact-checker looks for that n-grams capture only
# sparsely. The name is what explain() shows to an editor. Each fires on characters
# anywhere in the lower-cased sentence, on whole words, or on a pattern of its own; the
# column order is the trained weights' order.
_HAND_SPEC: tuple[tuple[str, str, str, str], ...] = (
    # (name, characters, whole words, own pattern)
    ("a number", "", "", r"\d"),
    ("a percentage", "%", r"percent\w*", ""),
    ("money", "$", r"dollars?|(?:m|b|tr)illion", ""),
    ("a year", "", r"(?:1[89]|20)\d\d", ""),
    ("a comparison", "", "more|less|fewer|than|most|least", ""),
    ("an opinion marker", "", "", r"\bi (?:think|believe|feel|hope|want|will)\b"),
    ("a question", "?", "", ""),
    ("first person", "", "i|me|my|we|our|us", ""),
    ("second person", "", "you|your", ""),
    ("third person", "", "he|his|she|her|they|them", ""),
    ("an action verb", "", "voted|passed|signed|cut|raised|increased|decreased|created|lost", ""),
    ("an absolute", "", "never|always|every|all|nobody|everybody", ""),
)


def _pattern(characters: str, words: str, own: str) -> str:
    if own:
        return own
    either = [f"[{re.escape(characters)}]"] if characters else []
    return "|".join(either + ([rf"\b(?:{words})\b"] if words else []))


# What each hand feature means, one pattern each, as searched in the lower-cased sentence.
HAND_FEATURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(_pattern(characters, words, own))) for name, characters, words, own in _HAND_SPEC
)
# How they are searched: the characters and whole words of all the features in one pass
# (a match is one character or one whole word, so no two can overlap), the others alone.
_TOGETHER = re.compile(
    _pattern(
        "".join(characters for _, characters, _, _ in _HAND_SPEC),
        "|".join(words for _, _, words, _ in _HAND_SPEC if words),
        "",
    )
)
_ALONE: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (column, HAND_FEATURES[column][1]) for column, (*_, own) in enumerate(_HAND_SPEC) if own
)


@lru_cache(maxsize=4096)
def _columns_of(matched: str) -> tuple[int, ...]:
    """The features a character or whole word found by _TOGETHER fires."""
    return tuple(
        column
        for column, (_, characters, words, own) in enumerate(_HAND_SPEC)
        if not own
        and ((len(matched) == 1 and matched in characters) or (words and re.fullmatch(words, matched)))
    )


# Words that tell an editor nothing about why a sentence is worth checking: a word n-gram
# made of these only ("said the", "was", "it") is left out of the reasons shown, though it
# still counts in the score.
_FUNCTION_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your yours said says say saying told tell also well yes oh ve ll re don didn
    doesn isn wasn aren weren hasn haven won wouldn couldn shouldn let get got going go""".split()
)

# A capitalised word that does not open a sentence: usually a named actor.
# (The capital is looked for first: the lookbehinds then run at capitals only, not at
# every character.)
_NAME_RE = re.compile(r"\b(?=[A-Z])(?<!^)(?<![.!?] )[A-Z][a-z]+")
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


def _word_char_ngrams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(
        padded[i : i + n] for n in range(2, 6) for i in range(max(1, len(padded) - n + 1))
    )


def hand_feature_matrix(texts: Sequence[str]) -> np.ndarray:
    """One row of hand features per text, each pattern run once over all the texts.

    Searching every sentence with every pattern cost a third of the model's time. No
    pattern can match a line break, so over the texts joined by line breaks each match
    lies inside one text, and a text fires a feature exactly when a match starts in it.
    """
    n = len(texts)
    matrix = np.zeros((n, N_HAND), dtype=np.float64)
    if not n:
        return matrix
    lower = [t.lower() for t in texts]
    starts = _starts(lower)
    joined = "\n".join(lower)
    matches = list(_TOGETHER.finditer(joined))
    for row, match in zip(_owners(starts, matches).tolist(), matches, strict=True):
        matrix[row, _columns_of(match.group())] = 1.0
    for column, pattern in _ALONE:
        matrix[_owners(starts, pattern.finditer(joined)), column] = 1.0
    # Case matters for names, and "does not open a sentence": a text's first word is no
    # name by position.
    starts = _starts(texts)
    found = np.fromiter((m.start() for m in _NAME_RE.finditer("\n".join(texts))), dtype=np.int64)
    owner = np.searchsorted(starts, found, side="right") - 1
    matrix[owner[found != starts[owner]], len(HAND_FEATURES)] = 1.0
    matrix[:, -1] = [min(len(t.split()), 60) / 60 for t in texts]
    return matrix


def _starts(pieces: Sequence[str]) -> np.ndarray:
    """Where each piece starts in the pieces joined by line breaks."""
    lengths = np.fromiter((len(piece) + 1 for piece in pieces), dtype=np.int64, count=len(pieces))
    return np.concatenate(([0], np.cumsum(lengths)[:-1]))


def _owners(starts: np.ndarray, matches: Iterable[re.Match[str]]) -> np.ndarray:
    found = np.fromiter((m.start() for m in matches), dtype=np.int64)
    return np.searchsorted(starts, found, side="right") - 1


HAND_NAMES: tuple[str, ...] = tuple(name for name, _ in HAND_FEATURES) + ("a named actor", "sentence length")


@dataclass(frozen=True)
class _Block:
    """One TF-IDF block: vocabulary, idf and the model's weight per term."""

    index: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray

    def known_ids(self, grams: Iterable[str]) -> np.ndarray:
        index = self.index
        return np.fromiter((index[g] for g in grams if g in index), dtype=np.int32)

    def score_batch(
        self, id_arrays: Sequence[np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Sublinear, l2-normalised TF-IDF of each text's terms (as scikit-learn computes
        it) dotted with the model's weights, for many texts in one NumPy pass.

        Returns each text's score, and per (text, term) pair the text's index, the term
        and its contribution (weight times coefficient), for explanations.
        """
        n = len(id_arrays)
        lengths = np.fromiter((a.size for a in id_arrays), dtype=np.int64, count=n)
        if not lengths.sum():
            empty = np.zeros(0, dtype=np.int64)
            return np.zeros(n), empty, empty, np.zeros(0)
        size = len(self.idf)
        # One key per (text, term) pair, counted by sorting: 32-bit keys sort twice as fast
        # and hold any batch of fewer than 2**31 / size texts (tens of thousands).
        dtype = np.int32 if n * size < 2**31 else np.int64
        keys = np.repeat(np.arange(n, dtype=dtype), lengths) * dtype(size) + np.concatenate(id_arrays).astype(dtype)
        unique, counts = np.unique(keys, return_counts=True)
        owner, term = np.divmod(unique, size)
        weight = (1.0 + np.log(counts)) * self.idf[term]
        norm = np.sqrt(np.bincount(owner, weights=weight * weight, minlength=n))
        norm[norm == 0] = 1.0
        contribution = weight / norm[owner] * self.coef[term]
        return np.bincount(owner, weights=contribution, minlength=n), owner, term, contribution


class CheckworthinessModel:
    def __init__(self, words: _Block, chars: _Block, hand_coef: np.ndarray, intercept: float) -> None:
        self._words = words
        self._chars = chars
        self._hand_coef = hand_coef
        self._intercept = intercept
        self._word_terms = {j: t for t, j in words.index.items()}
        self._readable = np.zeros(len(words.idf), dtype=bool)
        for term, j in words.index.items():
            # Not "of the", nor "000" (digits are what "a number" says, more clearly).
            self._readable[j] = any(w not in _FUNCTION_WORDS and not w.isdigit() for w in term.split())
        # Known character n-gram ids per word: news text repeats its words, so cutting
        # each word once is most of the saving. Bounded: a worker reads words without end.
        self._char_ids = lru_cache(maxsize=_WORD_CACHE)(
            lambda word: self._chars.known_ids(_word_char_ngrams(word))
        )

    @classmethod
    def load(cls, model_dir: Path = MODELS_DIR) -> CheckworthinessModel:
        vocab = json.loads((model_dir / VOCAB_FILE).read_text(encoding="utf-8"))
        with np.load(model_dir / WEIGHTS_FILE, allow_pickle=False) as w:
            words = _Block(
                {t: i for i, t in enumerate(vocab["word"])},
                w["word_idf"].astype(np.float64),
                w["word_coef"].astype(np.float64),
            )
            chars = _Block(
                {t: i for i, t in enumerate(vocab["char"])},
                w["char_idf"].astype(np.float64),
                w["char_coef"].astype(np.float64),
            )
            return cls(words, chars, w["hand_coef"], float(w["intercept"]))

    def predict_proba(self, texts: Sequence[str]) -> list[float]:
        return [probability for probability, _ in self._batch(texts, k=0)]

    def __str__(self) -> str:
        return "word model"

    def explain(self, text: str, k: int = 3) -> list[str]:
        """The k readable features that pushed the score most, with their direction.

        Character n-grams are left out: they carry weight but mean nothing to an editor.
        """
        return self._batch([text], k)[0][1]

    def predict_explained(self, texts: Sequence[str], k: int = 3) -> list[tuple[float, list[str]]]:
        """predict_proba and explain together, computing each sentence's features once."""
        return self._batch(texts, k)

    def _batch(self, texts: Sequence[str], k: int) -> list[tuple[float, list[str]]]:
        """Probabilities (and k reasons each) for many texts, scored in NumPy passes."""
        if not texts:
            return []
        known = self._words.index.get
        word_ids = [
            np.array([i for i in map(known, word_ngrams(t)) if i is not None], dtype=np.int64) for t in texts
        ]
        char_ids = []
        for text in texts:
            pieces = [self._char_ids(w) for w in _SPACE_RE.sub(" ", text.lower()).split()]
            char_ids.append(np.concatenate(pieces).astype(np.int64) if pieces else np.zeros(0, np.int64))
        word_scores, owner, term, contribution = self._words.score_batch(word_ids)
        char_scores = self._chars.score_batch(char_ids)[0]
        hand = hand_feature_matrix(texts)
        hand_scores = hand @ self._hand_coef
        logits = self._intercept + word_scores + char_scores + hand_scores
        probabilities = (1.0 / (1.0 + np.exp(-logits))).tolist()
        if k <= 0:
            return [(p, []) for p in probabilities]
        # Each text's k strongest readable word terms, by absolute contribution, then hand
        # features.
        readable = self._readable[term]
        owner, term, contribution = owner[readable], term[readable], contribution[readable]
        order = np.lexsort((-np.abs(contribution), owner))
        bounds = np.searchsorted(owner[order], np.arange(len(texts) + 1)).tolist()
        # Plain Python numbers from here: NumPy scalars cost more per item than they save.
        contribution, term, order = contribution.tolist(), term.tolist(), order.tolist()
        hand_coef = self._hand_coef.tolist()
        result = []
        for i, (probability, row) in enumerate(zip(probabilities, hand.tolist(), strict=True)):
            top = order[bounds[i] : min(bounds[i] + k, bounds[i + 1])]
            quoted = _Quoter(texts[i])
            candidates = [(contribution[j], quoted.term(self._word_terms[term[j]])) for j in top]
            candidates += [(c * x, quoted.hand(column)) for column, (c, x) in enumerate(zip(hand_coef, row, strict=True)) if x]
            result.append((probability, _reasons(candidates, k)))
        return result


def _reasons(candidates: Sequence[tuple[float, str | None]], k: int) -> list[str]:
    """The k strongest contributions as an editor reads them: the claim's own words, quoted,
    with their direction. Where a word and a hand feature quote the same words ("million" as
    a word and as money) they are one reason, their contributions added; a contribution
    with nothing in the claim to quote (sentence length) is not shown."""
    by_quote: dict[str, list] = {}
    for c, quote in candidates:
        if quote:
            by_quote.setdefault(quote.lower(), [quote, 0.0])[1] += c
    ranked = sorted(by_quote.values(), key=lambda qc: abs(qc[1]), reverse=True)
    return [f"model: '{quote}' ({'+' if c > 0 else '-'})" for quote, c in ranked[:k] if c]


# A number as written, with its currency sign and percent: "$4,000", "45%", "300,000".
_NUMBER_RE = re.compile(r"[$€£]?\s?\d(?:[\d.,]*\d)?(?:\s?%)?")


class _Quoter:
    """Where in one sentence a model feature fired: the words the reason quotes."""

    def __init__(self, text: str) -> None:
        self.text = text
        lower = text.lower()
        # lower() lengthens a few letters ("İ"); then quote the lower-cased text instead.
        self._source = text if len(lower) == len(text) else lower
        self._lower = lower
        self._words = list(_WORD_RE.finditer(lower))

    def term(self, term: str) -> str | None:
        """A word 1-2-gram as the sentence writes it ("Korea, said" for "korea said")."""
        parts = term.split()
        words = self._words
        for n in range(len(words) - len(parts) + 1):
            if all(words[n + m].group() == part for m, part in enumerate(parts)):
                return self._source[words[n].start() : words[n + len(parts) - 1].end()]
        return None

    def hand(self, column: int) -> str | None:
        """The first match of a hand feature, or None for one that quotes nothing (length)."""
        if column >= len(HAND_FEATURES):
            if HAND_NAMES[column] != "a named actor":
                return None
            found = next((m for m in _NAME_RE.finditer(self.text) if m.start() != 0), None)
            return found.group() if found else None
        match = HAND_FEATURES[column][1].search(self._lower)
        if match is None:
            return None
        start, end = match.span()
        if match.group() in "$%0123456789" and match.group():
            # A sign or a digit alone means nothing: the number it belongs to.
            number = next((m for m in _NUMBER_RE.finditer(self._lower) if m.start() <= start < m.end()), None)
            if number is not None:
                start, end = number.span()
        return self._source[start:end].strip()


@lru_cache(maxsize=1)
def load_default() -> CheckworthinessModel:
    """The word model alone: what ``extract`` scores English sentences with."""
    return CheckworthinessModel.load(MODELS_DIR)


class BlendedModel:
    """The word model and the sentence model (``sentence_model``) averaged, with the
    sentence model's share chosen on dev.tsv: the English score the product ends with."""

    def __init__(self, words: CheckworthinessModel, sentences: SentenceModel) -> None:
        self.words = words
        self.sentences = sentences

    def blend(self, word_probability: float, sentence_probability: float) -> float:
        weight = self.sentences.weight
        return weight * sentence_probability + (1 - weight) * word_probability

    def predict_proba(self, texts: Sequence[str]) -> list[float]:
        words = self.words.predict_proba(texts)
        sentences = self.sentences.predict_proba(texts)
        return [self.blend(w, s) for w, s in zip(words, sentences, strict=True)]

    def __str__(self) -> str:
        return f"word model + sentence model (weight {self.sentences.weight:g})"


def load_scorer() -> BlendedModel | CheckworthinessModel:
    """The blended model, or the word model alone where the sentence model cannot load."""
    sentences = load_sentence_model()
    return BlendedModel(load_default(), sentences) if sentences is not None else load_default()


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
    hand = hand_feature_matrix(texts)
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


def evaluate(model: BlendedModel | CheckworthinessModel, path: Path) -> dict:
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
