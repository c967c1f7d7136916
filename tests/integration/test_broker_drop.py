"""A worker busy on a long task survives its broker dropping and coming back.

celery 5.7.0 closes the lost connection a second time after collecting it; kombu's Redis
channel then rebuilds its pool from a transport whose client is already gone and raises
AttributeError("'NoneType' object has no attribute 'hostname'"), which killed the worker
(6 deaths in 11 drops measured). factcheck/worker.py's consumer survives it.

The test runs its own redis-server on a port of its own, SIGKILLs and restarts it while
the worker is busy, and counts the worker's deaths.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.integration.conftest import _require_services

pytestmark = pytest.mark.integration

DROPS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def test_a_busy_worker_survives_its_broker_dropping(tmp_path):
    _require_services()
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = OwnRedis(tmp_path)
    redis.start()
    broker = f"redis://127.0.0.1:{redis.port}/0"
    queue = f"factcheck-drop-{uuid.uuid4().hex[:8]}"
    log_path = tmp_path / "worker.log"
    marker = tmp_path / "marker"
    env = {**os.environ, "CELERY_BROKER_URL": broker, "CELERY_QUEUE": queue}
    env.pop("DATABASE_URL", None)  # the busy task needs no database
    # As `make worker` runs it: two processes (one free slot keeps the consumer polling),
    # gossip and mingle on.
    with open(log_path, "w", encoding="utf-8") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.integration.busy_app", "worker", "--concurrency=2",
             "--loglevel=INFO", f"--hostname=drop-{uuid.uuid4().hex[:8]}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    from tests.integration.busy_app import app, busy

    def log_text() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")

    def wait(condition, what: str, timeout: float = 60) -> None:  # noqa: ANN001
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}\n{log_text()[-3000:]}")

    deaths = 0
    try:
        wait(lambda: " ready." in log_text(), "the worker to start")
        for drop in range(DROPS):
            started = marker.read_text().count("started") if marker.exists() else 0
            connected = log_text().count("Connected to redis")
            with app.connection_for_write(broker) as connection:
                busy.apply_async((60, str(marker)), connection=connection, queue=queue)
            wait(lambda: marker.exists() and marker.read_text().count("started") > started,  # noqa: B023
                 "the worker to start the long task")
            time.sleep(0.5 + 0.5 * drop)  # drop the broker at different moments of the task
            redis.kill()
            time.sleep(1)
            redis.start()
            wait(lambda: worker.poll() is not None or "Unrecoverable error" in log_text()  # noqa: B023
                 or log_text().count("Connected to redis") > connected, "the worker to reconnect or die")  # noqa: B023
            if worker.poll() is not None or "Unrecoverable error" in log_text():
                deaths += 1
                break
        assert deaths == 0, f"the worker died after {drop + 1} broker drops:\n{log_text()[-4000:]}"
    finally:
        try:
            os.killpg(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        worker.wait(timeout=10)
        redis.kill()
