"""English check-worthiness read by a small fine-tuned transformer (the "sentence model").

The word model in ``checkworthiness`` sees n-grams; this one reads the whole sentence:
all-MiniLM-L6-v2 (6 layers, 384 wide) with a logistic head over its mean-pooled tokens,
fine-tuned on CheckThat! train.tsv (``claims/nlp/training/sentence_model.py``), exported
to ONNX and quantised to int8. Inference needs onnxruntime and tokenizers, no PyTorch.

It costs milliseconds a sentence where the word model costs microseconds, so it is not
part of ``extract``: ``claims.nlp.refine`` applies it to English claims afterwards, in
the same job. Without onnxruntime or the model file, ``load_default`` answers None and
the word model scores alone. No Django here.
"""

from __future__ import annotations

import json
import logging
import zipfile
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TypeVar

import numpy as np

logger = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent / "models"
ONNX_FILE = "checkworthiness_en_sentence.onnx"
TOKENIZER_FILE = "checkworthiness_en_sentence.tokenizer.json"
CONFIG_FILE = "checkworthiness_en_sentence.json"


# What a missing, damaged or failing model raises: the file system's errors, NumPy's and
# JSON's on a bad file, onnxruntime's own exception classes, and tokenizers' bare
# ``Exception``. Anything else raised while a model loads or runs (a worker's time limit
# arriving as a signal, a bug of ours) is not the model's and must reach the caller.
_MODEL_ERRORS = (OSError, ValueError, KeyError, RuntimeError, zipfile.BadZipFile)


def model_error(exc: BaseException) -> bool:
    """True when ``exc`` says the model is unusable, so scoring can go on without it."""
    return (
        isinstance(exc, _MODEL_ERRORS)
        or type(exc) is Exception
        or type(exc).__module__.startswith("onnxruntime")
    )


class SentenceModel:
    """Probabilities that English sentences are check-worthy claims."""

    def __init__(self, session, tokenizer, max_tokens: int, weight: float) -> None:  # noqa: ANN001
        self._session = session
        self._tokenizer = tokenizer
        self.max_tokens = max_tokens
        # The share of this model in the blend with the word model (chosen on dev.tsv).
        self.weight = weight

    @classmethod
    def load(cls, model_dir: Path = MODELS_DIR, threads: int = 1) -> SentenceModel:
        from tokenizers import Tokenizer

        config = json.loads((model_dir / CONFIG_FILE).read_text(encoding="utf-8"))
        session = onnx_session(model_dir / ONNX_FILE, threads)
        tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
        max_tokens = int(config["max_tokens"])
        tokenizer.enable_truncation(max_length=max_tokens)
        tokenizer.no_padding()
        return cls(session, tokenizer, max_tokens, float(config["weight"]))

    def predict_proba(self, texts: Sequence[str]) -> list[float]:
        """One probability per text, in order.

        Each sentence runs on its own: the int8 model scales its activations over the
        whole input, so in a batch a sentence's score would move with its neighbours'
        (by up to 0.25 on dev-test). Alone, a sentence scores the same in every article,
        at about 20 % less throughput than batches of 32.
        """
        result = []
        for encoding in self._tokenizer.encode_batch([t if t.strip() else "." for t in texts]):
            ids = np.asarray([encoding.ids], dtype=np.int64)
            (logits,) = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
            result.append(float(1.0 / (1.0 + np.exp(-float(np.asarray(logits).reshape(-1)[0])))))
        return result


T = TypeVar("T")


def onnx_session(path: Path, threads: int = 1):  # noqa: ANN201 - an onnxruntime.InferenceSession
    """A session of the model at ``path`` on the CPU. One thread by default: a worker
    process is one core's work, as the bench measures it."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def load_or_none(load: Callable[[], T], *, what: str, instead: str) -> T | None:
    """``load()``, or None when onnxruntime/tokenizers or the model's files are missing or
    unusable (logged, with what the product does ``instead``). Anything else, an
    interruption included, is raised: the caller's cache does not remember it, and the next
    call tries again."""
    try:
        return load()
    except ImportError:
        logger.info("onnxruntime or tokenizers not installed: %s off", what)
    except Exception as exc:
        if not model_error(exc):
            raise
        logger.warning("%s could not be loaded; %s", what, instead, exc_info=True)
    return None


@cache
def load_default() -> SentenceModel | None:
    """The shipped sentence model, or None when onnxruntime/tokenizers or its files are
    missing (the word model then scores alone). Tried once per process."""
    return load_or_none(lambda: SentenceModel.load(MODELS_DIR), what="English sentence model",
                        instead="word model only")
