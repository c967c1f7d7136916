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
