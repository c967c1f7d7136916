"""An article's publication date, read conservatively from what the article itself says.

Two sources, both strict: the HTML's publication metadata (JSON-LD ``datePublished``,
``article:published_time`` and its kin, ``<time itemprop="datePublished">``), and a line of
a text file that is nothing but a date ("Senin, 20 Okt 2025 14:30 WIB", "Published: 20
October 2025"). Dates in the running text ("kata Prabowo, Selasa (21/10/2025)") are when
something happened, not when the article appeared, and are never taken; neither is a
modification date. What cannot be read for certain is no date: better none than a guess.

Naive results (no zone given) are for the caller to place in the newsroom's time zone.
Nothing here uses Django.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone

import lxml.html

# A publication date before this, or more than two days ahead, is a mistake in the page.
_EARLIEST = datetime(1990, 1, 1)
_AHEAD = timedelta(days=2)

_META_NAMES = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "pubdate", "publishdate", "publish_date", "publish-date",
    "publication_date", "dtk:publishdate", "content_publisheddate", "parsely-pub-date",
    "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "date",
)
_ARTICLE_TYPES = re.compile(r"(?i)article|posting|report|webpage|creativework")


def _plausible(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    naive = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    now = datetime.now(UTC).replace(tzinfo=None)
    return moment if _EARLIEST <= naive <= now + _AHEAD else None


_ISO_LIKE = re.compile(
    r"^(\d{4})[-/](\d{2})[-/](\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$"
)


def iso_parse(value: str) -> datetime | None:
    """``2025-10-20``, ``2025-10-20T14:30:00+07:00``, ``2025/10/20 14:30:00``; else None."""
    match = _ISO_LIKE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    if zone:
        if zone == "Z":
            moment = moment.replace(tzinfo=UTC)
        else:
            offset = _offset(zone)
            if offset is None:
                return None
            moment = moment.replace(tzinfo=offset)
    return _plausible(moment)


def _offset(zone: str) -> timezone | None:
    """``+07:00`` or ``-0500`` as a time zone; None past the largest real offset (14 h)."""
    sign = 1 if zone[0] == "+" else -1
    digits = zone[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    if offset > timedelta(hours=14):
        return None
    return timezone(sign * offset)


def _json_ld_dates(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, list):
        for item in node:
            found.extend(_json_ld_dates(item))
    elif isinstance(node, dict):
        kind = node.get("@type", "")
        kinds = kind if isinstance(kind, list) else [kind]
        if isinstance(node.get("datePublished"), str) and any(
            isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds
        ):
            found.append(node["datePublished"])
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in node:
                found.extend(_json_ld_dates(node[key]))
    return found


def html_published(html: str) -> datetime | None:
    """The publication date an HTML page declares in its metadata, or None."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    candidates: list[str] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            candidates.extend(_json_ld_dates(json.loads(script.text_content() or "null")))
        except (ValueError, RecursionError):
            continue
    metas: dict[str, str] = {}
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        metas.setdefault(key, meta.get("content") or "")
    candidates.extend(metas[name] for name in _META_NAMES if name in metas)
    candidates.extend(
        element.get("datetime") or ""
        for element in tree.xpath('//time[@datetime][@itemprop="datePublished" or @pubdate]')
    )
    for value in candidates:
        moment = iso_parse(value)
        if moment is not None:
            return moment
    return None


# A line that is only a date, in Indonesian or English.
_MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "february", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "aug", "agu", "agt", "ags"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
_WEEKDAYS = {
    **dict.fromkeys(("senin", "monday", "mon"), 0),
    **dict.fromkeys(("selasa", "tuesday", "tue", "tues"), 1),
    **dict.fromkeys(("rabu", "wednesday", "wed"), 2),
    **dict.fromkeys(("kamis", "thursday", "thu", "thurs"), 3),
    **dict.fromkeys(("jumat", "jum'at", "friday", "fri"), 4),
    **dict.fromkeys(("sabtu", "saturday", "sat"), 5),
    **dict.fromkeys(("minggu", "ahad", "sunday", "sun"), 6),
}
_INDONESIAN_WEEKDAYS = {"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad"}
_ZONES = {"wib": 7, "wita": 8, "wit": 9, "gmt": 0, "utc": 0, "bst": 1}
_INDONESIAN_ZONES = {"wib", "wita", "wit"}

_MONTH = r"(?P<month>[a-z]+)\.?"
_LINE = re.compile(
    r"^(?:(?:published|posted|first published|diterbitkan|dipublikasikan|terbit|tanggal|date)"
    r"(?:\s+on)?\s*[:\-]?\s*)?"
    r"(?:(?P<weekday>[a-z']+)\s*,?\s+)?"
    r"(?:"
    rf"(?P<d1>\d{{1,2}})\s+{_MONTH}\s+(?P<y1>\d{{4}})"          # 20 Okt 2025, 20 October 2025
    rf"|(?P<month2>[a-z]+)\.?\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"  # October 20, 2025
    r"|(?P<d3>\d{1,2})/(?P<m3>\d{1,2})/(?P<y3>\d{4})"            # 20/10/2025 (day first)
    r"|(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})"                # 2025-10-20
    r")"
    r"(?:\s*(?:,|\||-|–|—|at|pukul|jam)?\s*"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.]\d{2})?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?"
    r"\s*(?P<zone>wib|wita|wit|gmt|utc|bst|[+-]\d{2}:?\d{2})?)?"
    r"\s*$"
)


def date_line_parse(line: str) -> datetime | None:
    """The date of a line that is nothing but a publication date; None for anything else.

    Accepted: an optional label (Published:, Diterbitkan:), an optional weekday (which must
    agree with the date), the date with its month written out or as 2025-10-20, or as
    20/10/2025 when that cannot be read month first (day above 12, or the line is plainly
    Indonesian), then an optional time with WIB/WITA/WIT/GMT/UTC or an offset.
    """
    text = re.sub(r"\s+", " ", line.strip().lower())
    if not text or len(text) > 80:
        return None
    match = _LINE.match(text)
    if not match:
        return None
    g = match.groupdict()
    weekday, zone = g["weekday"], g["zone"]
    if weekday is not None and weekday not in _WEEKDAYS:
        return None
    try:
        if g["y1"]:
            if g["month"] not in _MONTHS:
                return None
            day = date(int(g["y1"]), _MONTHS[g["month"]], int(g["d1"]))
        elif g["y2"]:
            if g["month2"] not in _MONTHS:
                return None
            day = date(int(g["y2"]), _MONTHS[g["month2"]], int(g["d2"]))
        elif g["y3"]:
            first, second = int(g["d3"]), int(g["m3"])
            indonesian = weekday in _INDONESIAN_WEEKDAYS or zone in _INDONESIAN_ZONES
            if not (first > 12 or first == second or indonesian):
                return None  # 05/10/2025: 5 October or May 10? Not a guess to make.
            day = date(int(g["y3"]), second, first)
        else:
            day = date(int(g["y4"]), int(g["m4"]), int(g["d4"]))
    except ValueError:
        return None
    if weekday is not None and _WEEKDAYS[weekday] != day.weekday():
        return None  # a line that contradicts itself is not to be trusted
    hour = minute = 0
    if g["hour"] is not None:
        hour, minute = int(g["hour"]), int(g["minute"])
        ampm = (g["ampm"] or "").replace(".", "")
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        if hour > 23 or minute > 59:
            return None
    moment = datetime(day.year, day.month, day.day, hour, minute)
    if zone in _ZONES:
        moment = moment.replace(tzinfo=timezone(timedelta(hours=_ZONES[zone])))
    elif zone:
        offset = _offset(zone)
        if offset is None:
            return None
        moment = moment.replace(tzinfo=offset)
    return _plausible(moment)


# How far into a text file a date line may stand: among the first lines after the title
# (a byline may come before it), never further into the story.
DATE_LINE_WINDOW = 3


def text_date_line_take(title: str, body: str) -> tuple[datetime | None, str]:
    """A date line near the top of a text file's body, and the body without it."""
    lines = body.split("\n")
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > DATE_LINE_WINDOW:
            break
        moment = date_line_parse(line)
        if moment is not None:
            rest = "\n".join(lines[:index] + lines[index + 1:]).strip()
            if rest:
                return moment, re.sub(r"\n{3,}", "\n\n", rest)
            return None, body
    return None, body
