"""An approximate nearest-neighbour index of unit vectors, saved to one file that every
process maps into memory (usearch's HNSW graph, vectors stored as float16).

Built once from every vector (``VectorFile.build``), written beside the current one and
switched in atomically: a small JSON pointer file names the index file and says what it
holds, and is replaced with ``os.replace``. A process that has the old index mapped keeps
searching it until it notices the new pointer. ``VectorFile.open`` answers ``None``, with a
log line, for anything it cannot read (no file, a torn or corrupt one, another encoder's
dimensions, usearch not installed): the caller then searches exactly. Pure: no Django.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

# HNSW's parameters: links per node and search depth while building ("M" and
# "efConstruction"), search depth when searching ("ef"; a search for more than this many
# neighbours goes as deep as it asks). Chosen with benchmarks/matching.py: recall@10
# against exact search and the p99 latency at 100k and 1M vectors.
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 128
STORED_AS = "f16"
# Index files kept beside the current one (a process may still have an older one mapped;
# on Linux an unlinked file stays readable to whoever mapped it, so this is only tidiness).
KEEP_OLD = 1


@dataclass(frozen=True)
class Pointer:
    """What the pointer file says about the index file it names."""

    file: str  # the index file's name, in the pointer's folder
    count: int
    dimensions: int
    covers_until: float  # a POSIX timestamp: rows changed up to this are in the index
    encoder: str = ""  # the version of the encoder whose vectors it holds ("": not told)


class VectorFile:
    """An index file mapped read-only: the nearest keys to a vector, and stored vectors."""

    def __init__(self, index, pointer: Pointer, stamp: tuple[int, int]) -> None:  # noqa: ANN001
        self._index = index
        self.pointer = pointer
        self.stamp = stamp  # the pointer file's (inode, mtime): changes when a build replaced it

    def __len__(self) -> int:
        return self.pointer.count

    # ---------------------------------------------------------------- reading

    @staticmethod
    def stamp_of(pointer_path: Path) -> tuple[int, int] | None:
        try:
            st = pointer_path.stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    @classmethod
    def open(cls, pointer_path: Path, *, dimensions: int, encoder: str | None = None) -> VectorFile | None:
        """The index the pointer file names, mapped; ``None`` (and a log line) when there is
        none, it cannot be read, or (``encoder`` given) another encoder's vectors are in it."""
        stamp = cls.stamp_of(pointer_path)
        if stamp is None:
            return None
        try:
            from usearch.index import Index
        except ImportError:
            logger.warning("matching index %s not used: usearch is not installed; searching exactly", pointer_path)
            return None
        try:
            raw = json.loads(pointer_path.read_text(encoding="utf-8"))
            pointer = Pointer(file=str(raw["file"]), count=int(raw["count"]), dimensions=int(raw["dimensions"]),
                              covers_until=float(raw["covers_until"]), encoder=str(raw.get("encoder", "")))
            if encoder is not None and pointer.encoder != encoder:
                raise ValueError(f"its vectors are encoder {pointer.encoder or 'unknown'}'s, the one in use is {encoder}")
            if "/" in pointer.file or pointer.file.startswith("."):
                raise ValueError(f"bad file name {pointer.file!r}")
            if pointer.dimensions != dimensions:
                raise ValueError(f"{pointer.dimensions} dimensions, the encoder has {dimensions}")
            index = Index.restore(str(pointer_path.parent / pointer.file), view=True)
            if index is None:
                raise ValueError(f"{pointer.file} is missing")
            if index.ndim != dimensions or len(index) != pointer.count:
                raise ValueError(f"{pointer.file} holds {len(index)} vectors of {index.ndim} dimensions, "
                                 f"the pointer says {pointer.count} of {pointer.dimensions}")
        except Exception as exc:  # noqa: BLE001 - any unreadable index: search exactly, never fail
            logger.warning("matching index %s not used (%s); searching exactly", pointer_path, exc)
            return None
        index.expansion_search = EXPANSION_SEARCH
        return cls(index, pointer, stamp)

    def contains(self, key: int) -> bool:
        return bool(self._index.contains(key))

    def nearest(self, vector: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``count`` nearest keys to a unit vector and their cosines, nearest first."""
        found = self._index.search(np.asarray(vector, dtype=np.float32), count)
        return np.asarray(found.keys, dtype=np.int64), 1.0 - np.asarray(found.distances, dtype=np.float32)

    def cosines(self, keys: list[int], vector: np.ndarray) -> np.ndarray:
        """The cosine of each key's stored vector with ``vector`` (0 for a key not held)."""
        if not keys:
            return np.zeros(0, dtype=np.float32)
        stored = self._index.get(np.asarray(keys, dtype=np.uint64), dtype=np.float32)
        out = np.zeros(len(keys), dtype=np.float32)
        for i, row in enumerate(stored):
            if row is not None:
                out[i] = float(np.asarray(row, dtype=np.float32).reshape(-1) @ vector)
        return out

    # ---------------------------------------------------------------- writing

    @staticmethod
    def build(pointer_path: Path, *, keys: np.ndarray, vectors: np.ndarray, covers_until: float,
              threads: int = 0, encoder: str = "") -> Pointer:
        """Build an index of ``vectors`` (unit, one row per key), write it beside the pointer
        file and switch the pointer to it atomically; returns what the pointer now says."""
        from usearch.index import Index

        keys = np.asarray(keys, dtype=np.uint64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        folder = pointer_path.parent
        folder.mkdir(parents=True, exist_ok=True)
        index = Index(ndim=vectors.shape[1], metric="cos", dtype=STORED_AS, connectivity=CONNECTIVITY,
                      expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
        if len(keys):
            index.add(keys, vectors, threads=threads)
        name = f"{pointer_path.stem}-{time.time_ns()}.usearch"
        partial = folder / f".{name}.partial"
        index.save(str(partial))
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, folder / name)
        pointer = Pointer(file=name, count=len(keys), dimensions=vectors.shape[1], covers_until=covers_until,
                          encoder=encoder)
        with tempfile.NamedTemporaryFile("w", dir=folder, prefix=f".{pointer_path.name}.", delete=False,
                                         encoding="utf-8") as handle:
            json.dump(pointer.__dict__, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, pointer_path)
        older = sorted((p for p in folder.glob(f"{pointer_path.stem}-*.usearch") if p.name != name),
                       key=lambda p: p.stat().st_mtime_ns)
        for stale in older[: max(0, len(older) - KEEP_OLD)]:
            stale.unlink(missing_ok=True)
        return pointer
