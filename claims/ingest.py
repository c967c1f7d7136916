"""Turning raw bytes (files, HTML) into article text, with clear errors for bad input.

Nothing here writes to the database: callers decide what to store.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import trafilatura

from .dates import html_published, text_date_line_take

ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}

# C0 controls other than tab and newlines, and DEL: never part of a news text.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_RUNS = re.compile(r"\n{3,}")
# Characters a reader cannot see besides whitespace: controls, and the zero-width or
# blank-looking format characters (ZWSP/ZWNJ/ZWJ, word joiner, BOM, soft hyphen, bidi marks,
# variation selectors, Hangul fillers, braille blank). Written as a regex class body that
# Python and ECMA (the API schema's patterns) read alike.
INVISIBLE_CHARS = (
    r"\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    r"\u200b-\u200f\u2028-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
)
_VISIBLE = re.compile(rf"[^\s{INVISIBLE_CHARS}\U000e0000-\U000e0fff]")


class IngestError(ValueError):
    """Input that cannot become an article; the message is for the person who sent it."""


@dataclass(frozen=True)
class ArticleText:
    title: str
    body: str
    html: str = ""
    encoding: str = "utf-8"
    # When the article says it was published (its metadata or a date line); naive when
    # it gave no time zone. None when it does not say: never the day it was read.
    published_at: datetime | None = None


def text_normalise(text: str) -> str:
    """One canonical form of a text, so that the same article always hashes the same."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL_CHARS.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def text_is_blank(text: str) -> bool:
    """True when a text has nothing a reader could see (only spaces or zero-width characters)."""
    return _VISIBLE.search(text) is None


def content_hash(body: str) -> str:
    return hashlib.sha256(text_normalise(body).encode("utf-8")).hexdigest()


def bytes_decode(data: bytes) -> tuple[str, str]:
    """Decode text bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM, else
    Windows-1252/Latin-1. Refuses binary data: NUL bytes or many control characters.
    """
    if not data.strip():
        raise IngestError("the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise IngestError("the file starts like UTF-16 but is not valid UTF-16") from None
    if b"\x00" in data[:8192]:
        raise IngestError("the file is binary, not text")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1252", errors="replace"), "windows-1252"
        if text.count("\ufffd") > len(text) // 100:
            text, encoding = data.decode("latin-1"), "latin-1"
    if len(_CONTROL_CHARS.findall(text)) > max(10, len(text) // 200):
        raise IngestError("the file is binary, not text")
    return text, encoding


def html_to_article(html: str) -> ArticleText:
    """The main text of an HTML page (boilerplate and markup removed) and its title."""
    if not html.strip():
        raise IngestError("the HTML is empty")
    body = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    if not body or not body.strip():
        raise IngestError("no article text could be found in the HTML")
    metadata = trafilatura.extract_metadata(html)
    title = (metadata.title if metadata and metadata.title else "") or ""
    return ArticleText(title=text_normalise(title), body=text_normalise(body), html=html,
                       published_at=html_published(html))


def plain_to_article(text: str) -> ArticleText:
    """Line 1 is the title, the rest the body; a one-line text is all body.

    A line near the top of the body that is only a date ("Senin, 20 Okt 2025 14:30 WIB")
    is the publication date, not part of the story."""
    text = text_normalise(text)
    if text_is_blank(text):
        raise IngestError("the text is empty")
    first, _, rest = text.partition("\n")
    rest = rest.strip()
    if not rest:
        return ArticleText(title="", body=first)
    published_at, rest = text_date_line_take(first, rest)
    return ArticleText(title=first.strip(), body=rest, published_at=published_at)


_SPECIAL_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def _regular_file_check(info: os.stat_result) -> None:
    for test, kind in _SPECIAL_FILES:
        if test(info.st_mode):
            raise IngestError(f"not a regular file but {kind}; only regular files are read")
    if not stat.S_ISREG(info.st_mode):
        raise IngestError("not a regular file; only regular files are read")


def _too_large(max_bytes: int, size: int | None = None) -> IngestError:
    limit = f"{max_bytes / 1_048_576:.1f} MB"
    if size is None:
        return IngestError(f"the file is too large (more than the limit of {limit})")
    return IngestError(f"the file is too large ({size / 1_048_576:.1f} MB; the limit is {limit})")


def file_bytes_read(path: Path, *, max_bytes: int) -> bytes:
    """The bytes of a regular file (after symlinks) of at most ``max_bytes``.

    A device (/dev/zero), a FIFO or a socket would read without end or block for ever, so
    the file's type and size are checked before it is opened; it is opened without
    blocking and checked again (it may have been swapped in between), and no more than
    the limit is read, since some files (under /proc) say they are empty and are not.
    """
    info = os.stat(path)
    _regular_file_check(info)
    if info.st_size > max_bytes:
        raise _too_large(max_bytes, info.st_size)
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as fh:
        _regular_file_check(os.fstat(fh.fileno()))
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def file_read(path: Path, *, max_bytes: int) -> ArticleText:
    """Read one article file (.txt, or .html/.htm) within a size limit."""
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise IngestError(f"unsupported file type {suffix or '(none)'}; use .txt or .html")
    text, encoding = bytes_decode(file_bytes_read(path, max_bytes=max_bytes))
    article = html_to_article(text) if suffix in {".html", ".htm"} else plain_to_article(text)
    return ArticleText(title=article.title, body=article.body, html=article.html, encoding=encoding,
                       published_at=article.published_at)


def paths_expand(paths: list[Path]) -> list[Path]:
    """Files given directly, and article files found in given folders, in a stable order.

    In a folder, anything named like an article that is not a folder is listed, devices and
    pipes included, so that file_read can say why it refuses them rather than skip them."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES and not p.is_dir())
            )
        else:
            found.append(path)
    return found
