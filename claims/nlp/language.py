"""Cheap language identification: script first, then stop-word counts."""

from __future__ import annotations

import re

from .lexicon import stopword_lists

_WORD_RE = re.compile(r"[^\W\d_]+")
# Scripts that name their language well enough for routing to the fallback rules.
_SCRIPTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\u0400-\u04FF]"), "ru"),
    (re.compile(r"[\u0600-\u06FF]"), "ar"),
    (re.compile(r"[\u0E00-\u0E7F]"), "th"),
    (re.compile(r"[\u3040-\u30FF]"), "ja"),
    (re.compile(r"[\uAC00-\uD7AF]"), "ko"),
    (re.compile(r"[\u4E00-\u9FFF]"), "zh"),
    (re.compile(r"[\u0370-\u03FF]"), "el"),
    (re.compile(r"[\u0590-\u05FF]"), "he"),
    (re.compile(r"[\u0900-\u097F]"), "hi"),
)
# A sample is enough; language does not change halfway through a news article.
_SAMPLE_CHARS = 20_000
_MIN_HITS = 2


def detect_language(text: str) -> str:
    """Return "id", "en", another ISO 639-1 code, or "und" when there is too little text."""
    sample = text[:_SAMPLE_CHARS] if isinstance(text, str) else ""
    words = [w.lower() for w in _WORD_RE.findall(sample)]
    if not words:
        return "und"
    latin = sum(1 for w in words if w.isascii())
    if latin * 2 < len(words):
        hits, code = max((len(pattern.findall(sample)), code) for pattern, code in _SCRIPTS)
        if hits:
            return code
    counts = {lang: sum(1 for w in words if w in stopwords) for lang, stopwords in stopword_lists().items()}
    # Ties go to the order of the file (Indonesian before Malay).
    best = max(counts, key=lambda lang: counts[lang])
    if counts[best] < _MIN_HITS and counts[best] * 5 < len(words):
        return "und"
    return best
