"""Where the shared datasets are: for training, benchmarks and tests (never at run time)."""

from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]


def datasets_dir() -> Path | None:
    """$FACTCHECK_DATASETS, else ../shared/datasets beside the checkout, else /work/shared/datasets."""
    candidates = [os.environ.get("FACTCHECK_DATASETS"), _REPO.parent / "shared" / "datasets",
                  "/work/shared/datasets"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None
