"""The English sentence model and ``refine``'s use of it where the check-worthiness encoder
(``encoder_model``, tests in test_encoder_model.py) is not installed (no Django)."""

from __future__ import annotations

import builtins

import pytest

from claims import nlp
from claims.nlp import checkworthiness, encoder_model, sentence_model
from claims.nlp.checkworthiness import BlendedModel, load_scorer

CLAIM = "Unemployment rose by 4 percent, and we lost 300,000 manufacturing jobs in 2019."
NOT_CLAIM = "I think we need to come together, thank you."

ENGLISH_ARTICLE = (
    "Ministry says inflation fell\n\n"
    "Inflation fell to 2.1% in October, the lowest in three years, the finance ministry said.\n\n"
    "\"We expect prices to keep falling next year,\" Finance Minister Sri Mulyani told reporters.\n\n"
    "Thank you all for coming, she added.\n"
)
INDONESIAN_ARTICLE = (
    "Harga beras naik\n\n"
    "Harga beras naik 12 persen pada Maret 2025, kata Kepala BPS Amalia Widyasanti.\n\n"
    "\"We have seen North Korea send more than a million rounds to Russia,\" kata Miller.\n"
)


@pytest.fixture(autouse=True)
def no_encoder(monkeypatch, tmp_path):
    """As on an install without the encoder's files: refine falls back to this model."""
    encoder_model.load_default.cache_clear()
    monkeypatch.setattr(encoder_model, "MODELS_DIR", tmp_path)
    yield
    encoder_model.load_default.cache_clear()


@pytest.fixture
def no_sentence_model(monkeypatch):
    """As on an install without onnxruntime: importing it fails."""
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == "onnxruntime":
            raise ImportError("No module named 'onnxruntime'")
        return real_import(name, *args, **kwargs)

    sentence_model.load_default.cache_clear()
    monkeypatch.setattr(builtins, "__import__", refuse)
    yield
    monkeypatch.undo()
    sentence_model.load_default.cache_clear()


def test_the_shipped_sentence_model_loads_and_orders_sentences():
    model = sentence_model.load_default()
    assert model is not None
    claim, not_claim = model.predict_proba([CLAIM, NOT_CLAIM])
    assert claim > 0.5 > not_claim
    assert 0 < model.weight < 1


def test_odd_input_gets_a_probability_each():
    texts = ["", "   ", "?", "1" * 500, "word " * 5000, "Harga beras naik 12 persen.", "😀" * 40]
    probabilities = sentence_model.load_default().predict_proba(texts)
    assert len(probabilities) == len(texts)
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    assert sentence_model.load_default().predict_proba([]) == []


def test_a_sentence_scores_the_same_whatever_it_is_scored_with():
    model = sentence_model.load_default()
    alone = model.predict_proba([CLAIM])[0]
    with_others = model.predict_proba([NOT_CLAIM, "Short.", CLAIM, "A much longer sentence " * 10])[2]
    assert alone == with_others


def test_the_blend_lies_between_the_two_models():
    scorer = load_scorer()
    assert isinstance(scorer, BlendedModel)
    assert str(scorer).startswith("word model + sentence model")
    words = checkworthiness.load_default().predict_proba([CLAIM, NOT_CLAIM])
    sentences = scorer.sentences.predict_proba([CLAIM, NOT_CLAIM])
    for blended, w, s in zip(scorer.predict_proba([CLAIM, NOT_CLAIM]), words, sentences, strict=True):
        assert min(w, s) <= blended <= max(w, s)


def test_refine_rescores_english_claims_and_says_so():
    first = nlp.extract(ENGLISH_ARTICLE, "en")
    refined = nlp.refine(first)
    assert len(refined) == len(first) > 0
    for before, after in zip(first, refined, strict=True):
        assert (after.text, after.start, after.end, after.speaker) == (before.text, before.start, before.end, before.speaker)
        assert before.sentence_probability is None and after.sentence_probability is not None
        assert after.reasons[0].startswith("model ")
        assert after.reasons[1] == f"sentence model {after.sentence_probability:.2f}"
        assert after.reasons[2:] == before.reasons[1:]
        assert 0.0 <= after.score <= 1.0
    assert any(a.score != b.score for a, b in zip(first, refined, strict=True))
    # Run again, nothing changes: refined claims are not refined twice.
    assert nlp.refine(refined) == refined


def test_refine_leaves_indonesian_claims_but_reads_english_quotes_in_them():
    claims = nlp.extract(INDONESIAN_ARTICLE, "id")
    refined = nlp.refine(claims)
    rice = next(c for c in refined if c.text.startswith("Harga beras"))
    assert rice == next(c for c in claims if c.text.startswith("Harga beras"))
    quote = next(c for c in refined if "million rounds" in c.text)
    assert quote.sentence_probability is not None
    assert quote.reasons[0].startswith("English quote: model ")
    assert quote.reasons[1].startswith("sentence model ")


def test_without_onnxruntime_the_word_model_scores_alone(no_sentence_model):
    assert sentence_model.load_default() is None
    assert isinstance(load_scorer(), checkworthiness.CheckworthinessModel)
    claims = nlp.extract(ENGLISH_ARTICLE, "en")
    assert claims and nlp.refine(claims) == claims


def test_a_failing_sentence_model_leaves_the_first_scores(monkeypatch):
    def broken(self, texts):
        raise RuntimeError("onnx session died")

    monkeypatch.setattr(sentence_model.SentenceModel, "predict_proba", broken)
    claims = nlp.extract(ENGLISH_ARTICLE, "en")
    assert nlp.refine(claims) == claims


def test_a_huge_english_claim_is_read_from_its_start():
    """A 140,000-character sentence of figures: the model reads its first 64 tokens."""
    text = "Totals: " + ", ".join(str(n) for n in range(10_000, 30_000)) + " units."
    [claim] = nlp.refine(nlp.extract(text, "en", title=""))
    assert claim.sentence_probability is not None
    assert 0.0 <= claim.score <= 1.0
    assert text[claim.start : claim.end] == claim.text
