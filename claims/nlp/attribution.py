"""Who says each sentence: quotes, reported speech, pronoun verbs, and the outlet itself.

Walks the sentences in order with a little memory: the last named speaker (for
`pungkasnya`, "he added"), the previous quote (for a quote that goes on in the next
paragraph), and every full name seen (so that "kata Mertens" becomes Frederik Mertens).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from .entities import Stretches, initials_in
from .lexicon import (
    GazetteerEntry,
    LanguageRules,
    alias_index,
    alternation,
    first_letters,
    language_rules,
    rules_key,
)
from .segmentation import HEADLINE, QUESTION, SENTENCE, Quote, Segment
from .types import Entity

OUTLET = "outlet"
QUOTE = "quote"
REPORTED = "reported"

_PARENTHETICAL_RE = re.compile(r"\s*\([^)]*\)")
# "Ekonom Center of Reform on Economics (CORE) Mohammad Faisal": the short form in
# brackets ends the organisation, and the name follows it.
_NAME_AFTER_SHORT_FORM_RE = re.compile(r"\([^()]{2,40}\)\s+(?P<name>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})$")
_POSSESSIVES = ("'s", "\u2019s")
_ROMAN_RE = re.compile(r"^[IVXL]+$")
_CAPITALISED = r"[A-Z][\w'-]+"
_WORD_RE = re.compile(r"[\w'-]+")
# A social-media handle: "@petani_merdeka".
_HANDLE_RE = re.compile(r"@\w{2,}")
# Up to two capitalised words right before a name, and up to three right after it.
_WORDS_BEFORE_RE = re.compile(rf"(?:(?<![\w'-]){_CAPITALISED} ){{0,2}}$")
_WORDS_AFTER_RE = re.compile(rf"(?: {_CAPITALISED}){{0,3}}\b")
_NAME_REACH = 200  # characters around a name that its full form may take
_TAIL_RE = re.compile(r"^[\s,.!?;:\"\u201d-]*(?P<body>.*?)[\s.!?*]*$", re.S)
_MAX_NAME_TOKENS = 4
# A role and name before a comma are never longer than this ("analis militer Rusia dari The
# Fletcher School of Law and Diplomacy di Tufts University di Massachusetts Pavel Luzin").
_MAX_ROLE_CHARS = 300
_MAX_SUBJECT_WORDS = 14
_MAX_TAIL_WORDS = 40
# "the Labor Department's statistics office said": longer is a clause, not who said it.
_MAX_SAID_PART_WORDS = 8
# The verb and what may follow it in such a part: "said on Friday".
_SAID_PART_TAIL = 3
# "two people with direct knowledge of the negotiations": longer is a clause.
_MAX_GROUP_WORDS = 10
# "a defence analyst at the German Council on Foreign Relations": longer is a clause.
_MAX_CLOSING_ROLE_WORDS = 12
# "The Democratic Republic of Congo, Rwanda and Burundi": a longer item is a clause.
_MAX_LISTED_NAME_WORDS = 5
# "director general of the Confederation of British Industry": what a name is, after it.
_MAX_DESCRIPTION_WORDS = 16
# "Kanwil Jawa Barat" of "Perum Bulog Kanwil Jawa Barat": a longer tail is no unit's name.
_MAX_UNIT_WORDS = 4
_SUBJECT_LOOKAHEAD_WORDS = 8


PERSON = "person"
ORGANISATION = "organisation"
# A person speaking for the organisation that is the speaker's name ("A BBC spokesman").
REPRESENTATIVE = "representative"
# People the article does not name, as a group ("Critics", "Western officials").
GROUP = "group"


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str | None
    role: str | None
    medium: str | None
    source: str  # OUTLET, QUOTE or REPORTED
    kind: str | None = None  # PERSON, ORGANISATION, REPRESENTATIVE or GROUP; None: no one named


@dataclass(frozen=True, slots=True)
class _Speaker:
    """A parsed speaker phrase; ``pronoun`` means "the last named speaker".

    ``personal``: a pronoun that stands for a person only ("he", "dia"), never for an
    organisation; ``impersonal``: one that never stands for a person ("it"). ``person``:
    False for what is no one's name ("Muslim groups").
    """

    name: str | None
    role: str | None
    pronoun: bool
    personal: bool = False
    person: bool = True
    impersonal: bool = False
    # "A BBC spokesman": ``name`` is the organisation, ``role`` the unnamed person's.
    represents: bool = False


# What the reported-speech sieve decides: the speaker (None: no one) and the medium.
_Reported = tuple[_Speaker | None, str | None]

_PRONOUN = _Speaker(None, None, True)
_PERSONAL = _Speaker(None, None, True, personal=True)
_IMPERSONAL = _Speaker(None, None, True, impersonal=True)


@dataclass(slots=True)
class SpeakerMemory:
    """What the walk remembers of one text's speakers. A text extracted in pieces hands the
    same memory from piece to piece, so a later piece still knows who "Carter" is."""

    known: dict[str, str] = field(default_factory=dict)  # short name -> full name
    roles: dict[str, str] = field(default_factory=dict)  # full name -> role
    people: set[str] = field(default_factory=set)  # speakers who are people ("he" may be them)
    last_medium: str | None = None  # the last medium with a name ("the paper" after it)
    # Each way a name was written when it was resolved ("Luky" -> "Luky Alfirman"): where
    # the full name is a person's, these are the mentions of them the gazetteer lacks.
    forms: dict[str, str] = field(default_factory=dict)
    last_person: Attribution | None = None  # "he": the last person who spoke or was a subject
    # "pungkasnya", "it", a quote with no verb of its own: the last who spoke, named or
    # known by a role only ("seorang pejabat senior").
    last_speaker: Attribution | None = None
    # "The company said": the last organisation that spoke, if the text introduced it as one.
    last_organisation: str | None = None
    # "It said": the last organisation that spoke, or someone speaking for it.
    last_impersonal: Attribution | None = None
    # "akun tersebut", "the account": the last social-media account a post was shown from.
    last_account: str | None = None


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


class Attributor:
    """The walk over one document: who said each of its sentences. Made per document from
    the language's shared AttributionRules; what it learns of the text (its speakers,
    organisations, boilerplate) stays on this object and in its SpeakerMemory."""

    def __init__(self, compiled: AttributionRules) -> None:
        self.compiled = compiled
        self.rules = compiled.rules
        self.initials: frozenset[str] = frozenset()
        # Set for each text by attribute(); the pipeline makes one walker per document,
        # so that documents extracted at once keep their own.
        self.memory = SpeakerMemory()
        self.text = ""
        self.body_start = 0
        self.position = 0  # where the sentence being attributed starts
        self.sentence_end = 0  # and where it ends
        self.furniture: list[tuple[int, int]] = []  # the text's boilerplate lines and headings
        self.organisation_forms: dict[str, str] = {}
        self._first_at: dict[str, int] | None = None  # word -> where the body first has it
        # (start, name, kind) of each organisation the text introduced as one of a kind
        # ("airline Lufthansa": "airline"), and the names of all organisations named.
        self.introduced: list[tuple[int, str, str]] = []
        self.organisations: frozenset[str] = frozenset()
        self.longest_organisation = 1

    # Names -----------------------------------------------------------------------------

    def _known(self, name: str) -> GazetteerEntry | None:
        """The gazetteer's entry for a name, unless the text gives it to someone as their
        initials ("tersangka AS" is no United States)."""
        return None if name in self.initials else self.compiled.aliases.get(name)

    def _is_name_token(self, token: str) -> bool:
        if token in self.initials:
            return True  # "tersangka AS": someone's initials, though "AS" is a country too
        return (
            token[:1].isupper()
            and token not in self.rules.role_words
            and token not in self.rules.name_stop_words
            and token not in self.rules.honorifics
            and token not in self.compiled.place_words
            and token not in self.compiled.weekdays
            and not _ROMAN_RE.match(token)
            and not (token.isupper() and len(token) > 1 and token not in self.compiled.aliases)
            # "Germany's Siemens Energy": the owner is no part of the name after it.
            and not token.endswith(_POSSESSIVES)
        )

    def _split_name(self, phrase: str) -> tuple[str | None, str | None]:
        """("juru bicara Departemen Luar Negeri AS Matthew Miller") -> (name, role)."""
        tokens = phrase.split()
        while (
            len(tokens) > 1
            and tokens[-1].strip(",") in self.rules.post_nominals
            and self._is_name_token(tokens[-2].strip(","))
            and tokens[0].lower() not in self.rules.determiners
        ):
            # "Defence Secretary John Healey MP", "Budi Santoso, S.H., M.H.": letters after
            # a name. Not "the Salford MP", whose "MP" is who they are.
            tokens.pop()
        for i in range(max(0, len(tokens) - max(self.compiled.longest_alias, self.longest_organisation)), len(tokens)):
            tail = " ".join(tokens[i:])
            entry = self._known(tail)
            if (
                entry is not None
                and entry.label == "PERSON"
                and i > 0
                and not tokens[i - 1].endswith(",")
                and self._is_name_token(tokens[i - 1])
            ):
                # "Kombes Pol Ignatius Benny Ady Prabowo": a longer name that ends like a
                # known one is someone else (not Prabowo Subianto).
                break
            if entry is not None and entry.label in ("PERSON", "ORG"):
                known = self._full_name(tail) if entry.label == "PERSON" else entry.canonical
                return known, self._role(" ".join(tokens[:i]))
            if tail in self.organisations:
                # "PT Sinar Tekstil", found where the article introduced it: all of the name.
                return tail, self._role(" ".join(tokens[:i]))
        written = self._written_organisation(tokens)
        if written is not None:
            return written
        start = self._organisation_start(tokens)
        if start is not None:
            # "Greater Manchester Police": the whole name, not only its last word.
            return " ".join(tokens[start:]), self._role(" ".join(tokens[:start]))
        name: list[str] = []
        prefixes = self.rules.name_prefixes
        for at in range(len(tokens) - 1, -1, -1):
            token = tokens[at]
            if len(name) < _MAX_NAME_TOKENS and self._is_name_token(token.strip(",")):
                name.insert(0, token.strip(","))
            elif (
                name
                and token in self.rules.name_particles
                and at > 0
                and self._is_name_token(tokens[at - 1].strip(","))
                and len(name) < _MAX_NAME_TOKENS
            ):
                name.insert(0, token)  # "Diego Lopes da Silva", not "Silva"
            elif (
                name
                and token[:1].isupper()
                and token.endswith(_POSSESSIVES)
                and name[0].lower() in self.rules.organisation_heads
            ):
                name.insert(0, token)  # "the Attorney-General's Office", not "Office"
            elif name and name[0] in prefixes.get(token, ()):
                name.insert(0, token)  # "I Made Wira Hady", not "Made Wira Hady"
                break
            else:
                break
        if not name:
            head = self._organisation_head_first(tokens)
            if head is not None:
                return " ".join(tokens[head:]), self._role(" ".join(tokens[:head]))
        if not name or (len(name) == 1 and self._is_month(name[0])):
            # "... at the next meeting in early February, economists said": a date, no name.
            return None, phrase or None
        if len(name) > 1 and len(name) == len(tokens):
            # "Yesterday Bush", "Then Prabowo": what opens the sentence is no first name.
            name = self._drop_openers(name) or name
        name = self._after_region(name, tokens[: len(tokens) - len(name)])
        before = len(tokens) - len(name) - 1
        place = self._known(" ".join(name))
        if (
            place is not None
            and place.label in ("GPE", "LOC")
            and before > 0
            and tokens[before].lower() in self.rules.name_links | self.rules.representative_links
        ):
            # "Rep. Adam Smith of Washington": the person, and where they are from.
            person, role = self._split_name(" ".join(tokens[:before]))
            if person is not None and self.compiled.labels.get(person, "PERSON") == "PERSON":
                return person, role
        held = tokens[: before + 1]
        head = self._regional_body(held) if len(name) <= 2 else None
        if head is not None:
            # "Pemerintah Kabupaten Langkat", "Dinas Kesehatan Mappi": a regional body, no
            # person ("Langkat" is its region).
            return " ".join(tokens[head:]), self._role(" ".join(tokens[:head]))
        if (
            self.rules.names_after_heads
            and len(name) > 2
            and before >= 0
            and tokens[before][:1].isupper()
            and tokens[before].lower() in self.rules.organisation_heads
        ):
            # "epidemiolog Universitas Griffith Dicky Budiman": Griffith is the university's.
            name = name[1:]
        return " ".join(name), self._role(" ".join(tokens[: len(tokens) - len(name)]))

    def _after_region(self, name: list[str], before: list[str]) -> list[str]:
        """The name without the region the title or body before it names: "Bupati Langkat
        Syah Afandin", "Kepala BPKAD Langkat Amril", "Kepala Bappeda Sikka Yosef Lewa" (the
        body itself ran into the name)."""
        units = self.rules.regional_units
        inside = max((i for i, word in enumerate(name[:-1]) if word.lower() in units), default=None)
        if inside is not None:
            before, name = before + name[: inside + 1], name[inside + 1 :]
        lowered = tuple(w.lower() for w in before)
        if any(len(r) <= len(lowered) and lowered[-len(r) :] == r for r in self.rules.regional_roles):
            # A regent is titled by the regency; a two-word name after "Bupati" is all name.
            return name[1:] if len(name) > 2 else name
        if lowered and lowered[-1] in units and len(name) > 1:
            return name[1:]
        return name

    def _regional_body(self, words: list[str]) -> int | None:
        """Where a regional body's name starts in ``words`` ("Pemerintah Kabupaten", "Dinas
        Kesehatan"), when they open with an organisation's head and hold no person's post."""
        rules = self.rules
        body = self._drop_openers(words)
        if not body or body[0].lower() not in rules.organisation_heads or not body[0][:1].isupper():
            return None
        if any(w.lower() in rules.role_nouns for w in body) or not any(
            w.lower() in rules.regional_units for w in body
        ):
            return None
        return len(words) - len(body)

    def _written_organisation(self, tokens: list[str]) -> tuple[str | None, str | None] | None:
        """Around an organisation the text named ("Direktur Utama Bank Sentosa Jaya Handoko
        Wijaya"): the name after it, with the role up to it; or the organisation itself,
        when it ends the phrase ("manajemen Bank Sentosa Jaya"). None when none is here."""
        forms = self.organisation_forms
        if not forms:
            return None
        for end in range(len(tokens), 1, -1):
            for start in range(max(0, end - _MAX_NAME_TOKENS - 3), end - 1):
                canonical = forms.get(" ".join(tokens[start:end]))
                if canonical is None:
                    continue
                after = tokens[end:]
                if not after:
                    return canonical, self._role(" ".join(tokens[:start]))
                if len(after) <= _MAX_NAME_TOKENS and all(self._is_name_token(t.strip(",")) for t in after):
                    return " ".join(t.strip(",") for t in after), self._role(" ".join(tokens[:end]))
                return None
        return None

    def _organisation_start(self, tokens: list[str]) -> int | None:
        """Where an organisation name ending the phrase starts: the capitalised words before
        its head noun ("Greater Manchester Police", "the Salford City Council")."""
        rules = self.rules
        if not tokens or not tokens[-1][:1].isupper() or tokens[-1].lower() not in rules.organisation_heads:
            return None
        start = len(tokens) - 1
        while start > 0:
            token = tokens[start - 1]
            if token in rules.list_conjunctions and start > 1 and tokens[start - 2][:1].isupper():
                # "the Maritime Affairs and Fisheries Ministry": "and" inside the name.
                start -= 1
                continue
            if (
                not token[:1].isupper()
                or token.endswith(",")
                # "the Attorney-General's Office": a possessive right before the head is the
                # name's; "Germany's Foreign Ministry": one further back is its owner.
                or (token.endswith(_POSSESSIVES) and start != len(tokens) - 1)
                or token in rules.honorifics
                or token in self.compiled.weekdays
                or self._is_month(token)
            ):
                break
            start -= 1
        # "But Greater Manchester Police", "The Salford City Council": not part of the name.
        return len(tokens) - len(self._drop_openers(tokens[start:]))

    def _organisation_head_first(self, tokens: list[str]) -> int | None:
        """Where an organisation's name that starts with its head noun and runs to the end of
        the phrase starts: "Badan Administrasi Program Akuisisi Pertahanan", whose last words
        are all words of other names, so no person's name was found there."""
        rules = self.rules
        for i, token in enumerate(tokens):
            if token[:1].isupper() and token.lower() in rules.organisation_heads:
                rest = tokens[i + 1 :]
                if rest and all(
                    (w[:1].isupper() and w not in rules.role_words and w not in rules.honorifics)
                    or w.lower() in rules.name_links
                    for w in rest
                ):
                    return i
                return None
        return None

    def _is_person(self, speaker: _Speaker) -> bool:
        """A named speaker who is a person ("he" may stand for them), not an organisation."""
        name = speaker.name
        if not name or not speaker.person:
            return False
        if speaker.role and speaker.role.lower() in self.rules.representative_nouns:
            return True  # "A BBC spokesman": a person speaking for the organisation.
        if name in self.initials:
            return True  # "tersangka AS": a person known by initials
        label = self.compiled.labels.get(name)
        if label is not None:
            return label == "PERSON"
        if name in self.organisations:
            return False  # "Lufthansa said", after "German airline Lufthansa"
        if self._is_group(name):
            return False  # "Critics say": "he" in what follows is someone else
        words = name.split()
        heads = self.rules.organisation_heads
        if words[0].lower() in heads or words[-1].lower() in heads:
            return False
        # "Africa CDC": an acronym of three letters or more is no person's (initials such as
        # the "ST" of "ST Burhanuddin" are shorter).
        return not (name.isupper() and len(name) > 1) and not any(len(w) > 2 and w.isupper() for w in words)

    def _is_month(self, token: str) -> bool:
        # "May" is also a name (Theresa May); only the unambiguous month names count.
        return len(token) > 3 and token.lower() in self.rules.months

    def _role(self, text: str) -> str | None:
        """The text as a role if it names one ("juru bicara ..."), not "beberapa waktu lalu".

        Leading articles and conjunctions go ("a Lufthansa spokesman" -> "Lufthansa
        spokesman"), and so does a dangling preposition ("A spokesman for" Mr Blair ->
        "spokesman"). Text ending in a conjunction is the clause before the subject
        ("Unions oppose the plans but" Mr Brown said), not a role.
        """
        rules = self.rules
        words = self._drop_openers(text.split())
        # "Claim: Health Secretary" Wes Streeting: a fact check's label is no part of a role.
        while words and words[0].endswith(":"):
            words = words[1:]
        # "Kapolres Metro Jakarta Pusat Kombes" Susatyo, "Pentagon spokesman Brigadier
        # General" Pat Ryder: the rank is the name's, not the role's.
        while words:
            if (
                words[-1].lower() in rules.representative_links | rules.determiners
                or words[-1] in rules.honorifics
                or words[-1].lower() in rules.initials_markers  # "staf PT X berinisial" RS
            ):
                words.pop()
                continue
            rank = next((r for r in rules.ranks if len(r) < len(words) and tuple(words[-len(r) :]) == r), None)
            if rank is None:
                break
            del words[-len(rank) :]
        if words and words[-1].lower() in rules.clause_conjunctions:
            return None
        if any(w in rules.role_words or w.lower() in rules.role_nouns for w in words):
            return " ".join(words)
        return None

    def _is_role_anaphor(self, words: list[str]) -> bool:
        """The words name a post a person holds and no person: "Waka Komisi Hukum DPR",
        not "Komisi" (a body) nor "Ketua KPK Setyo Budiyanto" (someone named)."""
        if not words or words[0] not in self.rules.role_words or words[0].lower() not in self.rules.role_nouns:
            return False
        name, _ = self._split_name(" ".join(words))
        return name is None or self.compiled.labels.get(name) == "ORG"

    def _drop_openers(self, words: list[str]) -> list[str]:
        """Without leading conjunctions, sentence adverbials and articles ("But a", "By contrast")."""
        rules = self.rules
        at = 0
        while at < len(words):
            word = words[at].lower().strip(",")
            if word in rules.subject_particles or word in rules.determiners:
                at += 1
                continue
            if word not in self.compiled.opener_firsts:
                break  # most subjects: no opener starts with their first word
            ahead = [w.lower().strip(",") for w in words[at : at + self.compiled.opener_longest]]
            opener = next((o for o in rules.subject_openers if tuple(ahead[: len(o)]) == o), None)
            if opener is None:
                break
            at += len(opener)
        return words[at:]

    def _drop_trailing_particles(self, words: list[str], *, auxiliaries: bool = True) -> list[str]:
        """Without the particles and auxiliaries before a verb ("Mr Dixon was", "had"); with
        ``auxiliaries`` False, the particles only, down to one word ("is still")."""
        rules = self.rules
        end = len(words)
        while end > (0 if auxiliaries else 1) and (
            words[end - 1].lower() in rules.subject_particles
            or (auxiliaries and words[end - 1].lower() in rules.passive_auxiliaries)
        ):
            end -= 1
        return words[:end]

    def _representative(self, words: list[str]) -> _Speaker | None:
        """ "A BBC spokesman" -> BBC, "a spokesman for Dell" -> Dell; role "spokesman"."""
        rules = self.rules
        lowered = [w.lower() for w in words]
        index = next(
            (i for i, w in enumerate(lowered) if w in rules.representative_nouns or w in rules.representative_groups),
            None,
        )
        if index is None:
            return None
        after = words[index + 1 :]
        if not after and lowered[index] in rules.representative_nouns:
            # "A BBC spokesman", "one senior EU official", "Mr Prabowo's spokesman".
            org = words[:index]
            while org and (org[0][:1].islower() or org[0] in rules.honorifics):
                org = org[1:]
            if org and org[-1].endswith(_POSSESSIVES):
                org = [*org[:-1], org[-1][: -len("'s")]]
        elif after and lowered[index + 1] in rules.representative_links:
            # "a spokesman for Dell", "economists at Capital Economics"
            org = after[1:]
            while org and org[0].lower() in rules.determiners:
                org = org[1:]
        else:
            return None
        # "A Department of Health spokesperson": "of" may join the name's capitalised words,
        # and "and" ("the Department of Health and Social Care").
        if (
            not org
            or not (org[0][:1].isupper() and org[-1][:1].isupper())
            or not all(w[:1].isupper() or w in rules.name_links or w in rules.list_conjunctions for w in org)
        ):
            return None
        return _Speaker(self._resolve(" ".join(org)), lowered[index], False, represents=True)

    def _unnamed(
        self, words: list[str], max_words: int, *, capitalised: bool, opened: bool = False
    ) -> _Speaker | None:
        """A subject with no person's name in it: "A BBC spokesman", "Pihak kepolisian",
        "Muslim groups"; None for what only opens the sentence ("By contrast", "Further
        reports"). ``capitalised``: before its verb a lower-case subject is no speaker,
        unless ``opened``, an opener before a comma, makes "the company" the sentence's
        subject ("However, the company said").
        """
        rules = self.rules
        stripped = self._drop_openers(words)
        if not stripped:
            return None
        if self._is_qualified_group(stripped):
            # "officials familiar with the matter said": people no one names, as written.
            phrase = " ".join(stripped)
            return _Speaker(phrase[:1].upper() + phrase[1:], None, False, person=False)
        # "United States and European officials": whose people they are, in capitals.
        listed_group = (
            stripped[-1].lower() in rules.group_nouns
            and len(stripped) <= _MAX_LISTED_NAME_WORDS + 1
            and all(w[:1].isupper() or w.lower() in rules.list_conjunctions for w in stripped[:-1])
        )
        if len(words) > max_words and not listed_group and not (
            # "the prime minister's official spokesman": a role may take a few words more.
            len(words) <= max_words + 2 and any(w.lower() in rules.role_nouns for w in stripped)
        ):
            return None
        last_word = stripped[-1].lower()
        if (
            len(stripped) > 1
            and stripped[0].lower() in rules.other_words
            and (last_word not in rules.group_nouns or last_word in rules.representative_nouns)
        ):
            # "Another official", "A second source": someone unnamed, not an organisation
            # called "Another".
            return _Speaker(None, " ".join(stripped[1:]), False)
        representative = self._representative(stripped)
        if representative is not None:
            return representative
        if len(stripped) > 1 and stripped[0].lower() in rules.subject_fillers:
            # "Pihak kepolisian": the police themselves.
            rest = " ".join(stripped[1:])
            organisation = self._organisation_anaphor(rest)
            if organisation is not None:
                return _Speaker(organisation, None, False, person=False)  # "Pihak perusahaan"
            known = rules.institution_nouns.get(rest.lower())
            return _Speaker(self._resolve(known or rest[:1].upper() + rest[1:]), None, False, person=False)
        if any(w.lower() in rules.role_nouns for w in stripped):
            # "a Home Office minister", "the spokesman": a person known by a role only.
            return self._role_holder(words, stripped)
        if stripped[0][:1].islower():
            dropped = words[: len(words) - len(stripped)]
            if dropped and dropped[-1].lower() not in rules.determiners:
                return None  # "Further reports": no one in particular.
            # "The company", "But the company", "dokumen tersebut": kept as written,
            # without what only opened the sentence.
            stripped = dropped[-1:] + stripped
        # "Meanwhile, officials said", "some analysts say": people no one names.
        group = listed_group or (len(stripped) <= 3 and stripped[-1].lower() in rules.group_nouns)
        if capitalised and not (
            stripped[0][:1].isupper()
            or words[0][:1].isupper()
            or (opened and stripped[0].lower() in rules.determiners)
            or group
        ):
            return None
        owner = next((i for i in range(len(stripped) - 2, -1, -1) if stripped[i].endswith(_POSSESSIVES)), None)
        if owner is not None and all(w[:1].isupper() for w in stripped[owner + 1 :]):
            stripped = stripped[owner + 1 :]  # "Germany's Siemens Energy": the name after its owner
        phrase = " ".join(stripped)
        if group and phrase[:1].islower():
            phrase = phrase[:1].upper() + phrase[1:]
        entry = self._known(phrase)
        organisation = self._organisation_anaphor(phrase) if entry is None else None
        name = entry.canonical if entry is not None else organisation or phrase
        return _Speaker(name, None, False, person=False)

    def _organisation_anaphor(self, phrase: str) -> str | None:
        """The organisation "the company" or "perseroan" stands for: of the ones the text
        introduced as of that kind before this sentence ("airline Lufthansa" for "the
        airline"), the last that spoke, else the last introduced. None when the phrase is
        no such reference, or nothing was introduced: then it stays as written."""
        kind = self.rules.organisation_anaphors.get(phrase.lower())
        if kind is None:
            return None
        names = [
            # Introduced before, or earlier in this sentence: "The State Department has
            # approved ..., the agency said".
            name
            for start, name, of_kind in self.introduced
            if start < self.sentence_end and kind in ("*", of_kind)
        ]
        if not names:
            return None
        last = self.memory.last_organisation
        return last if last in names else names[-1]

    def _introduced(self, text: str, organisations: list[Entity]) -> list[tuple[int, str, str]]:
        """Each organisation with the kind the text gave it where it was named: a noun
        before the name ("German airline Lufthansa"), or a part of it ("PT Sritex")."""
        rules = self.rules
        result = []
        for entity in organisations:
            words = entity.text.split()
            before = re.search(r"([\w-]+)\s+$", text[max(0, entity.start - 30) : entity.start])
            kind = (
                rules.organisation_prefixes.get(words[0])
                or rules.organisation_unit_prefixes.get(words[0])
                or rules.organisation_suffixes.get(words[-1])
                or (rules.organisation_descriptors.get(before.group(1).lower()) if before else None)
            )
            if kind is not None:
                result.append((entity.start, entity.canonical, kind))
        return result

    def _role_holder(self, words: list[str], stripped: list[str]) -> _Speaker | None:
        """The speaker a role stands for: "the spokesman" is the spokesman the text spoke of
        last, named or not; "a Home Office minister" and "the prime minister's official
        spokesman" are someone the text does not name, who has that role. None for "the
        Salford MP" with no such role before: an earlier person, whom the rules cannot tell.
        """
        rules = self.rules
        role = self._role(" ".join(stripped))
        heads = [w.lower() for w in stripped if w.lower() in rules.role_nouns]
        if role is None or not heads:
            return None
        head = heads[-1]
        if any(w.lower() in rules.other_words for w in words):
            # "Sumber lain ...", "A second source": not the source the text spoke of before.
            return _Speaker(None, self._role(self._before_clause(" ".join(stripped)).strip()) or role, False)
        last = self.memory.last_person
        if last is not None and last.role and self._is_office_of(last.role, head):
            return _Speaker(last.speaker, last.role, False)
        holders = [name for name, known in self.memory.roles.items() if self._is_office_of(known, head)]
        if len(holders) == 1:
            return _Speaker(holders[0], self.memory.roles[holders[0]], False)
        dropped = words[: len(words) - len(stripped)]
        # "a Home Office minister"; "one senior EU official", whose "one" is still there.
        counted = stripped[0].lower() in rules.indefinite_determiners
        if counted:
            role = self._role(" ".join(stripped[1:])) or role
        indefinite = counted or (bool(dropped) and dropped[-1].lower() in rules.indefinite_determiners)
        if indefinite or any(w.endswith(_POSSESSIVES) for w in stripped[:-1]) or head in rules.role_short_forms:
            # "a Home Office minister", "Menhan" (one office, its holder not named here).
            return _Speaker(None, role, False)
        return None

    def _is_office_of(self, role: str, head: str) -> bool:
        """The role is the office the head word names: "spokesman" in "BBC spokesman",
        "menkeu" in "Menteri Keuangan"."""
        low = role.lower()
        if head in low.split():
            return True
        full = self.rules.role_short_forms.get(head)
        return full is not None and full in low

    def _cut(self, phrase: str) -> str:
        """The phrase up to the first word that ends a speaker's name ("in", "on", ";").

        Not "of", "on" or "for" inside an organisation's name: "the Forum on Global
        Security", "Council on Foreign Relations" (a head noun before it, a capital after).
        """
        heads = self.rules.organisation_heads
        for match in self.rules.speaker_stop_re.finditer(phrase):
            # Only the word on each side matters: a bounded look, however long the phrase.
            before = phrase[max(0, match.start() - 40) : match.start()].rsplit(None, 1)
            after = phrase[match.end() : match.end() + 40].lstrip()
            if (
                match.group().strip().lower() in self.rules.name_links
                and before
                and before[-1].lower() in heads
                and after[:1].isupper()
                and not self._is_month(after.split(None, 1)[0].strip(",."))
                and after.split(None, 1)[0].strip(",.") not in self.compiled.weekdays
            ):
                continue
            return phrase[: match.start()].strip(" ,.\"'")
        return phrase.strip(" ,.\"'")

    def _before_clause(self, phrase: str) -> str:
        """The phrase up to a relative or causal clause: "a person briefed on the talks" of
        "... who spoke on condition of anonymity", "Reuters" of "Reuters yang dirilis Senin"."""
        return self.compiled.clause_after_re.split(phrase, maxsplit=1)[0] if self.compiled.clause_after_re else phrase

    def _pronoun(self, phrase: str) -> _Speaker | None:
        """The pronoun the phrase is, if it is one: _PERSONAL for "he" or "the man"."""
        words = phrase.lower().split()
        if not words:
            return _PRONOUN
        if len(words) <= 2 and words[-1] in self.rules.pronouns:
            if words[-1] in self.rules.personal_pronouns:
                return _PERSONAL
            return _IMPERSONAL if words[-1] in self.rules.impersonal_pronouns else _PRONOUN
        # "pria kelahiran Jawa Tengah ini", "the man": a description of the last speaker.
        # "Waka Komisi Hukum DPR itu", "Menteri tersebut": a role held by the last speaker.
        if words[-1] in self.rules.anaphor_tails and (
            words[0] in self.rules.person_nouns or self._is_role_anaphor(phrase.split()[:-1])
        ):
            return _PERSONAL
        return None

    def parse_speaker(self, phrase: str, *, role_after: bool = True) -> _Speaker | None:
        """Speaker after a speech verb: "Frederik Mertens, analis ...", "dia", "BPS".

        ``role_after``: the text after the name's comma may be the role ("kata X, analis
        di ..."), which it never is after "menurut X," (there it is the reported content).
        """
        after_short_form = self._after_short_form(phrase.split(",", 1)[0])
        if after_short_form is not None:
            return after_short_form
        phrase = _PARENTHETICAL_RE.sub("", phrase).strip(" ,.:;\"'\u201d")
        parts = [p.strip() for p in phrase.split(",", 2)]
        # "a person briefed on the talks who spoke on condition of anonymity": the people,
        # as far as the clause about them.
        unnamed = self._before_clause(parts[0]).split()
        first = " ".join(unnamed) if self._is_qualified_group(unnamed) else self._cut(parts[0])
        pronoun = self._pronoun(first)
        if pronoun is not None:
            return pronoun
        name, role = self._split_name(first)
        if name is None and first != parts[0] and len(parts[0]) <= _MAX_ROLE_CHARS:
            # "an unnamed executive at Euronext": someone speaking for the organisation.
            representative = self._representative(self._drop_openers(_PARENTHETICAL_RE.sub("", parts[0]).split()))
            if representative is not None:
                return representative
            # "pengamat militer dari ISESS Khairul Fahmi": a stop word inside the role
            # ("dari") cut the name away; a role and then a name is still a speaker.
            whole_name, whole_role = self._split_name(_PARENTHETICAL_RE.sub("", parts[0]).strip())
            if whole_name is not None and whole_role is not None:
                name, role = whole_name, whole_role
        second = parts[1] if len(parts) > 1 else ""
        if second and (name is None or role is not None or self.compiled.labels.get(name) == "ORG") and self._is_name_only(
            second
        ):
            # "Staf Prakirawan BMKG Sulsel, Farid dalam keterangannya"; "kuasa hukum Suci,
            # Dadang Aprianto": the role's person is named after the comma.
            return _Speaker(self._resolve(self._cut(second)), self._role(first), False)
        if name is None:
            if self._is_clause(first):
                return None  # "..., said 12 jets would arrive": what was said, not who
            return self._unnamed(first.split(), 6, capitalised=False)
        if (
            role_after
            and role is None
            and second[:1].islower()
            and self._cut(" " + second)
            and not self._is_aside(second)  # "said Mr Biden, speaking in Warsaw": no role
        ):
            role = self._role_after(second)
        return _Speaker(self._resolve(name), role, False)

    def _is_name_only(self, phrase: str) -> bool:
        cut = self._cut(phrase)
        name, role = self._split_name(cut)
        return name is not None and role is None

    def _role_after(self, text: str) -> str | None:
        role = re.split(r"\s*\(|,\s*(?=[A-Z])", text, maxsplit=1)[0].strip(" .").split()
        while role and role[0].lower() in self.rules.determiners:
            role.pop(0)
        return " ".join(role) or None

    def _resolve(self, name: str) -> str:
        full = self._full_name(name)
        self.memory.forms.setdefault(name, full)
        return full

    def _full_name(self, name: str) -> str:
        if name in self.initials:
            return name  # "AS mengaku ..." after "tersangka AS": the suspect
        entry = self._known(name)
        if entry is not None and entry.label == "PERSON" and name in self.memory.known:
            # "Bush said" after "Douglas Bush, the Army's former acquisition chief": the
            # person this text named, not the one the gazetteer knows by that surname.
            return self.memory.known[name]
        if entry is not None:
            return entry.canonical
        organisation = self._organisation_anaphor(name)
        if organisation is not None:
            return organisation  # "Perseroan menyatakan": the company named before
        if name in self.memory.known:
            return self.memory.known[name]
        parts = name.split()
        if len(parts) > 2 and parts[1] in self.rules.name_particles:
            # "Me den Hartog" (a slip for "Mr") after "Jurgen den Hartog": the same man.
            known = self.memory.known.get(parts[-1])
            if known is not None and known.endswith(" " + " ".join(parts[1:])):
                return known
        if " " not in name:
            # "kata Luky" after "... Kementerian Keuangan (Kemenkeu) Luky Alfirman."
            full = self._written_in_full(name)
            if full is not None and " " in full:
                candidate, _ = self._split_name(full)
                if candidate and name in candidate.split():
                    self.memory.known[name] = candidate
                    return candidate
        return name

    def _written_in_full(self, name: str) -> str | None:
        """The capitalised words around the first time the body writes ``name``: up to two
        before and three after it. Found through an index of first occurrences, built once
        per text: a search of the whole text per name made 5,000 names minutes of work."""
        if self._first_at is None:
            self._first_at = {}
            # Not in furniture: "Baca juga: ... Begini Penjelasan Pemerintah" is no full
            # name of the government.
            skip = iter(self.furniture)
            stretch = next(skip, None)
            for match in _WORD_RE.finditer(self.text, self.body_start):
                while stretch is not None and stretch[1] <= match.start():
                    stretch = next(skip, None)
                if stretch is not None and stretch[0] <= match.start():
                    continue
                self._first_at.setdefault(match.group(), match.start())
        at = self._first_at.get(name)
        if at is None:
            return None
        before = _WORDS_BEFORE_RE.search(self.text, max(self.body_start, at - _NAME_REACH), at)
        after = _WORDS_AFTER_RE.match(self.text, at + len(name), at + len(name) + _NAME_REACH)
        if after is None:
            return None  # the name runs on into a longer word
        return (before.group() if before else "") + name + after.group()

    def _remember(self, speaker: _Speaker) -> None:
        if not speaker.name:
            return
        if " " in speaker.name:
            for part in speaker.name.split():
                if len(part) > 2:
                    self.memory.known.setdefault(part, speaker.name)
        if speaker.role and not speaker.represents and (" " in speaker.name or self._is_titled_role(speaker.role)):
            # Not "spokesperson" for "Department of Health": that was someone else's role.
            # One name is enough after a title ("Kapuspen TNI Mayjen TNI Hariyanto"), not
            # after a description ("an executive at Euronext").
            self.memory.roles.setdefault(speaker.name, speaker.role)

    def _is_titled_role(self, role: str) -> bool:
        return any(word in self.rules.role_words for word in role.split())

    # Patterns ----------------------------------------------------------------------------

    def _tail_speaker(self, tail: str) -> _Speaker | None:
        """Attribution after a quote: '," kata X', '," pungkasnya', '," he said'."""
        if self.compiled.tail_verb_re is None:
            return None
        body = _TAIL_RE.match(tail)
        text = body.group("body") if body else tail
        if not text or len(text.split()) > _MAX_TAIL_WORDS:
            return None
        first_word = text.split()[0].lower().strip(",.")
        suffix = self.rules.pronoun_suffix
        if (
            suffix
            and first_word.endswith(suffix)
            and first_word in self.compiled.verbs
            # "katanya" is "kata" + "-nya"; "tanya" is a verb of its own, not "ta" + "-nya".
            and first_word[: -len(suffix)] in self.compiled.verbs
        ):
            return _PRONOUN
        if first_word in self.compiled.verbs:
            return self.parse_speaker(text[len(text.split()[0]) :])
        match = self.compiled.tail_verb_re.search(text)
        if match is None:
            return None
        return self.parse_subject(text[: match.start()])

    def _after_short_form(self, phrase: str) -> _Speaker | None:
        """The person named after an organisation's bracketed short form, with the role
        before it: "Ekonom Center of Reform on Economics (CORE) Mohammad Faisal"."""
        phrase = phrase.strip(" ,.:;\"'\u201d")
        close = phrase.rfind(")")
        if close >= 0:
            # "... (PGRA) Hendra Saputra dalam pidatonya": the name, not where he said it.
            phrase = phrase[: close + 1] + " " + self._cut(phrase[close + 1 :].strip())
        match = _NAME_AFTER_SHORT_FORM_RE.search(phrase)
        if match is None:
            return None
        name, role = self._split_name(match.group("name"))
        before = phrase[: match.start()].split(",")[-1].strip()
        if name is None or role is not None or self._role(before) is None:
            return None
        return _Speaker(self._resolve(name), self._role(before), False)

    def parse_subject(self, text: str) -> _Speaker | None:
        """Speaker before a verb: "Meski begitu, analis ..., Pavel Luzin, mengatakan"."""
        after_short_form = self._after_short_form(text)
        if after_short_form is not None:
            return after_short_form
        text = _PARENTHETICAL_RE.sub("", text).strip(" ,:\"'")
        parts = [p.strip() for p in text.split(",") if p.strip()]
        tag_re = self.rules.subject_tag_re
        if len(parts) > 1:
            # "Sen. Roger Wicker, R-Miss., chairman ...", "Budi Santoso, S.H., M.H.,": a
            # party tag or letters after the name are no part of the subject.
            parts = parts[:1] + [
                p
                for p in parts[1:]
                if p not in self.rules.post_nominals and not (tag_re is not None and tag_re.fullmatch(p))
            ]
        while len(parts) > 1 and (
            parts[-1].isdigit()
            or self._is_aside(parts[-1])
            or self._is_time(parts[-1])
            # "Poll watchdog Kontra Daya, however, said": an adverb between commas.
            or not self._drop_openers(parts[-1].split())
        ):
            # "Viktor Makarov, 50, claims": the age, not the speaker; "A senior official,
            # speaking on condition of anonymity, said": how they spoke, not who; "...,
            # Rabu, mengatakan", "..., pekan lalu, mengatakan": when.
            parts.pop()
        words: list[str] = []
        while parts and not words:
            words = parts[-1].split()
            while words and words[-1].lower() in self.rules.subject_particles:
                words.pop()
            if not words:
                # "..., Muslim Jaya Butar Butar, turut berkomentar": the particle alone.
                parts.pop()
        listed = self._name_list(parts)
        if listed is not None:
            return listed
        # "In an interview with the BBC, the minister said": a circumstance, no name.
        if words and len(parts) > 1 and not self._is_circumstance(parts[-2]):
            # "David Frost, director general of ..., warned": the role comes last. Not
            # "Later, the prime minister's spokesman urged": an opener is nobody's name.
            # Not "In an interview with CNN, co-author Wei Min said": he has his own name.
            before = " ".join(self._drop_openers(parts[-2].split()))
            lowercase = (
                words[0][:1].islower()
                and len(words) <= _MAX_DESCRIPTION_WORDS
                # "a Georgia Republican" describes; "co-author Wei Min" is someone named.
                and (words[0].lower() in self.rules.indefinite_determiners or not self._is_named_in_role(words))
            )
            name, title = self._split_name(before) if before and (lowercase or words[0][:1].isupper()) else (None, None)
            if name is not None and lowercase:
                if self._is_organisation_description(words):
                    return _Speaker(self._resolve(name), None, False, person=False)
                # "the former internal market commissioner who championed the plan": the
                # role, not what the clause after it says of them.
                role = self._role(self._before_clause(" ".join(words)).strip())
                if role is None and words[0].lower() in self.rules.indefinite_determiners:
                    role = " ".join(words[1:])  # "Rep. Marjorie Taylor Greene, a Georgia Republican,"
                return _Speaker(self._resolve(name), role, False)
            if name is not None and self._is_appositive(words, title, name):
                # "Rheinmetall, Germany's largest arms maker, said", "Senator Elizabeth
                # Warren, Democrat of Massachusetts, said": the name, then what it is.
                description = " ".join(words)
                if self._is_organisation_description(words):
                    return _Speaker(self._resolve(name), None, False, person=False)
                return _Speaker(self._resolve(name), f"{title}, {description}" if title else description, False)
        words = self._drop_trailing_time(words)
        last = " ".join(words)
        if not words or len(words) > _MAX_SUBJECT_WORDS:
            return None
        if len(words) <= 2 and words[-1].lower() in self.rules.first_person_pronouns:
            return None  # "I think", "Kami memperkirakan": the writer, not a speaker
        if words[0].lower() in self.rules.first_person_possessives and len(words) <= 4:
            return None  # "Our correspondent in Cebu says": the outlet's own reporting
        if any(w in self.rules.source_nouns for w in words) or words[0].lower() in self.rules.source_nouns:
            # "An Amnesty International report found": Amnesty's word; "The study found":
            # a study no one is named for, which the outlet reports.
            publisher = self._publisher(last)
            if publisher is None:
                return None
            if publisher != last:
                return self._whole_name(publisher) or self.parse_speaker(publisher, role_after=False)
        pronoun = self._pronoun(last)
        if pronoun is not None:
            return pronoun
        team = self._drop_openers(words)
        if 1 < len(team) <= 6 and team[0].lower() in self.rules.team_nouns and any(w[:1].isupper() for w in team[1:]):
            # "Tim hukum Anies-Muhaimin menyatakan": the team speaks, not Anies.
            return _Speaker(" ".join([team[0][:1].upper() + team[0][1:], *team[1:]]), None, False, person=False)
        linked = (
            self._linked_organisation(words)
            or self._linked_representative(words)
            or self._affiliated(words)
            or self._organisation_unit(words)
        )
        if linked is not None:
            return linked
        name, role = self._split_name(last)
        cut = self._cut(last)
        if name is not None and cut != last and name not in cut and self._ends_in_place(last.split()):
            # "Officials in Texas", "warga Kepi": the name after "in" is where they are.
            name, role = self._split_name(cut)
            if name is None:
                return self._unnamed(cut.split(), 4, capitalised=True, opened=False)
        if name is None and cut != last:
            # "Kapolres Mimika AKBP Billyandha ... di Timika", "Presiden Prabowo Subianto
            # dalam berbagai kesempatan": where or when they spoke follows the name; a
            # titled or known one ("Minutes of the December meeting" is neither).
            cut_name, cut_role = self._split_name(self._cut(last))
            if cut_name is not None and (
                cut_role is not None
                or self.compiled.labels.get(cut_name) is not None
                # "Komnas KIPI dalam keterangan tertulisnya": an organisation by its head.
                or self._organisation_head_first(cut_name.split()) == 0
            ):
                name, role = cut_name, cut_role
        if name is None:
            opened = len(parts) > 1 and not self._drop_openers(parts[-2].split())
            return self._unnamed(words, 4, capitalised=True, opened=opened)
        if len(parts) > 1 and self._is_organisation_description(parts[-2].split()):
            # "The company behind the mine, West Cumbria Mining, said": a company's name.
            return _Speaker(self._resolve(name), None, False, person=False)
        if role is None and len(parts) > 1 and not self._is_circumstance(parts[-2]):
            # Not "Saat ditemui di SPKT Polda Sumsel, Suci menceritakan": where she spoke.
            role = self._role(parts[-2])
        return _Speaker(self._resolve(name), role, False)

    def _name_list(self, parts: list[str]) -> _Speaker | None:
        """Names listed as one subject: "The United Kingdom, France and Germany announced".
        People when every name is a known person's, else organisations or countries."""
        conjunctions = self.rules.list_conjunctions
        if len(parts) < 2 or not any(f" {c} " in f" {parts[-1]} " for c in conjunctions):
            return None
        items = []
        people: list[str] = []
        for i, part in enumerate(parts):
            words = self._drop_openers(part.split()) if i == 0 else part.split()
            if i == 0:
                # "Officials in Pennsylvania, California and Texas": people of the places
                # listed, as "Officials in Texas" are Texas's.
                lowered = [w.lower() for w in words]
                link = next(
                    (
                        k
                        for k in range(1, len(words) - 1)
                        if lowered[k] in self.rules.representative_links
                        and lowered[k - 1] in self.rules.representative_nouns | self.rules.representative_groups
                    ),
                    None,
                )
                if link is not None:
                    people, words = words[:link], words[link + 1 :]
                    if len(people) == 1:
                        people = [people[0].lower()]  # "Officials" opened the sentence
            if not words or len(words) > _MAX_LISTED_NAME_WORDS or not all(
                w[:1].isupper() or w.lower() in conjunctions or w.lower() in self.rules.name_links for w in words
            ):
                return None
            items.append(" ".join(words))
        if people:
            return _Speaker(", ".join(items), " ".join(people), False, person=False, represents=True)
        names = self.compiled.list_split_re.split(", ".join(items)) if self.compiled.list_split_re else items
        persons = all(self.compiled.labels.get(self._full_name(n)) == "PERSON" for n in names)
        return _Speaker(", ".join(items), None, False, person=persons)

    def _is_appositive(self, words: list[str], title: str | None, name: str) -> bool:
        """Capitalised words after a name that describe it: an owner's possessive
        ("Germany's largest arms maker", "Poland's defence minister"), or what a titled or
        known person is of ("Democrat of Massachusetts")."""
        rules = self.rules
        if words[0].endswith(_POSSESSIVES) and len(words) > 1:
            return True
        links = rules.name_links | rules.representative_links
        return (
            len(words) > 2
            and words[1].lower() in links
            and words[0].lower() not in rules.organisation_heads
            and (title is not None or self.compiled.labels.get(name) == "PERSON")
        )

    def _is_organisation_description(self, words: list[str]) -> bool:
        """The words describe an organisation by its head noun, first or last: "The company
        behind the mine", "Germany's largest arms maker"."""
        words = self._drop_openers(words)
        if not words:
            return False
        first, last = words[0].lower(), words[-1].lower()
        return first in self.compiled.organisation_nouns or last in self.compiled.organisation_nouns or last in self.rules.organisation_descriptors

    def _is_circumstance(self, part: str) -> bool:
        """The part opens with when or where something was said: "In an interview with
        the BBC", "Saat ditemui di SPKT Polda Sumsel"."""
        words = part.split(None, 1)
        return bool(words) and words[0].lower() in self.rules.circumstance_openers

    def _linked_organisation(self, words: list[str]) -> _Speaker | None:
        """An organisation's name with "of", "on" or "for" inside, after its head noun: "The
        Forum on Global Security", "the Council on Foreign Relations", "the Institute for
        Fiscal Studies" (not the person "Relations" with the role "Council on Foreign")."""
        rules = self.rules
        words = self._drop_openers(words)
        links = rules.name_links | rules.representative_links
        at = next((i for i, w in enumerate(words) if w in links), None)
        if (
            at is None
            or not 0 < at < len(words) - 1
            or words[at - 1].lower() not in rules.organisation_heads
            or not all(w[:1].isupper() or self._joins_name(words, i) for i, w in enumerate(words))
            or not words[-1][:1].isupper()
        ):
            return None
        return _Speaker(self._resolve(" ".join(words)), None, False, person=False)

    def _organisation_unit(self, words: list[str]) -> _Speaker | None:
        """A known organisation and its unit for a place that speaks: "Perum Bulog Kanwil
        Jawa Barat" (not "UN Secretary General Kofi Annan")."""
        stripped = self._drop_openers(words)
        for k in range(len(stripped) - 1, 0, -1):
            head = " ".join(stripped[:k])
            entry = self._known(head)
            if (entry is not None and entry.label == "ORG") or head in self.organisations:
                rest = stripped[k:]
                if len(rest) <= _MAX_UNIT_WORDS and all(w[:1].isupper() for w in rest) and self._ends_in_place(rest):
                    return _Speaker(" ".join(stripped), None, False, person=False)
                return None
        return None

    def _ends_in_place(self, words: list[str]) -> bool:
        for i in range(len(words)):
            entry = self._known(" ".join(words[i:]))
            if entry is not None:
                return entry.label in ("GPE", "LOC")
        return False

    def _affiliated(self, words: list[str]) -> _Speaker | None:
        """A titled or known person and where they are from: "Professor Trudie Lang of the
        University of Oxford" (not the person "Oxford"). Not "Governor of the Bank of
        England ...": a link right after the title is the title's."""
        rules = self.rules
        at = next((i for i, w in enumerate(words) if w.lower() in rules.affiliation_links), None)
        if at is None or not 1 < at < len(words) - 1:
            return None
        name, title = self._split_name(" ".join(words[:at]))
        if name is None or name in self.organisations or self.compiled.labels.get(name, "PERSON") != "PERSON":
            return None
        if title is None and self.compiled.labels.get(name) != "PERSON" and self._drop_openers(words)[0] not in rules.honorifics:
            return None
        place = self._drop_openers(words[at + 1 :])
        if not place or not place[-1][:1].isupper():
            return None
        where = " ".join(place)
        return _Speaker(self._resolve(name), f"{title}, {where}" if title else where, False)

    def _linked_representative(self, words: list[str]) -> _Speaker | None:
        """People of an organisation named after a link: "Economists at Capital Economics",
        "a source in the Attorney-General's Office" (not the organisation itself)."""
        rules = self.rules
        stripped = self._drop_openers(words)
        lowered = [w.lower() for w in stripped]
        people = rules.representative_nouns | rules.representative_groups
        if not any(
            w in people and i + 1 < len(lowered) and lowered[i + 1] in rules.representative_links
            for i, w in enumerate(lowered)
        ):
            return None
        return self._representative(stripped)

    def _drop_trailing_time(self, words: list[str]) -> list[str]:
        """Without a time after the subject: "The Pentagon on Friday", "Mr Brown last week"."""
        rules = self.rules
        end = len(words)
        while end:
            last = words[end - 1].strip(",")
            if end > 2 and words[end - 2].lower() in rules.weekday_links and (last in self.compiled.weekdays or self._is_month(last)):
                end -= 2
            elif end > 2 and words[end - 2].lower() in rules.time_determiners and last.lower() in rules.time_nouns:
                end -= 2
            elif end > 1 and (last.lower() in rules.time_adverbs or last in self.compiled.weekdays):
                end -= 1  # "the agency said Friday"
            else:
                break
        return words[:end]

    def _is_group(self, name: str) -> bool:
        """People the text does not name: a speaker ending in a plural noun for people, or
        one such noun with what qualifies it ("officials familiar with the matter")."""
        if name in self.compiled.labels:
            return False
        words = name.split()
        return words[-1].lower() in self.rules.group_nouns or self._is_qualified_group(words)

    def _is_qualified_group(self, words: list[str]) -> bool:
        """Unnamed people and what qualifies them: "officials familiar with the matter",
        "two people with knowledge of the project", "sources close to the minister"."""
        rules = self.rules
        at = next((i for i, w in enumerate(words[:3]) if w.lower() in rules.group_nouns), None)
        return (
            at is not None
            and at + 1 < len(words) <= _MAX_GROUP_WORDS
            and words[at + 1].lower() in rules.group_qualifiers
            and not any(w[:1].isupper() for w in words[at + 1 :] if w.lower() not in rules.name_links)
        )

    def _is_time(self, part: str) -> bool:
        """The part only says when: "Rabu", "Rabu (12/3/2025)", "pekan lalu", "on Friday"."""
        rules = self.rules
        words = _PARENTHETICAL_RE.sub("", part).split()
        return bool(words) and all(
            w in self.compiled.weekdays
            or self._is_month(w)
            or w.lower() in rules.time_nouns
            or w.lower() in rules.time_adverbs
            or w.lower() in rules.time_links
            for w in words
        )

    def _is_aside(self, part: str) -> bool:
        """A comma-separated aside after a subject: "speaking on condition of anonymity",
        "who asked not to be named"."""
        first = part.split(None, 1)[0] if part.split() else ""
        # Not "WHO regional director": an acronym is a name, whatever word it spells.
        return not (len(first) > 1 and first.isupper()) and first.lower() in self.rules.aside_openers

    def _is_clause(self, phrase: str) -> bool:
        """The phrase reads as a statement, not a speaker: it opens with a figure ("12 jets
        would arrive") or has an auxiliary verb in it ("the plan would cost")."""
        words = phrase.lower().split()
        return not phrase[:1].isalpha() or any(w in self.rules.clause_auxiliaries for w in words)

    def _is_named_in_role(self, words: list[str]) -> bool:
        """The phrase is a role and a person's name ("co-author Wei Min"), not a role in an
        organisation ("president of Netcraft", "deputy editor at PC Pro")."""
        links = self.rules.representative_links | self.rules.name_links
        if any(w.lower() in links for w in words):
            return False
        return self._split_name(" ".join(words))[0] is not None

    def _reported_speaker(self, sentence: str) -> _Reported:
        """The speaker of a sentence with no quote, and the medium if the sentence names one:
        what the first pass of REPORTED_SPEECH_SIEVE that decides says."""
        medium = self._medium(sentence)
        for sieve in REPORTED_SPEECH_SIEVE:
            found = sieve(self, sentence, medium)
            if found is not None:
                return found
        return None, medium

    # The passes of REPORTED_SPEECH_SIEVE: each returns (speaker, medium) when it decides who
    # said the sentence (a None speaker included: no one), or None to leave it to the next.

    def _by_quoting(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "..., the paper quoted Mr Chernin as saying": its own speaker and medium."""
        return self._quoting(sentence)

    def _by_post_verdict(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "Unggahan yang menyebut ... adalah hoaks": the outlet's verdict on the post."""
        if self.rules.post_verdict_re is not None and self.rules.post_verdict_re.search(sentence):
            if self.compiled.post_re is not None and self.compiled.post_re.match(sentence):
                return None, medium
        return None

    def _by_post(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "Unggahan akun X @petani_merdeka yang menyebut ...": the post's account."""
        post = self._post(sentence)
        return (post, medium) if post is not None else None

    def _by_said_back(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "Hal itu disampaikan Abdul Mu'ti saat berkunjung ...": a passive, and who said it;
        "Hal tersebut ia katakan usai rapat ...": the last speaker."""
        back = self.rules.said_back_re.match(sentence) if self.rules.said_back_re is not None else None
        if back is None:
            return None
        who = back.groupdict()
        if who.get("pronoun"):
            return _PRONOUN, medium
        speaker = self.parse_speaker(who.get("who") or who.get("who_after") or "", role_after=False)
        if speaker is not None and (speaker.pronoun or (speaker.name or "")[:1].isupper()):
            return speaker, medium
        return None

    def _by_agent(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "The figures were confirmed by a spokeswoman for the Home Office."""
        agent = self.rules.agent_re.search(sentence) if self.rules.agent_re is not None else None
        if agent is None:
            return None
        who = " ".join(self._drop_trailing_time(self._cut(agent.group("who")).strip().rstrip(".!?").split()))
        speaker = self._whole_name(who) or self.parse_speaker(who, role_after=False)
        # A name, or a role ("a spokeswoman for ..."); not "local media".
        if speaker is not None and not speaker.pronoun and ((speaker.name or "")[:1].isupper() or speaker.role):
            return speaker, medium
        return None

    def _by_source(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "..., NHS England figures show.", "Data BPS menunjukkan ...": the publisher."""
        shown = (
            self.compiled.source_re.search(sentence)
            if self.compiled.source_re is not None and self.compiled.source_verb_re.search(sentence)
            else None
        )
        if (
            shown is not None
            and not self.rules.source_name_after
            and self._names_an_organisation(sentence[shown.start("who") : shown.end()])
        ):
            shown = None  # "the Office for National Statistics showed": a name, not "National" statistics
        if shown is not None:
            words = self._drop_openers(shown.group("who").split())
            name = " ".join(words)
            at_start = not sentence[: shown.start("who")].strip(" \"'\u201c")
            # "Official figures show": a capitalised first word is no name unless known.
            if words and not (at_start and len(words) == 1 and name not in self.compiled.aliases and name not in self.organisations):
                return _Speaker(self._resolve(name), None, False, person=False), medium
        return None

    def _by_according_to(self, sentence: str, medium: str | None) -> _Reported | None:
        """ "According to the Financial Times, ...", "Menurut Sri Mulyani, ...". One that
        names no one usable is still the speaker if the reporting-verb pass finds none."""
        according, rest = self._according_to(sentence)
        if according is None:
            return None
        if according.pronoun or (according.name is not None and according.name[:1].isupper()):
            if according.pronoun:
                return according, medium
            if medium is None and according.name and self._is_outlet_name(according.name) and self._is_media_name(according.name):
                medium = according.name  # "Menurut laporan Reuters": a news agency's report
            # "According to the Financial Times, Peter Chernin said ...": the person said it,
            # the paper reported it.
            said = self._verb_speaker(rest) if rest else None
            if (
                said is not None
                and not said.pronoun
                and said.name != according.name
                and self._is_person(said)
            ):
                return said, medium or according.name
            return according, medium
        return self._by_reporting_verb(sentence, medium, according)

    def _by_reporting_verb(
        self, sentence: str, medium: str | None, according: _Speaker | None = None
    ) -> _Reported:
        """ "Menurut laporan itu, ..., ujar analis Andi Wijaya": the report is where the
        content comes from; the person with the reporting verb is who said it. The last
        pass: it always decides."""
        said = self._verb_speaker(sentence)
        if said is None or not (said.pronoun or self._is_person(said) or said.name in self.compiled.labels):
            # "The plan, said Mr Smith, would ...": not "The plan", but who is set off by commas.
            said = self._aside(sentence) or said
        return said or according, medium

    def _aside(self, sentence: str) -> _Speaker | None:
        """The speaker set off by commas mid-sentence: ", kata Mu'ti,", ", katanya,",
        ", said Mr Smith,"."""
        if self.compiled.aside_re is None:
            return None
        for match in self.compiled.aside_re.finditer(sentence):
            who = (match.group("who") or "").strip()
            if not who:
                suffix = self.rules.pronoun_suffix
                if suffix and match.group("verb").lower().endswith(suffix):
                    return _PRONOUN  # "katanya": whoever spoke last.
                continue
            if len(who.split()) > 6:
                continue  # a clause, not a name with its role
            speaker = self._whole_name(who) or self.parse_speaker(who, role_after=False)
            if speaker is not None and (speaker.pronoun or (speaker.name or "")[:1].isupper()):
                return speaker
        return None

    def _quoting(self, text: str) -> tuple[_Speaker | None, str | None] | None:
        """ "..., the paper quoted Mr Chernin as saying": Mr Chernin said it, via the paper."""
        rules = self.rules
        match = rules.quoting_re.search(text) if rules.quoting_re is not None else None
        if match is None:
            return None
        before = text[: match.start()]
        who = match.group("who")
        by = rules.media_re.match(text, match.start()) if rules.media_re is not None else None
        if who is None or by is not None:
            # "Mr Chernin was quoted (by the FT) as saying": the subject is who said it.
            words = self._drop_trailing_particles(before.split())
            # "..., with Mr Dixon quoted as saying": the name right before the verb.
            subject = " ".join(words).rsplit(",", 1)[-1]
            return self.parse_subject(subject), by.group("medium") if by else self._medium(text)
        speaker = self.parse_speaker(who, role_after=False)
        if speaker is None or (speaker.name is None and not speaker.pronoun):
            # "quoted an unnamed executive at Euronext as saying": someone, but no name.
            role = self._role(who)
            speaker = _Speaker(None, role, False, person=False) if role else speaker
        subject = before.rstrip(" ,").rsplit(",", 1)[-1]
        return speaker, self._medium_name(subject)

    def _medium_name(self, phrase: str) -> str | None:
        """A medium's name: "A weekend report in the Telegraph had" -> Telegraph; "the
        paper" is the medium named last ("Financial Times"), or as written if none was."""
        words = self._drop_trailing_particles(_PARENTHETICAL_RE.sub("", phrase).strip(" ,\"'").split())
        name: list[str] = []
        for word in reversed(self._drop_openers(words)):
            if not word[:1].isupper():
                break
            name.insert(0, word)
        if not name:
            return self.memory.last_medium or " ".join(words) or None
        entry = self._known(" ".join(name))
        return entry.canonical if entry is not None else " ".join(name)

    def _according_to(self, sentence: str) -> tuple[_Speaker | None, str]:
        """The speaker of "According to X, ...", "..., according to X." or "..., according to
        X, ...", and the rest of the sentence, where someone else may be the one who said
        it ("According to the FT, Mr Chernin said ...", "Mr Chernin said ..., according
        to the FT")."""
        rules = self.rules
        if rules.according_to_re is None:
            return None, ""
        for match in rules.according_to_re.finditer(sentence):
            before = sentence[: match.start()].rstrip()
            if match.start() >= 3 and not before.endswith(","):
                continue  # "ranked according to size": no one's word.
            if match.group("nya"):
                return _PRONOUN, ""
            # ", " and not ",": "a survey of 2,000 adults by YouGov" is one phrase.
            first, comma, rest = match.group("who").partition(", ")
            publisher = self._publisher(first)
            if publisher is not None and publisher != first:
                # "menurut laporan Reuters yang dirilis Senin": the publisher, up to the
                # clause about the source; the rest of the sentence is what it says.
                publisher, comma, rest = self._before_clause(publisher), "", ""
            if publisher is None:
                speaker = None  # "according to a poll of voters": a source, but no one's
            else:
                speaker = self._whole_name(_PARENTHETICAL_RE.sub("", publisher).strip()) or self.parse_speaker(
                    publisher + comma + rest, role_after=False
                )
            return speaker, before if match.start() >= 3 else rest
        return None, ""

    def _publisher(self, phrase: str) -> str | None:
        """Who published what the phrase names: "NHS figures" -> "NHS", "a Reuters poll of
        economists" -> "Reuters", "estimates by the defence ministry" -> "the defence
        ministry", "data from the ONS" -> "the ONS"; None for a source that names no one
        ("a poll of voters", "data from last year"); the phrase itself when it names no
        source."""
        words = phrase.split()
        rules = self.rules
        # Lower case: "Statistics" in "Office for National Statistics" is the name's.
        # Or the first word, capitalised: "Figures showed that ...".
        at = next(
            (i for i, w in enumerate(words) if w.strip(".") in rules.source_nouns or (i == 0 and w.lower() in rules.source_nouns)),
            None,
        )
        if at is None:
            return phrase
        owner = self._drop_openers(words[:at])
        if owner and owner[0].lower() in rules.first_person_possessives:
            return None  # "Our surveys found": the one speaking, not someone else's word
        possessive = next((i for i in range(len(owner) - 1, -1, -1) if owner[i].endswith(_POSSESSIVES)), None)
        if possessive is not None:
            # "Mr Smith's analysis", "the IMF's latest forecast", "the government's own figures"
            owned = words[: at - len(owner) + possessive + 1]
            return " ".join(owned)[: -len("'s")]
        if owner and owner[-1][:1].isupper():
            # "the latest Opinium poll for the Observer": the pollster's name just before
            # the noun, not the paper it was done for.
            run: list[str] = []
            for word in reversed(owner):
                if not (word[:1].isupper() or (run and word in rules.name_links)):
                    break
                run.insert(0, word)
            while run and run[0] in rules.name_links:
                run.pop(0)
            return " ".join(run)
        if owner and any(w[:1].isupper() for w in owner):
            return phrase
        if owner:
            return None  # "alliance figures", "official data": no one is named for them
        after = words[at + 1 :]
        if rules.source_name_after and after and after[0][:1].isupper():
            return " ".join(after)  # "data Badan Pusat Statistik"
        agent = next((i for i, w in enumerate(after) if w in rules.source_agents), None)
        if agent is not None and agent + 1 < len(after):
            return " ".join(after[agent + 1 :])
        if after and after[0] in rules.source_links:
            named = self._drop_openers(after[1:])
            if named and named[0][:1].isupper():
                return " ".join(after[1:])
        return None

    def _verb_speaker(self, sentence: str) -> _Speaker | None:
        rules = self.rules
        said = self._said_part(sentence)
        if said is not None:
            return said
        if rules.reporting_re is not None:
            # Not a verb that opens the sentence ("Menanggapi hal itu, jubir ... mengatakan"):
            # it has no subject, so the speaker is the next verb's.
            match = next(
                (
                    (start, end)
                    for start, end in self._reporting_verbs(sentence)
                    if sentence[:start].strip(" \"'\u201c")
                    and not self._is_passive(sentence[:start])
                    and not self._has_object(sentence, start, end)
                    # "In a statement posted on Telegram, the group ... said": a verb inside
                    # the circumstance that opens the sentence has no subject of its own.
                    and not ("," not in sentence[:start] and self._is_circumstance(sentence[:start]))
                ),
                None,
            )
            clause_subject = self._subject_before_clause(sentence[: match[0]]) if match else None
            if clause_subject is not None:
                return clause_subject
            if match and len(sentence[: match[0]].split()) <= _MAX_SUBJECT_WORDS + 6:
                before = sentence[: match[0]]
                after = sentence[match[1] :]
                if before.rstrip().endswith(",") and self._is_only_a_name(after):
                    # "Inflation will hit 5%, said the Bank of England": the name that ends
                    # the sentence is the speaker; what came before the comma is what was
                    # said, never the speaker, even when the name is not one we can resolve.
                    return self._inverted(after) or self.parse_speaker(after, role_after=False)
                speaker = self.parse_subject(before)
                if speaker is None and before.rstrip().endswith(","):
                    # "By contrast, says Mr Cox, the Mac mini ...": the speaker follows.
                    speaker = self._inverted(after)
                if speaker is not None:
                    return speaker
        if self.compiled.tail_verb_re is not None:
            # "It would mean ..., Ms Hewitt told GMTV's Sunday programme."
            comma = sentence.rfind(", ")
            if comma > 0:
                tail = sentence[comma + 2 :]
                match = self.compiled.tail_verb_re.search(tail)
                # Not "..., AL disebut menuding ...": said of someone, not by them. Not
                # "..., however, said the sample was too small": what was said, no speaker.
                opens = match is not None and not tail[: match.start()].strip()
                if (
                    match
                    and len(tail.split()) <= 10
                    and not self._is_passive(tail[: match.start()])
                    and not (opens and not self._is_only_a_name(self._cut(tail[match.end() :])))
                ):
                    return self._tail_speaker(tail)
        return None

    def _subject_before_clause(self, before: str) -> _Speaker | None:
        """The named subject of "Wakil Menteri Pertahanan Donny Ermawan Taufanto yang
        meresmikan fasilitas tersebut menegaskan", read without the clause about them;
        None when no clause follows a name there."""
        head = self._before_clause(before)
        if head == before:
            return None
        if "," in head and len(head.rsplit(",", 1)[0].split()) <= 3:
            head = head.rsplit(",", 1)[1]  # "Sementara itu, Wakil Menteri ... yang ..."
        words = head.split()
        if not words or "," in head or not head.rstrip()[-1:].isalpha():
            return None
        if len(words) > _MAX_SUBJECT_WORDS or not words[-1][:1].isupper():
            return None
        speaker = self.parse_subject(head)
        if speaker is None or not speaker.name or speaker.pronoun:
            return None
        # One word is a name only when it is someone's the text named in full ("Eddy yang
        # juga Waketum PAN"), not "Oleh" of "Oleh karena itu, ia".
        return speaker if len(words) > 1 or " " in speaker.name else None

    def _post(self, sentence: str) -> _Speaker | None:
        """What a viral post or message says is its word, not the outlet's: "Unggahan akun X
        @petani_merdeka yang menyebut ...", "akun tersebut menulis ...", "A post shared on
        Facebook claims ...", "Pesan berantai yang menyebut ...". The account when the
        post names one (and the one named last for "akun tersebut"), else the post."""
        if self.compiled.post_re is None:
            return None
        match = self.compiled.post_re.match(sentence)
        if match is None:
            return None
        who = match.group("who")
        handle = _HANDLE_RE.search(who)
        if handle is not None:
            self.memory.last_account = handle.group()
            return _Speaker(handle.group(), None, False, person=False)
        account = self.compiled.account_re.search(who) if self.compiled.account_re is not None else None
        if account is not None and account.group("name") not in self.rules.platforms:
            # "Unggahan akun Facebook Bunda Sehat yang menyebut": the account, by its name.
            name, platform = account.group("name"), account.group("platform")
            self.memory.last_account = name
            noun = account.group().split()[0].lower()
            return _Speaker(name, f"{noun} {platform}" if platform else noun, False, person=False)
        words = self._drop_trailing_particles(who.split(), auxiliaries=False)
        if words[-1].lower() in self.rules.anaphor_tails or " ".join(words).lower().endswith(
            tuple(self.rules.post_anaphors)
        ):
            if self.memory.last_account is not None:
                return _Speaker(self.memory.last_account, None, False, person=False)
        if words[0].lower() in self.rules.determiners and len(words) == 2:
            # "The account also claimed": the post the text spoke of, as written.
            return _Speaker(self.memory.last_account or " ".join(words), None, False, person=False)
        # "A post shared 20,000 times on Facebook": the post, and where it was shared.
        noun = self.compiled.post_noun_re.search(who)
        if noun is None:
            return None
        platform = self.compiled.platform_re.search(who) if self.compiled.platform_re else None
        phrase = noun.group() + (f" {platform.group()}" if platform else "")
        before, after = who[: noun.start()].split(), who[noun.end() :].split()
        if platform is None and before and before[-1] in self.rules.platforms:
            phrase = f"{before[-1]} {noun.group()}"  # "An Instagram post claimed"
        elif platform is None and after and after[0] in self.rules.platforms:
            phrase = f"{noun.group()} {after[0]}"  # "Sebuah video TikTok yang menyebut"
        return _Speaker(phrase[:1].upper() + phrase[1:], None, False, person=False)

    def _has_object(self, sentence: str, start: int, end: int) -> bool:
        """The verb counts something here, and reports no one's words: "The economy added
        275,000 jobs", "added a further £2bn"."""
        rules = self.rules
        if sentence[start:end].lower() not in rules.object_verbs:
            return False
        following = sentence[end : end + 40].split(None, 1)
        if not following:
            return False
        word = following[0].lower()
        return word[:1].isdigit() or word in rules.determiners or word in rules.indefinite_determiners or (
            word in rules.number_words
        )

    def _said_part(self, sentence: str) -> _Speaker | None:
        """Who said it, set off by a comma as a part of its own: "..., the UKHSA said.",
        "..., the agency said Friday, a day after ...". It names the sentence's speaker even
        where a verb before it has a subject ("Birmingham has reported 216 cases, ...")."""
        rules = self.rules
        parts = sentence.rstrip(" .!?\"'\u201d").split(", ")
        for part in reversed(parts[1:]):
            # Most parts end in no verb of saying: a look at their last words rules them out.
            if not any(w.lower() in self.compiled.verbs for w in part.rsplit(None, _SAID_PART_TAIL)[-_SAID_PART_TAIL:]):
                continue
            words = self._drop_trailing_time(part.split())
            # "..., figures published by the Office for National Statistics on Tuesday showed."
            longest = _MAX_SAID_PART_WORDS * 2 if words and words[0].lower() in rules.source_nouns else _MAX_SAID_PART_WORDS
            if not 1 < len(words) <= longest:
                continue
            verb = words[-1].lower()
            if verb not in rules.reporting_verbs and verb not in rules.speech_verbs:
                continue
            subject = " ".join(words[:-1])
            if self._is_passive(subject) or subject[:1] in "\"'\u201c":
                continue
            # Set off by its comma, "the agency" is as much a subject as at a sentence's start.
            speaker = self.parse_subject(subject[:1].upper() + subject[1:])
            if speaker is not None:
                return speaker
        return None

    def _is_only_a_name(self, after: str) -> bool:
        """The rest of the sentence is a name or a role and nothing else: "the Bank of
        England.", "a spokesman for the Bank of England.", "the minister."."""
        words = self._drop_openers(after.strip().rstrip(".!?\"'\u201d").split())
        rules = self.rules
        links = rules.name_links | rules.determiners | rules.representative_links
        if words and words[0].lower() in rules.indefinite_determiners:
            words = words[1:]  # "said one official"
        return (
            0 < len(words) <= 6
            and (words[0][:1].isupper() or words[0].lower() in rules.role_nouns)
            and (words[-1][:1].isupper() or words[-1].lower() in rules.role_nouns)
            and all(w[:1].isupper() or w.lower() in links or w.lower() in rules.role_nouns for w in words)
            and not any(ch in after for ch in ",;:")
        )

    def _reporting_verbs(self, sentence: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each reporting verb in the sentence, as whole words, any case."""
        low = sentence.lower()
        if len(low) != len(sentence) or self.rules.reporting_lower_re is None:
            # Lower-casing changed the length ("İ"): offsets into it would drift.
            yield from (m.span() for m in self.rules.reporting_re.finditer(sentence))
            return
        yield from (m.span() for m in self.rules.reporting_lower_re.finditer(low))

    def _is_passive(self, before: str) -> bool:
        """A reporting verb with no one doing the saying: "Activision is said to be ...",
        "it is fair to say ...", "analysts would say ..."."""
        words = before.split()
        if not words:
            return False
        if words[-1].lower() in self.rules.passive_auxiliaries or words[-1].lower() in self.rules.unreported_before:
            return True
        # "Blast fishing is still reported": past the particles to the auxiliary.
        words = self._drop_trailing_particles(words, auxiliaries=False)
        return words[-1].lower() in self.rules.passive_auxiliaries

    def _names_an_organisation(self, text: str) -> bool:
        """The text, less its last word (the verb), ends with a known organisation's name."""
        words = text.split()[:-1]
        return any(
            (entry := self._known(" ".join(words[i:]))) is not None and entry.label == "ORG"
            for i in range(max(0, len(words) - _MAX_NAME_TOKENS - 3), len(words) - 1)
        )

    def _whole_name(self, phrase: str) -> _Speaker | None:
        """A name of capitalised words, kept whole: "said the Federal Open Markets
        Committee", "according to PC Pro", "the Office for National Statistics" (not only
        their last words). Linking words ("for", "of") may join its capitalised words."""
        rules = self.rules
        words = self._drop_openers(phrase.split())
        owner = next((i for i in range(len(words) - 1, -1, -1) if words[i].endswith(_POSSESSIVES)), None)
        if owner is not None:
            words = words[owner + 1 :]  # "Germany's Siemens Energy": the name after the owner
        # Inside an organisation's name a role's word is the name's: "the Council on Foreign
        # Relations", "the Foreign Office".
        headed = bool(words) and (words[0].lower() in rules.organisation_heads or words[-1].lower() in rules.organisation_heads)
        if (
            len(words) > 1
            and words[0] not in rules.honorifics
            and words[-1][:1].isupper()
            and all(
                (w[:1].isupper() and (headed or w not in rules.role_words)) or self._joins_name(words, i)
                for i, w in enumerate(words)
            )
        ):
            return _Speaker(self._resolve(" ".join(words)), None, False, person=not headed)
        return None

    def _joins_name(self, words: list[str], i: int) -> bool:
        """Whether the lower-case ``words[i]`` joins the capitalised words around it into one
        name: a link ("Office for National Statistics"), an article after a link ("Institute
        for the Study of War"), or "and" after the link of an organisation's head noun
        ("Center for Strategic and International Studies", not "John Smith and Jane Doe")."""
        rules = self.rules
        links = rules.name_links | rules.representative_links
        w = words[i]
        if i == 0:
            return False
        if w in links:
            return True
        if w.lower() in rules.determiners:
            return words[i - 1] in links
        if w in rules.name_conjunctions:
            first = next((j for j, x in enumerate(words[:i]) if x in links), None)
            return first is not None and first > 0 and words[first - 1].lower() in rules.organisation_heads
        return False

    def _inverted(self, after: str) -> _Speaker | None:
        """The speaker right after the verb, up to a comma or the end of the sentence."""
        if not after.lstrip()[:1].isalpha():
            return None  # 'said: "...' is the quote, not the speaker.
        part, comma, _ = after.partition(",")
        part = _PARENTHETICAL_RE.sub("", part).strip().rstrip(".!?")
        if not part or len(part.split()) > 6:
            return None
        speaker = self._whole_name(part) or self.parse_speaker(part, role_after=False)
        # "says he, ..." needs its comma; a named speaker is capitalised ("says the report" is none).
        if speaker is None or not ((speaker.pronoun and comma) or (speaker.name or "")[:1].isupper()):
            return None
        if comma and not speaker.pronoun and speaker.role is None:
            # "said Dr Hans Kluge, WHO regional director for Europe.": the role closes the sentence.
            rest = after.partition(",")[2].strip().rstrip(".!?\"'\u201d")
            role = self._role_after(rest) if rest and not self._is_aside(rest) else None
            if role and len(role.split()) <= _MAX_CLOSING_ROLE_WORDS and self._role(role):
                speaker = replace(speaker, role=role)
        return speaker

    def _medium(self, sentence: str) -> str | None:
        if self.rules.media_re is None:
            return None
        for match in self.rules.media_re.finditer(sentence):
            # "told GMTV's Sunday programme": the medium is GMTV.
            medium = re.split(r"['\u2019]s\s", match.group("medium"), maxsplit=1)[0].rstrip(".,;:")
            if match.group("via").lower() in self.rules.weak_media and not self._is_outlet_name(medium):
                continue  # "told John Smith": a person, not a medium
            if medium in self.compiled.weekdays or self._is_month(medium):
                continue  # "wrote on Monday": when, not where
            entry = self._known(medium)
            return entry.canonical if entry is not None and entry.label == "ORG" else medium
        return None

    def _is_media_name(self, name: str) -> bool:
        """A name with a medium's word in it: "Reuters", "Kompas TV", "Sky News"."""
        return any(word.split(".")[0] in self.rules.media_words for word in name.split())

    def _is_outlet_name(self, name: str) -> bool:
        """ "GMTV", "detikOto", "the BBC", "Sky News", "Kompas.com": a name that is an outlet's,
        not "kepada PT Sritex" (to the company) or "told John Smith"."""
        return (
            name.startswith("detik")
            # "GMTV", not "kepada TNI AL" nor "kepada KPK": capitals the gazetteer knows as
            # some other organisation's are no outlet's.
            or (name.split("'")[0].isupper() and name not in self.compiled.aliases)
            or self._is_media_name(name)
            or re.search(r"\.(?:com|co|id|net|org)\b", name, re.I) is not None  # a site: "Kompas.com"
        )

    # The walk -----------------------------------------------------------------------------

    def attribute(
        self,
        text: str,
        segments: list[Segment],
        outlet: str | None,
        entities: list[Entity],
        memory: SpeakerMemory | None = None,
        initials: frozenset[str] | None = None,
    ) -> list[Attribution | None]:
        """One Attribution per segment (None for headline and boilerplate).

        ``memory``: the text's speakers so far, when this is a later piece of it; it is
        updated as the walk goes. ``initials``: the text's (``initials_in``), when the
        caller has them already.
        """
        self.memory = memory = SpeakerMemory() if memory is None else memory
        self.text = text
        # "tersangka AS": initials the text gives someone, wherever they recur.
        self.initials = initials_in(text, self.rules) if initials is None else initials
        self._first_at = None
        # Full names are looked up in the body: a title-case headline would add its verbs.
        self.body_start = next((s.start for s in segments if s.kind == SENTENCE), 0)
        self.furniture = sorted((s.start, s.end) for s in segments if s.kind not in (SENTENCE, HEADLINE))
        people = [e for e in entities if e.label == "PERSON"]
        people_at = {e.start: e for e in people}
        organisations = [e for e in entities if e.label == "ORG"]
        self.organisations = frozenset(e.canonical for e in organisations)
        # How the text writes each organisation ("Bank Sentosa Jaya"): where a role's
        # organisation ends and its holder's name begins.
        self.organisation_forms = {e.text: e.canonical for e in organisations if " " in e.text}
        self.longest_organisation = max((len(name.split()) for name in self.organisations), default=1)
        self.introduced = self._introduced(text, organisations)
        result: list[Attribution | None] = [None] * len(segments)
        quote_speakers: dict[int, Attribution] = {}
        previous: Attribution | None = None
        # The sentence before, with its paragraph: "Pasalnya, ..." carries on its statement.
        before: tuple[int, Attribution] | None = None
        quote_extent = self._quote_extent(segments)
        # An interview's plain "A:" is whoever the text named before its first question.
        first_question = next((s.start for s in segments if s.kind == QUESTION), None)
        for index, segment in enumerate(segments):
            if segment.kind != SENTENCE:
                continue
            sentence = text[segment.start : segment.end]
            self.position, self.sentence_end = segment.start, segment.end
            quote = segment.quote
            if segment.answer is not None and (first_question is not None or segment.answer):
                attribution = self._answerer(segment.answer, people, first_question)
            elif quote is not None:
                key = id(quote)
                attribution = quote_speakers.get(key)
                if attribution is None:
                    attribution = self._quote_attribution(
                        text, quote, quote_extent[key], previous
                    )
                    if attribution.speaker is None and attribution.role is None:
                        attribution = self._nearest_person(people, quote.open, attribution)
                    quote_speakers[key] = attribution
            else:
                speaker, medium = self._reported_speaker(sentence)
                if speaker is None and before is not None and before[0] == segment.paragraph and self._carries_on(
                    sentence, outlet
                ):
                    attribution = replace(before[1], source=REPORTED, medium=medium or before[1].medium)
                elif speaker is None:
                    attribution = Attribution(outlet, None, medium, OUTLET, ORGANISATION if outlet else None)
                else:
                    attribution = self._named(speaker, medium, REPORTED)
                    if speaker.personal and attribution.speaker is None and attribution.role is None:
                        attribution = self._nearest_person(people, segment.start, attribution)
            if attribution.source != OUTLET and (attribution.speaker or attribution.role):
                memory.last_speaker = attribution
                if attribution.speaker in self.organisations:
                    memory.last_organisation = attribution.speaker
                if attribution.kind in (ORGANISATION, REPRESENTATIVE):
                    memory.last_impersonal = attribution
            if attribution.source != OUTLET and (
                attribution.speaker in memory.people
                or (attribution.speaker is None and attribution.role)
                or attribution.kind == REPRESENTATIVE
            ):
                # A named person, one known by a role only ("a Home Office minister"), or
                # one speaking for an organisation ("a BBC spokesman").
                memory.last_person = attribution
            elif quote is None:
                # "Mr Kilroy-Silk, an MEP ..., resigned ...": "he" in what follows is him.
                memory.last_person = (
                    self._person_subject(text, segment.start, sentence, people_at) or memory.last_person
                )
            if attribution.medium and attribution.medium[:1].isupper():
                memory.last_medium = attribution.medium
            self._remember_roles(text, segment.start, segment.end, people)
            result[index] = attribution
            if quote is None and attribution.source != OUTLET and self._is_said_back(sentence):
                self._attribute_back(segments, result, index, attribution)
            previous = attribution if quote is not None else None
            spoken = attribution.source != OUTLET and (attribution.speaker or attribution.role)
            before = (segment.paragraph, attribution) if spoken else None
        return result

    def _answerer(self, label: str, people: list[Entity], first_question: int | None) -> Attribution:
        """Who gives an interview's answer: the name its line opens with ("Dzulkefly" is the
        Dzulkefly Ahmad named before), else the last person named before the questions."""
        if label:
            speaker = self.parse_speaker(label)
            if speaker is not None and speaker.name and not speaker.pronoun:
                return self._named(speaker, None, REPORTED)
        if first_question is None:
            return Attribution(None, None, None, REPORTED)
        interviewed = self._interviewed(first_question)
        if interviewed is not None:
            return self._named(interviewed, None, REPORTED)
        return self._nearest_person(people, first_question, Attribution(None, None, None, REPORTED))

    def _interviewed(self, first_question: int) -> _Speaker | None:
        """Who the introduction says was interviewed ("detikcom mewawancarai Kapolres Sikka
        AKBP Moh Mukhson soal ..."), if it names them."""
        verb_re = self.rules.interview_verb_re
        if verb_re is None:
            return None
        intro = self.text[self.body_start : first_question]
        # The last interview verb before the questions: the one nearest them.
        verb = max(verb_re.finditer(intro), key=lambda m: m.start(), default=None)
        if verb is None:
            return None
        phrase = re.split(r"[.!?\n]", intro[verb.end() :], maxsplit=1)[0]
        speaker = self.parse_speaker(self._cut(phrase))
        return speaker if speaker is not None and speaker.name and not speaker.pronoun else None

    def _is_said_back(self, sentence: str) -> bool:
        """"Hal itu disampaikan Juru Bicara MK Fajar Laksono ...": the sentence names who
        said what came before it."""
        return self.rules.said_back_re is not None and self.rules.said_back_re.match(sentence) is not None

    @staticmethod
    def _attribute_back(
        segments: list[Segment], result: list[Attribution | None], index: int, attribution: Attribution
    ) -> None:
        """The sentences just before ``index``, of one paragraph, that went to the outlet are
        what the speaker of "Hal itu disampaikan X" said."""
        paragraph = None
        for j in range(index - 1, -1, -1):
            before = result[j]
            if segments[j].kind != SENTENCE or before is None or before.source != OUTLET:
                return
            if paragraph is None:
                paragraph = segments[j].paragraph
            elif segments[j].paragraph != paragraph:
                return
            result[j] = replace(attribution, source=REPORTED)

    def _carries_on(self, sentence: str, outlet: str | None) -> bool:
        """The sentence opens by carrying on the one before ("Pasalnya, ...", "Oleh karena
        itu, pihaknya ..."), and is not the outlet speaking of itself ("Namun, hingga berita
        ini diturunkan, ...")."""
        rules = self.rules
        if not rules.continuation_openers:
            return False
        words = _WORD_RE.findall(sentence[:60].lower())
        if not any(tuple(words[: len(o)]) == o for o in rules.continuation_openers):
            return False
        low = sentence.lower()
        return not any(ref in low for ref in rules.outlet_self_references) and not (outlet and outlet.lower() in low)

    def _remember_roles(self, text: str, start: int, end: int, people: list[Entity]) -> None:
        """The role the sentence gives each person it names, speaker or not ("accused
        outgoing President Joko Widodo"), so that "the president" later is him."""
        rules = self.rules
        for person in people:
            if not start <= person.start < end or person.canonical in self.memory.roles:
                continue
            words = text[max(start, person.start - 60) : person.start].split()
            # "President Joko Widodo" may be the gazetteer's alias: its title is the role.
            named = person.text.split()
            while named and named[0] in rules.role_words:
                words.append(named.pop(0))
            run: list[str] = []
            for word in reversed(words):
                if word[:1].isupper() or word.lower() in rules.role_nouns:
                    run.insert(0, word)
                else:
                    break
            role = self._role(" ".join(run)) if run else None
            if role:
                self.memory.roles[person.canonical] = role

    def own_people(self, entities: list[Entity]) -> list[Entity]:
        """The entities, with a known person's surname alone ("Bush") given to the person
        this text named by it ("Douglas Bush, the Army's former acquisition chief")."""
        known, people = self.memory.known, self.memory.people
        renamed = [
            replace(e, canonical=known[e.text])
            if e.label == "PERSON" and " " not in e.text and known.get(e.text, e.canonical) != e.canonical
            and known[e.text] in people
            else e
            for e in entities
        ]
        return renamed

    def person_mentions(self, text: str, entities: list[Entity]) -> list[Entity]:
        """PERSON entities for the people who spoke whom the gazetteer does not know
        ("Luky Alfirman", then "Luky"), wherever the text writes a name the walk resolved
        to them, outside the entities found already.

        Only a full name the text gave a role ("Direktur Jenderal Anggaran ... Luky
        Alfirman") or calls by a title ("Viktor Makarov, 50, claims ..." and later "Mr
        Makarov"): a bare "Lufthansa said" or "Age Concern says" may be no person at all.
        """
        roles = self.memory.roles
        candidates = {
            form: full
            for form, full in self.memory.forms.items()
            if full in self.memory.people and full not in self.compiled.labels and full not in self.organisations
            and len(form) > 2 and form[:1].isupper()
        }
        titled = self._titled_words(text)
        people = {
            full for full in set(candidates.values())
            if full in roles or (" " in full and full.split()[-1] in titled)
        }
        forms = {form: full for form, full in candidates.items() if full in people}
        if not forms:
            return []
        names = alternation(forms)
        taken = Stretches([(e.start, e.end) for e in entities])
        found: list[Entity] = []
        for match in re.finditer(rf"(?<![\w'\u2019-])(?:{names})(?![\w'\u2019-])", text):
            if taken.overlaps(match.start(), match.end()):
                continue  # inside or across a name or number found already
            if " " not in match.group() and not self._is_named_here(text, match.start(), match.end()):
                continue  # "Muslim" is a lawyer's name in "kata Muslim", not in "warga Muslim"
            found.append(Entity(match.group(), forms[match.group()], "PERSON", match.start(), match.end(), None))
        return found

    def _titled_words(self, text: str) -> frozenset[str]:
        """The words the text puts after a title ("Makarov" of "Mr Makarov"): a speaker whose
        name ends in one is a person. One pass over the text, whatever the number of names."""
        if self.compiled.titled_re is None:
            return frozenset()
        return frozenset(m.group(1) for m in self.compiled.titled_re.finditer(text))

    def _is_named_here(self, text: str, start: int, end: int) -> bool:
        """A one-word name used as one: after an honorific or a speech verb ("Mr Straw",
        "kata Rano") or before a verb of saying ("Luky menjelaskan")."""
        before = text[max(0, start - 30) : start].split()
        after = text[end : end + 30].split()
        return bool(
            (before and (before[-1] in self.rules.honorifics or before[-1].lower() in self.compiled.verbs))
            or (after and after[0].strip(",.").lower() in self.compiled.verbs)
        )

    def _person_subject(
        self, text: str, start: int, sentence: str, people_at: dict[int, Entity]
    ) -> Attribution | None:
        """The person a sentence is about when its subject names one: "Mr Kilroy-Silk was
        still able to appear", "In January, Mr Kilroy-Silk quit" (not "Mr Blair's spokesman")."""
        rules = self.rules
        offsets = [0]
        comma = sentence.find(",")
        if 0 < comma and len(sentence[:comma].split()) <= 4:
            offsets.append(comma + 1)  # after "In January," or "However,"
        for offset in offsets:
            rest = sentence[offset:]
            # Only the first words can be the subject: the rest of the sentence stays whole.
            words = rest.split(None, _SUBJECT_LOOKAHEAD_WORDS + 4)
            kept = self._drop_openers(words)
            if not kept:
                continue
            at = start + offset + rest.find(kept[0])
            entity = people_at.get(at)
            if entity is not None:
                name, end = entity.canonical, entity.end
            elif kept[0] in rules.honorifics and len(kept) > 1 and kept[1][:1].isupper():
                name, end = self._resolve(kept[1].strip(",")), at + len(kept[0]) + 1 + len(kept[1].strip(","))
            else:
                titled = self._titled_subject(kept) or (
                    self._appositive_subject(sentence[: offset - 1], kept) if offset else None
                )
                if titled is not None:
                    return titled
                continue
            if text[end : end + 1] in ("'", "\u2019") or self.compiled.labels.get(name, "PERSON") != "PERSON":
                return None  # "Mr Blair's spokesman said": the subject is someone else.
            self.memory.people.add(name)
            return Attribution(name, self.memory.roles.get(name), None, REPORTED, PERSON)
        return None

    def _titled_subject(self, words: list[str]) -> Attribution | None:
        """A subject that names a person by post and name, whom no list knows: "Direktur
        Utama PT PAL Indonesia Kaharuddin Djenod mendapat giliran ...". "Ia" after it is
        them, though they said nothing yet."""
        run: list[str] = []
        links = self.rules.name_links | self.rules.representative_links
        ahead = words[: _SUBJECT_LOOKAHEAD_WORDS + 4]
        for i, word in enumerate(ahead):
            # "Anggota Komisi I DPR dari Fraksi Golkar Dave Laksono": a link inside the post.
            linked = word.lower() in links and i + 1 < len(ahead) and ahead[i + 1][:1].isupper()
            if " " in word or not (word[:1].isupper() or word.lower() in self.rules.role_nouns or (run and linked)):
                break  # (a word with a space in it is the rest of the sentence, unsplit)
            run.append(word.strip(","))
            if word.endswith(","):
                break
        if len(run) < 3:
            return None
        name, role = self._split_name(" ".join(run))
        if name is None or role is None or (" " not in name and run[0] not in self.rules.role_words):
            return None  # "Bupati Malang Sanusi": one name is enough after a title
        speaker = _Speaker(self._resolve(name), role, False)
        if not self._is_person(speaker) or self.compiled.labels.get(speaker.name or "", "PERSON") != "PERSON":
            return None
        return self._subject_now(speaker)

    def _subject_now(self, speaker: _Speaker) -> Attribution:
        """A person the text has just put forward by post and name: the one "Ia", "he" and
        "-nya" mean next, as if they had spoken."""
        attribution = self._named(speaker, None, REPORTED)
        self.memory.last_speaker = attribution
        return attribution

    def _appositive_subject(self, post: str, words: list[str]) -> Attribution | None:
        """ "Penasihat hukum terdakwa, Hotman Sitompul, keberatan ...": a post, then between
        commas the full name of who holds it; "-nya" and "he" after it are them."""
        role = self._role(post)
        if role is None:
            return None
        name: list[str] = []
        for word in words[:_MAX_NAME_TOKENS]:
            if not self._is_name_token(word.strip(",")):
                return None
            name.append(word.strip(","))
            if word.endswith(","):
                break
        else:
            return None  # the name must close with its comma
        if len(name) < 2:
            return None
        return self._subject_now(_Speaker(self._resolve(" ".join(name)), role, False))

    def _nearest_person(self, people: list[Entity], before: int, attribution: Attribution) -> Attribution:
        """An unattributed quote, or a "menurut dia" with no one for "dia" to be: the last
        person the text named, speaker or not."""
        named = [e for e in people if e.end <= before]
        if not named:
            return attribution
        return Attribution(
            named[-1].canonical,
            self.memory.roles.get(named[-1].canonical),
            attribution.medium,
            attribution.source,
            PERSON,
        )

    def _quote_extent(self, segments: list[Segment]) -> dict[int, tuple[int, int]]:
        """For each quote: start of its first sentence and end of its last sentence."""
        extent: dict[int, tuple[int, int]] = {}
        for segment in segments:
            if segment.quote is not None:
                key = id(segment.quote)
                start, _ = extent.get(key, (segment.start, segment.end))
                extent[key] = (start, segment.end)
        return extent

    def _quote_attribution(
        self,
        text: str,
        quote: Quote,
        extent: tuple[int, int],
        previous: Attribution | None,
    ) -> Attribution:
        start, end = extent
        around = text[start:end]
        medium = self._medium(around)
        quoting = self._quoting(text[quote.close : end]) if quote.close < end else None
        if quoting is not None:
            # '"...," the paper quoted Mr Chernin as saying.'
            speaker, medium = quoting[0], quoting[1] or medium
        else:
            speaker = self._tail_speaker(text[quote.close : end]) if quote.close < end else None
        if speaker is None and quote.open > start:
            head = text[start : quote.open]
            # 'A post shared 40,000 times on Facebook reads: "..."': the post's words.
            speaker = self._post(head)
            match = self.compiled.tail_verb_re.search(head) if self.compiled.tail_verb_re and speaker is None else None
            if match is not None:
                speaker = self.parse_subject(head[: match.start()])
        if speaker is None:
            # A quote with no verb of its own goes on from the previous quote or speaker.
            inherited = previous or self.memory.last_speaker
            if inherited is not None:
                return Attribution(
                    inherited.speaker, inherited.role, medium or inherited.medium, QUOTE, inherited.kind
                )
            return Attribution(None, None, medium, QUOTE)
        return self._named(speaker, medium, QUOTE)

    def _named(
        self,
        speaker: _Speaker,
        medium: str | None,
        source: str,
    ) -> Attribution:
        if speaker.pronoun:
            # "he" is a person, never the police; "it" is never a person; "they" may be either.
            if speaker.personal:
                referent = self.memory.last_person
            elif speaker.impersonal:
                referent = self.memory.last_impersonal
            else:
                referent = self.memory.last_speaker
            if referent is None:
                return Attribution(None, None, medium, source)
            return Attribution(referent.speaker, referent.role, medium or referent.medium, source, referent.kind)
        self._remember(speaker)
        if self._is_person(speaker) and not speaker.represents:
            # Not "Department of Health" of "a Department of Health spokesperson": the
            # person is the spokesperson, and the name is the organisation's.
            self.memory.people.add(speaker.name or "")
        role = speaker.role or self.memory.roles.get(speaker.name or "")
        return Attribution(speaker.name, role, medium, source, self._kind(speaker, role))

    def _kind(self, speaker: _Speaker, role: str | None) -> str | None:
        """What the named speaker is: a person, an organisation, a person speaking for
        the organisation named ("A BBC spokesman"), or people no one names ("Critics");
        None when no one is named."""
        if not speaker.name:
            return None
        if self._is_group(speaker.name):
            return GROUP
        if speaker.represents or (
            role and role.lower() in self.rules.representative_nouns and not self._is_person_name(speaker.name)
        ):
            return REPRESENTATIVE
        return PERSON if self._is_person(speaker) else ORGANISATION

    def _is_person_name(self, name: str) -> bool:
        return self.compiled.labels.get(name) == "PERSON" or (name in self.memory.people and self.compiled.labels.get(name) is None)


# Who said a sentence with no quote in it: the passes in order of precedence; the first
# that decides wins. The last always decides.
REPORTED_SPEECH_SIEVE: tuple[Callable[[Attributor, str, str | None], _Reported | None], ...] = (
    Attributor._by_quoting,  # "..., the paper quoted Mr Chernin as saying"
    Attributor._by_post_verdict,  # "Unggahan yang menyebut ... adalah hoaks": no one
    Attributor._by_post,  # "Unggahan akun X @petani_merdeka yang menyebut ..."
    Attributor._by_said_back,  # "Hal itu disampaikan Abdul Mu'ti ..."
    Attributor._by_agent,  # "... was confirmed by a spokeswoman for the Home Office"
    Attributor._by_source,  # "NHS England figures show", "Data BPS menunjukkan"
    Attributor._by_according_to,  # "According to the Financial Times, ..."
    Attributor._by_reporting_verb,  # "..., ujar analis Andi Wijaya"; "The plan, said Mr Smith, ..."
)


def speaker_kind_of(speaker: str, role: str | None, language: str) -> str | None:
    """What a stored speaker is, from the name and role alone: for claims extracted before
    extraction recorded it. Extraction itself knows more (how the article introduced the
    name), so this is the same decision with less to go on: a name of two or more words
    that is no organisation's is taken for a person's ("Mike Gallagher", role
    "Representative"), a single word with a spokesman's role for an organisation's."""
    if not speaker:
        return None
    walker = Attributor(compiled_rules(rules_key(language)))
    name = _Speaker(speaker, role or None, False)
    words = speaker.split()
    heads = walker.rules.organisation_heads
    if (
        len(words) > 1
        and walker.compiled.labels.get(speaker) != "ORG"
        and not any(w.lower() in heads for w in words)
        and not walker._is_group(speaker)
    ):
        walker.memory.people.add(speaker)
    return walker._kind(name, role or None)
