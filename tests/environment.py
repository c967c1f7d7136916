"""Loaded by pytest before Django starts (see pyproject.toml): safe test defaults."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
os.environ.setdefault("FACTCHECK_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "data", "test"))
