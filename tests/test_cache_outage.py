"""A Redis cache that is down or silent costs speed, never an answer: pages, feeds, the
sitemap and the API are served uncached, and publishing still works."""

from __future__ import annotations

import socket
import threading

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims import services
from claims.models import Partner
from factcheck.settings import cache_config
from tests.test_public_pages import make_claim, publish

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SilentServer:
    """Accepts connections and never answers: a Redis host that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def use_redis_cache(settings, port: int) -> None:
    settings.CACHES = {"default": cache_config(f"redis://127.0.0.1:{port}/0")}
    settings.FACTCHECK_PUBLIC_CACHE_SECONDS = 300
    settings.SITE_URL = "https://factcheck.example"


def public_urls(claim) -> list[str]:
    return [
        reverse("claims:home"),
        reverse("claims:list"),
        claim.get_absolute_url(),
        reverse("claims:feed-rss"),
        reverse("claims:feed-atom"),
        reverse("claims:topic-rss", args=["ammunition"]),
        reverse("sitemap"),
    ]


@pytest.fixture
def reader_api():
    from claims.models import ApiKey  # noqa: F401 - the key is made by the service

    partner = Partner.objects.create(name="Tempo", rate_limit_per_minute=1000)
    _, key = services.api_key_create(partner=partner, scopes=["read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_with_the_cache_down_every_public_answer_is_served_uncached(client, settings, editor, publisher,
                                                                     reader_api):
    use_redis_cache(settings, closed_port())
    claim = publish(make_claim(), editor, publisher, headline="Satu juta peluru? Tidak benar")
    for url in public_urls(claim):
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"Satu juta peluru? Tidak benar" in client.get(claim.get_absolute_url()).content
    for url in ("/api/v1/claims/", f"/api/v1/claims/{claim.pk}/", f"/api/v1/claims/{claim.pk}/claimreview/"):
        response = reader_api.get(url)
        assert response.status_code == 200, (url, response.content[:300])
    assert reader_api.get("/api/v1/claims/").json()["results"][0]["id"] == claim.pk


def test_a_verdict_published_while_the_cache_is_down_is_shown(client, settings, editor, publisher):
    use_redis_cache(settings, closed_port())
    first = publish(make_claim(), editor, publisher, headline="Klaim pertama keliru")
    assert client.get(reverse("claims:home")).status_code == 200
    second = publish(make_claim(text="Inflasi 9 persen tahun lalu."), editor, publisher,
                     headline="Klaim kedua juga keliru")
    home = client.get(reverse("claims:home")).content.decode()
    assert "Klaim kedua juga keliru" in home and "Klaim pertama keliru" in home
    assert first.pk != second.pk


def test_a_silent_cache_is_tried_once_not_on_every_call(client, settings, editor, publisher, caplog):
    silent = SilentServer()
    try:
        use_redis_cache(settings, silent.port)
        claim = publish(make_claim(), editor, publisher)
        with caplog.at_level("WARNING", logger="factcheck.cache"):
            statuses = [client.get(url).status_code for url in public_urls(claim) * 2]
        assert statuses == [200] * len(statuses)
        # One connection and one immediate retry; after that the cache is left alone for a while.
        assert len(silent.accepted) <= 2
        assert len([r for r in caplog.records if r.name == "factcheck.cache"]) <= 1
    finally:
        silent.close()
