"""Fault injection: our own Redis and PostgreSQL stopped and restarted under gunicorn and real
Celery workers (tests/integration/chaos.py), then everything counted.

Partners submit through the API while Redis is killed, shut down cleanly, and restarted with
its data gone; PostgreSQL crashes while the workers are busy; verdicts are published while
Redis is down. Afterwards: every answer was JSON (202, 200 or 503, never a 500), every article
has exactly one succeeded job, its claims are exactly what the extractor finds in its text
(none lost, none doubled), and every partner got every webhook exactly once.
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import psycopg
import pytest
import requests

from claims import nlp
from claims.ingest import plain_to_article
from tests.conftest import SEED
from tests.integration import chaos

pytestmark = pytest.mark.integration

# How long the desk may take to catch up after an outage: a sweep every two seconds,
# a fifteen-second lease and the workers' own retries all fit well inside.
SETTLE_SECONDS = 90
# Redis stays away at least this long each time (PostgreSQL: POSTGRES_OUTAGE_SECONDS).
OUTAGE_SECONDS = 4
POSTGRES_OUTAGE_SECONDS = 15
PROBLEMS_SHOWN = int(os.environ.get("FACTCHECK_CHAOS_PROBLEMS_SHOWN", "12"))


@pytest.fixture(scope="module")
def stack():
    chaos.require_tools()
    with chaos.running_stack() as running:
        yield running


# --------------------------------------------------------------------------- articles


@dataclass(frozen=True)
class Text:
    title: str
    text: str
    language: str

    def payload(self) -> dict:
        return {"title": self.title, "text": self.text, "language": self.language}


SEED_LINES = plain_to_article(SEED.read_text(encoding="utf-8")).body.split("\n")
ENGLISH = (
    "The finance minister said on Tuesday that inflation fell to {a}.{b} percent in March, the lowest since {y}.",
    "According to the central bank, exports rose by {a} percent compared with last year.",
    "Critics claimed the new law would cost taxpayers {a} billion dollars over {b} years.",
    "The governor said {a}0,000 new homes were connected to the grid in {y}.",
)


def corpus(label: str, count: int, *, long_every: int = 0, long_repeats: int = 60) -> list[Text]:
    """Distinct articles: short ones in Indonesian and English, and every ``long_every``-th a
    long one (the seed article ``long_repeats`` times), so that the workers are busy."""
    texts = []
    for i in range(count):
        title = f"Chaos {label} {i}"
        if long_every and i % long_every == long_every - 1:
            body = "\n".join(f"({label} {i}.{n}) {line}" for n in range(long_repeats) for line in SEED_LINES)
            texts.append(Text(title, body, "id"))
        elif i % 3 == 2:
            body = " ".join(s.format(a=i + 3, b=(i * 7) % 10, y=2000 + i % 24) for s in ENGLISH)
            texts.append(Text(title, f"({label} {i}) {body}", "en"))
        else:
            lines = [SEED_LINES[(i + k) % len(SEED_LINES)] for k in range(3)]
            texts.append(Text(title, "\n".join(f"[{label} {i}.{k}] {line}" for k, line in enumerate(lines)), "id"))
    return texts


# --------------------------------------------------------------------------- submitting


@dataclass
class Answer:
    text: Text
    phase: str
    status: int | None
    content_type: str = ""
    body: str = ""

    @property
    def accepted(self) -> bool:
        return self.status in (200, 202)

    def problem(self) -> str | None:
        where = f"{self.text.title!r} ({self.phase})"
        if self.status is None:
            return f"{where}: no answer ({self.body})"
        if self.status not in (200, 202, 503):
            return f"{where}: answered {self.status} {self.content_type} {self.body[:120]!r}"
        if not self.content_type.startswith("application/json"):
            return f"{where}: answered {self.status} as {self.content_type or 'no content type'}, not JSON"
        try:
            data = json.loads(self.body)
        except ValueError:
            return f"{where}: answered {self.status} with a body that is not JSON"
        if self.status == 503 and not isinstance(data.get("error"), dict):
            return f"{where}: a 503 without the API's error shape: {self.body[:120]!r}"
        if self.accepted and "id" not in data:
            return f"{where}: a {self.status} without the job: {self.body[:120]!r}"
        return None


def submit(stack: chaos.Stack, text: Text, phase: str) -> Answer:
    try:
        response = stack.api("POST", "/api/v1/articles/", json=text.payload())
    except requests.RequestException as exc:
        return Answer(text, phase, None, body=repr(exc)[:200])
    return Answer(text, phase, response.status_code, response.headers.get("Content-Type", ""),
                  response.text[:2000])


def submit_all(stack: chaos.Stack, texts: list[Text], phase: str, threads: int = 2) -> list[Answer]:
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda text: submit(stack, text, phase), texts))


def resubmit_refused(stack: chaos.Stack, answers: list[Answer], *, timeout: float = 60) -> list[Answer]:
    """What a partner does with a 503: send the same article again until it is taken."""
    again = []
    for answer in answers:
        if answer.accepted:
            continue
        deadline = time.monotonic() + timeout
        while True:
            retry = submit(stack, answer.text, "resubmitted")
            again.append(retry)
            if retry.accepted or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    return again


def answer_problems(answers: list[Answer]) -> list[str]:
    problems = [p for p in (a.problem() for a in answers) if p]
    last: dict[str, Answer] = {}
    for answer in answers:
        last[answer.text.title] = answer
    problems += [f"{title!r}: never taken, last answer {a.status}" for title, a in last.items() if not a.accepted]
    return problems


# --------------------------------------------------------------------------- counting


def _started(stack: chaos.Stack, texts: list[Text]) -> bool:
    """A worker has taken at least one of these articles' jobs."""
    try:
        return bool(stack.postgres.query(
            "SELECT 1 FROM claims_extractionjob j JOIN claims_article a ON a.id = j.article_id "
            "WHERE j.status <> 'queued' AND a.title = ANY(%s)", [t.title for t in texts]))
    except psycopg.Error:
        return False


def _settled(stack: chaos.Stack, titles: list[str]) -> bool:
    """Every article is stored and none of its jobs is still queued or running."""
    try:
        rows = stack.postgres.query(
            "SELECT a.title, j.status FROM claims_article a "
            "LEFT JOIN claims_extractionjob j ON j.article_id = a.id WHERE a.title = ANY(%s)", titles)
    except psycopg.Error:
        return False
    return len({title for title, _ in rows}) == len(titles) and all(
        status in ("succeeded", "failed") for _, status in rows
    )


def extraction_problems(stack: chaos.Stack, texts: list[Text]) -> tuple[list[str], str]:
    """Wait for the desk to settle, then compare every article's jobs and claims with what
    the extractor finds in its text. Returns the problems and a one-line summary."""
    titles = [t.title for t in texts]
    chaos.wait_until(lambda: _settled(stack, titles), timeout=SETTLE_SECONDS, interval=0.5)
    time.sleep(3 * chaos.SWEEP_SECONDS)  # a message sent twice would run a job twice by now

    articles = {title: (pk, body, language) for pk, title, body, language in stack.postgres.query(
        "SELECT id, title, body, language FROM claims_article WHERE title = ANY(%s)", titles)}
    ids = [row[0] for row in articles.values()]
    jobs: dict[int, list[tuple[str, int | None]]] = {}
    for article_id, status, found in stack.postgres.query(
            "SELECT article_id, status, claims_found FROM claims_extractionjob "
            "WHERE article_id = ANY(%s) ORDER BY id", ids):
        jobs.setdefault(article_id, []).append((status, found))
    spans: dict[int, list[tuple[int, int]]] = {}
    for article_id, start, end in stack.postgres.query(
            'SELECT article_id, start, "end" FROM claims_claim WHERE article_id = ANY(%s)', ids):
        spans.setdefault(article_id, []).append((start, end))

    problems: list[str] = []
    expected_total = stored_total = missing_total = extra_total = doubled_total = 0
    good_jobs = 0
    for text in texts:
        if text.title not in articles:
            problems.append(f"{text.title!r}: the article was never stored")
            continue
        pk, body, language = articles[text.title]
        statuses = [status for status, _ in jobs.get(pk, [])]
        if statuses == ["succeeded"]:
            good_jobs += 1
        else:
            problems.append(f"{text.title!r}: jobs {statuses or 'none'}; expected exactly one succeeded job")
        expected = {(c.start, c.end) for c in nlp.extract(body, language or None, title=text.title)}
        stored = spans.get(pk, [])
        missing = expected - set(stored)
        extra = set(stored) - expected
        doubled = len(stored) - len(set(stored))
        expected_total += len(expected)
        stored_total += len(stored)
        missing_total += len(missing)
        extra_total += len(extra)
        doubled_total += doubled
        if missing or extra or doubled:
            problems.append(f"{text.title!r}: {len(stored)} claims stored, {len(expected)} expected "
                            f"({len(missing)} missing, {len(extra)} unexpected, {doubled} doubled)")
        found = [f for status, f in jobs.get(pk, []) if status == "succeeded"]
        if found and found[-1] != len(expected):
            problems.append(f"{text.title!r}: the job says {found[-1]} claims, the text has {len(expected)}")
    summary = (f"{len(texts)} articles, {len(articles)} stored, {good_jobs} with exactly one succeeded job; "
               f"claims {stored_total} stored of {expected_total} expected: {missing_total} missing, "
               f"{extra_total} unexpected, {doubled_total} doubled")
    return problems, summary


def report(summary: str, problems: list[str], stack: chaos.Stack) -> str:
    shown = problems[:PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    lines = [summary, *shown] + ([f"... and {more} more"] if more > 0 else [])
    return "\n".join(lines) + "\n" + stack.diagnostics()


# --------------------------------------------------------------------------- scenarios


def test_redis_killed_stopped_and_emptied_loses_no_article_job_or_claim(stack):
    """Partners keep submitting while Redis is SIGKILLed, shut down cleanly and restarted
    with its data lost. Every answer is JSON (202/200, or 503 while the broker is away);
    the refused ones are sent again; in the end each article was extracted exactly once."""
    texts = corpus("redis", 34, long_every=3)
    answers: list[Answer] = []
    batches = iter([texts[i:i + 10] for i in range(0, 30, 10)])
    for how in ("kill", "stop", "lose"):
        batch = next(batches)
        # Six articles (two long ones) with Redis up; once the workers are at them (and the
        # broker holds the rest), Redis goes away and four more are sent.
        answers += submit_all(stack, batch[:6], f"before Redis {how}")
        chaos.wait_until(lambda batch=batch: _started(stack, batch[:6]), timeout=30)
        stack.redis_outage(how)
        down_since = time.monotonic()
        try:
            answers += submit_all(stack, batch[6:], f"Redis down ({how})")
            time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_since)))
        finally:
            stack.redis.start()
    answers += submit_all(stack, texts[30:], "after the outages")
    answers += resubmit_refused(stack, answers)

    problems, summary = extraction_problems(stack, texts)
    statuses = {}
    for answer in answers:
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
    summary = f"answers {statuses}; {summary}; worker exits {stack.worker_exits() or 'none'}"
    print(summary)
    problems = answer_problems(answers) + problems
    assert not problems, report(summary, problems, stack)


def test_postgresql_crash_while_workers_are_busy_loses_no_job_or_claim(stack):
    """PostgreSQL crashes for fifteen seconds while the workers extract long articles; once
    it is back, every job ends succeeded and no claim is missing or doubled."""
    texts = corpus("postgres", 12, long_every=2, long_repeats=40)
    answers = submit_all(stack, texts, "PostgreSQL up")
    long_titles = [t.title for t in texts if len(t.text) > 10_000]

    def busy() -> bool:
        return bool(stack.postgres.query(
            "SELECT 1 FROM claims_extractionjob j JOIN claims_article a ON a.id = j.article_id "
            "WHERE j.status = 'running' AND a.title = ANY(%s)", long_titles))

    chaos.wait_until(busy, timeout=30, interval=0.05)
    stack.postgres.stop("immediate")
    try:
        time.sleep(POSTGRES_OUTAGE_SECONDS)
    finally:
        stack.postgres.start()

    problems, summary = extraction_problems(stack, texts)
    print(summary)
    problems = answer_problems(answers) + problems
    assert not problems, report(summary, problems, stack)


def publish(stack: chaos.Stack, claim_ids: list[int]) -> dict:
    """Publish through the services in a process of its own; what went wrong is in "errors"."""
    run = stack.action("publish", *map(str, claim_ids))
    try:
        return json.loads(run.stdout)
    except ValueError:
        return {"published": [], "errors": [f"the publishing process failed: {run.stderr[-1000:]}"]}


def test_verdicts_published_while_redis_is_down_reach_every_partner_once(stack):
    """Three partners have webhooks. Two verdicts are published with Redis up and four while
    it is down; once Redis is back, each partner has received each delivery exactly once."""
    with chaos.WebhookReceiver() as receiver:
        prepared = stack.action("webhooks_prepare", receiver.base_url, "3", "6")
        assert prepared.returncode == 0, prepared.stderr[-3000:]
        claims = json.loads(prepared.stdout)["claims"]

        before = publish(stack, claims[:2])
        stack.redis_outage("kill")
        try:
            during = publish(stack, claims[2:])
        finally:
            stack.redis.start()

        def deliveries() -> list[tuple[int, str]]:
            return stack.postgres.query(
                "SELECT id, status FROM claims_webhookdelivery WHERE claim_id = ANY(%s)", claims)

        def all_received() -> bool:
            rows = deliveries()
            got = receiver.counts()
            return len(rows) == 3 * len(claims) and all(str(pk) in got for pk, _ in rows)

        chaos.wait_until(all_received, timeout=SETTLE_SECONDS, interval=0.5)
        time.sleep(3 * chaos.SWEEP_SECONDS)  # a delivery sent twice would have arrived by now
        rows = deliveries()
        got = receiver.counts()

    problems = [f"publishing with Redis up: {e}" for e in before["errors"]]
    problems += [f"publishing with Redis down (a 500 for the publisher): {e}" for e in during["errors"]]
    published = stack.postgres.query(
        "SELECT count(*) FROM claims_claim WHERE id = ANY(%s) AND status = 'published'", claims)[0][0]
    if published != len(claims):
        problems.append(f"{published} of {len(claims)} verdicts are published")
    if len(rows) != 3 * len(claims):
        problems.append(f"{len(rows)} webhook deliveries recorded, expected {3 * len(claims)}")
    unsent = [pk for pk, _ in rows if got[str(pk)] == 0]
    twice = {pk: got[str(pk)] for pk, _ in rows if got[str(pk)] > 1}
    unknown = set(got) - {str(pk) for pk, _ in rows}
    undelivered = [(pk, status) for pk, status in rows if status != "delivered"]
    if unsent:
        problems.append(f"{len(unsent)} of {len(rows)} deliveries never reached the partner: {unsent}")
    if twice:
        problems.append(f"deliveries received more than once: {twice}")
    if unknown:
        problems.append(f"deliveries the desk has no record of: {sorted(unknown)}")
    if undelivered:
        problems.append(f"deliveries not marked delivered: {undelivered}")
    summary = (f"{len(claims)} verdicts, {len(rows)} deliveries recorded, {sum(got.values())} received "
               f"({len(unsent)} unsent, {len(twice)} more than once)")
    print(summary)
    assert not problems, report(summary, problems, stack)


def test_the_api_answers_json_while_postgresql_is_down(stack):
    """With the database away, partners get a 503 in the API's error shape, not an HTML 500."""
    stack.postgres.stop("fast")
    try:
        answers = [
            submit(stack, Text("Chaos no database", "The minister said 40 schools were closed in 2023.", "en"),
                   "PostgreSQL down"),
        ]
        try:
            response = stack.api("GET", "/api/v1/jobs/1/")
            answers.append(Answer(Text("GET /api/v1/jobs/1/", "", "en"), "PostgreSQL down",
                                  response.status_code, response.headers.get("Content-Type", ""),
                                  response.text[:2000]))
        except requests.RequestException as exc:
            answers.append(Answer(Text("GET /api/v1/jobs/1/", "", "en"), "PostgreSQL down", None,
                                  body=repr(exc)))
    finally:
        stack.postgres.start()
    problems = [p for p in (a.problem() for a in answers) if p]
    problems += [f"{a.text.title!r}: {a.status}, expected 503 while the database is down"
                 for a in answers if a.status != 503 and not a.problem()]
    assert not problems, "\n".join(problems)
