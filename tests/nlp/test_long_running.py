"""A worker extracts for months: what the texts bring must not pile up in memory."""

from __future__ import annotations

from claims.nlp import extract, pipeline


def test_a_pipeline_whose_vocabulary_grew_too_large_is_built_afresh_and_still_works(monkeypatch):
    text = "Russia fired 10,000 artillery shells a day in March, the Estonian defence ministry said."
    first = extract(text, "en", title="")
    before = pipeline.pipeline_for("en")
    # Every new word and number is a string in the vocabulary; fill it past a low limit.
    monkeypatch.setattr(pipeline, "MAX_VOCAB_STRINGS", len(before.vocab.strings) + 50)
    extract(" ".join(f"Word{n} {n * 7919}" for n in range(200)) + " said the minister.", "en", title="")
    assert pipeline.pipeline_for("en") is before  # grown during that text, not yet rebuilt
    assert len(before.vocab.strings) > pipeline.MAX_VOCAB_STRINGS
    again = extract(text, "en", title="")
    after = pipeline.pipeline_for("en")
    assert after is not before
    assert len(after.vocab.strings) < len(before.vocab.strings)
    # The same claim, topics (whose matchers were built for the old pipeline) included.
    assert [c.as_dict() for c in again] == [c.as_dict() for c in first]
    assert "ammunition" in again[0].topics


def test_the_extractor_reads_a_documents_text_once_through_doc_text():
    """spaCy joins every token anew each time ``Doc.text`` is read. Read once per place name
    (to look for an age after it), it made a 240 KB list of suspects' initials take five
    minutes; ``doc_text`` keeps the text on the Doc after its first read."""
    import re
    from pathlib import Path

    import claims.nlp

    package = Path(claims.nlp.__file__).parent
    readers = [p.name for p in package.glob("*.py") if p.name != "doctext.py" and re.search(r"\bdoc\.text\b", p.read_text())]
    assert readers == []
