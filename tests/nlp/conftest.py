from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "000_937b5739bd2de5f3.txt"


def _datasets_dir() -> Path | None:
    for candidate in (
        os.environ.get("FACTCHECK_DATASETS"),
        REPO.parent / "shared" / "datasets",
        Path("/work/shared/datasets"),
    ):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def datasets() -> Path:
    found = _datasets_dir()
    if found is None:
        pytest.skip("datasets not found: set FACTCHECK_DATASETS or place them in ../shared/datasets")
    return found


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
