"""Cue words and phrases, found by a spaCy SpanRuler over lexicon.json's cue lists."""

from __future__ import annotations

from claims.nlp.pipeline import pipeline_for


def test_cue_phrases_are_spacy_spans_labelled_with_their_kind_in_any_case():
    doc = pipeline_for("en")("Experts Predict that prices will rise, but the plan was banned.")
    found = {(span.text, span.label_) for span in doc.spans["cues"]}
    assert ("Predict", "prediction") in found
    assert ("banned", "rule") in found
    cues = {(cue.phrase, cue.kind) for cue in doc._.factcheck_cues}
    assert ("Predict", "prediction") in cues


def test_a_not_kind_phrase_still_cancels_the_cue_inside_it():
    nlp = pipeline_for("id")
    cues = nlp.get_pipe("factcheck_cues").matcher.find(nlp.make_doc("Kasus itu dilaporkan ke polisi kemarin."))
    assert not [cue for cue in cues if cue.kind == "hedge"]
    cues = nlp.get_pipe("factcheck_cues").matcher.find(nlp.make_doc("Harga itu dilaporkan naik."))
    assert [cue.phrase for cue in cues if cue.kind == "hedge"] == ["dilaporkan"]
