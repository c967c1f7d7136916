"""Loaded by pytest before Django starts (see pyproject.toml): safe test defaults."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
os.environ.setdefault("FACTCHECK_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "data", "test"))
# Rate limits in the in-process cache: one process runs the tests, and requests made while
# pytest collects (the API schema) must not need the database. The database store has its
# own tests (tests/api/test_throttling.py).
os.environ.setdefault("FACTCHECK_THROTTLE_STORE", "cache")
