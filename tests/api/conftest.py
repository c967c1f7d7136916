from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from claims import services
from claims.models import Article, Claim, Partner, Rating


@pytest.fixture
def partner(db):
    return Partner.objects.create(name="Tempo", rate_limit_per_minute=1000)


@pytest.fixture
def other_partner(db):
    return Partner.objects.create(name="Kompas", rate_limit_per_minute=1000)


def key_for(partner, *scopes, **extra) -> str:
    api_key, key = services.api_key_create(partner=partner, scopes=list(scopes))
    if extra:
        type(api_key).objects.filter(pk=api_key.pk).update(**extra)
    return key


@pytest.fixture
def api():
    def client(key: str | None = None) -> APIClient:
        c = APIClient()
        if key:
            c.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        return c
    return client


@pytest.fixture
def reader(api, partner):
    return api(key_for(partner, "read"))


@pytest.fixture
def submitter(api, partner):
    return api(key_for(partner, "submit"))


@pytest.fixture
def revoked_key(partner):
    return key_for(partner, "read", "submit", revoked_at=timezone.now())


@pytest.fixture
def expired_key(partner):
    return key_for(partner, "read", "submit", expires_at=timezone.now() - timedelta(minutes=1))


@pytest.fixture
def make_claim(db):
    counter = {"n": 0}

    def make(text: str = "Korut memasok satu juta peluru ke Rusia pada 2023.", **fields) -> Claim:
        counter["n"] += 1
        article = Article.objects.create(
            title=f"Artikel {counter['n']}", body=text, content_hash=f"api-{counter['n']}",
            outlet="RIAU24.COM", language="id", url=f"https://riau24.example/{counter['n']}",
        )
        return Claim.objects.create(article=article, text=text, start=0, end=len(text), score=0.8,
                                    language="id", speaker="Pavel Luzin", entity_names="North Korea; Russia",
                                    **fields)
    return make


@pytest.fixture
def publish(editor, publisher):
    def go(claim: Claim, *, headline: str = "Keliru: pasokan peluru dibesar-besarkan", rating: str = "Keliru"):
        services.claim_assign(claim=claim, user=editor)
        services.source_add(claim=claim, user=editor, url="https://example.org/report", stance="refutes",
                            title="Laporan", publisher="Lembaga")
        services.verdict_draft(claim=claim, user=editor, rating=Rating.objects.get(label_id=rating),
                               headline=headline, summary="Data tidak mendukung klaim ini.")
        services.verdict_publish(claim=claim, user=publisher)
        claim.refresh_from_db()
        return claim
    return go


@pytest.fixture
def page_server(settings):
    """A news site on 127.0.0.1 (allowed for outbound fetches in tests only)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    pages = {
        "/berita": ("text/html; charset=utf-8",
                    "<html><head><title>Impor beras</title></head><body><article>"
                    "<p>Pemerintah mengimpor 2 juta ton beras pada 2024, kata Kepala Bulog.</p>"
                    "<p>Jumlah itu naik 40 persen dibanding tahun sebelumnya menurut data BPS.</p>"
                    "</article></body></html>"),
        "/berita-bertanggal": ("text/html; charset=utf-8",
                               '<html><head><title>Ekspor sawit</title><script type="application/ld+json">'
                               '{"@type": "NewsArticle", "datePublished": "2025-10-20T14:30:00+07:00"}'
                               "</script></head><body><article>"
                               "<p>Ekspor sawit naik 12 persen pada 2024, kata Menteri Perdagangan.</p>"
                               "<p>Nilainya mencapai 25 miliar dolar menurut data BPS.</p>"
                               "</article></body></html>"),
        "/berkas.pdf": ("application/pdf", "%PDF-1.4"),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in pages:
                self.send_response(404)
                self.end_headers()
                return
            kind, text = pages[self.path]
            data = text.encode()
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
