"""One language's rules as the attributor reads them: compiled once, shared, never written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..lexicon import GazetteerEntry, LanguageRules, alias_index, alternation, first_letters, language_rules


@dataclass(frozen=True, slots=True)
class AttributionRules:
    """One language's rules as the attributor reads them: compiled once per language,
    never written, shared by every document's walk (``compiled_rules``)."""

    rules: LanguageRules
    opener_firsts: frozenset[str]
    opener_longest: int
    aliases: dict[str, GazetteerEntry]
    longest_alias: int
    place_words: frozenset[str]
    organisation_nouns: frozenset[str]
    verbs: frozenset[str]
    tail_verb_re: re.Pattern[str] | None
    source_re: re.Pattern[str] | None
    source_verb_re: re.Pattern[str] | None
    post_re: re.Pattern[str] | None
    account_re: re.Pattern[str] | None
    post_noun_re: re.Pattern[str] | None
    platform_re: re.Pattern[str] | None
    clause_after_re: re.Pattern[str] | None
    list_split_re: re.Pattern[str] | None
    aside_re: re.Pattern[str] | None
    labels: dict[str, str]
    titled_re: re.Pattern[str] | None
    weekdays: frozenset[str]


def _compile(rules: LanguageRules) -> AttributionRules:
    opener_firsts = frozenset(o[0] for o in rules.subject_openers)
    opener_longest = max((len(o) for o in rules.subject_openers), default=0)
    aliases = alias_index(rules.key)
    # A name is looked up among the phrase's last few words only: no alias is longer.
    longest_alias = max((len(alias.split()) for alias in aliases), default=1)
    # Words of place and organisation names are not part of a person's name: a whole
    # one-word name ("Israel") and what follows the first word of a longer one
    # ("Keuangan" of "Kementerian Keuangan", "Kong"). Not a longer name's first word:
    # "Jack White" is no part of the White House, "Uni Lubis" of "Uni Eropa".
    # Nor a word that known people's names have: "Sri" of "PT Sri Rejeki Isman" is
    # also Sri Mulyani's and Esther Sri Astuti's.
    person_words = rules.person_name_words | frozenset(
        word for alias, entry in aliases.items() if entry.label == "PERSON" for word in alias.split()
    )
    place_words = frozenset(
        word
        for alias, entry in aliases.items()
        if entry.label != "PERSON"
        for word in (alias.split() if " " not in alias else alias.split()[1:])
    ) - person_words
    # "company" of "the company", "perusahaan" of "perusahaan tersebut".
    organisation_nouns = frozenset(
        anaphor.split()[-1] if anaphor.split()[-1] not in rules.anaphor_tails else anaphor.split()[0]
        for anaphor in rules.organisation_anaphors
    )
    verb_set = rules.speech_verbs | rules.reporting_verbs
    verbs = alternation(verb_set)
    tail_verb_re = (
        re.compile(rf"{first_letters(verb_set, any_case=True)}(?<![\w-])(?:{verbs})(?![\w-])", re.I)
        if verb_set
        else None
    )
    # "..., NHS England figures show.", "ONS data suggests ...": a publisher's capitalised
    # name, a source noun and what the source does.
    # Indonesian names the publisher after the noun: "Data BPS menunjukkan ...".
    links = f"|{alternation(rules.publisher_links)}" if rules.publisher_links else ""
    publisher = rf"(?P<who>[A-Z][\w&.'-]*(?:\s+(?:[A-Z][\w&.'-]*{links})){{0,5}})"
    source_nouns = rf"(?i:{alternation(rules.source_nouns)})"
    source_verbs = rf"(?:{alternation(rules.source_verbs)})(?![\w-])"
    # "Hasil survei terbaru Lembaga Survei Indonesia (LSI) menunjukkan": a word between
    # the noun and the publisher, and the publisher's short form after it.
    modifier = rf"(?:\s+(?:{alternation(rules.source_modifiers)}))?" if rules.source_modifiers else ""
    short_form = r"(?:\s*\([^()]{1,20}\))?"
    source_re = (
        re.compile(
            rf"(?<![\w-]){source_nouns}{modifier}\s+{publisher}{short_form}\s+{source_verbs}"
            if rules.source_name_after
            else rf"(?<![\w-]){publisher}\s+{source_nouns}\s+{source_verbs}"
        )
        if rules.source_nouns and rules.source_verbs
        else None
    )
    # No source verb, no match: a cheap look before the pattern's walk over every run of
    # capitalised words.
    source_verb_re = re.compile(rf"{first_letters(rules.source_verbs)}(?<![\w-]){source_verbs}")
    # "Unggahan akun X @petani_merdeka yang menyebut ...", "Dalam unggahannya, akun
    # tersebut menulis ...": a post and what it says, at the sentence's start.
    relative = rf"(?:(?i:{alternation(rules.relative_words)})\s+)?" if rules.relative_words else ""
    post_re = (
        re.compile(
            # "Claim: A message circulating on WhatsApp ... claims": a fact check's label first.
            rf"(?:\w+\s*:\s+)?(?:[^,.;:\"\u201c]{{0,40}},\s+)?(?P<who>(?:\w+\s+){{0,2}}(?i:{alternation(rules.post_nouns)})\b"
            # "shared 20,000 times": a number's comma is no clause's.
            rf"(?:[^,.;:\"\u201c]|(?<=\d)[,.](?=\d)){{0,80}}?)\s+{relative}(?i:{alternation(rules.post_verbs)})\b"
        )
        if rules.post_nouns and rules.post_verbs
        else None
    )
    # "akun Facebook Bunda Sehat": an account's name, after the platform if any.
    account_re = (
        re.compile(
            rf"(?i:{alternation(rules.account_nouns)})\s+"
            rf"(?:(?P<platform>{alternation(rules.platforms)})\s+)?"
            r"(?P<name>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})"
        )
        if rules.account_nouns and rules.platforms
        else None
    )
    post_noun_re = re.compile(rf"(?i:{alternation(rules.post_nouns)})\b") if rules.post_nouns else None
    # "on Facebook", "di TikTok": where a post was shared.
    platform_re = (
        re.compile(rf"\b(?:{alternation(rules.platform_links)})\s+(?:{alternation(rules.platforms)})\b")
        if rules.platform_links and rules.platforms
        else None
    )
    # Where a relative or causal clause starts after a noun: " who ...", " yang ...".
    clause = rules.relative_words | rules.causal_openers
    clause_after_re = re.compile(rf"\s+(?:{alternation(clause)})\s+") if clause else None
    # "The United Kingdom, France and Germany": the names of a listed subject.
    list_split_re = (
        re.compile(rf",\s+|\s+(?:{alternation(rules.list_conjunctions)})\s+") if rules.list_conjunctions else None
    )
    # "Program itu, kata Mu'ti, tetap ...", "Selain itu, katanya, ...": set off by commas.
    aside_re = (
        re.compile(rf",\s*(?P<verb>{verbs})(?![\w-])(?P<who>\s+[^,.;:\"\u201c\u201d]+?)?\s*,", re.I)
        if verb_set
        else None
    )
    labels = {e.canonical: e.label for e in aliases.values()}
    titles = alternation(rules.honorifics)
    # "Mr Makarov": the word after a title.
    titled_re = (
        re.compile(rf"{first_letters(rules.honorifics)}(?<![\w-])(?:{titles})\.?\s+([\w'-]+)(?![\w-])")
        if titles
        else None
    )
    weekdays = frozenset(rules.weekdays)
    return AttributionRules(
        rules=rules,
        opener_firsts=opener_firsts,
        opener_longest=opener_longest,
        aliases=aliases,
        longest_alias=longest_alias,
        place_words=place_words,
        organisation_nouns=organisation_nouns,
        verbs=verb_set,
        tail_verb_re=tail_verb_re,
        source_re=source_re,
        source_verb_re=source_verb_re,
        post_re=post_re,
        account_re=account_re,
        post_noun_re=post_noun_re,
        platform_re=platform_re,
        clause_after_re=clause_after_re,
        list_split_re=list_split_re,
        aside_re=aside_re,
        labels=labels,
        titled_re=titled_re,
        weekdays=weekdays,
    )


@cache
def compiled_rules(key: str) -> AttributionRules:
    """The attributor's rules for a rules key ("en", "id", "xx"), built on first use."""
    return _compile(language_rules(key))
