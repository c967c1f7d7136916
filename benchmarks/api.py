"""Speed of the partner API: ``GET /api/v1/claims/`` against a bare Django view, same server, same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck .venv/bin/python benchmarks/api.py \
        [--claims 100000] [--duration 15] [--connections 8] [--workers 2] [--database NAME] [--fresh] [--strict]

``DATABASE_URL`` only says which PostgreSQL server to use: the benchmark works in its own
database, ``--database`` or ``$BENCH_DATABASE``, by default ``<DATABASE_URL's database>_bench``
(``factcheck_bench`` above), so people sharing a server don't drop each other's. It is reused
when it is fully migrated and holds exactly ``--claims`` claims, all published (a second run
starts in seconds); otherwise, or with ``--fresh``, it is dropped, created, migrated and
loaded again with COPY.

The API is measured twice, each time on its own server against the bare view on that same
server: uncached (``FACTCHECK_PUBLIC_CACHE_SECONDS=0``: every page built from the database,
which is what the goal is about) and cached (the default: pages served from the cache that
each publication expires). The last lines compare the uncached numbers with the goal.

The server is gunicorn with ``--workers`` sync workers (DEBUG=false) on a free port, with
``DJANGO_SETTINGS_MODULE=benchmarks.settings``: the product's settings plus ``/bench/bare/``
(see benchmarks/urls.py). Load comes from wrk (Debian package ``wrk``) or, when wrk is
missing, from a Python load generator in this process, which says so: its numbers are lower,
because it competes with the server for the CPU.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
API_PATH = "/api/v1/claims/"
BARE_PATH = "/bench/bare/"
GOAL_RATIO = 0.5
GOAL_P99_MS = 100.0
WARM_UP_SECONDS = 3
ROUNDS = 3  # the measured seconds on each URL come in this many slices, taking turns


# --------------------------------------------------------------------------- database


def bench_database_url(server_url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def maintenance_conninfo(server_url: str) -> str:
    """The server's ``postgres`` database, to create and drop the benchmark's own."""
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


def database_recreate(server_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_conninfo(server_url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_exists(server_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(maintenance_conninfo(server_url), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic needed
    import django

    django.setup()


def database_ready(n_claims: int) -> bool:
    """Fully migrated and holding exactly ``n_claims`` claims, all of them published."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from claims.choices import ClaimStatus
    from claims.models import Claim

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    total = Claim.objects.count()
    published = Claim.objects.filter(status=ClaimStatus.PUBLISHED, verdict__published_at__isnull=False).count()
    return total == published == n_claims


# --------------------------------------------------------------------------- fake data

SPEAKERS = [
    ("Prabowo Subianto", "Presiden Republik Indonesia"),
    ("Sri Mulyani Indrawati", "Menteri Keuangan"),
    ("Sjafrie Sjamsoeddin", "Menteri Pertahanan"),
    ("Retno Marsudi", "former Minister of Foreign Affairs"),
    ("Lloyd Austin", "United States Secretary of Defense"),
    ("Kim Jong Un", "Supreme Leader of North Korea"),
    ("Dave Laksono", "Wakil Ketua Komisi I DPR"),
    ("Budi Gunadi Sadikin", "Menteri Kesehatan"),
]
ENTITIES = [
    ("Indonesia", "GPE"), ("North Korea", "GPE"), ("Kementerian Pertahanan", "ORG"), ("DPR", "ORG"),
    ("PT Pindad", "ORG"), ("Bank Indonesia", "ORG"), ("United States", "GPE"), ("Russia", "GPE"),
    ("TNI", "ORG"), ("Jakarta", "GPE"), ("Dassault Rafale", "PRODUCT"), ("IMF", "ORG"),
]
OUTLETS = ["Tempo", "Kompas", "Detik", "The Jakarta Post", "Reuters", "CNN Indonesia", "Antara"]
CLAIMS_ID = [
    "Anggaran pertahanan tahun {y} mencapai Rp {n} triliun, naik {p} persen dibandingkan tahun sebelumnya, "
    "menurut {s} dalam rapat kerja.",
    "Indonesia telah membeli {n} unit pesawat tempur dan {p} kapal selam sejak {y}, kata {s} kepada wartawan.",
    "Inflasi tahunan turun menjadi {p} persen pada {y}, terendah dalam {n} tahun terakhir, ujar {s} di Jakarta.",
    "PT Pindad memproduksi {n} juta butir amunisi per tahun dan mengekspor {p} persen ke luar negeri sejak {y}.",
]
CLAIMS_EN = [
    "The defence budget for {y} reached {n} trillion rupiah, up {p} percent from the previous year, "
    "{s} told parliament.",
    "North Korea has shipped {n} million artillery shells to Russia since {y}, about {p} percent of its output, "
    "{s} said.",
    "Inflation fell to {p} percent in {y}, the lowest in {n} years, according to {s} speaking in Jakarta.",
    "Indonesia imports {p} percent of its ammunition, spending {n} million dollars a year since {y}, {s} claimed.",
]
WORDS = ("pemerintah anggaran pertahanan menteri laporan rapat kerja komisi data resmi tahun "
         "government budget defence minister report committee official figures year army navy "
         "procurement contract ammunition inflation price market export import").split()
REASON_POOL = [
    "number: percent", "number: money", "named actor", "comparison over time", "model 0.{d}",
    "statistic with a source", "official speaker", "verifiable quantity", "hedged: reportedly",
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    size = 0
    while size < chars:
        s = sentence(rng, rng.randint(8, 16))
        out.append(s)
        size += len(s) + 1
    return " ".join(out)


class Rows:
    """Full rows for COPY: every concrete column, with the model's defaults for what is not given."""

    def __init__(self, model) -> None:  # noqa: ANN001
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.rows: list[tuple] = []

    def add(self, now: datetime, **values) -> None:  # noqa: ANN003
        from django.db.models import JSONField

        row = []
        for field in self.fields:
            if field.attname in values:
                value = values[field.attname]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
            if isinstance(field, JSONField):
                value = json.dumps(value, ensure_ascii=False)
            row.append(value)
        self.rows.append(tuple(row))

    def copy(self, cursor) -> None:  # noqa: ANN001
        from psycopg import sql

        table = self.model._meta.db_table
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, self.columns))
        )
        with cursor.copy(statement) as copy:
            for row in self.rows:
                copy.write_row(row)
        self.rows.clear()


def claims_load(n_claims: int, seed: int = 6) -> None:
    """N published fact-checks: 4 claims per article, each with a verdict and a source, topics on some."""
    from django.db import connection, transaction

    from claims.choices import ClaimStatus, ClaimType, Stance
    from claims.models import Article, Claim, Rating, Source, Topic, Verdict

    rng = random.Random(seed)
    now = datetime.now(UTC)
    ratings = list(Rating.objects.values_list("id", flat=True))  # one scale; labels per language
    topics = list(Topic.objects.values_list("id", flat=True))
    claim_types = [c for c in ClaimType.values if c not in (ClaimType.OPINION, ClaimType.PERSONAL)]
    stances = list(Stance.values)
    filler = [paragraph(rng, 700) for _ in range(40)]
    through = Claim.topics.through

    per_article = 4
    batch_articles = 2500
    claim_id = 0
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor, for COPY
        articles, claims, verdicts, sources, links = (
            Rows(Article), Rows(Claim), Rows(Verdict), Rows(Source), Rows(through)
        )
        n_articles = -(-n_claims // per_article)
        link_id = 0
        for article_id in range(1, n_articles + 1):
            language = "id" if article_id % 3 else "en"
            templates = CLAIMS_ID if language == "id" else CLAIMS_EN
            outlet = OUTLETS[article_id % len(OUTLETS)]
            body_parts: list[str] = [f"JAKARTA ({outlet}) - Laporan {article_id}."]
            spans: list[tuple[int, int, str, tuple[str, str]]] = []
            count = min(per_article, n_claims - claim_id)
            for _ in range(count):
                body_parts.append(rng.choice(filler))
                speaker = rng.choice(SPEAKERS)
                text = rng.choice(templates).format(
                    y=rng.randint(2015, 2025), n=rng.randint(2, 900), p=rng.randint(2, 60), s=speaker[0]
                )
                offset = sum(len(p) + 1 for p in body_parts)
                body_parts.append(text)
                spans.append((offset, offset + len(text), text, speaker))
            body_parts.append(rng.choice(filler))
            body = " ".join(body_parts)
            published = now - timedelta(days=article_id // 20, minutes=rng.randint(0, 600))
            articles.add(
                now, id=article_id, title=f"{sentence(rng, 9)[:-1]} ({article_id})", body=body,
                url=f"https://{outlet.lower().replace(' ', '')}.example/{published:%Y/%m/%d}/berita-{article_id}",
                outlet=outlet, author=rng.choice(["Redaksi", "Rina Wulandari", "Ahmad Fauzi", "Staff"]),
                published_at=published, language=language,
                content_hash=hashlib.sha256(body.encode()).hexdigest(), source_name="benchmark",
            )
            for start, end, text, (speaker, role) in spans:
                claim_id += 1
                entities = rng.sample(ENTITIES, 3)
                entity_rows = [
                    {"text": name, "canonical": name, "label": label, "start": 0, "end": len(name), "value": None}
                    for name, label in entities
                ]
                reasons = [r.format(d=rng.randint(50, 99)) for r in rng.sample(REASON_POOL, 4)]
                claims.add(
                    now, id=claim_id, article_id=article_id, text=text, start=start, end=end,
                    context=body[max(0, start - 200):end + 200], speaker=speaker, speaker_role=role,
                    attribution="kata" if language == "id" else "said", hedge=rng.choice(["", "", "", "reportedly"]),
                    claim_type=rng.choice(claim_types), language=language, score=round(rng.random(), 3),
                    reasons=reasons, entities=entity_rows, entity_names="; ".join(sorted(n for n, _ in entities)),
                    status=ClaimStatus.PUBLISHED, extractor_version="bench-1",
                )
                verdict_time = published + timedelta(hours=rng.randint(2, 72), seconds=claim_id % 3600)
                verdicts.add(
                    now, id=claim_id, claim_id=claim_id, rating_id=rng.choice(ratings), language=language,
                    headline=sentence(rng, 12)[:-1], summary=paragraph(rng, 300),
                    rationale=paragraph(rng, 900), published_at=verdict_time,
                )
                sources.add(
                    now, id=claim_id, claim_id=claim_id,
                    url=f"https://data.example.go.id/laporan/{claim_id}", title=sentence(rng, 8)[:-1],
                    publisher=rng.choice(["Badan Pusat Statistik", "Kementerian Keuangan", "SIPRI", "IMF"]),
                    quote=paragraph(rng, 200), stance=rng.choice(stances),
                    archived_url=f"https://web.archive.org/web/2025/https://data.example.go.id/laporan/{claim_id}",
                    checked_at=verdict_time,
                )
                if topics and claim_id % 3 == 0:
                    for topic_id in rng.sample(topics, min(len(topics), 1 + claim_id % 2)):
                        link_id += 1
                        links.add(now, id=link_id, claim_id=claim_id, topic_id=topic_id)
            if article_id % batch_articles == 0 or article_id == n_articles:
                for rows in (articles, claims, verdicts, sources, links):
                    rows.copy(cursor)
        for model in (Article, Claim, Verdict, Source, through):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our own table names
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
    with connection.cursor() as django_cursor:
        django_cursor.execute("ANALYZE")


def api_key_for_bench() -> str:
    """A fresh read key for the partner 'Benchmark', whose rate limit the load never reaches."""
    from claims.models import Partner
    from claims.services import api_key_create

    partner, _ = Partner.objects.update_or_create(
        name="Benchmark", defaults={"rate_limit_per_minute": 100_000_000, "is_active": True}
    )
    partner.keys.all().delete()
    _, key = api_key_create(partner=partner, scopes=["read"], name="benchmarks/api.py")
    return key


def profile_in_process(key: str, runs: int = 15) -> dict:
    """Queries, SQL time and total time of one API page (uncached) and one bare page, in this process."""
    from django.test.utils import override_settings

    with override_settings(FACTCHECK_PUBLIC_CACHE_SECONDS=0):
        return _profile_in_process(key, runs)


def _profile_in_process(key: str, runs: int) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    out = {}
    for name, path, headers in (("api", API_PATH, {"HTTP_AUTHORIZATION": f"Api-Key {key}"}), ("bare", BARE_PATH, {})):
        totals, sqls, counts = [], [], []
        for _ in range(runs):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path, **headers)
                totals.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code} in process: {response.content[:300]!r}")
            counts.append(len(ctx.captured_queries))
            sqls.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]))
        out[name] = {
            "queries": statistics.median(counts), "sql_ms": statistics.median(sqls),
            "total_ms": statistics.median(totals), "slowest_query_ms": float(slowest["time"]) * 1000,
            "slowest_query": slowest["sql"][:160],
        }
    return out


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def gunicorn_start(port: int, workers: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn) if gunicorn.exists() else "gunicorn", "factcheck.wsgi", "-w", str(workers),
               "-k", "sync", "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                status, _ = http_get(port, BARE_PATH)
                if status == 200:
                    return process
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within 30 s:\n{log.read_text()[-3000:]}")
    except BaseException:
        gunicorn_stop(process)  # the caller never got it, so cannot stop it
        raise


def gunicorn_stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)  # the arbiter and its workers: the group we started
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=5)


# --------------------------------------------------------------------------- load


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    ok: int
    not_ok: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @classmethod
    def combined(cls, rounds: list[Result]) -> Result:
        """Several slices of load on one URL as one: the median slice's p50, the worst p99."""
        return cls(requests=sum(r.requests for r in rounds), seconds=sum(r.seconds for r in rounds),
                   p50_ms=statistics.median(r.p50_ms for r in rounds), p99_ms=max(r.p99_ms for r in rounds),
                   ok=sum(r.ok for r in rounds), not_ok=sum(r.not_ok for r in rounds),
                   socket_errors=sum(r.socket_errors for r in rounds))


WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; bad = 0 end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, t in ipairs(threads) do ok = ok + t:get("ok"); bad = bad + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "ok": %d, "bad": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), ok, bad,
    e.connect + e.read + e.write + e.timeout))
end
"""


def load_wrk(wrk: str, url: str, headers: dict[str, str], seconds: int, connections: int, script: Path) -> Result:
    command = [wrk, "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    data = json.loads(line[len("BENCH "):])
    return Result(requests=data["requests"], seconds=data["duration_us"] / 1e6, p50_ms=data["p50_us"] / 1000,
                  p99_ms=data["p99_us"] / 1000, ok=data["ok"], not_ok=data["bad"],
                  socket_errors=data["socket_errors"])


def load_python(port: int, path: str, headers: dict[str, str], seconds: int, connections: int) -> Result:
    """One thread per connection, each a request after the other, for ``seconds``."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    statuses: list[dict[int, int]] = [{} for _ in range(connections)]
    errors = [0] * connections
    deadline = time.monotonic() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            latencies[i].append((time.perf_counter() - started) * 1000)
            statuses[i][response.status] = statuses[i].get(response.status, 0) + 1
            if response.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    every = sorted(x for per in latencies for x in per)
    ok = sum(s.get(200, 0) for s in statuses)
    total = sum(sum(s.values()) for s in statuses)
    q = statistics.quantiles(every, n=100) if len(every) > 1 else [every[0] if every else 0.0] * 99
    return Result(requests=total, seconds=elapsed, p50_ms=q[49], p99_ms=q[98], ok=ok, not_ok=total - ok,
                  socket_errors=sum(errors))


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000, help="published claims in the database")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load on each URL")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE"),
                        help="the benchmark's own database (default: $BENCH_DATABASE, else DATABASE_URL's "
                        "database name + '_bench')")
    parser.add_argument("--fresh", action="store_true", help="drop and reload the database even if it fits")
    parser.add_argument("--python-load", action="store_true", help="use the Python load generator, not wrk")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)

    def on_term(signum, frame):  # noqa: ANN001, ANN202
        raise SystemExit(128 + signum)  # so that `finally` stops gunicorn

    signal.signal(signal.SIGTERM, on_term)

    server_url = os.environ.get("DATABASE_URL", "")
    if urllib.parse.urlsplit(server_url).scheme not in {"postgres", "postgresql", "pgsql", "psql"}:
        print("The API bench needs DATABASE_URL=postgres://user@host:port/db (a PostgreSQL server; "
              "it creates its own database there).", file=sys.stderr)
        return 2
    server_database = urllib.parse.urlsplit(server_url).path.lstrip("/") or "postgres"
    args.database = args.database or f"{server_database}_bench"
    if args.database == server_database:
        print(f"--database {args.database} is DATABASE_URL's own database; the bench drops and reloads "
              "its database, so give it another name.", file=sys.stderr)
        return 2
    bench_url = bench_database_url(server_url, args.database)
    env = {
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    # Anything that would change how the server behaves between runs comes from here, not the shell.
    for name in ("CACHE_URL", "CELERY_BROKER_URL", "FACTCHECK_API_ANONYMOUS_READ", "SECURE_SSL_REDIRECT",
                 "FACTCHECK_PUBLIC_CACHE_SECONDS"):
        os.environ.pop(name, None)

    wrk = None if args.python_load else shutil.which("wrk")
    if wrk is None and not args.python_load:
        print("NOTE: wrk is not installed (Debian: apt-get install -y wrk), so the load comes from a Python "
              "generator in this process; it competes with the server for the CPU, so the numbers are lower "
              "than wrk's.", flush=True)

    load_before = os.getloadavg()[0]
    started = time.monotonic()
    fresh = args.fresh or not database_exists(server_url, args.database)
    if not fresh:
        django_setup(env)
        fresh = not database_ready(args.claims)
        if fresh:
            from django.db import connections

            connections.close_all()
    if fresh:
        print(f"Creating database {args.database} with {args.claims:,} published claims...", flush=True)
        database_recreate(server_url, args.database)
        if "django" not in sys.modules:
            django_setup(env)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        claims_load(args.claims)
        print(f"  loaded in {time.monotonic() - started:.1f} s", flush=True)
    else:
        print(f"Reusing database {args.database}: migrated, {args.claims:,} published claims "
              "(--fresh reloads it).", flush=True)
    key = api_key_for_bench()
    profile = profile_in_process(key)
    from django.db import connections

    connections.close_all()

    tool = f"wrk, {min(2, args.connections)} threads" if wrk else "Python load generator"
    runs = {}
    for mode, cache_seconds in (("uncached", "0"), ("cached", "300")):
        print(f"API {mode} (FACTCHECK_PUBLIC_CACHE_SECONDS={cache_seconds}): warming up {WARM_UP_SECONDS} s "
              f"and measuring {args.duration} s on each URL...", flush=True)
        runs[mode] = measure({**env, "FACTCHECK_PUBLIC_CACHE_SECONDS": cache_seconds}, key, args, wrk)
    load_after = os.getloadavg()[0]

    print()
    print(f"GET {API_PATH} vs a bare Django view: {args.claims:,} published claims in PostgreSQL ({args.database}), "
          f"gunicorn {args.workers} sync workers, {args.connections} connections, {args.duration} s each ({tool})")
    print(f"{'':34}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'bytes':>9}{'requests':>10}{'non-200':>9}{'sock err':>9}"
          f"{'x bare':>8}")
    for mode, run in runs.items():
        for name, result in ((f"API {mode:8} {API_PATH}", run.api), (f"  bare, same server {BARE_PATH}", run.bare)):
            ratio = f"{run.ratio:8.2f}" if result is run.api else ""
            print(f"{name:34}{result.rps:9.0f}{result.p50_ms:9.1f}{result.p99_ms:9.1f}{run.size:9d}"
                  f"{result.requests:10d}{result.not_ok:9d}{result.socket_errors:9d}{ratio}")
    print(f"in process, median of 15, uncached: API {profile['api']['queries']:.0f} queries, "
          f"{profile['api']['sql_ms']:.1f} ms SQL of {profile['api']['total_ms']:.1f} ms "
          f"(slowest query {profile['api']['slowest_query_ms']:.1f} ms); bare {profile['bare']['queries']:.0f} "
          f"query, {profile['bare']['sql_ms']:.1f} ms SQL of {profile['bare']['total_ms']:.1f} ms")
    print(f"load average (1 min) {load_before:.1f} before, {load_after:.1f} after on {os.cpu_count()} CPUs: "
          "server, PostgreSQL and load generator share them; anything else running skews every URL")

    uncached = runs["uncached"]
    ratio_met = uncached.ratio >= GOAL_RATIO
    p99_met = uncached.api.p99_ms < GOAL_P99_MS
    print()
    print(f"GOAL, uncached at {args.claims:,} claims: throughput {uncached.ratio:.2f} x bare "
          f"(goal >= {GOAL_RATIO}): {'met' if ratio_met else 'MISSED'}; "
          f"p99 {uncached.api.p99_ms:.0f} ms (goal < {GOAL_P99_MS:.0f} ms): {'met' if p99_met else 'MISSED'}")
    print(f"     cached, for reference: {runs['cached'].ratio:.2f} x bare, p99 {runs['cached'].api.p99_ms:.0f} ms")
    problems = [f"{mode}: not every response was a 200 (see non-200 / sock err)" for mode, run in runs.items()
                if run.api.not_ok or run.bare.not_ok or run.api.socket_errors or run.bare.socket_errors]
    for problem in problems:
        print(f"ERROR: {problem}")
    if problems:
        return 1
    return 1 if args.strict and not (ratio_met and p99_met) else 0


@dataclass
class Run:
    """The API and the bare view measured on one server, one after the other."""

    api: Result
    bare: Result
    size: int

    @property
    def ratio(self) -> float:
        return self.api.rps / self.bare.rps if self.bare.rps else 0.0


def measure(env: dict[str, str], key: str, args: argparse.Namespace, wrk: str | None) -> Run:
    """Start gunicorn with ``env``, check both URLs, warm up, load each for ``args.duration`` s."""
    api_headers = {"Authorization": f"Api-Key {key}"}
    port = free_port()
    process = None
    log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
    script = Path(tempfile.mkstemp(prefix="bench-wrk-", suffix=".lua")[1])
    script.write_text(WRK_SCRIPT)
    try:
        process = gunicorn_start(port, args.workers, env, log)
        status, api_body = http_get(port, API_PATH, api_headers)
        if status != 200:
            raise SystemExit(f"{API_PATH} answered {status}: {api_body[:300]!r}")
        page = json.loads(api_body)
        if len(page["results"]) != 20:
            raise SystemExit(f"{API_PATH} returned {len(page['results'])} fact-checks, not 20")
        bare_path = f"{BARE_PATH}?bytes={len(api_body)}"
        status, bare_body = http_get(port, bare_path)
        if status != 200:
            raise SystemExit(f"{BARE_PATH} answered {status}")
        if len(bare_body) != len(api_body):
            raise SystemExit(f"{BARE_PATH} sent {len(bare_body)} bytes, the API {len(api_body)}")

        def run(path: str, headers: dict[str, str], seconds: int) -> Result:
            if wrk:
                return load_wrk(wrk, f"http://127.0.0.1:{port}{path}", headers, seconds, args.connections, script)
            return load_python(port, path, headers, seconds, args.connections)

        run(API_PATH, api_headers, WARM_UP_SECONDS)
        run(bare_path, {}, WARM_UP_SECONDS)
        # Turn about in short slices, so that a change in the machine's load (someone's test
        # suite starting) falls on both URLs rather than on one.
        seconds = max(1, round(args.duration / ROUNDS))
        api_rounds, bare_rounds = [], []
        for _ in range(ROUNDS):
            api_rounds.append(run(API_PATH, api_headers, seconds))
            bare_rounds.append(run(bare_path, {}, seconds))
    finally:
        gunicorn_stop(process)
        script.unlink(missing_ok=True)
        log.unlink(missing_ok=True)
    return Run(api=Result.combined(api_rounds), bare=Result.combined(bare_rounds), size=len(api_body))


if __name__ == "__main__":
    sys.exit(main())
