"""A whole deployment of our own, for fault injection: a private PostgreSQL cluster and a
private Redis (each on a port of its own, never the shared 5432 / 6379), gunicorn serving the
site and two Celery workers (one with beat), all pointed at them.

The chaos tests stop and restart the private services under the running processes and then
count what came out. Everything lives in one temporary directory that is removed at the end,
and every process started here is stopped here, also when a test fails.

Workers are supervised as in production (the README's systemd unit restarts a worker that
exits): a worker that dies is started again, and its exit is recorded for the report.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
import redis
import requests

from tests.conftest import ROOT

REDIS_PORT = int(os.environ.get("FACTCHECK_CHAOS_REDIS_PORT", "6397"))
POSTGRES_PORT = int(os.environ.get("FACTCHECK_CHAOS_POSTGRES_PORT", "5497"))
SHARED_PORTS = {5432, 6379}
DATABASE = "factcheck_chaos"
# The periodic sweep runs this often in the workers' beat; a job's lease is short, so that a
# job whose worker lost its database is taken over within the test.
SWEEP_SECONDS = 2
LEASE_SECONDS = 15
VISIBILITY_SECONDS = 10


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    if _ci():
        pytest.fail(reason + "; in CI the chaos suite is required", pytrace=False)
    pytest.skip(reason)


def _postgres_bindir() -> Path | None:
    """The newest PostgreSQL server binaries: Debian's /usr/lib/postgresql/<n>/bin, else PATH."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                    key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if debian:
        return debian[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def require_tools() -> None:
    """Run with the rest of the integration suite; skip on a laptop without the tools."""
    if not (os.environ.get("DATABASE_URL") and os.environ.get("CELERY_BROKER_URL")) and not _ci():
        pytest.skip("the integration suite needs DATABASE_URL and CELERY_BROKER_URL")
    missing = [name for name in ("redis-server",) if shutil.which(name) is None]
    if _postgres_bindir() is None:
        missing.append("initdb/pg_ctl (PostgreSQL server)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing.append("a 'postgres' user (initdb refuses to run as root)")
        if shutil.which("runuser") is None:
            missing.append("runuser")
    if missing:
        _unavailable(f"the chaos suite needs {', '.join(missing)}")
    for port in (REDIS_PORT, POSTGRES_PORT):
        if port in SHARED_PORTS:
            pytest.fail(f"port {port} belongs to the shared services; the chaos suite never uses it")
        if port_open(port):
            _unavailable(f"port {port} is already in use; set FACTCHECK_CHAOS_REDIS_PORT / _POSTGRES_PORT")


def port_open(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], bool], *, timeout: float, interval: float = 0.2) -> bool:
    """True as soon as ``condition()`` holds, False once ``timeout`` seconds have gone by."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return ""


_LOG_PREFIX = re.compile(r"^\[?\d{4}-\d\d-\d\d[ T][\d:,.]+(?: [+-]\d{4})?\]?:?\s*")
_ERROR_WORDS = ("ERROR", "CRITICAL", "Error:", "Exception:", "exited")


def distinct_errors(path: Path, shown: int = 8) -> str:
    """The log's error lines without their timestamps, each once with how often it came."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return ""
    counts = Counter(_LOG_PREFIX.sub("", line)[:300] for line in lines
                     if any(word in line for word in _ERROR_WORDS))
    return "\n".join(f"{n} x {line}" for line, n in counts.most_common(shown))


def _kill_group(process: subprocess.Popen | None, sig: int = signal.SIGKILL) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# --------------------------------------------------------------------------- Redis


class PrivateRedis:
    """redis-server with append-only persistence, as the README documents for production."""

    def __init__(self, root: Path, port: int = REDIS_PORT) -> None:
        self.port = port
        self.dir = root / "redis"
        self.dir.mkdir()
        self.log = root / "redis.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        if port_open(self.port):
            raise RuntimeError(f"port {self.port} is taken; the private Redis cannot start")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
             "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
             "--logfile", str(self.log), "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        if not wait_until(self.ping, timeout=30):
            raise RuntimeError("the private Redis did not start:\n" + tail(self.log))

    def ping(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1).ping())
        except redis.exceptions.RedisError:
            return False

    def kill(self) -> None:
        """SIGKILL: no chance to write anything more (the append-only file keeps what it has)."""
        _kill_group(self.process, signal.SIGKILL)

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), as `systemctl stop` does."""
        _kill_group(self.process, signal.SIGTERM)

    def wipe(self) -> None:
        """Lose everything Redis held, as a restart without persistence (or a lost disk) does."""
        assert self.process is None or self.process.poll() is not None, "stop Redis first"
        for child in self.dir.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


# --------------------------------------------------------------------------- PostgreSQL


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (trust auth) in the temporary directory.

    fsync is off, which only matters if the machine itself crashes; commits stay
    synchronous, so a crash of the server (``stop("immediate")``) loses no committed row,
    as in production.

    initdb and the server refuse to run as root, so as root they run as the ``postgres``
    user, which owns the data directory.
    """

    def __init__(self, root: Path, port: int = POSTGRES_PORT) -> None:
        bindir = _postgres_bindir()
        assert bindir is not None
        self.bindir = bindir
        self.port = port
        self.data = root / "pgdata"
        self.log = root / "postgres.log"
        self.owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, program: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        command = [str(self.bindir / program), *args]
        if self.owner is not None:
            command = ["runuser", "-u", self.owner.pw_name, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd="/")
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n"
                               + tail(self.log))
        return result

    def init(self) -> None:
        self.data.mkdir(mode=0o700)
        self.log.touch()
        if self.owner is not None:
            os.chown(self.data, self.owner.pw_uid, self.owner.pw_gid)
            os.chown(self.log, self.owner.pw_uid, self.owner.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync", "--no-instructions")
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
                "fsync = off\nfull_page_writes = off\n"
                "max_connections = 100\n"
            )

    def start(self) -> None:
        if port_open(self.port):
            raise RuntimeError(f"port {self.port} is taken; the private PostgreSQL cannot start")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """``fast``: a clean shutdown that ends every session; ``immediate``: a crash."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def connect(self, dbname: str = DATABASE) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname,
                               connect_timeout=5, autocommit=True)

    def query(self, sql: str, *params: object) -> list[tuple]:
        with self.connect() as conn:
            return conn.execute(sql, params).fetchall()


# --------------------------------------------------------------------------- webhooks


class WebhookReceiver:
    """A partner's webhook endpoint in a thread of the test: counts each delivery it gets."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.deliveries: Counter[str] = Counter()
        self.events: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                delivery = self.headers.get("X-Factcheck-Delivery", "")
                try:
                    payload = json.loads(body)
                except ValueError:
                    payload = None
                with receiver.lock:
                    receiver.deliveries[delivery] += 1
                    receiver.events.append({"delivery": delivery, "path": self.path, "payload": payload})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def counts(self) -> Counter[str]:
        with self.lock:
            return Counter(self.deliveries)

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------------- the deployment


@dataclass
class WorkerSlot:
    name: str
    beat: bool
    log: Path
    process: subprocess.Popen | None = None
    exits: list[int] = field(default_factory=list)


class Stack:
    """The private services plus gunicorn and supervised Celery workers."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.redis = PrivateRedis(root)
        self.postgres = PrivatePostgres(root)
        self.web_port = free_port()
        self.web_log = root / "web.log"
        self.web: subprocess.Popen | None = None
        self.workers = [WorkerSlot("chaos-beat", True, root / "worker-beat.log"),
                        WorkerSlot("chaos-plain", False, root / "worker-plain.log")]
        self.api_key = ""
        self._closing = threading.Event()
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)

    # -- environment and commands

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("CELERY_", "FACTCHECK_", "DATABASE_URL", "CACHE_URL", "PYTEST"))}
        env.update(
            DJANGO_SETTINGS_MODULE="factcheck.settings",
            PYTHONUNBUFFERED="1",
            DEBUG="false",
            SECRET_KEY=os.environ.get("SECRET_KEY") or "chaos-secret-key-" + "x" * 40,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=f"http://127.0.0.1:{self.web_port}",
            DATABASE_URL=self.postgres.url,
            CONN_MAX_AGE="60",
            CELERY_BROKER_URL=self.redis.url,
            CELERY_QUEUE="factcheck-chaos",
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS),
            CACHE_URL="",
            FACTCHECK_DATA_DIR=str(self.root / "data"),
            FACTCHECK_SWEEP_SECONDS=str(SWEEP_SECONDS),
            FACTCHECK_JOB_LEASE_SECONDS=str(LEASE_SECONDS),
            FACTCHECK_OUTBOUND_ALLOWED_HOSTS="127.0.0.1",
            FACTCHECK_FETCH_TIMEOUT="5",
            LOG_LEVEL="INFO",
        )
        datasets = os.environ.get("FACTCHECK_DATASETS")
        if datasets:
            env["FACTCHECK_DATASETS"] = datasets
        return env

    def manage(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(),
                              capture_output=True, text=True, timeout=timeout)

    def action(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run tests/integration/chaos_actions.py against the private services."""
        return subprocess.run([sys.executable, "-m", "tests.integration.chaos_actions", *args], cwd=ROOT,
                              env=self.env(), capture_output=True, text=True, timeout=timeout)

    # -- lifecycle

    def start(self) -> None:
        self.redis.start()
        self.postgres.init()
        self.postgres.start()
        with self.postgres.connect("postgres") as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        migrated = self.manage("migrate", "--no-input")
        if migrated.returncode != 0:
            raise RuntimeError("migrate failed:\n" + migrated.stdout + migrated.stderr)
        created = self.action("partner_create", "Chaos desk")
        if created.returncode != 0:
            raise RuntimeError("creating the partner failed:\n" + created.stderr[-3000:])
        self.api_key = json.loads(created.stdout)["key"]
        for slot in self.workers:
            self._worker_start(slot)
        self._web_start()  # while the workers load their models
        for slot in self.workers:
            if not wait_until(lambda slot=slot: " ready." in tail(slot.log, 200), timeout=120):
                raise RuntimeError(f"worker {slot.name} did not start:\n" + tail(slot.log, 40))
        self._supervisor.start()

    def close(self) -> None:
        self._closing.set()
        if self._supervisor.is_alive():
            self._supervisor.join(timeout=5)
        for slot in self.workers:
            with contextlib.suppress(Exception):
                _kill_group(slot.process)
        with contextlib.suppress(Exception):
            _kill_group(self.web)
        if self.postgres.running():
            with contextlib.suppress(Exception):
                self.postgres.stop("immediate")
        with contextlib.suppress(Exception):
            self.redis.kill()

    def _web_start(self) -> None:
        with self.web_log.open("ab") as log:
            self.web = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "factcheck.wsgi:application",
                 "--bind", f"127.0.0.1:{self.web_port}", "--workers", "2", "--timeout", "60",
                 "--graceful-timeout", "5", "--error-logfile", "-"],
                cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )

        def answers() -> bool:
            try:
                requests.get(self.url("/api/v1/topics/"), timeout=2)
                return True
            except requests.RequestException:
                return False

        if not wait_until(answers, timeout=60):
            raise RuntimeError("gunicorn did not start:\n" + tail(self.web_log, 40))

    def _worker_start(self, slot: WorkerSlot) -> None:
        command = [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--concurrency=1",
                   "--pool=prefork", "--without-gossip", "--without-mingle", "--loglevel=INFO",
                   f"--hostname={slot.name}@%h"]
        if slot.beat:
            command += ["--beat", f"--schedule={self.root / 'celerybeat-schedule'}"]
        with slot.log.open("ab") as log:
            slot.process = subprocess.Popen(command, cwd=ROOT, env=self.env(), stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def _supervise(self) -> None:
        """Start again a worker that exited, as systemd's Restart=always does."""
        while not self._closing.wait(0.5):
            for slot in self.workers:
                code = slot.process.poll() if slot.process else None
                if code is not None and not self._closing.is_set():
                    slot.exits.append(code)
                    with slot.log.open("a", encoding="utf-8") as log:
                        log.write(f"\n[chaos supervisor] worker exited with {code}; starting it again\n")
                    self._worker_start(slot)

    # -- outages

    def redis_outage(self, how: str) -> None:
        """Take Redis down: ``kill`` (SIGKILL), ``stop`` (clean) or ``lose`` (SIGKILL, data gone)."""
        if how == "stop":
            self.redis.stop()
        else:
            self.redis.kill()
        if how == "lose":
            self.redis.wipe()

    # -- the API

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.web_port}{path}"

    def api(self, method: str, path: str, **kwargs: object) -> requests.Response:
        headers = {"Authorization": f"Api-Key {self.api_key}", "Accept": "application/json"}
        return requests.request(method, self.url(path), headers=headers, timeout=60, **kwargs)

    # -- what went wrong, for failure messages

    def worker_exits(self) -> dict[str, list[int]]:
        return {slot.name: list(slot.exits) for slot in self.workers if slot.exits}

    def diagnostics(self) -> str:
        parts = [f"worker exits (restarted by the supervisor): {self.worker_exits() or 'none'}"]
        for slot in self.workers:
            parts.append(f"--- {slot.name}, distinct errors:\n" + distinct_errors(slot.log))
        parts.append("--- gunicorn, distinct errors:\n" + distinct_errors(self.web_log))
        return "\n".join(parts)


@contextlib.contextmanager
def running_stack() -> Iterator[Stack]:
    root = Path(tempfile.mkdtemp(prefix="factcheck-chaos-"))
    root.chmod(0o755)  # the postgres user must reach its data directory inside
    stack = Stack(root)
    try:
        stack.start()
        yield stack
    finally:
        stack.close()
        if os.environ.get("FACTCHECK_CHAOS_KEEP"):
            print(f"chaos: logs and data kept in {root}")  # for debugging a failure
        else:
            shutil.rmtree(root, ignore_errors=True)
