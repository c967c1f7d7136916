"""Rate limits on the real shared stores: Redis (CACHE_URL) under concurrent threads, and
PostgreSQL counted by several processes at once, as several gunicorn workers do."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection

from claims.api import throttling
from claims.models import ApiKey
from tests.api.test_throttling import T0, allowed_concurrently, key_request
from tests.conftest import ROOT
from tests.integration.conftest import _require_services, _test_database_url

pytestmark = pytest.mark.integration


@pytest.fixture
def shared_redis_cache(settings):
    """The cache on the test Redis (CELERY_BROKER_URL's server and database), keys of its own."""
    from factcheck.settings import cache_config

    _require_services()
    config = cache_config(os.environ["CELERY_BROKER_URL"])
    config["KEY_PREFIX"] = f"throttle-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {"default": config}
    return config


def test_concurrent_requests_on_redis_allow_exactly_the_limit(transactional_db, settings, monkeypatch,
                                                              shared_redis_cache):
    settings.FACTCHECK_THROTTLE_STORE = "cache"
    monkeypatch.setattr(throttling, "_now", lambda: T0 + 5)
    request = key_request(120)
    assert allowed_concurrently(request, threads=12, each=25) == 120
    # The counter goes away on its own once its window can no longer count.
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    keys = client.keys(f"{shared_redis_cache['KEY_PREFIX']}:*")
    assert keys and all(0 < client.ttl(key) <= 2 * 60 + 1 for key in keys)


COUNT_IN_A_PROCESS = """
import os, sys, time
import django
django.setup()
from types import SimpleNamespace
from claims.api import throttling
from claims.models import ApiKey

key_id, clock, start_at, tries = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
throttling._now = lambda: clock
request = SimpleNamespace(auth=ApiKey.objects.select_related("partner").get(pk=key_id), META={})
while time.time() < start_at:
    time.sleep(0.005)
print(sum(throttling.PartnerKeyThrottle().allow_request(request, None) for _ in range(tries)))
"""


def test_four_processes_counting_in_postgresql_allow_exactly_the_limit(transactional_db, settings):
    _require_services()
    assert connection.vendor == "postgresql"
    request = key_request(120)
    key = ApiKey.objects.get(pk=request.auth.pk)
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "FACTCHECK_THROTTLE_STORE": "database",
           "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    env.pop("CACHE_URL", None)
    start_at = time.time() + 8  # every process set up before the first request
    processes = [
        subprocess.Popen([sys.executable, "-c", COUNT_IN_A_PROCESS, str(key.pk), str(T0 + 5), str(start_at), "60"],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    allowed = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        allowed.append(int(out.strip().splitlines()[-1]))
    assert sum(allowed) == 120, allowed  # 240 tries from 4 processes
