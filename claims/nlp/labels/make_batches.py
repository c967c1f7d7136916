"""Cut ``articles-*-extra`` into labelling batches of whole articles (GUIDELINE.md).

Each batch line is a claim the extractor returns, with its article's title and paragraph
for context, and whether its article is in the held-out fifth. Run from the repository:
``python claims/nlp/labels/make_batches.py OUT_DIR`` (the shared datasets beside the
checkout, as ``../shared/datasets``). The batches of December 2026 were made by this script
at commit 0fc5fd0 (extractor as it was then), seed 19.

``--fresh OUT_DIR`` makes a second held-out set: whole articles that no label file names
yet, in the same shuffled order, every one of them held out (``*_fresh_heldout.jsonl``). It
was made once at commit d455789, after the first held-out fifth had been read while
choosing between encoder cuts, so that some labels stay that no choice has seen.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from claims import nlp  # noqa: E402

SHARED = ROOT.parent / "shared" / "datasets"
SEED = 19


def is_held_out(file_name: str) -> bool:
    """A fixed fifth of the articles, chosen by name before any label was seen."""
    return int(hashlib.sha256(file_name.encode()).hexdigest(), 16) % 5 == 0


def labelled_files() -> set[str]:
    """Articles some label file of this folder already names."""
    names: set[str] = set()
    for path in Path(__file__).parent.glob("checkworthy_*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                names.add(json.loads(line).get("file", ""))
    return names


def batches(lang: str, folder: str, target: int, per_batch: int, *, fresh: bool = False) -> list[list[dict]]:
    files = sorted((SHARED / folder).glob("*.txt"))
    random.Random(SEED).shuffle(files)
    if fresh:
        seen = labelled_files()
        files = [f for f in files if f.name not in seen]
    out: list[list[dict]] = []
    batch: list[dict] = []
    total = 0
    for path in files:
        if total >= target:
            break
        lines = path.read_text(encoding="utf-8").split("\n")
        title, body = lines[0].strip(), "\n".join(lines[2:])
        claims = nlp.extract(body, lang, title=title)
        batch += [
            {"file": path.name, "title": title, "heldout": fresh or is_held_out(path.name), "text": c.text,
             "start": c.text[:60], "speaker": c.speaker or "", "context": c.context[:400]}
            for c in claims
        ]
        total += len(claims)
        if len(batch) >= per_batch:
            out.append(batch)
            batch = []
    if batch:
        out.append(batch)
    return out


def main(out_dir: Path, *, fresh: bool = False) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = ((("id", "articles-id-extra", 640, 215), ("en", "articles-en-extra", 420, 210)) if fresh else
            (("id", "articles-id-extra", 1600, 320), ("en", "articles-en-extra", 520, 260)))
    for lang, folder, target, per_batch in plan:
        for number, batch in enumerate(batches(lang, folder, target, per_batch, fresh=fresh), 1):
            path = out_dir / f"{'fresh_' if fresh else ''}batch_{lang}_{number:02d}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch), encoding="utf-8")
            print(path, len(batch), "claims")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--fresh"]
    main(Path(arguments[0] if arguments else "labelling"), fresh="--fresh" in sys.argv[1:])
