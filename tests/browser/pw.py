"""What the browser tests take from Playwright; without it a test module is skipped, except
in CI, where a missing Playwright is an error."""

from __future__ import annotations

import os

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("Playwright is not installed (pip install -r requirements-dev.txt)", allow_module_level=True)

# Every browser test: marked, on a database whose committed rows the live server sees.
BROWSER_TEST = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["BROWSER_TEST", "Page", "expect"]
