"""Stories (claims matched to each other) joined by several workers at once, on PostgreSQL:
each worker's extraction joins its new claims to the stories they repeat, and two workers
often touch the same wire story at the same moment."""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import connection, transaction

from claims.models import Article, Claim
from claims.services.matching import _stories_join, clusters_join
from tests.integration.conftest import _require_services

pytestmark = pytest.mark.integration

WORKERS = 4


def wire_claims(count: int) -> list[Claim]:
    """``count`` claims of one article, on PostgreSQL (SQLite runs one writer at a time:
    nothing to race there)."""
    _require_services()
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: nothing to race")
    article = Article.objects.create(title="Wire copy", body="x" * 500, language="id", content_hash="wire",
                                     url="https://news.example/wire")
    return Claim.objects.bulk_create([
        Claim(article=article, text=f"Klaim {n}", start=2 * n, end=2 * n + 1, score=0.5, language="id")
        for n in range(count)])


def stories_expected(ids: list[int], pairs: list[tuple[int, int]]) -> dict[int, int | None]:
    """Each claim's story as the pairs make it: the smallest id of its connected claims
    (None for a claim matched to nothing)."""
    parent = {pk: pk for pk in ids}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    matched = {pk for pair in pairs for pk in pair}
    return {pk: (root(pk) if pk in matched else None) for pk in ids}


def test_stories_joined_by_several_workers_at_once_stay_whole(transactional_db):
    claims = wire_claims(300)
    ids = [c.pk for c in claims]
    rng = random.Random(22)
    # Pairs that merge many small stories into a few large ones, in an order no worker shares.
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(600)]
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)

    def work(mine: list[tuple[int, int]]) -> None:
        try:
            start.wait()
            for pair in mine:
                clusters_join(pairs=[pair])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(pairs[n::WORKERS],)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    assert dict(Claim.objects.filter(pk__in=ids).values_list("pk", "cluster")) == stories_expected(ids, pairs)


def test_a_copy_joining_a_story_while_another_worker_merges_that_story_goes_with_it(transactional_db):
    # Worker 1 joins a new copy to story S; at the same moment worker 2 merges story S
    # into an older story R. The copy must end in R with the rest of S, not be left on S.
    r, r2, s_head, s2, s3, copy = wire_claims(6)
    Claim.objects.filter(pk__in=[r.pk, r2.pk]).update(cluster=r.pk)
    Claim.objects.filter(pk__in=[s_head.pk, s2.pk, s3.pk]).update(cluster=s_head.pk)
    joined, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def worker_one() -> None:  # joins the copy to S, and holds its transaction open
        try:
            with transaction.atomic():
                _stories_join(copy.pk, s2.pk)
                joined.set()
                release.wait(30)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            joined.set()
            connection.close()

    def worker_two() -> None:  # merges S into R
        try:
            clusters_join(pairs=[(s3.pk, r2.pk)])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    one = threading.Thread(target=worker_one)
    one.start()
    assert joined.wait(30)
    two = threading.Thread(target=worker_two)
    two.start()
    # Let worker 2 get as far as it can: until it waits for a lock worker 1 holds.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not _someone_waits_for_a_lock():
        time.sleep(0.05)
    release.set()
    one.join(30)
    two.join(30)

    assert errors == []
    stories = dict(Claim.objects.values_list("pk", "cluster"))
    assert stories == {pk: r.pk for pk in (r.pk, r2.pk, s_head.pk, s2.pk, s3.pk, copy.pk)}


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0
