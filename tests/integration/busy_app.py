"""The project's Celery app with one extra task that keeps a worker busy (test harness for
tests/integration/test_broker_drop.py; started as `celery -A tests.integration.busy_app`)."""

import time

from factcheck.celery import app

__all__ = ["app", "busy"]


@app.task(acks_late=True, name="tests.busy")
def busy(seconds: float, marker: str) -> None:
    with open(marker, "a", encoding="utf-8") as f:
        f.write("started\n")
    time.sleep(seconds)
