"""The OpenAPI schema describes the API truthfully: generated requests find no 5xx and
no response that breaks the schema (schemathesis, a bounded number of examples)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from factcheck.wsgi import application
from tests.api.conftest import key_for

pytestmark = pytest.mark.django_db


schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


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
def partner_key(partner, make_claim, publish):
    publish(make_claim())
    return key_for(partner, "read", "submit")


# What the issue asks of the API: no 5xx, and every response as the schema documents it.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(case, partner_key):
    case.call_and_validate(headers={"Authorization": f"Api-Key {partner_key}"}, checks=CHECKS)


def test_the_docs_are_served_without_outside_network(client):
    for url in ("/api/docs/", "/api/redoc/"):
        html = client.get(url).content.decode()
        assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
    assert client.get("/api/schema/").status_code == 200
