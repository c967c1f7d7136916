"""How many fine-tuned layers: the check-worthiness encoder (``encoder_training``) fine-tuned
at a given depth under the 3 folds grouped by article (``news_folds``), one fold a process,
then the shipped stacker and floor over the out-of-fold logits (training time only).

    python -m claims.nlp.encoder_training rows --datasets DIR --rows ROWS.json
    python -m claims.nlp.encoder_layers_cv fold --base E5DIR --rows ROWS.json --layers 12 --fold 0 --out OUTDIR
    (the same for --fold 1 and 2, and for each depth; --student 3 also fits the 6->3 cut's
    head, ``encoder_student.fit_head``, on the fold model's mean-pooled layer-3 states)
    python -m claims.nlp.encoder_layers_cv report --rows ROWS.json --out OUTDIR --runs L12 L6 L6to3

A fold trains on every other row (the other folds' news rows, ``*_extra_b`` included, and
the CheckThat rows, weighted by ``weight_of``; the module's epochs and learning rate) and
writes ``OUTDIR/L<layers>_fold<k>.json``: the logits of its news rows, the seconds of each
epoch and of the fold. ``report`` joins the folds into ``OUTDIR/oof_<run>.json`` (a list
aligned with the rows, as ``encoder_training cv`` writes; None for CheckThat rows and for
labels no claim matched) and prints, per run, the encoder alone (logit > 0) and the shipped
stacker (C=0.1, balanced) fitted on two folds' logits and scored on the third, with the
floor (claims the rules score below 0.05 keep their rules' score): top-3 precision per
article and F1 at 0.5 per language, and the mean of the four. Each fold runs on one thread.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from . import encoder_training as training


def _usable(rows: list[dict]) -> list[int]:
    return [i for i, r in enumerate(rows) if r["text"] is not None]


def pooled_layer_states(model, ids: list[list[int]], layer: int) -> np.ndarray:  # noqa: ANN001
    """Mean-pooled states after the model's first ``layer`` layers (float, batches of similar length)."""
    import torch

    out = np.zeros((len(ids), model.encoder.config.hidden_size), dtype=np.float32)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    with torch.no_grad():
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            tids, mask = training._pad([ids[i] for i in batch])
            hidden = model.encoder(input_ids=tids, attention_mask=mask, output_hidden_states=True).hidden_states[layer]
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            out[batch] = ((hidden * weights).sum(1) / weights.sum(1).clamp(min=1)).numpy()
    return out


def run_fold(base: Path, rows: list[dict], layers: int, k: int, student: int | None, log=print) -> dict:  # noqa: ANN001
    import torch

    torch.set_num_threads(1)
    usable = _usable(rows)
    ids: list = [None] * len(rows)
    for i, row_ids in zip(usable, training.Encoder(base).ids([rows[i]["text"] for i in usable]), strict=True):
        ids[i] = row_ids
    train, test = training.fold_rows(rows, ids, k)
    marks: list[float] = []

    def stamp(message: str) -> None:
        marks.append(time.perf_counter())
        log(message)

    log(f"{layers} layers, fold {k + 1}/{training.FOLDS}: {len(train)} rows to train, {len(test)} to score")
    started = time.perf_counter()
    model = training.fold_fit(base, rows, ids, train, layers, log=stamp)
    trained = time.perf_counter()
    logits = training.logits_of(model, [ids[i] for i in test])
    result = {
        "layers": layers, "fold": k, "train_rows": len(train), "test_rows": len(test),
        "oof": {str(i): float(v) for i, v in zip(test, logits, strict=True)},
        "epoch_seconds": [round(b - a, 1) for a, b in zip([started, *marks[:-1]], marks, strict=True)],
        "train_seconds": round(trained - started, 1),
        "score_seconds": round(time.perf_counter() - trained, 1),
    }
    if student:
        from .encoder_student import fit_head

        both = train + test
        states = np.zeros((len(rows), model.encoder.config.hidden_size), dtype=np.float32)
        states[both] = pooled_layer_states(model, [ids[i] for i in both], student)
        head = fit_head(states, rows, train)
        result["student_layers"] = student
        result["student_oof"] = {str(i): float(v) for i, v in zip(test, head.decision_function(states[test]), strict=True)}
    result["fold_seconds"] = round(time.perf_counter() - started, 1)
    return result


def measures(rows: list[dict], scores: list[float | None], folds: list[int], cut: float = 0.5) -> dict:
    """Per language over the news rows of ``folds``: top-3 precision, precision, recall, F1 at
    ``cut``; and the mean of the four."""
    from .article_evaluation import measure

    fold = training.news_folds(rows)
    articles: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for i, r in enumerate(rows):
        if r["article"] is not None and fold[i] in folds:
            articles[r["language"]][r["article"]].append((scores[i], bool(r["y"])))
    out = {}
    for language in ("id", "en"):
        m = measure(articles[language].values(), cut)
        out[language] = {"articles": m.articles, "top3": m.top_precision, "precision": m.precision,
                         "recall": m.recall, "f1": m.f1}
    out["mean"] = float(np.mean([out[lang][key] for lang in ("id", "en") for key in ("top3", "f1")]))
    return out


def stacked(rows: list[dict], oof: list[float | None], folds: list[int],
            floor: float = training.RULES_FLOOR) -> list[float | None]:
    """The shipped stacker fitted on the other folds' logits (those of ``folds``), scored on
    each fold; the floor after."""
    fold = training.news_folds(rows)
    scores: list[float | None] = [None] * len(rows)
    for k in folds:
        stacker = training.fit_stacker(rows, [v if fold[i] != k else None for i, v in enumerate(oof)])
        test = [i for i, v in enumerate(oof) if v is not None and fold[i] == k]
        probability = stacker.predict_proba([[oof[i], *rows[i]["side"]] for i in test])[:, 1]
        for i, p in zip(test, probability, strict=True):
            today = rows[i]["today"]
            scores[i] = today if today is not None and today < floor else float(p)
    return scores


def alone(oof: list[float | None]) -> list[float | None]:
    return [None if v is None else 1 / (1 + math.exp(-v)) for v in oof]


def _line(name: str, m: dict) -> str:
    cell = lambda lang: (f"{m[lang]['top3']:.3f} | {m[lang]['f1']:.3f} "  # noqa: E731
                         f"({m[lang]['precision']:.2f}/{m[lang]['recall']:.2f})")
    return f"| {name} | {cell('id')} | {cell('en')} | {m['mean']:.3f} |"


def report(rows: list[dict], out: Path, runs: list[str], folds: list[int]) -> dict:
    """Joins each run's folds (``L12``: the files ``L12_fold*.json``; ``L6to3``: the student
    logits of ``L6_fold*.json``) and prints the table. All three folds unless ``folds`` says
    fewer (then only their rows are scored, and the stacker fits on the other given folds)."""
    print("| run | id top-3 | id F1 (P/R) | en top-3 | en F1 (P/R) | mean |")
    print("|---|---|---|---|---|---|")
    summary = {}
    for run in runs:
        source, key = (run.split("to")[0], "student_oof") if "to" in run else (run, "oof")
        oof: list[float | None] = [None] * len(rows)
        timing = []
        for k in folds:
            part = json.loads((out / f"{source}_fold{k}.json").read_text(encoding="utf-8"))
            for i, v in part[key].items():
                oof[int(i)] = v
            timing.append({name: part[name] for name in ("epoch_seconds", "train_seconds", "fold_seconds")})
        suffix = "" if len(folds) == training.FOLDS else "_folds" + "".join(map(str, folds))
        (out / f"oof_{run}{suffix}.json").write_text(json.dumps(oof), encoding="utf-8")
        summary[run] = {"alone": measures(rows, alone(oof), folds),
                        "stacked": measures(rows, stacked(rows, oof, folds), folds), "timing": timing}
        print(_line(f"{run}, encoder alone", summary[run]["alone"]))
        print(_line(f"{run} + stacker + floor", summary[run]["stacked"]))
    (out / f"report{suffix}.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary


def main(argv=None) -> None:  # noqa: ANN001
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["fold", "report"])
    parser.add_argument("--base", type=Path, help="the folder encoder_build wrote")
    parser.add_argument("--rows", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="folder of the folds' files")
    parser.add_argument("--layers", type=int, default=training.LAYERS)
    parser.add_argument("--fold", type=int)
    parser.add_argument("--student", type=int, help="also fit a head on the states after this many layers")
    parser.add_argument("--runs", nargs="+", default=["L12", "L6", "L6to3"])
    parser.add_argument("--folds", nargs="+", type=int, default=list(range(training.FOLDS)),
                        help="report: only these folds (all by default)")
    args = parser.parse_args(argv)
    rows = json.loads(args.rows.read_text(encoding="utf-8"))
    if args.step == "report":
        report(rows, args.out, args.runs, args.folds)
        return
    stamp = lambda message: print(time.strftime("%H:%M:%S"), message, flush=True)  # noqa: E731
    result = run_fold(args.base, rows, args.layers, args.fold, args.student, log=stamp)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"L{args.layers}_fold{args.fold}.json").write_text(json.dumps(result), encoding="utf-8")
    stamp(json.dumps({k: v for k, v in result.items() if "oof" not in k}))


if __name__ == "__main__":
    main()
