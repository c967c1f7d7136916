"""Cut an article's text into plain and highlighted pieces for templates to escape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    text: str
    claim_id: int | None = None
    score: float | None = None
    current: bool = False


def pieces(text: str, spans: Iterable[tuple[int, int, int, float]], *, current: int | None = None) -> list[Piece]:
    """Split ``text`` at claim spans ``(start, end, claim_id, score)``.

    Spans that overlap one already taken are left out, so every character appears once.
    """
    out: list[Piece] = []
    position = 0
    for start, end, claim_id, score in sorted(spans):
        if start < position or end > len(text) or start >= end:
            continue
        if start > position:
            out.append(Piece(text[position:start]))
        out.append(Piece(text[start:end], claim_id, score, claim_id == current))
        position = end
    if position < len(text):
        out.append(Piece(text[position:]))
    return out


def window(text: str, start: int, end: int, *, sentences: int = 2) -> tuple[int, int]:
    """Bounds of the claim with a few sentences either side (cut at line or sentence ends)."""
    left = start
    for _ in range(sentences):
        cut = max(text.rfind(". ", 0, max(left - 1, 0)), text.rfind("\n", 0, max(left - 1, 0)))
        if cut < 0:
            left = 0
            break
        left = cut + 1
    right = end
    for _ in range(sentences):
        found = [i for i in (text.find(". ", right + 1), text.find("\n", right + 1)) if i >= 0]
        if not found:
            right = len(text)
            break
        right = min(found) + 1
    return left, right
