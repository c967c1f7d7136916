"""Claim matching: the closest fact-checks (or claims) to a text, in one language or across two.

Two signals, fused: the multilingual encoder's vectors (cosine similarity; a paraphrase or
the other language) and a lexical score (BM25 over words, names and numbers, which the
vectors blur: "1 million shells" and "1.2 million shells" are near in meaning and not the
same claim). Pure: no Django; the product's index and ``evaluate_matching`` both search
with ``Matcher.search``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .lexicon import stopword_lists

# "1,000,000" / "1.000.000" / "1 000 000" are one number; a decimal keeps its point.
_NUMBER_GROUPS = re.compile(r"(?<=\d)[.,\s](?=\d{3}(?:\D|$))")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+(?:['’][^\W\d_]+)?")
_URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|@\w+")

BM25_K1 = 1.2
BM25_B = 0.75


# Function words only: frequent content words ("pemerintah", "government") stay, since a
# name or a noun is what two claims share; BM25's idf weighs them down anyway.
_STOPWORDS = frozenset("""
a an and are as at be been but by for from had has have he her his i in is it its of on or
our she so that the their them there they this to was we were which who will with would you
your not no do does did than then into about also just more most over said says say
yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga oleh sebagai
atau karena bahwa ada sudah telah bisa dapat masih lebih saat para kata ujar menurut ia
dia mereka kami kita saya anda tersebut yakni yaitu namun tetapi tapi jika kalau agar
supaya hingga sampai sejak secara serta bagi tak pun lah kah nya se
""".split())


def _tokens(text: str) -> list[str]:
    """Words (accents folded, case kept), names and numbers of a text, stop words left out."""
    text = unicodedata.normalize("NFKD", _URL.sub(" ", text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DECIMAL_COMMA.sub(".", _NUMBER_GROUPS.sub("", text))
    return [t for t in _TOKEN.findall(text) if t.lower() not in _STOPWORDS and (len(t) > 1 or t.isdigit())]


def terms(text: str) -> list[str]:
    """Words (lower case, accents folded), names and numbers of a text, stop words left out."""
    return [t.lower() for t in _tokens(text)]


def shared_terms(text: str) -> set[str]:
    """The terms of a text that a text in another language may hold as they are: numbers,
    and words written with a capital (names, places, acronyms), in lower case as ``terms``."""
    return {t.lower() for t in _tokens(text) if t[0].isdigit() or t[0].isupper()}


class LexicalIndex:
    """BM25 over postings lists: a query touches only the documents that share a term.

    Each term's postings (document positions and counts) and the documents' lengths are
    packed machine integers (``array``), appended to as documents come and read as NumPy
    arrays without a copy, so that scoring a query is a few array operations per term
    rather than a Python step per posting: at a million documents a common word's postings
    run to hundreds of thousands.
    """

    def __init__(self) -> None:
        self._terms: dict[str, int] = {}
        self._docs: list[array] = []  # per term: the positions of the documents holding it
        self._counts: list[array] = []  # per term: how often each of those holds it
        self._lengths = array("i")
        self._total = 0

    def __len__(self) -> int:
        return len(self._lengths)

    def add(self, text: str) -> int:
        """Index one more document; returns its position."""
        doc = len(self._lengths)
        counts: dict[str, int] = defaultdict(int)
        words = terms(text)
        for word in words:
            counts[word] += 1
        for word, count in counts.items():
            term = self._terms.get(word)
            if term is None:
                term = self._terms[word] = len(self._docs)
                self._docs.append(array("i"))
                self._counts.append(array("i"))
            self._docs[term].append(doc)
            self._counts[term].append(count)
        self._lengths.append(len(words))
        self._total += len(words)
        return doc

    def _idf(self, word: str) -> tuple[float, int | None]:
        term = self._terms.get(word)
        held = len(self._docs[term]) if term is not None else 0
        return math.log(1 + (len(self._lengths) - held + 0.5) / (held + 0.5)), term

    def share(self, query: str, part: set[str]) -> float:
        """How much of the query's terms (weighed by idf, as ``scores`` weighs them) ``part`` holds."""
        total = found = 0.0
        for word in set(terms(query)):
            idf, _ = self._idf(word)
            total += idf
            if word in part:
                found += idf
        return found / total if total else 0.0

    def match(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """The documents sharing a term with the query (positions, ascending) and how much of
        the query each holds, 0..1.

        BM25, divided by what a document holding every term of the query once, at average
        length, would score (the sum of the terms' idf): 1 is all of it, rarer words
        weigh more. Divided so, a score means the same in a corpus of ten or of a million.
        """
        n = len(self._lengths)
        nothing = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        if not n:
            return nothing
        lengths = np.frombuffer(self._lengths, dtype=np.int32)
        average = self._total / n or 1.0
        docs, parts = [], []
        ideal = 0.0
        for word in sorted(set(terms(query))):
            idf, term = self._idf(word)
            ideal += idf
            if term is None:
                continue
            held = np.frombuffer(self._docs[term], dtype=np.int32)
            count = np.frombuffer(self._counts[term], dtype=np.int32).astype(np.float64)
            norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[held] / average)
            docs.append(held)
            parts.append(idf * count * (BM25_K1 + 1) / (count + norm))
        if ideal <= 0 or not docs:
            return nothing
        held = np.concatenate(docs)
        part = np.concatenate(parts)
        if len(held) * 16 >= n:  # many postings: add them up over every document at once
            total = np.bincount(held, weights=part, minlength=n)
            positions = np.flatnonzero(total)
            total = total[positions]
        else:
            positions, which = np.unique(held, return_inverse=True)
            total = np.bincount(which, weights=part)
        return positions.astype(np.int64), np.minimum(1.0, total / ideal)

    def scores(self, query: str) -> dict[int, float]:
        """``match`` as a mapping: each document sharing a term, how much of the query it holds."""
        positions, scores = self.match(query)
        return dict(zip(positions.tolist(), scores.tolist(), strict=True))


@dataclass(frozen=True)
class Hit:
    position: int  # the document's position in the matcher, in the order it was added
    score: float  # the fused score, 0..1
    cosine: float | None
    lexical: float  # how much of the query the document holds, 0..1 (LexicalIndex.scores)


def _best(positions: np.ndarray, scores: np.ndarray, count: int) -> list[tuple[int, float]]:
    """The ``count`` best (position, score) pairs, best first, the earlier position first on a tie."""
    if count <= 0:
        return []
    if len(positions) > count:
        cut = np.partition(scores, len(scores) - count)[len(scores) - count]
        keep = scores >= cut
        positions, scores = positions[keep], scores[keep]
    order = np.lexsort((positions, -scores))[:count]
    return list(zip(positions[order].tolist(), scores[order].tolist(), strict=True))


Embed = Callable[[Sequence[str]], np.ndarray]
# Across languages only names and numbers can be shared as they are; of the query's other
# words a text in another language holds little (a loanword, a cognate). A pair in two
# languages is scored against what it could reach: its fused score is divided by
# ``(1 - w) + w * reachable``, ``reachable`` being the names' and numbers' share of the
# query's terms (by idf) plus this much of the rest. Chosen on our own sets' non-held-out
# parts (claims/nlp/models/README.md): the F1 of "a top-5 document scoring at least the
# threshold is the fact-check", averaged over the two sets, is best at 0.6 (0.61; 0.37 at
# 1, which was the score before; English CheckThat! dev reads 0.64 within one language).
# Read again for the fine-tuned encoder (threshold 0.47): flat over 0.4-1, so left at 0.6.
OTHER_WORDS_REACHABLE = 0.6


# Which of our two languages a text is in, for the words' part only: English and Indonesian
# function words (informal Indonesian too: posts are written so), counted.
_ENGLISH = frozenset("""
a an and are as at be been but by for from had has have he her his i in is it its of on or
our she so that the their them there they this to was we were which who will with would you
your not no do does did than then into about just what when why how can these those
""".split())
_INDONESIAN = frozenset("""
yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga oleh sebagai
atau karena bahwa ada sudah telah bisa dapat masih lebih saat para kata ujar menurut ia
dia mereka kami kita saya anda tersebut yakni yaitu namun tetapi tapi jika kalau agar
supaya hingga sampai sejak secara serta bagi tak pun lah kah nya yg gak nggak ga udah aja
sama katanya banget dong sih kok jd tdk dgn utk krn biar kalo orang buat bikin benarkah
bukan tentang seorang sebuah berkata disebut soal jadi sebut cek fakta hoaks keliru salah
""".split()) | stopword_lists()["id"]
_ENGLISH = _ENGLISH | stopword_lists()["en"]
# Indonesian's suffixes: "memperlihatkan", "katanya".
_INDONESIAN_SUFFIX = re.compile(r"[^\W\d_]{3,}(?:kan|nya)$")
_WORD = re.compile(r"[^\W\d_]+")


def language_of(text: str) -> str:
    """"en", "id", or "und" when neither language's function words outnumber the other's."""
    words = _WORD.findall(text.lower())
    english = sum(w in _ENGLISH for w in words)
    indonesian = sum(w in _INDONESIAN or bool(_INDONESIAN_SUFFIX.match(w)) for w in words)
    if english == indonesian:
        return "und"
    return "en" if english > indonesian else "id"


def _differ(a: str, b: str) -> bool:
    return a != b and a != "und" and b != "und"


class VectorSource(Protocol):
    """The vectors of documents a matcher holds no vector for (an index file shared by
    every process, claims/nlp/ann.py), answering by the matcher's positions."""

    def nearest(self, vector: np.ndarray, count: int) -> list[tuple[int, float]]:
        """Up to ``count`` (position, cosine) pairs, nearest first (approximate)."""

    def cosines(self, positions: list[int], vector: np.ndarray) -> list[float]:
        """The exact cosine of each position's vector with ``vector``."""


class Matcher:
    """Documents (fact-checks or claims) to search, by vector and by words.

    ``embed`` maps a query's text to its unit vector (the encoder's), ``embed_documents``
    the documents' (by default ``embed``); without them the matcher is lexical only. The vectors' best ``candidates`` and the words' best are pooled and each
    is scored ``(1 - w) * cosine + w * lexical``, ``w`` being ``lexical_weight``: both
    parts lie in 0..1.

    The vectors a matcher holds are searched exactly (one packed float32 array). A document
    added with ``held=False`` has no vector here: ``source`` (an approximate index over
    many documents, shared between processes) finds it and gives its cosine.

    Documents are added at the end and removed by position (a changed document is removed
    and added again), so positions never move: a caller keeps its own keys beside them.
    """

    def __init__(self, *, embed: Embed | None = None, lexical_weight: float = 0.3, dimensions: int = 384,
                 embed_documents: Embed | None = None) -> None:
        self.embed = embed
        self.embed_documents = embed_documents or embed
        self.lexical_weight = lexical_weight if embed is not None else 1.0
        self.dimensions = dimensions
        self.lexical = LexicalIndex()
        self.source: VectorSource | None = None
        self._vectors = np.zeros((0, dimensions), dtype=np.float32)  # the held vectors, packed
        self._rows = 0
        self._row_position = np.zeros(0, dtype=np.int64)  # each held vector's position
        self._position_row = np.zeros(0, dtype=np.int64)  # each position's row, -1: not held
        self._size = 0
        self._removed: set[int] = set()
        self._removed_array: np.ndarray | None = None  # the same, as an array (made when searched)
        self._languages: list[str] = []  # each position's language ("und": not told)

    def __len__(self) -> int:
        return self._size - len(self._removed)

    @property
    def held(self) -> int:
        """How many vectors this matcher holds in its own memory (removed ones included)."""
        return self._rows

    def add(self, texts: Sequence[str], vectors: np.ndarray | None = None, *, held: bool = True) -> range:
        """Add documents (their vectors computed unless given); returns their positions.

        ``held=False``: the documents' vectors are not kept here (``source`` has them)."""
        first = self._size
        if not texts:
            return range(first, first)
        for text in texts:
            self.lexical.add(text)
            self._languages.append(language_of(text))
        needed = first + len(texts)
        if needed > len(self._position_row):
            grown = np.full(max(needed, 2 * len(self._position_row), 1024), -1, dtype=np.int64)
            grown[:first] = self._position_row[:first]
            self._position_row = grown
        self._position_row[first:needed] = -1
        if self.embed is not None and held:
            block = np.asarray(vectors if vectors is not None else self.embed_documents(list(texts)),
                               dtype=np.float32)
            start, end = self._rows, self._rows + len(texts)
            if end > len(self._vectors):  # grow by doubling: adding one at a time stays cheap
                size = max(end, 2 * len(self._vectors), 1024)
                grown = np.zeros((size, self.dimensions), dtype=np.float32)
                grown[:start] = self._vectors[:start]
                self._vectors = grown
                rows = np.zeros(size, dtype=np.int64)
                rows[:start] = self._row_position[:start]
                self._row_position = rows
            self._vectors[start:end] = block
            self._row_position[start:end] = np.arange(first, needed)
            self._position_row[first:needed] = np.arange(start, end)
            self._rows = end
        self._size = needed
        return range(first, self._size)

    def remove(self, position: int) -> None:
        """Leave a document out of every later search."""
        if 0 <= position < self._size:
            self._removed.add(position)
            self._removed_array = None
            row = self._position_row[position]
            if row >= 0:
                self._vectors[row] = 0.0

    @property
    def vectors(self) -> np.ndarray:
        """The held vectors, one row each (``held_positions`` says whose)."""
        return self._vectors[: self._rows]

    @property
    def held_positions(self) -> np.ndarray:
        return self._row_position[: self._rows]

    def _removed_positions(self) -> np.ndarray:
        if self._removed_array is None:
            self._removed_array = np.fromiter(self._removed, dtype=np.int64, count=len(self._removed))
        return self._removed_array

    def search(self, query: str, *, k: int = 10, query_vector: np.ndarray | None = None,
               candidates: int = 100) -> list[Hit]:
        """The ``k`` best documents for ``query``, best first."""
        if not len(self):
            return []
        matched, lexical = self.lexical.match(query)
        if self._removed and len(matched):
            kept = ~np.isin(matched, self._removed_positions())
            matched, lexical = matched[kept], lexical[kept]
        if self.embed is None:
            return [Hit(doc, s, None, s) for doc, s in _best(matched, lexical, k)]
        vector = np.asarray(query_vector if query_vector is not None else self.embed([query])[0], dtype=np.float32)
        cosine_of: dict[int, float] = {}
        if self._rows:
            cosines = self.vectors @ vector
            take = min(candidates, self._rows)
            rows = np.argpartition(-cosines, take - 1)[:take]
            positions = self.held_positions
            cosine_of = {int(positions[row]): float(cosines[row]) for row in rows}
        if self.source is not None:
            for position, cosine in self.source.nearest(vector, candidates):
                cosine_of.setdefault(position, cosine)
        for position in list(cosine_of):
            if position in self._removed:
                del cosine_of[position]
        words_only = [doc for doc, _ in _best(matched, lexical, candidates) if doc not in cosine_of]
        unheld = []
        for doc in words_only:
            row = self._position_row[doc]
            if row >= 0:
                cosine_of[doc] = float(self._vectors[row] @ vector)
            else:
                unheld.append(doc)
        if unheld and self.source is not None:
            cosine_of.update(zip(unheld, self.source.cosines(unheld, vector), strict=True))
        weight = self.lexical_weight
        pool = set(cosine_of) | set(words_only)
        language = language_of(query)
        across = {doc for doc in pool if _differ(language, self._languages[doc])}
        if across:
            names = self.lexical.share(query, shared_terms(query))
            reachable = (1 - weight) + weight * (names + OTHER_WORDS_REACHABLE * (1 - names))
        ordered = sorted(pool)
        found = np.searchsorted(matched, ordered)
        words_of = {doc: float(lexical[at]) if at < len(matched) and matched[at] == doc else 0.0
                    for doc, at in zip(ordered, found.tolist(), strict=True)}
        hits = []
        for doc in pool:
            words = words_of[doc]
            cosine = cosine_of.get(doc, 0.0)
            score = (1 - weight) * cosine + weight * words
            if doc in across:
                score = min(1.0, score / reachable)
            hits.append(Hit(doc, score, cosine, words))
        hits.sort(key=lambda hit: (-hit.score, hit.position))
        return hits[:k]
