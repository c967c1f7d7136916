"""Hostile or careless request bodies get a clear JSON 400, never a 500 or an accepted job."""

from __future__ import annotations

import re
import threading
from datetime import datetime

import pytest
from django.db import connection
from rest_framework.test import APIClient

from claims.models import Article, ArticleSubmission, ExtractionJob

from .conftest import key_for

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Menteri Keuangan mengatakan anggaran pertahanan 2025 mencapai Rp 165 triliun, naik 20 persen."


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_clear_400(submitter, depth):
    body = '{"text": ' + "[" * depth + "]" * depth + "}"
    response = submitter.post("/api/v1/articles/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "nested" in response.json()["error"]["message"]
    assert Article.objects.count() == 0


def test_an_unexpected_error_is_a_json_500_without_its_text(submitter, monkeypatch):
    from claims import services

    def broken(**kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(services, "partner_article_submit", broken)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=submitter._credentials["HTTP_AUTHORIZATION"])
    response = client.post("/api/v1/articles/", {"text": TEXT}, format="json")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "server_error" and "secret" not in response.content.decode()


def test_an_error_outside_the_views_is_json_under_api_and_a_page_elsewhere(reader, monkeypatch):
    from django.contrib.sessions.middleware import SessionMiddleware

    def broken(self, request):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(SessionMiddleware, "process_request", broken)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=reader._credentials["HTTP_AUTHORIZATION"])
    api = client.get("/api/v1/claims/")
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    assert api.json()["error"]["code"] == "server_error" and "secret" not in api.content.decode()
    page = client.get("/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_a_database_outage_is_a_json_503_with_retry_after_in_and_outside_the_views(submitter, monkeypatch):
    """PostgreSQL restarting: partners are told to come back, in the API's shape; nothing is stored."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.db import OperationalError

    from claims import services

    def database_gone(**kwargs):
        raise OperationalError("connection to server at 10.0.0.5 failed")

    monkeypatch.setattr(services, "partner_article_submit", database_gone)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=submitter._credentials["HTTP_AUTHORIZATION"])
    in_view = client.post("/api/v1/articles/", {"text": TEXT}, format="json")

    def middleware_gone(self, request):
        raise OperationalError("connection to server at 10.0.0.5 failed")

    monkeypatch.setattr(SessionMiddleware, "process_request", middleware_gone)
    outside = client.get("/api/v1/jobs/1/")
    for response in (in_view, outside):
        assert response.status_code == 503 and response["Content-Type"] == "application/json"
        assert response["Retry-After"] == "30"
        assert response.json()["error"]["code"] == "unavailable"
        assert "10.0.0.5" not in response.content.decode()
    assert Article.objects.count() == 0


@pytest.mark.parametrize("size", ["\u00b2", "\u0663", "-1", "0", "", "1.5"])
@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/articles/"])
def test_a_page_size_that_is_not_a_plain_number_is_a_400(api, partner, path, size):
    client = api(key_for(partner, "read", "submit"))
    response = client.get(path, {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.json()["error"]["fields"]


@pytest.mark.parametrize("field", ["text", "html", "url", "title", "outlet", "author"])
@pytest.mark.parametrize("value", [123, 1.5, True, ["a"], {"a": "b"}])
def test_a_field_that_is_not_a_string_is_refused(submitter, field, value):
    payload = {"text": TEXT, field: value} if field != "text" else {"text": value}
    response = submitter.post("/api/v1/articles/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert Article.objects.count() == 0


@pytest.mark.parametrize("text", [
    "\u200b", "\u200b\u200c\u200d\u2060\ufeff", " \u200b \n\u2060\t", "\u00a0\u3000\u200b", "\u2800\u3164",
])
@pytest.mark.parametrize("field", ["text", "html"])
def test_a_text_with_no_visible_characters_is_refused(submitter, text, field):
    body = text if field == "text" else f"<html><body><article><p>{text}</p></article></body></html>"
    response = submitter.post("/api/v1/articles/", {field: body}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert Article.objects.count() == 0 and ExtractionJob.objects.count() == 0


def test_the_same_article_arriving_between_the_check_and_the_insert_answers_200(submitter, monkeypatch):
    """Another request stores the same text after this one looked for it and before it
    inserts: this one answers 200 with the other's job, as if it had come second."""
    first = submitter.post("/api/v1/articles/", {"text": TEXT}, format="json").json()
    original = Article.objects.get()
    # Make the lookup miss once, as it would have a moment before the other request committed.
    hidden = {"done": False}
    real_first = type(Article.objects.all()).first

    def first_missing_once(queryset):
        if queryset.model is Article and not hidden["done"]:
            hidden["done"] = True
            return None
        return real_first(queryset)

    monkeypatch.setattr(type(Article.objects.all()), "first", first_missing_once)
    again = submitter.post("/api/v1/articles/", {"text": TEXT}, format="json")
    assert hidden["done"]
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first["id"]
    assert Article.objects.get() == original and ExtractionJob.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")
def test_concurrent_identical_submissions_all_get_the_one_job(partner, settings):
    from django.db import connections

    key = key_for(partner, "submit")
    clients, answers = 24, []
    barrier = threading.Barrier(clients)

    def submit() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        barrier.wait()
        try:
            response = client.post("/api/v1/articles/", {"text": TEXT + " Lagi."}, format="json")
            answers.append((response.status_code, response.json().get("id")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(code for code, _ in answers)
    assert codes == [200] * (clients - 1) + [202]
    assert len({job for _, job in answers}) == 1
    assert Article.objects.count() == 1 and ExtractionJob.objects.count() == 1
    assert ArticleSubmission.objects.count() == 1


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@pytest.mark.parametrize("given", [
    "1115-03-01T08:00:00Z", "0999-12-31T23:00:00+07:00", "1900-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z", "2025-03-01T08:00:00+07:00", "4727-09-11T03:09:24.1164+18:30",
])
def test_a_date_of_any_year_is_given_back_in_rfc3339(submitter, given):
    response = submitter.post("/api/v1/articles/", {"text": TEXT, "published_at": given}, format="json")
    assert response.status_code == 202, response.content
    [article] = submitter.get("/api/v1/articles/").json()["results"]
    shown = article["published_at"]
    assert RFC3339.match(shown), shown
    assert datetime.fromisoformat(shown.replace("Z", "+00:00")) == datetime.fromisoformat(
        given.replace("Z", "+00:00"))
    for stamp in (article["created_at"], article["latest_job"]["created_at"]):
        assert RFC3339.match(stamp), stamp


def test_an_article_sent_without_an_address_matches_the_schema(submitter):
    """``source_url`` is "" for text and HTML submissions; the schema allows exactly that."""
    from drf_spectacular.generators import SchemaGenerator

    submitter.post("/api/v1/articles/", {"text": TEXT}, format="json")
    [article] = submitter.get("/api/v1/articles/").json()["results"]
    assert article["source_url"] == ""
    field = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"][
        "PartnerArticle"]["properties"]["source_url"]
    assert {"type": "string", "maxLength": 0} in field["oneOf"]
