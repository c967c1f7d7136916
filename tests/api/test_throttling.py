"""Rate limits hold under concurrent requests and across processes, and a store that is
down lets requests through instead of answering 500."""

from __future__ import annotations

import sys
import threading
from types import SimpleNamespace

import pytest

from claims.api import throttling
from claims.api.throttling import PartnerKeyThrottle
from claims.models import ApiKey, Partner
from tests.api.conftest import key_for
from tests.test_cache_outage import closed_port
from tests.test_settings import django_run

READ_URL = "/api/v1/claims/"
T0 = 1_900_000_000.0  # the start of a minute: the tests stay inside one window


@pytest.fixture(autouse=True)
def _fresh_outage_log(monkeypatch):
    """Each test sees the store's first "unavailable" line (it is logged once a minute)."""
    from throttle import counters

    monkeypatch.setattr(counters, "_unavailable", counters._OncePerInterval())


@pytest.fixture
def fixed_clock(monkeypatch):
    clock = {"now": T0 + 5}
    monkeypatch.setattr(throttling, "_now", lambda: clock["now"])
    return clock


def key_request(limit: int) -> SimpleNamespace:
    partner = Partner.objects.create(name=f"Limited {limit}", rate_limit_per_minute=limit)
    key_for(partner, "read")
    api_key = ApiKey.objects.select_related("partner").get(partner=partner)
    return SimpleNamespace(auth=api_key, META={"REMOTE_ADDR": "203.0.113.9"})


def allowed_concurrently(request, *, threads: int, each: int) -> int:
    """How many of threads x each simultaneous requests the throttle lets through."""
    from django.db import connections

    start = threading.Barrier(threads)
    allowed = []
    lock = threading.Lock()

    def worker():
        try:
            start.wait()
            mine = sum(PartnerKeyThrottle().allow_request(request, None) for _ in range(each))
            with lock:
                allowed.append(mine)
        finally:
            connections.close_all()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show
    try:
        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert len(allowed) == threads
    return sum(allowed)


def test_concurrent_requests_in_one_process_allow_exactly_the_limit(transactional_db, settings, fixed_clock):
    settings.FACTCHECK_THROTTLE_STORE = "cache"  # the in-process cache, as `make run` may use
    request = key_request(40)
    assert allowed_concurrently(request, threads=8, each=25) == 40


def test_concurrent_requests_counted_in_the_database_allow_exactly_the_limit(transactional_db, settings,
                                                                              fixed_clock):
    settings.FACTCHECK_THROTTLE_STORE = "database"
    request = key_request(40)
    assert allowed_concurrently(request, threads=8, each=25) == 40


def test_the_database_count_is_what_other_processes_see(db, settings, fixed_clock):
    """A second process (here: a fresh throttle with an empty in-process cache) sees the
    requests the first one counted."""
    from django.core.cache import cache

    settings.FACTCHECK_THROTTLE_STORE = "database"
    request = key_request(5)
    assert [PartnerKeyThrottle().allow_request(request, None) for _ in range(3)] == [True] * 3
    cache.clear()
    assert [PartnerKeyThrottle().allow_request(request, None) for _ in range(3)] == [True, True, False]


def test_the_limit_slides_instead_of_resetting_at_the_minute(db, settings, fixed_clock):
    settings.FACTCHECK_THROTTLE_STORE = "database"
    request = key_request(10)
    fixed_clock["now"] = T0 + 50
    assert sum(PartnerKeyThrottle().allow_request(request, None) for _ in range(10)) == 10
    fixed_clock["now"] = T0 + 61  # a new minute, but 49 of the last 60 seconds held 10 requests
    throttle = PartnerKeyThrottle()
    assert throttle.allow_request(request, None) is False
    assert 0 < throttle.wait() <= 60
    fixed_clock["now"] = T0 + 61 + throttle.wait()
    assert PartnerKeyThrottle().allow_request(request, None) is True


@pytest.mark.parametrize("store", ["cache", "database"])
def test_over_the_limit_answers_429_with_retry_after(api, partner, settings, fixed_clock, store):
    settings.FACTCHECK_THROTTLE_STORE = store
    partner.rate_limit_per_minute = 3
    partner.save()
    client = api(key_for(partner, "read"))
    assert [client.get(READ_URL).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = client.get(READ_URL)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["retry_after"] == int(refused["Retry-After"])


def test_a_cache_that_is_down_lets_requests_through(api, partner, settings, fixed_clock, caplog):
    from factcheck.settings import cache_config

    settings.CACHES = {"default": cache_config(f"redis://127.0.0.1:{closed_port()}/0")}
    settings.FACTCHECK_THROTTLE_STORE = "cache"
    partner.rate_limit_per_minute = 2
    partner.save()
    client = api(key_for(partner, "read"))
    with caplog.at_level("WARNING"):
        assert [client.get(READ_URL).status_code for _ in range(4)] == [200] * 4
    assert any("let through" in r.getMessage() for r in caplog.records)


def test_a_database_that_fails_lets_requests_through(db, settings, fixed_clock, monkeypatch, caplog):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    real_execute = CursorWrapper.execute

    def execute(self, sql, params=None):  # noqa: ANN001, ANN202
        if "throttle_counter" in sql:
            raise OperationalError("could not obtain lock on row")
        return real_execute(self, sql, params)

    settings.FACTCHECK_THROTTLE_STORE = "database"
    request = key_request(1)
    monkeypatch.setattr(CursorWrapper, "execute", execute)
    with caplog.at_level("WARNING"):
        assert [PartnerKeyThrottle().allow_request(request, None) for _ in range(3)] == [True] * 3
    assert any("let through" in r.getMessage() for r in caplog.records)


def test_without_a_shared_cache_the_limit_is_counted_in_the_database():
    code = "from django.conf import settings; print(settings.FACTCHECK_THROTTLE_STORE)"
    unset = {"FACTCHECK_THROTTLE_STORE": ""}
    assert django_run("shell", "--no-imports", "-c", code, **unset).stdout.strip() == "database"
    with_redis = django_run("shell", "--no-imports", "-c", code, CACHE_URL="redis://127.0.0.1:6379/1", **unset)
    assert with_redis.stdout.strip() == "cache"
    bad = django_run("shell", "--no-imports", "-c", code, FACTCHECK_THROTTLE_STORE="memory")
    assert "FACTCHECK_THROTTLE_STORE must be cache or database" in bad.stderr


def test_a_forged_forwarded_for_does_not_escape_the_anonymous_limit(db, api, settings, fixed_clock):
    # Nothing stands in front by default (FACTCHECK_NUM_PROXIES=0): X-Forwarded-For is the
    # client's own writing and must not make each request look like a new reader.
    settings.FACTCHECK_API_ANONYMOUS_READ = True
    settings.FACTCHECK_API_ANONYMOUS_RATE = "2/min"
    client = api()
    codes = [client.get(READ_URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)]
    assert codes == [200, 200, 429]
