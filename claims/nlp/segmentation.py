"""Headline, boilerplate, sentences and speech quotes, as character spans of the text.

Works on characters rather than tokens so that every span is exact in the source text and
so that the rules stay cheap: a few compiled regular expressions per paragraph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .lexicon import LanguageRules

HEADLINE = "headline"
BOILERPLATE = "boilerplate"
HEADING = "heading"
SENTENCE = "sentence"
# An interviewer's question in a question-and-answer interview: never a claim.
QUESTION = "question"

_LINE_RE = re.compile(r"[^\r\n]+")
_CLOSERS = "\"'\u201d\u2019)\\]"
_OPENERS = "\"'\u201c\u2018(\\["
_BOUNDARY_RE = re.compile(
    rf"[.!?\u2026]+[{_CLOSERS}]*(?=\s+[{_OPENERS}]?[0-9A-Z\u00c0-\u024f])"
    # "sebelumnya.Setiap": a missing space after the full stop still ends a sentence.
    r"|(?<=[a-z)])\.(?=[A-Z][a-z])"
)
_PREV_WORD_RE = re.compile(r"([\w.'-]+)$")
_INITIALS_RE = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")
_QUOTE_MARK_RE = re.compile('["\u201c\u201d]')
_WORD_RE = re.compile(r"\S+")
_LETTER_RE = re.compile(r"[^\W\d_]")
_TRAILING_JUNK = ' \t,;:*#~=\u00a0"\u201d'
_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 25
_HEADING_MAX_WORDS = 10
_SHOUTED_MAX_WORDS = 8
_SPEECH_MIN_WORDS = 3
_CAPTION_MAX_CHARS = 200
# "Dzulkefly:", "Sri Mulyani:": an answer opened by its speaker's name.
_NAME_LABEL_RE = re.compile(r"(?P<name>[A-Z][\w'.-]*(?:\s[A-Z][\w'.-]*){0,3})\s*:\s+(?=\S)")
# A sentence is treated as a quotation when most of it is inside the quotation marks;
# a few words in quotes inside a narrative sentence are scare quotes, not speech.
_QUOTE_COVERAGE = 0.5


@dataclass(slots=True)
class Quote:
    """Quotation marks in one paragraph; ``content_*`` excludes the marks."""

    open: int
    close: int
    content_start: int
    content_end: int
    words: int
    paragraph: int


@dataclass(slots=True)
class Segment:
    start: int
    end: int
    kind: str
    paragraph: int
    claim_start: int
    claim_end: int
    quote: Quote | None = None
    # A sentence of an interview's answer: the name its line opens with ("Dzulkefly"), or
    # "" for a plain "A:" / "Jawab:" (the interviewee); None for any other sentence.
    answer: str | None = None


@dataclass(slots=True)
class Segmentation:
    segments: list[Segment] = field(default_factory=list)
    outlet: str | None = None
    headline: Segment | None = None


def _is_headline(line: str) -> bool:
    stripped = line.strip()
    return (
        0 < len(stripped) <= _HEADLINE_MAX_CHARS
        and len(stripped.split()) <= _HEADLINE_MAX_WORDS
        # A sentence's full stop, not a headline cut off with "..." ("Rivals of the £400 Apple...").
        and (stripped[-1] not in ".,;:" or stripped.endswith(("...", "\u2026")))
    )


def _line_kind(line: str, rules: LanguageRules) -> str | None:
    """BOILERPLATE or HEADING for a line that is not prose, else None."""
    if not _LETTER_RE.search(line):
        return BOILERPLATE
    if rules.boilerplate.search(line):
        return BOILERPLATE
    words = len(line.split())
    if line.endswith(":") and words <= _HEADING_MAX_WORDS:
        return HEADING
    if words <= _SHOUTED_MAX_WORDS and line.isupper():
        return HEADING  # "SIARAN PERS", "TIM CEK FAKTA TEMPO": a label, not a sentence
    if words <= 3 and line[-1] not in '.!?"\u201d':
        return HEADING
    return None


def _is_abbreviation(line: str, pos: int, rules: LanguageRules) -> bool:
    match = _PREV_WORD_RE.search(line, max(0, pos - 40), pos)
    if not match:
        return False
    word = match.group(1).lstrip("(").rstrip(".")
    return (
        word in rules.abbreviations or bool(_INITIALS_RE.match(word)) or (len(word) == 1 and word.isupper())
    )


def _sentence_spans(line: str, rules: LanguageRules) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(line):
        if match.group() == "." and _is_abbreviation(line, match.start(), rules):
            continue
        if match.group()[-1] in _CLOSERS and _speech_tag_follows(line, match.end(), rules):
            continue  # '"... is it?" Ms Moran asked.': the question and who asked it
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(line)))
    result = []
    for s, e in spans:
        while s < e and line[s].isspace():
            s += 1
        while e > s and line[e - 1].isspace():
            e -= 1
        if s < e:
            result.append((s, e))
    return result


def _speech_tag_follows(line: str, at: int, rules: LanguageRules) -> bool:
    """A quote's speaker and verb come next and end the sentence: a name or title and a
    speech verb ("Ms Moran asked."), not a sentence of its own ("She said new ...")."""
    ahead = line[at : at + 60]
    words = ahead.split()[:5]
    for k, word in enumerate(words):
        if rules.is_speech_verb(word.strip(".,;:!?")):
            # The verb ends the sentence, or the line ("... is it?" Ms Moran asked).
            ends = word[-1:] in ".,!?" or (len(line) - at <= 60 and k + 1 == len(ahead.split()))
            return ends and 0 < k <= 4 and all(w[:1].isupper() for w in words[:k])
    return False


def _quotes(line: str, offset: int, paragraph: int) -> list[Quote]:
    """Pair quotation marks; a new opening mark closes an unclosed quote (BBC style)."""
    quotes: list[Quote] = []
    open_at: int | None = None

    def close(at: int, end_mark: int) -> None:
        assert open_at is not None
        content = line[open_at + 1 : at]
        quotes.append(
            Quote(
                open=offset + open_at,
                close=offset + end_mark,
                content_start=offset + open_at + 1,
                content_end=offset + at,
                words=len(content.split()),
                paragraph=paragraph,
            )
        )

    for match in _QUOTE_MARK_RE.finditer(line):
        i = match.start()
        mark = match.group()
        before = line[i - 1] if i else " "
        after = line[i + 1] if i + 1 < len(line) else " "
        opens = mark == "\u201c" or (
            mark == '"' and (before.isspace() or before in "([:") and not after.isspace()
        )
        if opens:
            if open_at is not None:
                close(i, i)
            open_at = i
        elif open_at is not None:
            close(i, i + 1)
            open_at = None
    if open_at is not None:
        close(len(line), len(line))
    return quotes


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\"\u201c'"):
        start += 1
    while end > start and text[end - 1] in _TRAILING_JUNK:
        end -= 1
    return start, end


def _sentence_quote(
    text: str, start: int, end: int, quotes: list[Quote], ends: list[int]
) -> Quote | None:
    """The quote that covers most of the sentence, if it makes the sentence speech.

    ``quotes`` are one line's, in text order; ``ends`` their ``content_end``s, ascending.
    Only the quotes from the first that ends after ``start`` can overlap the sentence: a
    paragraph of thousands of short quotes is not scanned whole for each of its sentences.
    """
    best: Quote | None = None
    best_overlap = 0
    for index in range(bisect.bisect_right(ends, start), len(quotes)):
        quote = quotes[index]
        if quote.content_start >= end:
            break
        overlap = min(end, quote.content_end) - max(start, quote.content_start)
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    if (
        best is not None
        and best.words >= _SPEECH_MIN_WORDS
        # A sentence that begins inside the quote is speech however long its attribution,
        # and so is one whose quote follows a colon ('X, a consultant at Y, said: "...').
        and (
            best_overlap >= _QUOTE_COVERAGE * (end - start)
            or best.open <= start
            or text[start : best.open].rstrip().endswith(":")
        )
        # 'called the move "a betrayal of the world's poorest"': a quoted phrase that
        # starts in lower case inside the sentence is part of it, not the speech.
        and not (best.open > start and _starts_lower(text, best.content_start, best.content_end))
    ):
        return best
    return None


def _starts_lower(text: str, start: int, end: int) -> bool:
    letter = _LETTER_RE.search(text, start, end)
    return letter is not None and letter.group().islower()


def _outlet(dateline: re.Match[str]) -> str | None:
    """Who publishes the article, from its dateline: the agency of "WASHINGTON (Reuters) -",
    the site of "JAKARTA, KOMPAS.com -" or "RIAU24.COM -"; None for a place alone ("LONDON -")."""
    found = {name: value for name, value in dateline.groupdict().items() if value}
    # A newswire ("/PRNewswire/") carries the release; it is not whose word it is.
    return next((found[name] for name in ("agency", "wire", "outlet", "site") if name in found), None)


def segment_text(
    text: str, rules: LanguageRules, *, has_title: bool, find_dateline: bool = True
) -> Segmentation:
    result = Segmentation()
    seen_body_line = not find_dateline
    paragraph = -1
    in_link_list = False  # under a "Baca juga:" line, its headlines are links
    in_trailer = False  # after "About the company" or "Media contact:", nothing is the story
    lines = list(_LINE_RE.finditer(text))
    interview = _is_interview(lines, rules)
    # 'Defence Secretary John Healey MP said:' on a line of its own: the paragraph after it
    # is his, and so are those after that which speak in the first person.
    introduced: str | None = None
    introduced_paragraphs = 0
    for index, line_match in enumerate(lines):
        raw = line_match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        paragraph += 1
        line_start = line_match.start() + (len(raw) - len(raw.lstrip()))
        line_end = line_start + len(stripped)
        if not has_title and paragraph == 0 and index + 1 < len(lines) and _is_headline(stripped):
            result.headline = Segment(line_start, line_end, HEADLINE, paragraph, line_start, line_end)
            result.segments.append(result.headline)
            continue
        kind = _line_kind(stripped, rules)
        if not in_trailer and paragraph > 0 and rules.trailer_headers.search(stripped):
            in_trailer = True
        if in_trailer:
            kind = BOILERPLATE
        if in_link_list and kind is None and _is_headline(stripped):
            kind = BOILERPLATE
        in_link_list = (kind == BOILERPLATE and rules.link_list_headers.search(stripped)) or (
            in_link_list and kind is not None
        )
        if kind is not None:
            if kind == BOILERPLATE and rules.caption_credits.search(stripped):
                _caption_above(result.segments, paragraph - 1)
            result.segments.append(Segment(line_start, line_end, kind, paragraph, line_start, line_end))
            introduced, introduced_paragraphs = _speech_intro(stripped, rules), 0
            continue
        body_start = 0
        answer: str | None = None
        if introduced is not None:
            if introduced_paragraphs == 0 or _first_person(stripped, rules):
                answer, introduced_paragraphs = introduced, introduced_paragraphs + 1
            else:
                introduced = None
        if interview:
            if rules.interview_question_re.match(stripped):
                result.segments.append(Segment(line_start, line_end, QUESTION, paragraph, line_start, line_end))
                continue
            answer, body_start = _answer_label(stripped, rules)
        if not seen_body_line:
            seen_body_line = True
            dateline = rules.dateline.match(stripped)
            if dateline:
                result.outlet = _outlet(dateline)
                body_start = dateline.end()
        if not body_start and rules.line_stamp is not None:
            stamp = rules.line_stamp.match(stripped)
            if stamp:
                body_start = stamp.end()
        quotes = _quotes(stripped, line_start, paragraph)
        quote_ends = [q.content_end for q in quotes]
        for s, e in _sentence_spans(stripped[body_start:], rules):
            start, end = line_start + body_start + s, line_start + body_start + e
            quote = _sentence_quote(text, start, end, quotes, quote_ends)
            if quote is not None:
                claim_start, claim_end = _trim(
                    text, max(start, quote.content_start), min(end, quote.content_end)
                )
            else:
                claim_start, claim_end = _trim(text, start, end)
            if claim_end > claim_start and _LETTER_RE.search(text, claim_start, claim_end):
                result.segments.append(
                    Segment(start, end, SENTENCE, paragraph, claim_start, claim_end, quote, answer)
                )
    return result


def _speech_intro(line: str, rules: LanguageRules) -> str | None:
    """Who a line such as 'Thales UK CEO Alex Cresswell said:' introduces, else None."""
    if not line.endswith(":"):
        return None
    words = line[:-1].split()
    if len(words) < 2 or not rules.is_speech_verb(words[-1]):
        return None
    return " ".join(words[:-1])


def _first_person(line: str, rules: LanguageRules) -> bool:
    words = {w.strip(".,;:!?\"'\u201c\u201d").lower() for w in line.split()}
    return bool(words & (rules.first_person_pronouns | rules.first_person_possessives))


def _caption_above(segments: list[Segment], paragraph: int) -> None:
    """The paragraph just above a photo credit, when it is one short sentence, is the
    photo's caption ("The RSAF's F-15SG fighter jets at the Paya Lebar Air Base.")."""
    above = [s for s in segments[-2:] if s.paragraph == paragraph]
    if len(above) != 1 or segments[-1] is not above[0] or above[0].kind != SENTENCE:
        return
    caption = above[0]
    if caption.quote is None and caption.claim_end - caption.claim_start <= _CAPTION_MAX_CHARS:
        segments[-1] = Segment(caption.start, caption.end, BOILERPLATE, paragraph, caption.start, caption.end)


def _is_interview(lines: list[re.Match[str]], rules: LanguageRules) -> bool:
    """Questions and answers: at least one line opened by a question label ("Q:") and one
    by an answer's label or a name ("A:", "Dzulkefly:")."""
    if rules.interview_question_re is None:
        return False
    stripped = [m.group().strip() for m in lines]
    return any(rules.interview_question_re.match(line) for line in stripped) and any(
        _answer_label(line, rules)[0] is not None
        for line in stripped
        if not rules.interview_question_re.match(line)
    )


def _answer_label(line: str, rules: LanguageRules) -> tuple[str | None, int]:
    """Whose answer the line opens with and where its words start: ("", 7) for "Jawab: ...",
    ("Dzulkefly", 11) for "Dzulkefly: ...", (None, 0) for a line with no label."""
    if rules.interview_answer_re is not None:
        label = rules.interview_answer_re.match(line)
        if label is not None:
            return "", label.end()
    named = _NAME_LABEL_RE.match(line)
    if named is not None:
        return named.group("name"), named.end()
    return None, 0
