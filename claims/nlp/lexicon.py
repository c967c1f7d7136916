"""Per-language rule data (patterns/<lang>/*.json[l]) loaded once and compiled.

Everything language-specific lives in the JSON files; this module only turns the data
into sets and compiled regular expressions so that no pattern is rebuilt per call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

PATTERNS_DIR = Path(__file__).resolve().parent / "patterns"

# Languages with their own rule set; anything else uses the multilingual "xx" set.
RULE_LANGUAGES: tuple[str, ...] = ("id", "en")
FALLBACK_RULES = "xx"


def rules_key(language: str) -> str:
    return language if language in RULE_LANGUAGES else FALLBACK_RULES


@dataclass(frozen=True, slots=True)
class LinePatterns:
    """Patterns a line is tried against, read in at most two passes: those tied to the
    line's start as one expression tried there only, the rest as one searched through it.
    (One pass of all of them would try every position of the line.)"""

    start: re.Pattern[str] | None = None
    anywhere: re.Pattern[str] | None = None

    def search(self, line: str) -> bool:
        return (self.start is not None and self.start.match(line) is not None) or (
            self.anywhere is not None and self.anywhere.search(line) is not None
        )


def _one_pattern(patterns: list[str]) -> LinePatterns:
    anchored = [p[1:] for p in patterns if p.startswith("^")]
    loose = [p for p in patterns if not p.startswith("^")]
    return LinePatterns(
        re.compile("|".join(f"(?:{p})" for p in anchored)) if anchored else None,
        re.compile("|".join(f"(?:{p})" for p in loose)) if loose else None,
    )


def alternation(words: Iterable[str]) -> str:
    """The words as a regular-expression alternation, longest first, so that "dilansir
    dari" wins over "dilansir"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def first_letters(words: Iterable[str], *, any_case: bool = False) -> str:
    """A look-ahead for the first characters of ``words``. Put first in a pattern that
    opens with a look-behind or ``\b`` and then an alternation of the words, it lets the
    regex engine try them only where one could start, instead of at every word start
    (up to twice as fast over an article). ``any_case``: both cases, for words matched
    under ``(?i:``."""
    firsts = {w[0] for w in words if w}
    if any_case:
        firsts |= {c.lower() for c in firsts} | {c.upper() for c in firsts}
    return f"(?=[{''.join(re.escape(c) for c in sorted(firsts))}])" if firsts else ""


@dataclass(frozen=True)
class LanguageRules:
    key: str
    decimal_separator: str
    abbreviations: frozenset[str]
    # Every boilerplate pattern (and link-list header), read in at most two passes a line.
    boilerplate: LinePatterns
    dateline: re.Pattern[str]
    speech_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    pronouns: frozenset[str]
    pronoun_suffix: str
    anaphor_tails: frozenset[str]
    person_nouns: frozenset[str]
    role_words: frozenset[str]
    # Capitalised words that are never part of a person's name ("Dalam" in "Menteri Dalam
    # Negeri Tito Karnavian") but do not make a role on their own either.
    name_stop_words: frozenset[str]
    honorifics: frozenset[str]
    cues: dict[str, tuple[str, ...]]
    months: dict[str, int]
    # What joins the two ends of a range of dates besides a dash ("Januari hingga Agustus").
    date_range_links: tuple[str, ...]
    # Parts of a year: "kuartal III 2025", "the first half of 2025", "Q3 2025" -> months in
    # each part, the ordinals that count them (0: the last), and words before the year.
    date_periods: dict[str, int]
    date_period_ordinals: dict[str, int]
    date_period_links: tuple[str, ...]
    weekdays: tuple[str, ...]
    scales: dict[str, float]
    currencies: dict[str, str]
    percent_words: tuple[str, ...]
    units: tuple[str, ...]
    # Units of measure that may be glued to their number or hyphenated: "155mm", "120-mm".
    glued_units: tuple[str, ...]
    # Words that make the number after them a label, not a figure: "nomor urut 2",
    # "Perpres Nomor 12", "No. 10".
    number_labels: tuple[str, ...]
    # Compiled from the word lists above.
    according_to_re: re.Pattern[str] | None
    reporting_re: re.Pattern[str] | None
    # The same verbs, lower case, for lower-cased text (no re.I: faster).
    reporting_lower_re: re.Pattern[str] | None
    speaker_stop_re: re.Pattern[str]
    media_re: re.Pattern[str] | None
    # Phrases that name a medium only when an outlet-looking name follows ("kepada detikOto",
    # "told GMTV"), not a person ("kepada Kim Jong Un").
    weak_media: frozenset[str]
    # Words between a subject and its verb ("Tito juga menekankan"), not part of a name.
    subject_particles: frozenset[str]
    # Lower-case words that make a phrase a role ("juru bicara", "analis", "chairman").
    role_nouns: frozenset[str]
    # Words that open a sentence but are not part of its subject ("But", "By contrast",
    # "Further"); longest first, each as lower-case words.
    subject_openers: tuple[tuple[str, ...], ...] = ()
    # Words that open a sentence carrying on the statement before it ("Pasalnya",
    # "Oleh karena itu", "Misalnya"): with no speaker of its own, it is that speaker's.
    continuation_openers: tuple[tuple[str, ...], ...] = ()
    # A line that heads a list of links ("Baca juga:" alone): the headlines under it are
    # links too, not the story.
    link_list_headers: LinePatterns = LinePatterns()
    # A line after which nothing is the story: a press release's "About the company",
    # "Forward-looking statements", "Media contact:".
    trailer_headers: LinePatterns = LinePatterns()
    # A photo's credit on a line of its own ("PHOTO: ST FILE"): the short line above it
    # is the photo's caption.
    caption_credits: LinePatterns = LinePatterns()
    # An interview written as questions and answers: the label that opens a question line
    # ("Q:", "Tanya:") and one that opens an answer ("A:", "Jawab:"); an answer may also
    # open with its speaker's name ("Dzulkefly:").
    interview_question_re: re.Pattern[str] | None = None
    interview_answer_re: re.Pattern[str] | None = None
    # "detikcom mewawancarai Kapolres Sikka AKBP Moh Mukhson": who is interviewed follows.
    interview_verb_re: re.Pattern[str] | None = None
    # A comma-separated tag after a name that is no part of the subject: "Sen. Roger
    # Wicker, R-Miss., chairman of ...".
    subject_tag_re: re.Pattern[str] | None = None
    # A live blog's time before an entry ("7.45pm – ", "10.30 WIB - "): no part of it.
    line_stamp: re.Pattern[str] | None = None
    # A time of day ("7.45pm", "pukul 10.00 WIB"): no figure to check.
    clock_time_re: re.Pattern[str] | None = None
    # Short forms of offices, lower case -> the office in full: "menkeu" -> "menteri
    # keuangan". "Menkeu" later in a story is whoever the story named Menteri Keuangan.
    role_short_forms: dict[str, str] = field(default_factory=dict)
    # Words between a source noun and its publisher: "survei terbaru LSI".
    source_modifiers: frozenset[str] = frozenset()
    # Words of place names that people's names have too ("Jaya" of "Intan Jaya" and of
    # "Muslim Jaya Butar Butar"): never a reason to end a person's name.
    person_name_words: frozenset[str] = frozenset()
    # Words that qualify unnamed people: "officials familiar with ...", "sources close to".
    group_qualifiers: frozenset[str] = frozenset()
    # Verbs that report only when no figure or article follows: "he added that ...", not
    # "The economy added 275,000 jobs".
    object_verbs: frozenset[str] = frozenset()
    # The outlet speaking of itself ("hingga berita ini diturunkan"): its own sentence.
    outlet_self_references: tuple[str, ...] = ()
    # Filler nouns before an institution ("Pihak kepolisian": the police).
    subject_fillers: frozenset[str] = frozenset()
    # Lower-case institution nouns -> the name they stand for ("kepolisian" -> "Polri").
    institution_nouns: dict[str, str] = field(default_factory=dict)
    # Articles dropped from the start of a role or a subject ("a Lufthansa spokesman").
    determiners: frozenset[str] = frozenset()
    # "a minister", not "the minister": someone new, whom the text does not name.
    indefinite_determiners: frozenset[str] = frozenset()
    # People who speak for an organisation: "A BBC spokesman", "a spokesman for Dell".
    representative_nouns: frozenset[str] = frozenset()
    # The nouns of a public office ("minister", "menteri"): someone known by such a role
    # only is an official; an expert or a researcher known by role only is not.
    office_nouns: frozenset[str] = frozenset()
    # People of an organisation, only with a link to it: "economists at Capital
    # Economics", "officials at the Treasury" (not "Western officials").
    representative_groups: frozenset[str] = frozenset()
    # "and" of "The United Kingdom, France and Germany announced".
    list_conjunctions: frozenset[str] = frozenset()
    # "Professor Trudie Lang of the University of Oxford": where a person is from.
    affiliation_links: frozenset[str] = frozenset()
    # Words of a time phrase that are no time themselves: "on" Friday, "pada" Senin.
    time_links: frozenset[str] = frozenset()
    # "Our surveys found": the one speaking owns the source.
    first_person_possessives: frozenset[str] = frozenset()
    # A viral post and what it does: "Unggahan akun X ... menyebut", "A post ... claims".
    post_nouns: frozenset[str] = frozenset()
    post_verbs: frozenset[str] = frozenset()
    # "akun yang sama", "the same account": the account a post was shown from before.
    post_anaphors: frozenset[str] = frozenset()
    # "akun Facebook Bunda Sehat": the noun before an account's name.
    account_nouns: tuple[str, ...] = ()
    # "Unggahan yang menyebut ... adalah hoaks": the outlet's verdict on the post, not the
    # post's claim; verdict words and the verbs that give them.
    post_verdict_re: re.Pattern[str] | None = None
    # Where a post was shared: "on" Facebook, "di" TikTok; and the platforms.
    platform_links: frozenset[str] = frozenset()
    platforms: tuple[str, ...] = ()
    # A clause that starts after a noun: relative ("who", "yang") or causal ("because").
    relative_words: frozenset[str] = frozenset()
    causal_openers: frozenset[str] = frozenset()
    # "Ahmad (45 tahun)": the words an age in brackets may carry.
    age_units: frozenset[str] = frozenset()
    # Plural nouns for people no one names: "Critics say", "Western officials said",
    # "Sejumlah warga mengatakan". A speaker ending in one is a group, not a person.
    group_nouns: frozenset[str] = frozenset()
    # A word that is no name on its own but begins one before the given words: the "I" of
    # Balinese names ("I Made Wira Hady"), which is otherwise a Roman numeral ("Komisi I").
    name_prefixes: dict[str, frozenset[str]] = field(default_factory=dict)
    representative_links: frozenset[str] = frozenset()
    # "X is said to": a passive reporting verb has no speaker.
    passive_auxiliaries: frozenset[str] = frozenset()
    # "fair to say", "would say": a speech verb after these reports nobody's words.
    unreported_before: frozenset[str] = frozenset()
    # A role ending in one of these is the clause before the subject ("Unions oppose ... but").
    clause_conjunctions: frozenset[str] = frozenset()
    # Pronouns that stand for a person only ("he", "dia"), never for an organisation.
    personal_pronouns: frozenset[str] = frozenset()
    # Pronouns that never stand for a person ("it said"): an organisation, or no one.
    impersonal_pronouns: frozenset[str] = frozenset()
    # "I", "kami": outside a quote, the writer, who is no speaker of the article's.
    first_person_pronouns: frozenset[str] = frozenset()
    # "Tim hukum Anies-Muhaimin", "Kubu Anies": a team named after its principal speaks as
    # the team, not as the principal.
    team_nouns: frozenset[str] = frozenset()
    # An organisation's head noun comes first and its name after it ("Universitas Griffith"):
    # the name's first word, right after such a head, is the organisation's, not a person's.
    names_after_heads: bool = False
    # Lower-case words inside an organisation's name: "Forum on Global Security".
    name_links: frozenset[str] = frozenset()
    # Lower-case words inside a publisher's name before a source noun: "Office for National
    # Statistics figures show", "Data Badan Pusat Statistik dan ... menunjukkan".
    publisher_links: frozenset[str] = frozenset()
    # The conjunction inside an organisation's name after its head noun and a link: "Center
    # for Strategic and International Studies" (not "John Smith and Jane Doe").
    name_conjunctions: frozenset[str] = frozenset()
    # After the subject, before a weekday or month that is no part of it: "The Pentagon on Friday".
    weekday_links: frozenset[str] = frozenset()
    # After the subject, before a time noun: "Mr Brown last week", "this month".
    time_determiners: frozenset[str] = frozenset()
    # What an organisation publishes: "according to NHS figures" is the NHS's word.
    source_nouns: frozenset[str] = frozenset()
    # After a source noun, who made it ("estimates by the defence ministry"), and where it
    # came from when a name follows ("figures from the ONS", but not "a poll of voters").
    source_agents: frozenset[str] = frozenset()
    # What a source does: "NHS England figures show ..." is NHS England's word.
    source_verbs: frozenset[str] = frozenset()
    # The publisher's name follows the source noun ("data BPS"), not precedes it ("ONS data").
    source_name_after: bool = False
    # A one-word name the text never gives in full nor after a title ("Heineken said",
    # "according to Gartner") is an organisation's: news in this language introduces a
    # person by their full name first. Not so in Indonesian, where many go by one name.
    bare_names_are_organisations: bool = False
    source_links: frozenset[str] = frozenset()
    # Prepositions that open a circumstance before the subject ("In an interview with the
    # BBC, the minister said"): what they open is nobody's name.
    circumstance_openers: frozenset[str] = frozenset()
    # A time after a subject, before its verb: "last week", "yesterday".
    time_nouns: frozenset[str] = frozenset()
    time_adverbs: frozenset[str] = frozenset()
    # Verbs that make a phrase after "said" a statement rather than a speaker.
    clause_auxiliaries: frozenset[str] = frozenset()
    # First words of an aside between a subject and its verb ("speaking on condition of
    # anonymity", "who asked not to be named").
    aside_openers: frozenset[str] = frozenset()
    # Head nouns of organisation names, lower-case ("Greater Manchester Police", "Partai ...").
    organisation_heads: frozenset[str] = frozenset()
    # Organisations the gazetteer lacks, where the text introduces them: a lower-case noun
    # before the name ("airline Lufthansa", "perusahaan X") -> the kind it makes them; a
    # word that opens the name and is part of it ("PT Sritex"); one that ends it ("Menatep
    # Group"); and names that are no organisation's after such a noun ("perusahaan BUMN").
    organisation_descriptors: dict[str, str] = field(default_factory=dict)
    organisation_prefixes: dict[str, str] = field(default_factory=dict)
    # A unit named by its kind and its place ("Polda Papua", "Pemkab Bogor"): an
    # organisation, but "Papua" alone is never its short form (as "Sritex" is PT Sritex's).
    organisation_unit_prefixes: dict[str, str] = field(default_factory=dict)
    organisation_suffixes: dict[str, str] = field(default_factory=dict)
    organisation_not_names: frozenset[str] = frozenset()
    # "the company", "perseroan": a speaker who is the organisation of that kind ("*": any)
    # the text introduced before.
    organisation_anaphors: dict[str, str] = field(default_factory=dict)
    # Words that make a name after a weak medium phrase an outlet ("told Sky News").
    media_words: frozenset[str] = frozenset()
    # Currencies written after the amount ("8,1 miliar dolar AS", "5 million euros").
    currency_words: dict[str, str] = field(default_factory=dict)
    # Words after a hundred per cent (or more) that make it an intensifier, no figure:
    # "a 100% effort", "110 percent committed".
    percent_intensified: frozenset[str] = frozenset()
    # Numbers written in words before a scale word: "one million", "dua miliar", "sejuta"
    # ("se" is glued to its scale).
    number_words: dict[str, float] = field(default_factory=dict)
    # Military and police ranks before a name: the name's, not part of the role
    # ("Pentagon spokesman Brigadier General Pat Ryder"); each as a tuple of words.
    ranks: tuple[tuple[str, ...], ...] = ()
    # Titles whose holder is named after their region ("Bupati Langkat Syah Afandin"): the
    # first word after one is the place, even where no list knows it; lower-case word tuples.
    regional_roles: tuple[tuple[str, ...], ...] = ()
    # Words of a regional body ("Kabupaten", "BPKAD", "Polres"): the word after one is its
    # region ("Kepala BPKAD Langkat Amril"), even where no list knows it; lower case.
    regional_units: frozenset[str] = frozenset()
    # Letters after a name ("John Healey MP", "Budi Santoso, S.H., M.H."): no part of it.
    post_nominals: frozenset[str] = frozenset()
    # Lower-case words inside a person's name: "Diego Lopes da Silva", "Dwight de Leon".
    name_particles: frozenset[str] = frozenset()
    # Words before a person's initials: "tersangka AS", "berinisial RH". Initials that the
    # text gives someone are theirs wherever they recur, not the country "AS".
    initials_before: tuple[str, ...] = ()
    # Compiled from initials_before: ``initials`` are the letters after one of its words.
    initials_re: re.Pattern[str] | None = None
    # "staf PT X berinisial RS": the word that says initials follow, no part of a role.
    initials_markers: frozenset[str] = frozenset()
    # "Sumber lain", "a second source", "another official": someone other than the one with
    # that role before.
    other_words: frozenset[str] = frozenset()
    # "the paper quoted Mr Chernin as saying": who is quoted, and by what medium.
    quoting_re: re.Pattern[str] | None = None
    # "Hal itu disampaikan Abdul Mu'ti ...": what came before, and this, X said.
    said_back_re: re.Pattern[str] | None = None
    # "The figures were confirmed by a Home Office spokeswoman": ``who`` said it.
    agent_re: re.Pattern[str] | None = None

    def is_speech_verb(self, word: str) -> bool:
        return word.lower() in self.speech_verbs


def _label_re(labels: list[str]) -> re.Pattern[str] | None:
    """A line opened by one of ``labels`` and a colon ("Q: ...", "Tanya : ...")."""
    return re.compile(rf"(?:{alternation(labels)})\s*:\s+") if labels else None


def _quoting_re(verbs: list[str], links: list[str]) -> re.Pattern[str] | None:
    """ "quoted Mr Chernin as saying": ``who`` is the speaker (absent in "was quoted as saying")."""
    if not verbs or not links:
        return None
    return re.compile(
        rf"{first_letters(verbs, any_case=True)}(?<![\w-])(?:{alternation(verbs)})\s+(?:(?P<who>[^,;:\"\u201c\u201d]+?)\s+)?"
        rf"(?:{alternation(links)})(?![\w-])",
        re.I,
    )


def _said_back_re(
    references: list[str],
    verbs: list[str],
    demonstratives: list[str],
    adverbs: list[str],
    openers: list[str],
    pronoun_verbs: list[str],
    agents: list[str],
) -> re.Pattern[str] | None:
    """ "Hal itu disampaikan (oleh) X", "Kabar tersebut dibenarkan langsung oleh X" at the
    sentence's start, or "..., demikian disampaikan X." at its end: ``who`` is the speaker;
    "Hal tersebut ia katakan ...": ``pronoun``, whoever spoke last."""
    if not references or not verbs:
        return None
    # What was said, named back: a listed phrase, or a noun or two and a demonstrative.
    named_back = alternation(references)
    if demonstratives:
        named_back += rf"|[\w-]+(?:\s+[\w-]+)?\s+(?:{alternation(demonstratives)})"
    adverb = rf"(?:\s+(?:{alternation(adverbs)}))?" if adverbs else ""

    agent = rf"(?:\s+(?:{alternation(agents)}))?" if agents else ""

    def said(group: str) -> str:
        return rf"(?:{alternation(verbs)}){adverb}{agent}\s+(?P<{group}>[^,;:]+)"

    ending = rf"|.*,\s*(?:{alternation(openers)})\s+{said('who_after')}" if openers else ""
    by_pronoun = rf"|(?:{named_back})\s+(?P<pronoun>{alternation(pronoun_verbs)})(?![\w-])" if pronoun_verbs else ""
    return re.compile(rf"^(?:(?:{named_back})\s+{said('who')}{ending}{by_pronoun})", re.I)


def _agent_re(auxiliaries: list[str], verbs: list[str], agents: list[str]) -> re.Pattern[str] | None:
    """ "... was confirmed by X": ``who`` is the speaker, up to a comma or the end."""
    if not auxiliaries or not verbs or not agents:
        return None
    return re.compile(
        rf"{first_letters(auxiliaries, any_case=True)}(?<![\w-])(?:{alternation(auxiliaries)})\s+(?:{alternation(verbs)})\s+"
        rf"(?:{alternation(agents)})\s+(?P<who>[^,;:\"\u201c\u201d]+)",
        re.I,
    )


# The rules file's optional word lists that are matched lower-cased, and its yes/no
# settings: each is read by its field's name.
_LOWER_SETS = (
    "group_qualifiers",
    "relative_words",
    "causal_openers",
    "post_anaphors",
    "platform_links",
    "age_units",
    "post_nouns",
    "post_verbs",
    "time_links",
    "first_person_possessives",
    "affiliation_links",
    "list_conjunctions",
    "representative_groups",
    "source_modifiers",
    "object_verbs",
    "subject_fillers",
    "determiners",
    "indefinite_determiners",
    "representative_nouns",
    "office_nouns",
    "group_nouns",
    "representative_links",
    "passive_auxiliaries",
    "unreported_before",
    "clause_conjunctions",
    "personal_pronouns",
    "impersonal_pronouns",
    "first_person_pronouns",
    "team_nouns",
    "name_links",
    "publisher_links",
    "name_conjunctions",
    "weekday_links",
    "time_determiners",
    "source_nouns",
    "source_agents",
    "source_verbs",
    "source_links",
    "circumstance_openers",
    "time_nouns",
    "time_adverbs",
    "clause_auxiliaries",
    "aside_openers",
    "organisation_heads",
    "regional_units",
    "other_words",
)
_FLAGS = ("names_after_heads", "source_name_after", "bare_names_are_organisations")


def _lower_set(data: dict[str, Any], name: str) -> frozenset[str]:
    """An optional word list of the rules file, lower-cased (absent: empty)."""
    return frozenset(w.lower() for w in data.get(name, []))


def _cues(data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """lexicon.json's cue lists, with "a 100% effort" and its kin (percent_intensified)
    cancelling the quantity cue of their per cent sign."""
    cues = {name: tuple(words) for name, words in data["cues"].items()}
    intensified = data.get("percent_intensified", [])
    if intensified:
        cues["not_quantity"] = cues.get("not_quantity", ()) + tuple(
            f"{number}{'' if sign == '%' else ' '}{sign} {word}"
            for number in ("100", "110") for sign in data["percent_words"] for word in intensified
        )
    return cues


def _compile_rules(key: str, data: dict[str, Any]) -> LanguageRules:
    according = data["according_to"]
    reporting = data["reporting_verbs"]
    stops = data["speaker_stop"]
    media = data["media"]
    channels = sorted(data.get("medium_channels", []), key=len, reverse=True)
    stop_parts = [r"\s*[;:]", r"\s+[-\u2013\u2014]"]
    if stops:
        # "kepadadetikSulsel": a glued stop word still ends the speaker's name.
        glued = [w for w in stops if w in data.get("glued_speaker_stops", [])]
        stop_parts.append(rf"\s+(?:{alternation(stops)})\b")
        stop_parts.extend(rf"\s+{re.escape(w)}(?=[a-z])" for w in glued)
    return LanguageRules(
        **{name: _lower_set(data, name) for name in _LOWER_SETS},
        **{name: bool(data.get(name, False)) for name in _FLAGS},
        weak_media=frozenset(data["weak_media"]),
        media_words=frozenset(data.get("media_words", [])),
        subject_particles=frozenset(data["subject_particles"]),
        # A short form of an office is a role noun too ("Menkeu menjelaskan").
        role_nouns=frozenset(data["role_nouns"]) | {k.lower() for k in data.get("role_short_forms", {})},
        role_short_forms={k.lower(): v.lower() for k, v in data.get("role_short_forms", {}).items()},
        subject_openers=tuple(
            tuple(w.lower().split()) for w in sorted(data.get("subject_openers", []), key=len, reverse=True)
        ),
        person_name_words=frozenset(data.get("person_name_words", [])),
        continuation_openers=tuple(tuple(w.lower().split()) for w in data.get("continuation_openers", [])),
        outlet_self_references=tuple(w.lower() for w in data.get("outlet_self_references", [])),
        institution_nouns=dict(data.get("institution_nouns", {})),
        name_prefixes={k: frozenset(v) for k, v in data.get("name_prefixes", {}).items()},
        ranks=tuple(tuple(r.split()) for r in sorted(data.get("ranks", []), key=lambda r: -len(r.split()))),
        post_nominals=frozenset(data.get("post_nominals", [])),
        name_particles=frozenset(data.get("name_particles", [])),
        initials_before=tuple(data.get("initials_before", [])),
        initials_re=(
            re.compile(
                rf"{first_letters(data['initials_before'], any_case=True)}(?<![\w-])"
                rf"(?i:{alternation(data['initials_before'])})\s+(?P<initials>[A-Z]{{2,4}})\b"
            )
            if data.get("initials_before")
            else None
        ),
        initials_markers=frozenset(data.get("initials_markers", [])),
        regional_roles=tuple(tuple(r.lower().split()) for r in data.get("regional_roles", [])),
        organisation_descriptors={k.lower(): v for k, v in data.get("organisation_descriptors", {}).items()},
        organisation_prefixes=dict(data.get("organisation_prefixes", {})),
        organisation_unit_prefixes=dict(data.get("organisation_unit_prefixes", {})),
        organisation_suffixes=dict(data.get("organisation_suffixes", {})),
        organisation_not_names=frozenset(data.get("organisation_not_names", [])),
        organisation_anaphors={k.lower(): v for k, v in data.get("organisation_anaphors", {}).items()},
        quoting_re=_quoting_re(data.get("quoting_verbs", []), data.get("quoting_links", [])),
        said_back_re=_said_back_re(
            data.get("said_back_references", []),
            data.get("said_back_verbs", []),
            data.get("said_back_demonstratives", []),
            data.get("said_back_adverbs", []),
            data.get("said_after_openers", []),
            data.get("said_back_pronoun_verbs", []),
            data.get("said_back_agents", []),
        ),
        agent_re=_agent_re(
            data.get("passive_auxiliaries", []), data.get("agent_verbs", []), data.get("source_agents", [])
        ),
        key=key,
        decimal_separator=data["decimal_separator"],
        abbreviations=frozenset(data["abbreviations"]),
        boilerplate=_one_pattern([*data["boilerplate"], *data.get("link_list_headers", [])]),
        link_list_headers=_one_pattern(data.get("link_list_headers", [])),
        trailer_headers=_one_pattern(data.get("trailer_headers", [])),
        caption_credits=_one_pattern(data.get("caption_credits", [])),
        interview_question_re=_label_re(data.get("interview_question_labels", [])),
        interview_answer_re=_label_re(data.get("interview_answer_labels", [])),
        subject_tag_re=re.compile("|".join(data["subject_tags"])) if data.get("subject_tags") else None,
        account_nouns=tuple(data.get("account_nouns", [])),
        post_verdict_re=(
            re.compile(
                rf"{first_letters(data['verdict_copulas'], any_case=True)}"
                rf"\b(?:{alternation(data['verdict_copulas'])})\s+(?:{alternation(data['post_verdicts'])})\b",
                re.I,
            )
            if data.get("post_verdicts") and data.get("verdict_copulas")
            else None
        ),
        line_stamp=re.compile(data["line_stamp"]) if data.get("line_stamp") else None,
        clock_time_re=re.compile(data["clock_time"]) if data.get("clock_time") else None,
        interview_verb_re=(
            re.compile(rf"(?<![\w-])(?:{alternation(data['interview_verbs'])})\s+", re.I)
            if data.get("interview_verbs")
            else None
        ),
        platforms=tuple(data.get("platforms", [])),
        dateline=re.compile(data["dateline"]),
        speech_verbs=frozenset(w.lower() for w in data["speech_verbs"]),
        reporting_verbs=frozenset(w.lower() for w in reporting),
        pronouns=frozenset(w.lower() for w in data["pronouns"]),
        pronoun_suffix=data["pronoun_suffix"],
        anaphor_tails=frozenset(data["anaphor_tails"]),
        person_nouns=frozenset(data["person_nouns"]),
        role_words=frozenset(data["role_words"]),
        name_stop_words=frozenset(data["name_stop_words"]),
        # "Prof. Dr." as well as "Prof Dr".
        honorifics=frozenset(data["honorifics"]) | {f"{h}." for h in data["honorifics"]},
        cues=_cues(data),
        months=dict(data["months"]),
        date_range_links=tuple(data.get("date_range_links", [])),
        date_periods=dict(data.get("date_periods", {})),
        date_period_ordinals=dict(data.get("date_period_ordinals", {})),
        date_period_links=tuple(data.get("date_period_links", [])),
        weekdays=tuple(data["weekdays"]),
        scales=dict(data["scales"]),
        currencies=dict(data["currencies"]),
        currency_words=dict(data.get("currency_words", {})),
        number_words={k.lower(): float(v) for k, v in data.get("number_words", {}).items()},
        percent_words=tuple(data["percent_words"]),
        percent_intensified=frozenset(w.lower() for w in data.get("percent_intensified", [])),
        units=tuple(data["units"]),
        glued_units=tuple(data.get("glued_units", ())),
        number_labels=tuple(data.get("number_labels", ())),
        according_to_re=(
            # Up to the sentence's end, past the points of "U.S." and "U.K.".
            re.compile(
                rf"{first_letters(according, any_case=True)}\b(?:{alternation(according)})(?:(?P<nya>nya)\b|\s+(?P<who>(?:[^.;]|(?<=\b[A-Z])\.(?=[A-Z]\.|\s[a-z]))+))",
                re.I,
            )
            if according
            else None
        ),
        reporting_re=(
            re.compile(rf"(?<![\w-])(?:{alternation(reporting)})(?![\w-])", re.I) if reporting else None
        ),
        reporting_lower_re=(
            # With the look-behind first, a hundred verbs are tried at word starts only: over
            # the English stories 2.3 times faster than without it (the engine's skipping to
            # the verbs' first letters skips little once they start with most letters), over
            # the Indonesian ones 10 % slower.
            re.compile(rf"(?<![\w-])(?:{alternation([w.lower() for w in reporting])})(?![\w-])")
            if reporting
            else None
        ),
        speaker_stop_re=re.compile("|".join(stop_parts)),
        media_re=(
            re.compile(
                rf"{first_letters(media, any_case=True)}\b(?P<via>(?i:{alternation(media)}))\s*(?:the\s+)?"
                # "dikutip dari laman resmi WHO": where on the medium it was read.
                + (rf"(?:(?:{alternation(channels)})\s+)?" if channels else "")
                + r"(?P<medium>(?:detik[A-Za-z]*)|[A-Z][\w.&'-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w.&'-]*){0,3})"
            )
            if media
            else None
        ),
    )


@cache
def language_rules(key: str) -> LanguageRules:
    path = PATTERNS_DIR / key / "lexicon.json"
    with path.open(encoding="utf-8") as fh:
        return _compile_rules(key, json.load(fh))


@dataclass(frozen=True)
class GazetteerEntry:
    canonical: str
    label: str
    aliases: tuple[str, ...]


@cache
def _gazetteer_file(lang: str) -> tuple[GazetteerEntry, ...]:
    entries: list[GazetteerEntry] = []
    with (PATTERNS_DIR / lang / "gazetteer.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                entries.append(GazetteerEntry(row["canonical"], row["label"], tuple(row["aliases"])))
    return tuple(entries)


@cache
def gazetteer(key: str) -> tuple[GazetteerEntry, ...]:
    """Alias lists for the language; the fallback set uses every language's entries.

    People are named alike in every language, so a language also gets the people the
    others' lists know (an English story on Indonesia's election names Anies Baswedan),
    unless its own list already has the name; and so are organisations' acronyms of three
    letters or more ("KPU", "TNI" in an English story). Places and organisations' other
    names are not shared: they are words of the language ("Rusia", "Bank Dunia").
    """
    if key == FALLBACK_RULES:
        return tuple(entry for lang in RULE_LANGUAGES for entry in _gazetteer_file(lang))
    own = _gazetteer_file(key)
    known = {alias for entry in own for alias in entry.aliases} | {entry.canonical for entry in own}
    borrowed: list[GazetteerEntry] = []
    for lang in RULE_LANGUAGES:
        if lang == key:
            continue
        for entry in _gazetteer_file(lang):
            if entry.canonical in known or known & set(entry.aliases):
                continue
            if entry.label == "PERSON":
                borrowed.append(entry)
            elif entry.label == "ORG":
                acronyms = tuple(a for a in entry.aliases if len(a) >= 3 and a.isupper() and a.isalpha())
                if acronyms:
                    borrowed.append(GazetteerEntry(entry.canonical, entry.label, acronyms))
    return own + tuple(borrowed)


@cache
def alias_index(key: str) -> dict[str, GazetteerEntry]:
    """Alias text -> entry, for resolving a speaker's name found by attribution."""
    return {alias: entry for entry in gazetteer(key) for alias in entry.aliases}


@lru_cache(maxsize=1)
def scoring_weights() -> dict[str, Any]:
    with (PATTERNS_DIR / "scoring.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def stopword_lists() -> dict[str, frozenset[str]]:
    with (PATTERNS_DIR / "languages.json").open(encoding="utf-8") as fh:
        return {lang: frozenset(words) for lang, words in json.load(fh).items()}
