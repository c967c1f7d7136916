"""An interruption (a worker's time limit, a bug of ours) goes up to the caller: the
extractor never turns it into "no claims", which the caller would store as the truth."""

from __future__ import annotations

import time

import pytest

from claims import nlp
from claims.nlp import encoder_model, sentence_model

ENGLISH = (
    "Inflation fell to 2.1% in October, the lowest in three years, the finance ministry said. "
    "The central bank raised rates twice this year."
)


class Interrupted(Exception):
    """Stands for a signal raised inside the extractor (e.g. Celery's soft time limit)."""


def _interrupt(*args, **kwargs):
    raise Interrupted("time is up")


def test_an_interruption_inside_extraction_goes_up(monkeypatch):
    monkeypatch.setattr(nlp, "candidates_from_doc", _interrupt)
    with pytest.raises(Interrupted):
        nlp.extract("Harga beras naik 12 persen pada Maret 2025, kata Kepala BPS.", "id")


def test_an_interruption_in_extract_many_goes_up(monkeypatch):
    monkeypatch.setattr(nlp, "candidates_from_doc", _interrupt)
    with pytest.raises(Interrupted):
        nlp.extract_many(["Harga beras naik 12 persen.", "Inflasi 3 persen."], "id")


def test_an_interruption_inside_the_sentence_model_goes_up(monkeypatch):
    claims = nlp.extract(ENGLISH, "en")
    assert claims
    monkeypatch.setattr(sentence_model.SentenceModel, "predict_proba", _interrupt)
    monkeypatch.setattr(encoder_model.EncoderModel, "logits", _interrupt)
    with pytest.raises(Interrupted):
        nlp.refine(claims)


def test_an_interruption_while_the_encoder_loads_is_not_remembered(monkeypatch):
    encoder_model.load_default.cache_clear()
    real_load = encoder_model.EncoderModel.load
    monkeypatch.setattr(encoder_model.EncoderModel, "load", classmethod(lambda cls, *a, **k: _interrupt()))
    try:
        with pytest.raises(Interrupted):
            encoder_model.load_default()
        monkeypatch.setattr(encoder_model.EncoderModel, "load", real_load)
        assert encoder_model.load_default() is not None
    finally:
        encoder_model.load_default.cache_clear()


def test_an_interruption_while_the_sentence_model_loads_is_not_remembered(monkeypatch):
    """Loading is tried once per process: a time limit that falls in it must not switch
    the model off for every later job."""
    sentence_model.load_default.cache_clear()
    real_load = sentence_model.SentenceModel.load
    monkeypatch.setattr(sentence_model.SentenceModel, "load", classmethod(lambda cls, *a, **k: _interrupt()))
    try:
        with pytest.raises(Interrupted):
            sentence_model.load_default()
        monkeypatch.setattr(sentence_model.SentenceModel, "load", real_load)
        assert sentence_model.load_default() is not None
    finally:
        sentence_model.load_default.cache_clear()


def test_a_broken_model_file_still_leaves_the_word_model(monkeypatch):
    """What a damaged install raises (the libraries' own errors) is not an interruption."""
    sentence_model.load_default.cache_clear()

    def unreadable(cls, *args, **kwargs):
        raise Exception("expected value at line 1 column 1")  # tokenizers' own kind of error

    monkeypatch.setattr(sentence_model.SentenceModel, "load", classmethod(unreadable))
    try:
        assert sentence_model.load_default() is None
    finally:
        sentence_model.load_default.cache_clear()


def test_a_deadline_that_has_passed_stops_extraction():
    with pytest.raises(nlp.DeadlineExceeded):
        nlp.extract("Harga beras naik 12 persen pada Maret 2025, kata Kepala BPS.", "id",
                    deadline=time.monotonic())


def test_a_deadline_still_ahead_changes_nothing():
    text = "Harga beras naik 12 persen pada Maret 2025, kata Kepala BPS."
    assert nlp.extract(text, "id", deadline=time.monotonic() + 3600) == nlp.extract(text, "id")


def test_refine_stops_at_a_deadline_that_has_passed():
    claims = nlp.extract(ENGLISH, "en")
    with pytest.raises(nlp.DeadlineExceeded):
        nlp.refine(claims, deadline=time.monotonic())
