"""Topic tagging: keywords per topic and language, matched on lower-cased tokens.

Keywords get the language's common inflections as variants ("peluru" also matches
"pelurunya", "weapon" also "weapons"): there is no lemmatiser in a blank pipeline.

A keyword written with a leading "~" is weak: it tags a sentence only when the text also
has one of the topic's other keywords. "~campaign" is an election's campaign in a story
about an election, not "a campaign to destroy Yukos"; "~virus" is no health story in one
about computers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .lexicon import PATTERNS_DIR, RULE_LANGUAGES

TopicKeywords = Mapping[str, Mapping[str, Sequence[str]]]

_SUFFIXES: dict[str, tuple[str, ...]] = {"id": ("nya",), "en": ("s", "es")}
WEAK = "~"


@lru_cache(maxsize=1)
def shipped_topics() -> tuple[dict, ...]:
    """The topics file as shipped: the Django side loads the same file into Topic rows."""
    with (PATTERNS_DIR / "topics.json").open(encoding="utf-8") as fh:
        return tuple(json.load(fh))


def default_topic_keywords() -> dict[str, dict[str, list[str]]]:
    return {topic["slug"]: topic["keywords"] for topic in shipped_topics()}


def _variants(keyword: str, language: str) -> set[str]:
    keyword = keyword.strip().lower()
    forms = {keyword}
    if keyword and " " not in keyword:
        forms.update(keyword + suffix for suffix in _SUFFIXES.get(language, ()))
    return forms


class TopicMatcher:
    def __init__(self, nlp: Language, topics: TopicKeywords, language: str) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.strings = nlp.vocab.strings
        # A language without rules of its own is matched against every language's list.
        languages = (language,) if language in RULE_LANGUAGES else None
        for slug, by_language in topics.items():
            strong: set[str] = set()
            weak: set[str] = set()
            for lang, keywords in by_language.items():
                if languages is None or lang in languages:
                    for keyword in map(str, keywords):
                        if keyword.strip().startswith(WEAK):
                            weak |= _variants(keyword.strip()[len(WEAK) :], lang)
                        else:
                            strong |= _variants(keyword, lang)
            strong.discard("")
            weak = weak - strong - {""}
            if strong:
                self.matcher.add(slug, [nlp.make_doc(p) for p in sorted(strong)])
                if weak:
                    # A topic of weak keywords alone could never be tagged: none is added.
                    self.matcher.add(WEAK + slug, [nlp.make_doc(p) for p in sorted(weak)])

    def find(self, doc: Doc) -> list[tuple[int, str]]:
        """(character offset, topic slug) for every keyword match; a weak keyword's only
        where the text has a strong one of the same topic."""
        found = [(doc[s].idx, self.strings[m]) for m, s, _ in self.matcher(doc)]
        strong = {slug for _, slug in found if not slug.startswith(WEAK)}
        return sorted(
            (offset, slug.removeprefix(WEAK))
            for offset, slug in found
            if not slug.startswith(WEAK) or slug.removeprefix(WEAK) in strong
        )


_MATCHERS: dict[tuple[int, str, str], TopicMatcher] = {}
_MAX_CACHED = 32


def topic_matcher(nlp: Language, topics: TopicKeywords | None, language: str) -> TopicMatcher:
    """Cached per pipeline and topic set, so that editors' topics cost one build."""
    topics = default_topic_keywords() if topics is None else topics
    key = (id(nlp), language, json.dumps(topics, sort_keys=True, default=list))
    matcher = _MATCHERS.get(key)
    if matcher is None:
        if len(_MATCHERS) >= _MAX_CACHED:
            _MATCHERS.clear()
        matcher = _MATCHERS[key] = TopicMatcher(nlp, topics, language)
    return matcher


def forget_topic_matchers() -> None:
    """Drop every cached matcher (a pipeline was rebuilt: theirs is gone)."""
    _MATCHERS.clear()
