"""The OpenAPI schema describes the API truthfully: generated requests, valid and invalid,
find no 5xx, no response that breaks the schema, no valid request refused and no invalid one
accepted (schemathesis, all its checks, a bounded number of examples)."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from claims import outbound
from factcheck.wsgi import application
from tests.api.conftest import key_for

pytestmark = pytest.mark.django_db


schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
KEYS: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class ApiKeyAuth:
    """The test's read and submit key. Given as auth, not as a plain header, so that
    schemathesis knows which requests it sent without one (it asks while collecting too,
    before any test has made a key)."""

    def get(self, case, context) -> str:  # noqa: ANN001
        return KEYS.get("key", "")

    def set(self, case, data: str, context) -> None:  # noqa: ANN001
        case.headers = {**(case.headers or {}), "Authorization": f"Api-Key {data}"}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI app directly, not through Django's test client, so the
    request signals would close the test's database connection (PostgreSQL); keep it, as
    the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def partner_key(partner, make_claim, publish, monkeypatch):
    publish(make_claim())
    # Generated URLs name hosts at random: answer "not found" at once instead of asking DNS.
    monkeypatch.setattr(outbound.socket, "getaddrinfo", _no_dns)
    KEYS["key"] = key_for(partner, "read", "submit")
    return KEYS["key"]


def _no_dns(*args, **kwargs):  # noqa: ANN002, ANN003
    raise outbound.socket.gaierror("no DNS in tests")


def _refused_for_its_content(case, response) -> bool:  # noqa: ANN001
    """What the schema cannot say and documents instead: a URL whose host DNS cannot find or
    that is not public (only a lookup can tell), HTML in which no article text is found.
    Such a submission gets a 400 on that one field."""
    if case.method != "POST" or not isinstance(case.body, dict) or response.status_code != 400:
        return False
    fields = list(json.loads(response.content)["error"].get("fields", {}))
    return fields in (["url"], ["html"]) and fields[0] in case.body


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(case, partner_key):
    response = case.call()
    excluded = [positive_data_acceptance] if _refused_for_its_content(case, response) else []
    case.validate_response(response, excluded_checks=excluded)


def test_the_docs_are_served_without_outside_network(client):
    for url in ("/api/docs/", "/api/redoc/"):
        html = client.get(url).content.decode()
        assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
    assert client.get("/api/schema/").status_code == 200
