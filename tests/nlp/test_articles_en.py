"""The twenty English BBC stories: no headline is a claim, however it ends."""

from __future__ import annotations

from pathlib import Path

from claims.nlp import extract, extract_many


def test_no_headline_is_a_claim(datasets: Path):
    paths = sorted((datasets / "articles-en").glob("*.txt"))
    assert len(paths) == 20
    texts = [p.read_text(encoding="utf-8") for p in paths]
    for path, text, claims in zip(paths, texts, extract_many(texts), strict=True):
        headline_end = text.index("\n")
        assert all(c.start > headline_end for c in claims), path.name


def test_a_headline_cut_off_with_an_ellipsis_is_still_a_headline():
    for ending in ("...", "\u2026"):
        text = f"Rivals of the £400 Apple{ending}\n\nThe Mac mini is the cheapest Apple computer ever, at £339."
        assert [c.text for c in extract(text, "en")] == ["The Mac mini is the cheapest Apple computer ever, at £339."]


def test_every_quote_has_a_speaker_or_their_role(datasets: Path):
    paths = sorted((datasets / "articles-en").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    quoted = 0
    for path, claims in zip(paths, extract_many(texts, "en"), strict=True):
        for claim in claims:
            if "quoted speech" in claim.reasons:
                quoted += 1
                assert claim.speaker or claim.speaker_role, (path.name, claim.text)
    assert quoted > 50
