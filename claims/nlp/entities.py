"""Named entities from the alias gazetteer, and numbers, money, percentages and dates.

Names come from spaCy's SpanRuler, its patterns the gazetteer's aliases (patterns/<lang>/
gazetteer.jsonl) with the canonical name as the pattern's ``id``, matched on exact token
text (case matters: "AS" is the United States, "as" is not); numbers and dates from regular expressions over the text, because
tokenisation of "Rp100", "12/9/2023" or "$1.13bn" differs between languages.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal, InvalidOperation

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .doctext import doc_text
from .lexicon import LanguageRules, alternation, first_letters, gazetteer
from .types import Entity

_NUM = r"\d+(?:[.,]\d+)*"
# A percentage's number from its first digit, never from inside a number ("12,5%" is
# read once, not again from its "2" and its "5"): the engine skips to where it can start.
_PERCENT_NUM = r"\d(?<![\d.,]\d)\d*(?:[.,]\d+)*"
# _NUM not glued to a word, a dot, a comma or a slash before it. The check comes after the
# first digit, not before it, so that the pattern starts with a digit: Python's regex
# engine then skips ahead to the next digit instead of trying the pattern at every
# character, a third of the time over a whole article.
_FREE_NUM = r"\d(?<![\w.,/]\d)\d*(?:[.,]\d+)*"
# A model or strain designation's letters and hyphen, right before its number.
_DESIGNATION_BEFORE = re.compile(r"(?<![\w-])[A-Z][A-Za-z]{0,5}-$")
# The year a short year range starts from: the "2019-" of "2019-23", "2029-30".
_RANGE_YEAR_BEFORE = re.compile(r"(?<!\d)(?:19|20)\d\d[-\u2013/]$")
# A model with a numbered variant: "Mirage 2000-5", "Boeing 737-800", "A330-200".
# Found from its digits (the engine skips ahead to a digit), the name looked for behind.
_MODEL_NUMBER = re.compile(r"\d(?<![\w-]\d)\d*-(?:\d+|[A-Z]\w*)(?![\w-])")
_MODEL_NAME_BEFORE = re.compile(r"(?<![\w-])([A-Z][A-Za-z]*)\s?$")
_MODEL_NAME_REACH = 24
# A telephone number ("+62 811 1516 7791", "(021) 3840-7777"): no figure to check.
_PHONE_RE = re.compile(r"\+\d{1,3}(?:[\s.-]?\d{2,5}){2,5}(?!\d)|\(0\d{1,3}\)\s?\d{3,4}[\s.-]?\d{3,5}(?!\d)")
# "2025-2027", "2019-23": a range of years, not a model's number.
_YEAR_RANGE_RE = re.compile(r"(19|20)\d\d[-\u2013](?:(?:19|20)\d\d|\d\d)")
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC"})
_NAME_BEFORE_AGE_RE = re.compile(r"[A-Z][\w'-]*\s*\($")
_PLACE_LABELS = frozenset({"GPE", "LOC"})
# Stronger readings first: a date is not also a number, money is not also a quantity.
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
# How far behind a date its range's start may stand ("September sampai dengan ").
_RANGE_REACH = 30
_PRIORITY = {"DATE": 0, "MONEY": 1, "PERCENT": 2, "QUANTITY": 3}
# The smallest number in words that counts something worth checking ("dua orang"), not
# "one" or "satu".
_LEAST_COUNTED = 2
# How many capitalised words before a name may still be its role ("Kepala Staf Angkatan
# Darat").
_MAX_ROLE_RUN = 6
# How far behind "(20/10)" a weekday ("Senin, ") may start.
_WEEKDAY_REACH = 24


def _decimal(number: str, decimal_separator: str) -> Decimal | None:
    thousands = "." if decimal_separator == "," else ","
    parts = number.split(thousands)
    # "1.743" in Indonesian is a thousand and more; "1.5" with one group of one or two
    # digits after the mark is still read as written in the language's convention.
    cleaned = "".join(parts) if all(len(p) == 3 for p in parts[1:]) else number
    cleaned = cleaned.replace(thousands, "").replace(decimal_separator, ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


class Stretches:
    """Stretches of text taken so far, in text order: whether another would overlap one.

    An overlap can only be with a neighbour of where the new stretch would go, so a text of
    thousands of numbers or names is checked in log time per stretch, not by a scan.
    """

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        ordered = sorted(spans or ())
        self.starts = [start for start, _ in ordered]
        self.ends = [end for _, end in ordered]

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect.bisect_right(self.starts, start)
        return (at > 0 and self.ends[at - 1] > start) or (at < len(self.starts) and self.starts[at] < end)

    def add(self, start: int, end: int) -> None:
        at = bisect.bisect_right(self.starts, start)
        self.starts.insert(at, start)
        self.ends.insert(at, end)


def starts_word(text: str, at: int) -> bool:
    r"""Whether a word starts at ``at``: no letter, digit, underscore or hyphen before it
    (what a regular expression's ``(?<![\w-])`` checks)."""
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_-")


def initials_in(text: str, rules: LanguageRules) -> frozenset[str]:
    """The initials the text gives people: "tersangka AS", "berinisial RH"."""
    if rules.initials_re is None:
        return frozenset()
    return frozenset(m.group("initials") for m in rules.initials_re.finditer(text))


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


# Where the gazetteer's matches are put: doc.spans[GAZETTEER_SPANS].
GAZETTEER_SPANS = "gazetteer"


def gazetteer_ruler(nlp: Language, key: str) -> tuple[SpanRuler, dict[tuple[str, str], int]]:
    """A SpanRuler over the language's gazetteer: one phrase pattern per alias, its label
    the entity's and its ``id`` the canonical name; and each (label, canonical)'s place in
    the gazetteer, the later entry winning where two give one alias (the fallback's lists
    give "Jakarta" to the city and to Indonesia: Indonesia, as the matcher read it before)."""
    ruler = SpanRuler(nlp, "gazetteer", spans_key=GAZETTEER_SPANS, phrase_matcher_attr="ORTH", overwrite=True)
    entries = gazetteer(key)
    # The aliases are tokenised alone, not run through the pipeline's other components.
    with nlp.select_pipes(disable=nlp.pipe_names):
        ruler.add_patterns(
            [{"label": entry.label, "pattern": alias, "id": entry.canonical} for entry in entries for alias in entry.aliases]
        )
    rank = {(entry.label, entry.canonical): at for at, entry in enumerate(entries)}
    return ruler, rank


class EntityFinder:
    """Built once per pipeline: the gazetteer's SpanRuler and the regular expressions."""

    def __init__(self, nlp: Language, rules: LanguageRules) -> None:
        self.rules = rules
        self.ruler, self._rank = gazetteer_ruler(nlp, rules.key)
        vocab = nlp.vocab
        # "enam tersangka", "six tanks": a number in one word before a counted unit. Not
        # "one" or "satu" ("one of", "salah satu"): no figure to check.
        counts = {w: v for w, v in rules.number_words.items() if " " not in w and v >= _LEAST_COUNTED}
        self._count_words = {vocab.strings.add(w.lower()): v for w, v in counts.items()}
        self._unit_hashes = frozenset(vocab.strings.add(u.lower()) for u in rules.units if " " not in u)
        self._two_word_units = frozenset(u.lower() for u in rules.units if len(u.split()) == 2)
        self._organisation_res = self._organisation_patterns(rules)
        # Words that open sentences, capitalised there, and are nobody's first name.
        self._sentence_words = (
            rules.determiners
            | rules.clause_conjunctions
            | rules.list_conjunctions
            | rules.time_adverbs
            | rules.time_nouns
            | rules.personal_pronouns
            | rules.impersonal_pronouns
            | rules.first_person_pronouns
            | rules.circumstance_openers
            | {opener[0] for opener in rules.subject_openers}
            | {w.lower() for w in rules.weekdays}
            | set(rules.months)
        )
        # A person's age in brackets right after a name: "Ahmad (45)", "AS (27 tahun)".
        ages = rf"(?:\s*(?:{alternation(rules.age_units)}))?" if rules.age_units else ""
        self._age_after = re.compile(rf"\s*\(\d{{1,3}}{ages}\)")
        self._full_slash_date = re.compile(r"\(\d{1,2}/\d{1,2}/(\d{4})\)")
        months = alternation(list(rules.months)) or r"(?!x)x"
        weekdays = alternation(rules.weekdays) or r"(?!x)x"
        scales = alternation(list(rules.scales))
        currencies = alternation(list(rules.currencies))
        percent = alternation(rules.percent_words)
        units = alternation(rules.units) or r"(?!x)x"
        glued = alternation(rules.glued_units) or r"(?!x)x"
        self._intensified_after = (
            re.compile(rf"[\"'”’]?\s+[\"'“‘]?(?:{alternation(sorted(rules.percent_intensified))})(?![^\W\d_])", re.I)
            if rules.percent_intensified
            else None
        )
        self._label_before = (
            re.compile(rf"(?<![\w-])(?:{alternation(list(rules.number_labels))})\s*$", re.I)
            if rules.number_labels
            else None
        )
        # "$15-billion" as well as "$15 billion" and "$15bn".
        scale_part = rf"(?:[\s-]?(?P<scale>{scales})\b)?" if scales else ""
        # The weekday before "(20/10)" is looked for behind a match, and month names only
        # where a word starts with one of their first letters: an alternation of names
        # tried at every position of the text was most of the extractor's regex time.
        self._weekday_before = re.compile(rf"\b(?:{weekdays}),?\s*$")
        # "Januari-Agustus 2025", "14-16 Agustus", "January to August 2025": the range's
        # start, looked for just behind a date that ends one.
        range_links = alternation(rules.date_range_links) or r"(?!x)x"
        links = rf"|\s+(?:{range_links})\s+"
        self._period_before = self._period_re(rules)
        self._number_range_before = re.compile(rf"(?<![\w.,])(?P<low>{_NUM})(?:\s*[-\u2013]\s*{links})$")
        self._years_after = re.compile(
            rf"(?:\s*[-\u2013]\s*(?:(?P<y>(?:19|20)\d\d)|(?P<yy>\d\d)){links}(?P<y_word>(?:19|20)\d\d))(?![\w.,%])"
        )
        self._range_start_before = re.compile(
            rf"(?:\b(?P<mon>{months})\.?|(?<![\w.,/])(?P<d>\d{{1,2}}))(?:\s*[-\u2013]\s*{links})$", re.I
        )
        month_start = rf"(?=[{re.escape(''.join(sorted({m[0].lower() for m in rules.months})))}])" if rules.months else ""
        self.patterns: tuple[tuple[str, re.Pattern[str]], ...] = (
            (
                "date_slash",
                # From its first digit (the engine skips ahead to a digit); the brackets
                # of "Senin (20/10)" are taken in after the match.
                re.compile(
                    r"(?P<d>\d(?<!\d\d)\d?)/(?P<m>\d{1,2})"
                    r"(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])"
                ),
            ),
            (
                "date_dmy",
                re.compile(
                    rf"(?P<d>\d(?<!\w\d)\d?)\s+(?P<mon>{months})\.?(?:,?\s+(?P<y>\d{{4}}))?\b",
                    re.I,
                ),
            ),
            (
                # "March 14, 2024" and "March 2024" in one pass over the month names: a pass
                # each cost as much as all the number patterns together.
                "date_month",
                re.compile(
                    rf"\b{month_start}(?P<mon>{months})(?:\.?\s+(?:(?P<d0>\d{{1,2}})\s*[-\u2013]\s*)?"
                    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"
                    # "November 25", "Tuesday, May 20,": a day without its year, not the
                    # figure 25 (nor "May 20,000", "May 20%").
                    rf"|\.?\s+(?P<dn>\d{{1,2}})(?:st|nd|rd|th)?(?!\d|[.,:/]\d|[%-]|\s*(?:{percent})(?![^\W\d_]))"
                    rf"|\.?\s+(?P<year>(?:19|20)\d\d)\b)",
                    re.I,
                ),
            ),
            ("date_y", re.compile(r"(?P<y>(?:19|20)(?<![\w.,/]..)\d\d)(?![\w/%]|[.,]\d)")),
            (
                "money",
                re.compile(
                    rf"(?P<cur>{currencies})\s?(?P<num>{_NUM}){scale_part}" if currencies else r"(?!x)x"
                ),
            ),
            (
                "money_after",
                re.compile(
                    rf"(?P<num>{_FREE_NUM}){scale_part}\s+(?P<word>{alternation(list(rules.currency_words))})(?![\w-])"
                    if rules.currency_words
                    else r"(?!x)x"
                ),
            ),
            # Not "3 percentage points", "4pcs": a letter right after is another word.
            ("percent", re.compile(rf"(?P<num>{_PERCENT_NUM})\s?(?:{percent})(?![^\W\d_])")),
            (
                "quantity",
                re.compile(
                    rf"(?P<num>{_FREE_NUM}){scale_part}"
                    rf"(?:[\s-]?(?P<glued>{glued})(?![\w/])|\s+(?P<unit>{units})\b)?"
                    r"(?![\w/])"
                ),
            ),
        )
        self._number_word_res()

    def _number_word_res(self) -> None:
        """ "one million shells", "two billion dollars", "satu juta", "sejuta": a number in
        words before a spelled-out scale (a lone "two" is no figure to check). The scale is
        looked for first, and the words only just before it: an alternation of number words
        tried at every character cost more than all the digit patterns together."""
        rules = self.rules
        scale_words = {w for w in rules.scales if len(w) > 2}
        scale_words |= {w.capitalize() for w in scale_words}
        numbers = [w for w in rules.number_words if w != "se"]
        self._scale_re = re.compile(rf"(?P<scale>{alternation(sorted(scale_words))})(?![\w-])") if (
            scale_words and rules.number_words
        ) else None
        self._words_before_re = re.compile(rf"(?<![\w-])(?:{alternation(numbers)})\s+$", re.I) if numbers else None
        self._currency_after_re = re.compile(
            rf"\s+(?P<word>{alternation(list(rules.currency_words))})(?![\w-])", re.I
        ) if rules.currency_words else None
        self._scales_lower = {k.lower(): v for k, v in rules.scales.items()}
        self._currency_lower = {k.lower(): v for k, v in rules.currency_words.items()}

    def _number_words(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, label, value) of each number written in words with its scale."""
        if self._scale_re is None:
            return []
        rules = self.rules
        found = []
        for match in self._scale_re.finditer(text):
            at = match.start()
            before = self._words_before_re.search(text, max(0, at - 24), at) if self._words_before_re else None
            if before is not None:
                start, words = before.start(), " ".join(before.group().split()).lower()
            elif "se" in rules.number_words and text[max(0, at - 2) : at].lower() == "se" and starts_word(text, at - 2):
                start, words = at - 2, "se"  # "sejuta": se- is glued to its scale
            else:
                continue
            value = Decimal(str(rules.number_words[words])) * Decimal(str(self._scales_lower[match.group("scale").lower()]))
            end = match.end()
            currency = self._currency_after_re.match(text, end) if self._currency_after_re else None
            if currency is not None:
                found.append((start, currency.end(), "MONEY", f"{_plain(value)} {self._currency_lower[currency.group('word').lower()]}"))
            else:
                found.append((start, end, "QUANTITY", _plain(value)))
        return found

    def find(self, doc: Doc, initials: frozenset[str] | None = None) -> list[Entity]:
        """``initials``: the text's (``initials_in``), when the caller has them already."""
        text = doc_text(doc)
        found: list[Entity] = []
        # The ruler's own spans, as it puts them in doc.spans (reading them back from the
        # SpanGroup would build every Span again).
        matches = self.ruler.match(doc)
        self.ruler.set_annotations(doc, matches)
        # One alias of two entries: the later entry's reading.
        chosen: dict[tuple[int, int], Span] = {}
        rank = self._rank
        for span in matches:
            held = chosen.get((span.start, span.end))
            if held is None or rank[(span.label_, span.id_)] > rank[(held.label_, held.id_)]:
                chosen[(span.start, span.end)] = span
        # Overlapping aliases ("Departemen Luar Negeri AS" and "AS"): the longest wins.
        spans = filter_spans(list(chosen.values()))
        covered = {i for span in spans for i in range(span.start, span.end)}
        # "tersangka AS (42)" and later "AS mengaku ...": a suspect's initials, not a country.
        if initials is None:
            initials = initials_in(text, self.rules)
        for span in spans:
            canonical, label = span.id_, span.label_
            if label == "PERSON" and self._longer_name_before(doc, span.start, covered):
                continue  # "Ignatius Benny Ady Prabowo" is not Prabowo Subianto
            if label in _PLACE_LABELS and (self._age_after.match(text, span.end_char) or span.text in initials):
                continue  # "berinisial RH (34), AS (27)": a suspect's initials and age
            if label in _PLACE_LABELS and self._first_name(doc, span.start, span.end, covered):
                continue  # "Virginia Giuffre", "Georgia Meloni": a person, not a state
            found.append(Entity(span.text, canonical, label, span.start_char, span.end_char))
        organisations, places_inside = self._organisations(text, found)
        if places_inside:
            # "UK Health Security Agency": the organisation, not the country in its name.
            found = [e for e in found if (e.start, e.end) not in places_inside]
        found.extend(organisations)
        numbers = self._numbers_and_dates(text, self._counted(doc))
        money = [(e.start, e.end) for e in numbers if e.label == "MONEY"]
        if money:
            # "8,1 miliar dolar AS", "A$458m": the currency's country is no actor.
            starts = [start for start, _ in money]
            found = [e for e in found if not _inside(e, money, starts)]
        found.extend(numbers)
        found.sort(key=lambda e: (e.start, -e.end))
        return found

    def _first_name(self, doc: Doc, start: int, end: int, covered: set[int]) -> bool:
        """The place's one word is also a first name, and a name follows it."""
        if end - start != 1 or doc[start].text not in self.rules.person_name_words or end >= len(doc):
            return False
        after = doc[end]
        return (
            after.is_alpha
            and after.text[:1].isupper()
            and not after.is_upper
            and after.i not in covered
            and "\n" not in doc[start].whitespace_
            and after.text not in self.rules.role_words
            and after.text.lower() not in self.rules.organisation_heads
            and after.text not in self.rules.organisation_suffixes
        )

    def _longer_name_before(self, doc: Doc, start: int, covered: set[int]) -> bool:
        """The word before a known person's name is another word of a name, so the name is
        someone else's that ends the same way: a capitalised word (not all capitals) in the
        middle of a sentence, and no title, role or other known name."""
        if start < 1:
            return False
        before = doc[start - 1]
        word = before.text
        rules = self.rules
        earlier = doc[start - 2] if start > 1 else None
        in_sentence = earlier is not None and earlier.is_alpha and "\n" not in earlier.whitespace_
        if not in_sentence and (
            start + 1 >= len(doc) or doc[start + 1].text != "," or word.lower() in self._sentence_words
        ):
            # The first word of a sentence or headline is capitalised whatever it is: it
            # is a first name only where the sentence goes on to say who they are
            # ("Douglas Bush, the Army's ..."), and not a word that opens sentences
            # ("Yesterday Bush said", "Pertemuan Putin dan Kim").
            return False
        return (
            word[:1].isupper()
            and not word.isupper()
            and before.i not in covered
            and word not in rules.role_words
            and word not in rules.honorifics
            and word not in rules.name_stop_words
            and not any(word in rank for rank in rules.ranks)
            and not self._in_role(doc, start - 1)
        )

    def _in_role(self, doc: Doc, last: int) -> bool:
        """The capitalised words ending at ``last`` are a role: "Menteri Pertahanan"
        (Sjafrie Sjamsoeddin), "Kepala Staf Angkatan Darat" (Maruli Simanjuntak)."""
        rules = self.rules
        for i in range(last, max(-1, last - _MAX_ROLE_RUN), -1):
            word = doc[i].text
            if not word[:1].isupper():
                return False
            if word in rules.role_words or word.lower() in rules.role_nouns:
                return True
        return False

    @staticmethod
    def _organisation_patterns(rules: LanguageRules) -> tuple[re.Pattern[str], ...]:
        # A name: capitalised words (or "&"), the last not a possessive.
        word = r"[A-Z][\w&.\u2019'-]*(?<![.'\u2019])"
        name = rf"{word}(?:\s+(?:{word}|&)){{0,5}}"
        patterns = []
        if rules.organisation_descriptors:
            patterns.append(
                rf"{first_letters(rules.organisation_descriptors)}(?<![\w-])"
                rf"(?P<kind>{alternation(list(rules.organisation_descriptors))})\s+(?P<name>{name})"
            )
        if rules.organisation_prefixes:
            patterns.append(
                rf"{first_letters(rules.organisation_prefixes)}(?<![\w-])"
                rf"(?P<name>(?P<kind>{alternation(list(rules.organisation_prefixes))})\s+{name})"
            )
        if rules.organisation_unit_prefixes:
            # A unit's number and its name after a slash: "Kodam XVII/Cenderawasih",
            # "Kodim 1705/Nabire", and the plain "Polda Papua".
            numbered = rf"(?:(?:[IVXLC]+|\d+)/{word}|{word})(?:\s+(?:{word}|&)){{0,5}}"
            units = alternation(list(rules.organisation_unit_prefixes))
            patterns.append(
                rf"{first_letters(rules.organisation_unit_prefixes)}(?<![\w-])(?P<name>(?P<kind>{units})\s+{numbered})"
            )
        if rules.organisation_suffixes:
            # "National Research and Innovation Agency": "and" may join words before the head.
            conjunctions = alternation(list(rules.list_conjunctions))
            joined = rf"{word}(?:\s+(?:{word}|&|{conjunctions})){{0,6}}"
            # A public body's head may take what it is of: "Texas Department of Health and
            # Human Services", "Monetary Authority of Singapore"; a company's may not.
            bodies = [k for k, kind in rules.organisation_suffixes.items() if kind != "company"]
            of = (
                rf"(?P<tail>\s+(?:{alternation(list(rules.name_links))})(?:\s+the)?\s+{word}"
                rf"(?:\s+(?:{word}|&|(?:{conjunctions})(?=\s+[A-Z]))){{0,4}})?"
                if rules.name_links and bodies
                else ""
            )
            patterns.append(rf"(?P<name>{joined}\s+(?P<kind>{alternation(list(rules.organisation_suffixes))})){of}(?![\w-])")
        return tuple(re.compile(p) for p in patterns)

    def _organisations(
        self, text: str, names: list[Entity]
    ) -> tuple[list[Entity], set[tuple[int, int]]]:
        """ORG entities for the organisations the gazetteer lacks, where the text introduces
        them ("German airline Lufthansa", "PT Sritex", "the Menatep Group"), and at each of
        their later mentions ("Lufthansa said", "Sritex"), with the (start, end) of the
        places found already inside them ("UK" in "UK Health Security Agency"). Never over
        any other name found already."""
        rules = self.rules
        known = [e for e in names if e.label not in _PLACE_LABELS]
        taken = Stretches([(e.start, e.end) for e in known])
        places = sorted((e.start, e.end) for e in names if e.label in _PLACE_LABELS)
        place_starts = [start for start, _ in places]
        forms: dict[str, str] = {}  # how the text writes it -> the name as introduced
        for pattern in self._organisation_res:
            for match in pattern.finditer(text):
                words = self._organisation_words(match.group("name").split(), match.group("kind"))
                if not words:
                    continue
                tail = match.groupdict().get("tail")
                if tail and rules.organisation_suffixes.get(match.group("kind")) != "company":
                    words += tail.split()
                canonical = " ".join(words)
                forms.setdefault(canonical, canonical)
                if words[0] in rules.organisation_prefixes and len(words) > 1:
                    # "PT Indobuildco", then "Indobuildco".
                    forms.setdefault(" ".join(words[1:]), canonical)
                    if len(words) > 2 and words[-1] in rules.organisation_suffixes:
                        # "PT Bank Sentosa Jaya Tbk", then "Bank Sentosa Jaya".
                        forms.setdefault(" ".join(words[1:-1]), canonical)
        forms = {form: full for form, full in forms.items() if len(form) > 2}
        if not forms:
            return [], set()
        names = alternation(list(forms))
        found: list[Entity] = []
        inside: set[tuple[int, int]] = set()
        for match in re.finditer(rf"(?<![\w-])(?:{names})(?![\w-])", text):
            start, end = match.start(), match.end()
            within: list[tuple[int, int]] = []
            if taken.overlaps(start, end):
                # "Pennsylvania Department of State": a state's department, not the US one
                # the gazetteer knows by the words that end its name. (Words after a known
                # name are not its: "PT Pindad Sigit Santosa" is PT Pindad and a person.)
                known_inside = [e for e in known if e.start < end and e.end > start]
                if not all(e.label == "ORG" and start < e.start and e.end == end for e in known_inside):
                    continue
                within = [(e.start, e.end) for e in known_inside]
            # Places that overlap the name must lie wholly inside it.
            near = places[max(0, bisect.bisect_left(place_starts, start) - 1) : bisect.bisect_left(place_starts, end)]
            overlapping = [(s, e) for s, e in near if s < end and e > start]
            if any(s < start or e > end for s, e in overlapping):
                continue
            inside.update(overlapping)
            inside.update(within)
            found.append(Entity(match.group(), forms[match.group()], "ORG", start, end))
        return found, inside

    def _organisation_words(self, words: list[str], kind: str) -> list[str]:
        """The name's words, without what opens the sentence or describes it; [] for no name."""
        rules = self.rules
        kept: list[str] = []
        for word in words:
            if word == kind and not kept and word in rules.organisation_unit_prefixes:
                pass  # "Polda Papua": the unit's kind opens its name, though it is a role word too
            elif (
                word.lower() in rules.months
                or word in rules.weekdays
                or word in rules.honorifics
                # "PT Bank Sentosa Jaya": a head noun is no role here, though "Bank" may open one;
                # nor is the place of a unit ("Polda Jabar", "Kejati Sulsel").
                or (
                    word in rules.role_words
                    and not (kept and word.lower() in rules.organisation_heads)
                    and not (kept == [kind] and kind in rules.organisation_unit_prefixes)
                )
            ):
                break
            possessive = word.endswith(("'s", "\u2019s"))
            kept.append(word[:-2] if possessive else word)
            if possessive:
                break  # "airline Lufthansa's chief": the name ends there
        openers = rules.determiners | {o[0] for o in rules.subject_openers}
        # "The", "But", "Gibraltar-based": before the name, not part of it.
        while kept and (kept[0].lower() in openers or re.search(r"-[a-z]+$", kept[0])):
            kept.pop(0)
        while kept and kept[-1] == "&":
            kept.pop()
        core = [w for w in kept if w != kind and w not in rules.organisation_suffixes]
        if kind in rules.organisation_suffixes and (not kept or kept[-1] != kind):
            return []  # "Menatep Group" must still end in its suffix
        if not core or all(w in rules.organisation_not_names for w in core):
            return []
        return kept

    def _counted(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        """(start, end, label, value) of each number word right before a counted unit, found
        by a look-up per token rather than by a pattern tried at every character."""
        if len(doc) < 2 or not self._count_words or not self._unit_hashes:
            return []
        lower = doc.to_array(LOWER).tolist()
        counts, units = self._count_words, self._unit_hashes
        hits = [i for i, word in enumerate(lower[:-1]) if word in counts and lower[i + 1] in units]
        if not hits:
            return []
        found = []
        for i in hits:
            last = doc[i + 1]
            if i + 2 < len(doc) and f"{last.lower_} {doc[i + 2].lower_}" in self._two_word_units:
                last = doc[i + 2]  # "tiga rumah sakit", not "tiga rumah"
            start, end = doc[i].idx, last.idx + len(last)
            found.append((start, end, "QUANTITY", _plain(Decimal(str(counts[lower[i]])))))
        return found

    def _numbers_and_dates(
        self, text: str, counted: list[tuple[int, int, str, str]] | None = None
    ) -> list[Entity]:
        candidates: list[tuple[int, int, int, str, str | None]] = []
        # "Senin (20/10)" takes its year from the article's full dates.
        first_full = self._full_slash_date.search(text)
        year_context = int(first_full.group(1)) if first_full else None
        for name, pattern in self.patterns:
            for match in pattern.finditer(text):
                reading = self._read(name, match, year_context)
                if reading is None:
                    continue
                label, value = reading
                start, end = match.span()
                if name == "date_slash":
                    if text[start - 1 : start] == "(":
                        start -= 1
                    if text[end : end + 1] == ")":
                        end += 1
                    if match.group("y"):
                        year_context = int(value[:4]) if value else year_context
                    weekday = self._weekday_before.search(text, max(0, start - _WEEKDAY_REACH), start)
                    if weekday is not None:
                        start = weekday.start()
                elif name == "date_y":
                    period = self._period(text, start, value) if self._period_before is not None else None
                    if period is not None:
                        start, value = period
                    else:
                        end, value = self._years_to(text, end, value)
                elif value is not None and name in ("date_dmy", "date_month"):
                    ranged = self._range(text, start, match, value)
                    if ranged is not None:
                        start, value = ranged
                elif name == "percent" and value is not None:
                    start, value = self._percent_range(text, start, value)
                candidates.append((start, end, _PRIORITY[label], label, value))
        candidates.extend((start, end, _PRIORITY[label], label, value) for start, end, label, value in self._number_words(text))
        candidates.extend((start, end, _PRIORITY[label], label, value) for start, end, label, value in counted or ())
        # Keep the strongest reading of each stretch of text.
        candidates.sort(key=lambda c: (c[2], c[0] - c[1]))
        clock = self.rules.clock_time_re
        times = [m.span() for m in clock.finditer(text)] if clock is not None else []
        if "+" in text or "(0" in text:
            times += [m.span() for m in _PHONE_RE.finditer(text)]
        taken = Stretches(self._model_numbers(text) + times)
        entities: list[Entity] = []
        for start, end, _, label, value in candidates:
            if taken.overlaps(start, end):
                continue
            if label == "QUANTITY" and (
                _DESIGNATION_BEFORE.search(text, max(0, start - 7), start)
                or (end - start == 2 and _RANGE_YEAR_BEFORE.search(text, max(0, start - 5), start))
                # "Ahmad (45)": a person's age, no figure to check.
                or (text[end : end + 1] == ")" and _NAME_BEFORE_AGE_RE.search(text, max(0, start - 30), start))
                or (self._label_before is not None and self._label_before.search(text, max(0, start - 12), start))
            ):
                # "F-16", "Su-35", "Covid-19", "nomor urut 2", "Perpres Nomor 12": a name or
                # a label, no figure to check.
                continue
            if label == "PERCENT" and self._intensifier(text, end, value):
                # "a 100% effort", "110 percent committed": a manner of speaking (its
                # digits are no figure either).
                taken.add(start, end)
                continue
            taken.add(start, end)
            surface = text[start:end]
            entities.append(Entity(surface, surface, label, start, end, value))
        return entities

    def _intensifier(self, text: str, end: int, value: str | None) -> bool:
        """A hundred per cent or more before a word that makes it an intensifier."""
        if self._intensified_after is None or value is None:
            return False
        try:
            if float(value) < 100:
                return False
        except ValueError:
            return False
        return self._intensified_after.match(text, end) is not None

    @staticmethod
    def _period_re(rules: LanguageRules) -> re.Pattern[str] | None:
        if not rules.date_periods:
            return None
        periods = alternation(list(rules.date_periods))
        ordinals = alternation(list(rules.date_period_ordinals)) or r"(?!x)x"
        links = rf"(?:\s+(?:{alternation(rules.date_period_links)}))?" if rules.date_period_links else ""
        return re.compile(
            rf"\b(?:(?P<period>{periods})\s*(?P<n>IV|I{{1,3}}|[1-4])\b|(?P<period_o>{periods})\s+(?P<o>{ordinals})"
            rf"|(?P<o_first>{ordinals})\s+(?P<period_last>{periods})){links}(?:\s*[-/]\s*|\s+)$",
            re.I,
        )

    def _period(self, text: str, start: int, year: str) -> tuple[int, str] | None:
        """ "kuartal III 2025", "the first half of 2025", "Q3 2025": the period's start offset
        and its months as an ISO 8601 interval ("2025-07/2025-09"), or None."""
        found = self._period_before.search(text, max(0, start - _RANGE_REACH), start)
        if found is None:
            return None
        rules = self.rules
        months = rules.date_periods[(found["period"] or found["period_o"] or found["period_last"]).lower()]
        if found["n"]:
            n = found["n"]
            count = int(n) if n.isdigit() else _ROMAN[n.upper()]
        else:
            count = rules.date_period_ordinals[(found["o"] or found["o_first"]).lower()] or 12 // months
        if not 1 <= count * months <= 12:
            return None
        first, last = (count - 1) * months + 1, count * months
        return found.start(), f"{year}-{first:02d}/{year}-{last:02d}"

    def _years_to(self, text: str, end: int, year: str | None) -> tuple[int, str | None]:
        """A range of years that starts with this one ("2025-2027", "2019-23", "2022
        sampai 2024"): its end and an ISO 8601 interval ("2025/2027"); else as it was."""
        to = self._years_after.match(text, end, end + _RANGE_REACH)
        if to is None or year is None:
            return end, year
        last = to.group("y") or to.groupdict().get("y_word") or year[:2] + to.group("yy")
        if last <= year:
            return end, year
        return to.end(), f"{year}/{last}"

    def _percent_range(self, text: str, start: int, value: str) -> tuple[int, str]:
        """ "1.5-3.5%", "2 to 3 per cent": where the range starts and "1.5/3.5"; else as it was."""
        low = self._number_range_before.search(text, max(0, start - _RANGE_REACH), start)
        low_value = _decimal(low.group("low"), self.rules.decimal_separator) if low else None
        if low is None or low_value is None or low_value >= Decimal(value):
            return start, value
        return low.start(), f"{_plain(low_value)}/{value}"

    def _range(self, text: str, start: int, match: re.Match[str], value: str) -> tuple[int, str] | None:
        """A range that ends in this date: its start offset and an ISO 8601 interval
        ("2025-01/2025-08"), or None. Days ("14-16 Agustus", "May 3-5, 2024") or months
        ("Januari-Agustus 2025", "January to August 2025")."""
        day = match.group("d") or match.groupdict().get("dn")
        first_day = match.groupdict().get("d0")
        if first_day is None:
            before = self._range_start_before.search(text, max(0, start - _RANGE_REACH), start)
            if before is None:
                return None
            start, first_day = before.start(), before.group("d")
            if day is None:
                return self._month_range(before.group("mon"), start, value)
        if day is None or first_day is None or not 1 <= int(first_day) < int(day):
            return None
        return start, f"{value[:-2]}{int(first_day):02d}/{value}"

    def _month_range(self, month: str | None, start: int, value: str) -> tuple[int, str] | None:
        if month is None or len(value) != 7:
            return None
        first = self.rules.months.get(month.lower(), 0)
        last, year = int(value[5:]), int(value[:4])
        if not first or first == last:
            return None
        # "Desember-Februari 2025": the range began the year before.
        first_year = year if first < last else year - 1
        return start, f"{first_year}-{first:02d}/{value}"

    def _model_numbers(self, text: str) -> list[tuple[int, int]]:
        """Where a model's variant number stands ("Mirage 2000-5", "Boeing 737-800"): a
        name, no year and no figure. Not a month's range ("Maret 2024-2025")."""
        rules = self.rules
        spans = []
        for match in _MODEL_NUMBER.finditer(text):
            name = _MODEL_NAME_BEFORE.search(text, max(0, match.start() - _MODEL_NAME_REACH), match.start())
            if name is None:
                continue
            word = name.group(1).lower()
            if _YEAR_RANGE_RE.fullmatch(match.group()):
                continue
            if word not in rules.months and word not in rules.time_nouns and word not in rules.number_labels:
                spans.append(match.span())
        return spans

    def _read(
        self, name: str, match: re.Match[str], year_context: int | None
    ) -> tuple[str, str | None] | None:
        groups = match.groupdict()
        if name.startswith("date"):
            year = groups.get("y") or groups.get("year")
            if year and len(year) == 2:
                year = "20" + year
            month = groups.get("m") or groups.get("mon")
            if month and not month.isdigit():
                month = str(self.rules.months.get(month.lower().rstrip("."), 0))
            day = groups.get("d") or groups.get("dn")
            if name == "date_y":
                return "DATE", year
            if month is None or not 1 <= int(month) <= 12:
                return None
            if day is not None and not 1 <= int(day) <= 31:
                return None
            if year is None and year_context is not None:
                year = str(year_context)
            if day is None:
                return "DATE", f"{year}-{int(month):02d}" if year else None
            if year is None:
                return "DATE", f"--{int(month):02d}-{int(day):02d}"
            return "DATE", f"{year}-{int(month):02d}-{int(day):02d}"
        number = _decimal(groups["num"], self.rules.decimal_separator)
        if number is None:
            return None
        scale = groups.get("scale")
        if scale:
            number *= Decimal(str(self.rules.scales.get(scale, 1)))
        if name == "money":
            return "MONEY", f"{_plain(number)} {self.rules.currencies[groups['cur']]}"
        if name == "money_after":
            return "MONEY", f"{_plain(number)} {self.rules.currency_words[groups['word']]}"
        if name == "percent":
            return "PERCENT", _plain(number)
        return "QUANTITY", _plain(number)


def _inside(entity: Entity, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    at = bisect.bisect_right(starts, entity.start) - 1
    return at >= 0 and spans[at][1] >= entity.end


def is_name(entity: Entity) -> bool:
    return entity.label in _NAME_LABELS
