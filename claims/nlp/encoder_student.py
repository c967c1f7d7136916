"""A shallower check-worthiness encoder cut from the fine-tuned one (training time only:
``onnx`` and scikit-learn; the product never imports this).

The fine-tuned encoder (``encoder_training``, 6 layers) is cut after its first ``--layers``
layers: the mean of those layers' states over the tokens is what a new logistic head
reads (fitted on the training rows, CheckThat rows weighted as in training, positives by
the classes' weighted ratio so that 0.5 is the cut). The stacker is fitted again on the
head's out-of-fold logits (3 folds grouped by article, as ``encoder_training``). Nothing is
fine-tuned again: the layers kept are the fine-tuned ones, their int8 weights as shipped.
The head is a float MatMul appended to the graph, so a claim still runs alone and scores
the same in every article.

    python -m claims.nlp.encoder_training rows --datasets DIR --rows ROWS.json
    python -m claims.nlp.encoder_student --source SIX_LAYERS.onnx --rows ROWS.json --layers 3 --out MODELDIR

``--source``: the 6-layer ``checkworthiness_encoder.onnx`` (git history, before the cut);
``MODELDIR`` must already hold its tokenizer and config (the config's stacker, layers and
head are rewritten).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from . import encoder_training as training
from .encoder_model import CONFIG_FILE, ONNX_FILE, EncoderModel

HEAD_C = 1.0
POOLED = "/Div_output_0"  # the mean-pooled states the fine-tuned head read


def cut(source: Path, layers: int, dest: Path, head: tuple[np.ndarray, float] | None = None) -> None:
    """The graph of ``source`` reading only its first ``layers`` layers; its output the
    pooled states, or with ``head`` (weights, bias) the head's logit."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    last = next(o for n in graph.node for o in n.output
                if o.endswith("layer.5/output/LayerNorm/LayerNormalization_output_0"))
    kept = last.replace("layer.5", f"layer.{layers - 1}")
    for node in graph.node:  # the pooling reads the last kept layer
        if node.op_type == "Mul" and last in node.input:
            node.input[list(node.input).index(last)] = kept
    del graph.output[:]
    graph.output.extend([helper.make_tensor_value_info(POOLED, TensorProto.FLOAT, None)])
    needed, nodes = {POOLED}, []
    for node in reversed(graph.node):  # only what the pooled states read (not the old head)
        if any(o in needed for o in node.output):
            nodes.append(node)
            needed |= set(node.input)
    del graph.node[:]
    graph.node.extend(reversed(nodes))
    initializers = [i for i in graph.initializer if i.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    if head is not None:
        weights, bias = head
        graph.initializer.extend([
            numpy_helper.from_array(weights.astype(np.float32).reshape(-1, 1), "student_head_weight"),
            numpy_helper.from_array(np.asarray([bias], dtype=np.float32), "student_head_bias"),
            numpy_helper.from_array(np.asarray([1], dtype=np.int64), "student_head_axis"),
        ])
        graph.node.extend([
            helper.make_node("MatMul", [POOLED, "student_head_weight"], ["student_head_matmul"]),
            helper.make_node("Add", ["student_head_matmul", "student_head_bias"], ["student_head_logit"]),
            helper.make_node("Squeeze", ["student_head_logit", "student_head_axis"], ["logit"]),
        ])
        del graph.output[:]
        graph.output.extend([helper.make_tensor_value_info("logit", TensorProto.FLOAT, None)])
    onnx.save(model, str(dest))


def pooled_states(onnx_path: Path, model_dir: Path, texts: list[str | None]) -> np.ndarray:
    """The pooled states of each text, each run alone, read as the product reads it."""
    from tokenizers import Tokenizer

    from .encoder_model import TOKENIZER_FILE, translation_table
    from .sentence_model import onnx_session

    config = json.loads((model_dir / CONFIG_FILE).read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
    tokenizer.enable_truncation(max_length=int(config["max_tokens"]))
    tokenizer.no_padding()
    reader = EncoderModel(None, tokenizer, translation_table(config["normalize"]), config)
    session = onnx_session(onnx_path)
    limit = reader.max_tokens * 32
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for row, text in enumerate(texts):
        clean = (training.shipped_normalised(reader, text[:limit]) if text else "") or "."
        ids = np.asarray([reader._tokenizer.encode(clean).ids], dtype=np.int64)
        (states,) = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        out[row] = np.asarray(states, dtype=np.float32).reshape(-1)
    return out


def fit_head(states: np.ndarray, rows: list[dict], which: list[int]):  # noqa: ANN201
    from sklearn.linear_model import LogisticRegression

    y = np.asarray([rows[i]["y"] for i in which], dtype=np.float64)
    w = np.asarray([training.weight_of(rows[i]) for i in which], dtype=np.float64)
    positive = float((w * (1 - y)).sum() / max(1e-6, (w * y).sum()))
    return LogisticRegression(C=HEAD_C, max_iter=5000).fit(states[which], y, sample_weight=w * (1 + (positive - 1) * y))


def main(argv=None) -> None:  # noqa: ANN001
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="the 6-layer checkworthiness_encoder.onnx")
    parser.add_argument("--rows", type=Path, required=True, help="encoder_training's rows")
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True, help="holds the tokenizer and config; gets the model")
    args = parser.parse_args(argv)
    rows = json.loads(args.rows.read_text(encoding="utf-8"))
    usable = [i for i, r in enumerate(rows) if r["text"] is not None]
    with tempfile.TemporaryDirectory() as tmp:
        features = Path(tmp) / "pooled.onnx"
        cut(args.source, args.layers, features)
        states = pooled_states(features, args.out, [r["text"] for r in rows])
    fold = training.news_folds(rows)
    oof: list[float | None] = [None] * len(rows)
    for k in range(training.FOLDS):
        head = fit_head(states, rows, [i for i in usable if fold[i] != k])
        for i in usable:
            if fold[i] == k:
                oof[i] = float(head.decision_function(states[i:i + 1])[0])
    stacker = training.fit_stacker(rows, oof)
    head = fit_head(states, rows, usable)
    cut(args.source, args.layers, args.out / ONNX_FILE, (head.coef_[0], float(head.intercept_[0])))
    config = json.loads((args.out / CONFIG_FILE).read_text(encoding="utf-8"))
    config["layers"] = args.layers
    config["student"] = (f"the first {args.layers} layers of the 6-layer fine-tuned encoder, a logistic head "
                         f"(C={HEAD_C}) refitted on their mean-pooled states (claims/nlp/encoder_student.py)")
    config["stacker"]["coef"] = [float(v) for v in stacker.coef_[0]]
    config["stacker"]["intercept"] = float(stacker.intercept_[0])
    (args.out / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({"layers": args.layers, "rows": len(usable), "stacker": config["stacker"]["coef"]}))


if __name__ == "__main__":
    main()
