"""A real Celery worker process against PostgreSQL and Redis.

These tests need DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis). Without them
they are skipped on a laptop, but fail in CI (CI=true), where the services are required.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.db import connection

from factcheck.celery import app as celery_app
from tests.conftest import ROOT


def _require_services() -> None:
    missing = [name for name in ("DATABASE_URL", "CELERY_BROKER_URL") if not os.environ.get(name)]
    if not missing and connection.vendor == "postgresql":
        return
    reason = f"integration suite needs PostgreSQL and Redis ({', '.join(missing) or 'DATABASE_URL is not PostgreSQL'})"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason + "; in CI these services are required", pytrace=False)
    pytest.skip(reason)


class Workers:
    """Starts worker processes on a queue of their own and kills them at the end."""

    def __init__(self, queue: str) -> None:
        self.queue = queue
        self.processes: list[subprocess.Popen] = []

    def start(self, *, beat: bool = False, **settings: str) -> subprocess.Popen:
        """A worker; with `beat`, running Celery beat too (the sweep), as `worker -B`."""
        env = dict(os.environ)
        # A test's own settings win over these defaults.
        env.update({
            "DATABASE_URL": _test_database_url(),
            "CELERY_QUEUE": self.queue,
            "CELERY_VISIBILITY_TIMEOUT": "4",
            "FACTCHECK_JOB_LEASE_SECONDS": "600",
            **settings,
        })
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--concurrency=1",
             "--pool=prefork", "--without-gossip", "--without-mingle", "--loglevel=INFO",
             f"--hostname=test-{uuid.uuid4().hex[:8]}@%h", *(["--beat"] if beat else [])],
            cwd=ROOT, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.processes.append(process)
        return process

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool children: nothing gets to clean up."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def workers(transactional_db) -> Iterator[Workers]:
    _require_services()
    queue = f"factcheck-test-{uuid.uuid4().hex[:8]}"
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    pool = Workers(queue)
    yield pool
    pool.stop_all()
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
