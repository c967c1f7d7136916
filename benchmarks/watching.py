"""Speed of watching outlets: feeds polled, their articles fetched and extracted, by 1, 2 and 4 workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python benchmarks/watching.py [--feeds 50] [--entries 20] [--workers 1,2,4] \\
        [--sites 50] [--host-delay 0.1] [--database NAME] [--full]

A local news site (tests/feedserver.py, in this process: no outside network) serves
``--feeds`` feeds (RSS, Atom and news sitemaps) of ``--entries`` entries each and every
entry's article page (real Indonesian and English news sentences, each page different),
spread over ``--sites`` loopback addresses (127.0.0.1, 127.0.0.2, ...: separate sites for
the politeness delay, as separate outlets are). For each number of workers, a fresh copy of
the benchmark's database (``<DATABASE_URL's database>_watchbench``, made from a migrated
template) gets one watched source per feed, and that many Celery worker processes
(concurrency 1, the first with beat) poll, fetch and extract everything, with the product's
settings except the beat tick (1 s instead of 60 s: polling starts at once) and the
politeness delay between two requests to one site (``--host-delay``, 0.1 s instead of 2 s:
the entries of one feed are queued one after another and all on one site, so with 2 s the
rate is one page per 2 s per site whatever the number of workers; ``--host-delay 2`` shows it).

It prints, for each round, the articles per hour in all and per worker (from the moment the
sources are stored to the end of the last extraction: polls, fetches and extraction) and each round's throughput per
worker against one worker's, and checks on the way that every feed was read once, every
page fetched once and every article extracted by one job, once; a miss exits 1.
``--full`` adds the issue's 1,000 feeds x 20 entries with 2 workers (about an hour on two
cores). The queue is one of the benchmark's own on the given Redis, emptied at the end.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.api import bench_database_url, django_setup, maintenance_conninfo  # noqa: E402

READY_SECONDS = 180


@dataclass
class Round:
    workers: int
    feeds: int
    entries: int
    seconds: float
    claims: int
    problems: list[str]

    @property
    def articles(self) -> int:
        return self.feeds * self.entries

    @property
    def per_hour(self) -> float:
        return self.articles / self.seconds * 3600 if self.seconds else 0.0

    @property
    def per_worker(self) -> float:
        return self.per_hour / self.workers


def database_copy(server_url: str, template: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_conninfo(server_url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))


def database_drop(server_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_conninfo(server_url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def template_migrate(server_url: str, template: str, env: dict[str, str]) -> None:
    database_drop(server_url, template)
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_conninfo(server_url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
    result = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT,
                            env={**os.environ, **env, "DATABASE_URL": bench_database_url(server_url, template)},
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit("migrating the benchmark's template database failed:\n" + result.stderr[-3000:])


def workers_start(count: int, env: dict[str, str], logs: Path) -> list[tuple[subprocess.Popen, Path]]:
    started = []
    for n in range(count):
        log = logs / f"worker-{n}.log"
        command = [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--concurrency=1", "--pool=prefork",
                   "--without-gossip", "--without-mingle", "--loglevel=INFO",
                   f"--hostname=watchbench-{n}-{uuid.uuid4().hex[:6]}@%h"]
        if n == 0:
            command += ["--beat", f"--schedule={logs / 'celerybeat-schedule'}"]
        with log.open("ab") as out:
            started.append((subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                             start_new_session=True), log))
    deadline = time.monotonic() + READY_SECONDS
    for process, log in started:
        while " ready." not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                workers_stop(started)
                raise SystemExit(f"a worker did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
    return started


def workers_stop(started: list[tuple[subprocess.Popen, Path]]) -> None:
    for process, _log in started:
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=20)


def queue_purge(broker: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(broker)
    keys = [queue, *client.keys(f"{queue}\x06\x16*")]  # the queue and its priority lists
    client.delete(*keys)


def round_run(*, workers: int, feeds: int, entries: int, sites: int, server_url: str, template: str,
              database: str, env: dict[str, str], timeout: float) -> Round:
    from django.db import connections

    from tests.feedserver import FeedServer
    from tests.watchrun import exactly_once_problems, sources_create, tally

    connections.close_all()
    database_copy(server_url, template, database)
    queue = f"factcheck-watchbench-{uuid.uuid4().hex[:8]}"
    logs = Path(tempfile.mkdtemp(prefix="watchbench-"))
    started: list = []
    print(f"{workers} worker{'s' if workers > 1 else ''}: {feeds:,} feeds x {entries} entries "
          f"({feeds * entries:,} articles) ...", flush=True)
    with FeedServer(feeds=feeds, entries=entries, hosts=sites) as site:
        try:
            started = workers_start(workers, {**env, "CELERY_QUEUE": queue}, logs)
            from django.utils import timezone

            began_at = timezone.now()
            sources_create(site)
            began = time.monotonic()
            last_line = began
            while True:
                counts = tally()
                expected = feeds * entries
                if counts.jobs_finished >= expected and counts.entries >= expected:
                    break
                if time.monotonic() - began > timeout:
                    workers_stop(started)
                    raise SystemExit(f"not finished after {timeout:.0f} s: {counts.line()}\nlogs in {logs}")
                if time.monotonic() - last_line > 60:
                    print(f"  {time.monotonic() - began:5.0f} s: {counts.line()}", flush=True)
                    last_line = time.monotonic()
                time.sleep(2)
        finally:
            workers_stop(started)
            queue_purge(env["CELERY_BROKER_URL"], queue)
        counts = tally()
        problems = exactly_once_problems(site, counts)
    seconds = (counts.last_job_finished - began_at).total_seconds()
    result = Round(workers=workers, feeds=feeds, entries=entries, seconds=seconds, claims=counts.claims,
                   problems=problems)
    print(f"  {result.articles:,} articles in {seconds:,.0f} s: {result.per_hour:,.0f} articles/h, "
          f"{result.per_worker:,.0f} per worker; {counts.claims:,} claims "
          f"({counts.claims / max(1, counts.articles):.1f} per article); load average {os.getloadavg()[0]:.1f}",
          flush=True)
    for problem in problems:
        print(f"  NOT EXACTLY ONCE: {problem}", flush=True)
    if not problems:
        import shutil

        shutil.rmtree(logs, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=50, help="feeds on the local site")
    parser.add_argument("--entries", type=int, default=20, help="entries (article pages) per feed")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, one round each")
    parser.add_argument("--sites", type=int, default=50, help="loopback sites the feeds are spread over")
    parser.add_argument("--host-delay", default="0.1",
                        help="seconds between two requests to one site (the product's default is 2)")
    parser.add_argument("--full", action="store_true", help="also 1,000 feeds x 20 entries with 2 workers")
    parser.add_argument("--database", default=os.environ.get("BENCH_WATCH_DATABASE"),
                        help="the benchmark's own database (default: DATABASE_URL's name + '_watchbench')")
    parser.add_argument("--timeout", type=float, default=4 * 3600, help="seconds a round may take")
    args = parser.parse_args(argv)

    def on_term(signum, frame):  # noqa: ANN001, ANN202
        raise SystemExit(128 + signum)  # so that `finally` stops the workers

    signal.signal(signal.SIGTERM, on_term)

    server_url = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if urllib.parse.urlsplit(server_url).scheme not in {"postgres", "postgresql", "pgsql", "psql"} or not broker:
        print("Watching bench not run: it needs DATABASE_URL=postgres://user@host:port/db (it creates its own "
              "database there) and CELERY_BROKER_URL=redis://host:port/n (it uses a queue of its own).")
        return 0
    server_database = urllib.parse.urlsplit(server_url).path.lstrip("/") or "postgres"
    database = args.database or f"{server_database}_watchbench"
    if database == server_database:
        print(f"--database {database} is DATABASE_URL's own database; the bench drops it, give it another name.",
              file=sys.stderr)
        return 2
    template = f"{database}_template"
    counts = [int(n) for n in args.workers.split(",") if n.strip()]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FACTCHECK_", "CELERY_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DATABASE_URL": bench_database_url(server_url, database),
        "CELERY_BROKER_URL": broker,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LOG_LEVEL": "WARNING",
        "FACTCHECK_OUTBOUND_ALLOWED_HOSTS": "127.0.0.0/8",
        "FACTCHECK_WATCH_TICK_SECONDS": "1",
        "FACTCHECK_WATCH_HOST_DELAY_SECONDS": str(args.host_delay),
    }
    for name in ("FACTCHECK_DATASETS",):
        if os.environ.get(name):
            env[name] = os.environ[name]
    print(f"Watching outlets: a local site, {args.sites} loopback sites; workers are Celery processes of "
          f"concurrency 1 (the first runs beat); this machine has {os.cpu_count()} CPUs, which the workers, "
          "PostgreSQL, Redis and the site share.", flush=True)
    print(f"Migrating the template database {template} ...", flush=True)
    template_migrate(server_url, template, env)
    django_setup({k: v for k, v in env.items() if k != "CELERY_BROKER_URL"})
    rounds = []
    try:
        for workers in counts:
            rounds.append(round_run(workers=workers, feeds=args.feeds, entries=args.entries, sites=args.sites,
                                    server_url=server_url, template=template, database=database, env=env,
                                    timeout=args.timeout))
        if args.full:
            rounds.append(round_run(workers=2, feeds=1000, entries=20, sites=args.sites, server_url=server_url,
                                    template=template, database=database, env=env, timeout=args.timeout))
    finally:
        from django.db import connections

        connections.close_all()
        database_drop(server_url, database)
        database_drop(server_url, template)

    print()
    base = next((r for r in rounds if r.workers == 1), None)
    parts = []
    for r in rounds:
        scale = f" ({r.per_worker / base.per_worker:.2f} of one worker's, per worker)" if base and r is not base else ""
        parts.append(f"{r.workers} worker{'s' if r.workers > 1 else ''}: {r.per_hour:,.0f} articles/h "
                     f"({r.articles:,} articles, {r.per_worker:,.0f} per worker){scale}")
    print("Watching outlets, polled + fetched + extracted: " + "; ".join(parts))
    print(f"  on {os.cpu_count()} CPUs: past that many workers, more workers share the same cores.")
    failed = [r for r in rounds if r.problems]
    print("exactly once: " + ("every feed read once, every page fetched once, every article extracted by one job"
                              if not failed else f"MISSED in {len(failed)} round(s), see above"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
