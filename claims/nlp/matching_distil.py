"""Distilling the matching encoder (``vectors``) into a shallower student (issue 19's speed
goal). Training time only (PyTorch, transformers); the product never imports this.

    python -m claims.nlp.matching_distil states --teacher TEACHER --keep KEEP.json --checkthat DIR \
        --articles /work/shared/datasets --out SCRATCH
    python -m claims.nlp.matching_distil train --teacher TEACHER --keep KEEP.json --checkthat DIR \
        --out SCRATCH --run SCRATCH/runB --layers 0,2,4,7,9,11 --frozen 0 --dropout 0 --epochs 2
    mkdir STUDENT && cp claims/nlp/models/checkworthiness_encoder.{json,tokenizer.json} STUDENT/
    python -m claims.nlp.vectors_export --base SCRATCH/runB/epoch2 --keep KEEP.json --layers 6 --out STUDENT \
        --trained "..."

TEACHER is a ``matching_training`` output folder (BertModel, 12 layers). The student has 6
layers started from the teacher's (``--layers``) over the teacher's embeddings (kept as they
are), trained so that the student's unit vector (mean of the last states) comes close to the
teacher's float one (loss: 1 - cosine). Two students were tried (claims/nlp/models/README.md,
"Tried on December 7 and not shipped: a distilled 6-layer student"): the teacher's first 2
layers kept (``--frozen 2``: their states computed once, as ``matching_training`` does) under
its last 4 trained (the default); and an even spread 0,2,4,7,9,11, all trained
(``--frozen 0``), which read better but still well below the teacher: neither was shipped.
The ``states`` step computes, once, each text's states after the first 2 layers and the
teacher's vector.

Corpus (each text read as the product reads it, with its prefix): sentences of the shared
articles (both languages, as queries), the CheckThat! train tweets (queries), the CheckThat!
fact-checks (passages) and our Indonesian fact-checks (passages). Left out: the CheckThat!
dev tweets; every held-out pair's tweet and fact-check (``matching_training.pairs_for``'s
rule); and the non-held-out cross-language queries (Indonesian posts, English tweets), so
that those read the student on texts it was not distilled on (the teacher was trained on
their pairs: they say how much of the teacher the student keeps).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

import numpy as np

from .encoder_training import _batches
from .matching_evaluation import queries_read
from .matching_training import (
    LABELS,
    Reader,
    _mask,
    _pad,
    _top,
    embed_states,
    load_data,
    read,
    read_sets,
    save,
)

BOTTOM = 2  # the teacher's layers kept as they are (computed once)
TOP = (8, 9, 10, 11)  # the teacher's layers the student's trained layers start from
SENTENCES = 6000  # article sentences sampled (half each language)
LEARNING_RATE = 1e-4
BATCH = 32
SEED = 19


def article_sentences(root: Path, n: int, seed: int = SEED) -> list[str]:
    """Sentences of the shared articles (``articles-*``), n sampled, half each language."""
    out = []
    for language in ("en", "id"):
        found = []
        for folder in sorted(root.glob(f"articles-{language}*")):
            for path in sorted(folder.glob("*.txt")):
                for line in path.read_text(encoding="utf-8").splitlines():
                    for sentence in re.split(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])", line.strip()):
                        if 30 <= len(sentence) <= 400:
                            found.append(sentence)
        found = sorted(set(found))
        random.Random(seed).shuffle(found)
        out += found[:n // 2]
    return out


def corpus(data: dict, articles: Path) -> tuple[list[tuple[str, str]], dict]:
    """(text, kind) pairs distilled on, and what was left out, counted."""
    held_queries = data["en_tweets_held_ids"][0]
    held_docs = data["en_tweets_held_ids"][1] | data["id_posts_held_ids"][1]
    read_texts = set(data["ct_dev"][0].values())
    for name in ("id_posts", "en_tweets"):
        read_texts |= set(data[name][0].values())
    held_texts = set()
    for name in ("id_posts", "en_tweets"):
        held_texts |= set(queries_read(LABELS / f"{name}_heldout.queries.tsv").values())
    left = {"ct train tweets held": 0, "ct train tweets read": 0, "ct docs held": 0, "id docs held": 0}
    texts: list[tuple[str, str]] = []
    queries, qrels = data["ct_train"]
    for q, text in queries.items():
        if q in held_queries or qrels.get(q, set()) & held_docs or text in held_texts:
            left["ct train tweets held"] += 1
        elif text in read_texts:
            left["ct train tweets read"] += 1
        else:
            texts.append((text, "query"))
    for key, name in (("ct_docs", "ct docs held"), ("id_docs", "id docs held")):
        for doc, text in zip(*data[key], strict=True):
            if doc in held_docs:
                left[name] += 1
            else:
                texts.append((text, "passage"))
    sentences = [s for s in article_sentences(articles, SENTENCES) if s not in read_texts and s not in held_texts]
    texts += [(s, "query") for s in sentences]
    texts = list(dict.fromkeys(texts))
    left["texts"] = len(texts)
    left["article sentences"] = len(sentences)
    return texts, left


def teacher_pass(teacher, reader: Reader, wanted: list[tuple[str, str]], batch: int = 64, log=print) -> dict:  # noqa: ANN001
    """Each text's states after the bottom layers (float16) and the teacher's unit vector."""
    import torch

    out = {}
    for kind in ("query", "passage"):
        texts = [t for t, k in wanted if k == kind]
        rows = reader.ids(texts, kind)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        started = time.time()
        with torch.no_grad():
            for n, start in enumerate(range(0, len(order), batch)):
                part = order[start:start + batch]
                ids, mask = _pad([rows[i] for i in part])
                hidden = teacher.embeddings(input_ids=ids)
                extended = _mask(teacher, hidden, mask)
                for layer in teacher.encoder.layer[:BOTTOM]:
                    hidden = layer(hidden, extended)
                bottom = hidden
                for layer in teacher.encoder.layer[BOTTOM:]:
                    hidden = layer(hidden, extended)
                share = mask.unsqueeze(-1).to(hidden.dtype)
                vector = torch.nn.functional.normalize((hidden * share).sum(1) / share.sum(1).clamp(min=1), dim=-1)
                for j, i in enumerate(part):
                    out[(texts[i], kind)] = (bottom[j, :len(rows[i])].to(torch.float16).clone(), vector[j].clone())
                if n % 20 == 0:
                    log(f"{kind} {start + len(part)}/{len(order)} {time.time() - started:.0f}s")
    return out


def student_from(teacher, layers: list[int], dropout: float = 0.1):  # noqa: ANN001, ANN202
    """A BertModel of len(layers) layers: the teacher's embeddings, and its layers ``layers``."""
    import copy

    from transformers import BertModel

    config = copy.deepcopy(teacher.config)
    config.num_hidden_layers = len(layers)
    config.hidden_dropout_prob = config.attention_probs_dropout_prob = dropout
    student = BertModel(config, add_pooling_layer=False)
    student.embeddings.load_state_dict(teacher.embeddings.state_dict())
    for i, t in enumerate(layers):
        student.encoder.layer[i].load_state_dict(teacher.encoder.layer[t].state_dict())
    return student


def embedding_states(model, rows: list[list[int]], batch: int = 256) -> list:  # noqa: ANN001
    """The embeddings' output of each text (float16, unpadded): the states when no layer is frozen."""
    import torch

    out = []
    with torch.no_grad():
        for start in range(0, len(rows), batch):
            part = rows[start:start + batch]
            ids, _ = _pad(part)
            hidden = model.embeddings(input_ids=ids)
            out += [hidden[j, :len(r)].to(torch.float16).clone() for j, r in enumerate(part)]
    return out


def main(argv: list[str] | None = None) -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["states", "train"])
    parser.add_argument("--teacher", type=Path, required=True)
    parser.add_argument("--keep", type=Path, required=True)
    parser.add_argument("--checkthat", type=Path, required=True)
    parser.add_argument("--articles", type=Path, default=Path("/work/shared/datasets"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=LEARNING_RATE)
    parser.add_argument("--batch", type=int, default=BATCH)
    parser.add_argument("--layers", default="0,1,8,9,10,11", help="the teacher's layers the student starts from")
    parser.add_argument("--frozen", type=int, default=BOTTOM, choices=[0, BOTTOM],
                        help=f"{BOTTOM}: the first two (teacher's 0, 1) kept, over the cached states; 0: all trained")
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--run", type=Path, default=None, help="where the epochs go (default --out)")
    parser.add_argument("--init", type=Path, default=None, help="go on from a saved student (its layers)")
    args = parser.parse_args(argv)
    import torch
    from transformers import BertModel

    torch.set_num_threads(1)
    torch.manual_seed(SEED)

    def log(message: str) -> None:
        print(time.strftime("%H:%M:%S"), message, flush=True)

    data = load_data(args.checkthat)
    teacher = BertModel.from_pretrained(str(args.teacher), add_pooling_layer=False).eval()
    cache = args.out / "states.pt"
    args.out.mkdir(parents=True, exist_ok=True)
    if args.step == "states":
        texts, left = corpus(data, args.articles)
        log(json.dumps(left))
        wanted = list(texts)
        for key in ("ct_docs", "id_docs"):
            wanted += [(t, "passage") for t in data[key][1]]
        for key in ("ct_dev", "id_posts", "en_tweets"):
            wanted += [(t, "query") for t in data[key][0].values()]
        wanted = list(dict.fromkeys(wanted))
        known = teacher_pass(teacher, Reader(json.loads(args.keep.read_text(encoding="utf-8"))), wanted, log=log)
        torch.save({"corpus": texts, "known": known}, cache)
        log(f"{len(known)} texts -> {cache}")
        return
    saved = torch.load(cache)
    texts, known = saved["corpus"], saved["known"]
    layers = [int(x) for x in args.layers.split(",")]
    frozen = args.frozen
    if frozen and layers[:frozen] != list(range(frozen)):
        raise SystemExit("the cached states are the teacher's first layers': --layers must start with them")
    student = student_from(teacher, layers, args.dropout)
    if args.init is not None:  # go on training a saved student
        student = BertModel.from_pretrained(str(args.init), add_pooling_layer=False)
    del teacher
    if frozen == 0:  # the states are the embeddings' output, computed here
        keys = list(known)
        reader = Reader(json.loads(args.keep.read_text(encoding="utf-8")))
        for kind in ("query", "passage"):
            mine = [k for k in keys if k[1] == kind]
            for key, state in zip(mine, embedding_states(student, reader.ids([t for t, _ in mine], kind)), strict=True):
                known[key] = (state, known[key][1])
    states = [known[t][0] for t in texts]
    targets = torch.stack([known[t][1] for t in texts])
    run = args.run or args.out
    run.mkdir(parents=True, exist_ok=True)
    log(f"student: teacher layers {layers}, {frozen} frozen, dropout {args.dropout}")

    def vectors_of(items, kind: str) -> np.ndarray:  # noqa: ANN001
        return embed_states(student, [known[(t, kind)][0] for t in items], frozen=frozen)

    params = [p for layer in student.encoder.layer[frozen:] for p in layer.parameters()]
    for parameter in student.parameters():
        parameter.requires_grad_(False)
    for parameter in params:
        parameter.requires_grad_(True)
    optimiser = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    rng = random.Random(SEED)
    lengths = [len(s) for s in states]
    per_epoch = (len(texts) + args.batch - 1) // args.batch
    steps = args.epochs * per_epoch
    warm = max(1, int(0.05 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm))))
    sets = read_sets(data, None)
    readings = []
    log(f"{len(texts)} texts, {steps} steps")
    step = 0
    for epoch in range(1, args.epochs + 1):
        started = time.time()
        student.train()
        losses = []
        for part in _batches(lengths, rng, args.batch):
            vectors = _top(student, [states[i] for i in part], frozen)
            loss = (1 - (vectors * targets[part]).sum(-1)).mean()
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            losses.append(float(loss.detach()))
            if step % 50 == 0:
                log(f"epoch {epoch} step {step}/{steps} loss {np.mean(losses[-50:]):.4f} {time.time() - started:.0f}s")
        trained = time.time() - started
        save(student, args.teacher, run / f"epoch{epoch}")
        if epoch < args.epochs:
            log(f"epoch {epoch}: {trained:.0f}s loss {np.mean(losses):.4f}")
            continue
        started = time.time()
        reading = {"epoch": epoch, "lr": args.lr, "loss": round(float(np.mean(losses)), 4),
                   "train_seconds": round(trained), **read(vectors_of, data, sets)}
        reading.pop("tops")
        reading["read_seconds"] = round(time.time() - started)
        log(json.dumps(reading))
        readings.append(reading)
        (run / "readings.json").write_text(json.dumps(readings, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
