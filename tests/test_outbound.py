"""SSRF guard, fetching and webhook signing (claims.outbound)."""

from __future__ import annotations

import ipaddress
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims import outbound
from claims.outbound import (
    OutboundError,
    fetch,
    post_json,
    url_check,
    webhook_headers,
    webhook_sign,
    webhook_verify,
)

_real_getaddrinfo = socket.getaddrinfo


# --------------------------------------------------------------------------- local server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    recorded: list[dict] = []

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None, length=True):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def _drip(self, data: bytes, every: float, limit: float = 3.0):
        end = time.monotonic() + limit
        try:
            for byte in data:
                if time.monotonic() > end:
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(every)
        except OSError:
            pass
        self.close_connection = True

    def do_GET(self):
        path = self.path
        if path == "/latin1":
            body = "<html><body><p>Café crème, señor – déjà vu</p></body></html>".replace("–", "-")
            self._send(200, body.encode("latin-1"), "text/html; charset=ISO-8859-1")
        elif path == "/utf8-meta":
            body = '<html><head><meta charset="utf-8"></head><body>Zoë</body></html>'
            self._send(200, body.encode("utf-8"), "text/html")
        elif path == "/plain":
            self._send(200, "naïve plain text".encode(), "text/plain")
        elif path == "/big":
            self._send(200, b"<p>" + b"x" * 5000 + b"</p>", "text/html", length=False)
        elif path == "/big-declared":
            self._send(200, b"x" * 5000, "text/html")
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            self._drip(b"<p>" + b"y" * 200, every=0.05)
        elif path == "/slow-headers":
            self._drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-Pad: " + b"z" * 200, every=0.05)
        elif path == "/redirect-ok":
            self._send(302, b"", "text/html", {"Location": "/latin1"})
        elif path == "/redirect-private":
            self._send(302, b"", "text/html", {"Location": "http://10.0.0.5/admin"})
        elif path == "/redirect-metadata":
            self._send(301, b"", "text/html", {"Location": "http://169.254.169.254/latest/meta-data/"})
        elif path == "/redirect-file":
            self._send(302, b"", "text/html", {"Location": "file:///etc/passwd"})
        elif path.startswith("/loop"):
            n = int(path[len("/loop"):] or 0)
            self._send(302, b"", "text/html", {"Location": f"/loop{n + 1}"})
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4 ...", "application/pdf")
        elif path == "/echo-host":
            self._send(200, (self.headers.get("Host") or "").encode(), "text/plain")
        elif path == "/ua":
            self._send(200, (self.headers.get("User-Agent") or "").encode(), "text/plain")
        else:
            self._send(404, b"not here", "text/html")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        _Handler.recorded.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
        if self.path == "/hook-redirect":
            self._send(302, b"", "text/plain", {"Location": "/hook"})
        else:
            self._send(202, b"{}", "application/json")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def local(settings, server):
    """The local test server is reachable (and only it)."""
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SITE_URL = "https://desk.example"
    _Handler.recorded.clear()
    return server


@pytest.fixture
def strict(settings):
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = []
    settings.FACTCHECK_OUTBOUND_ALLOWED_PORTS = [80, 443, 8080, 8443]


def fake_dns(monkeypatch, table: dict[str, list[str]]):
    """Make socket.getaddrinfo answer `table` for the given names; count lookups."""
    calls: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host in table:
            calls.append(host)
            out = []
            for ip in table[host]:
                if ":" in ip:
                    out.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port or 0, 0, 0)))
                else:
                    out.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port or 0)))
            return out
        return _real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


# --------------------------------------------------------------------------- url_check


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com:70/_x", "javascript:alert(1)",
     "data:text/html,hi", "//example.com/x", "example.com"],
)
def test_only_http_and_https(strict, url):
    with pytest.raises(OutboundError, match="only http and https URLs are allowed"):
        url_check(url)


@pytest.mark.parametrize("url", ["http://user:pass@example.com/", "https://user@example.com/",
                                 "http://example.com@127.0.0.1/"])
def test_credentials_refused(strict, url):
    with pytest.raises(OutboundError, match="user name or password"):
        url_check(url)


@pytest.mark.parametrize("url", ["http:///path", "http://:80/", ""])
def test_host_required(strict, url):
    with pytest.raises(OutboundError):
        url_check(url)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://10.0.0.5/", "the address 10.0.0.5 is inside a private network"),
        ("http://192.168.1.1/", "private network"),
        ("http://172.16.0.1/", "private network"),
        ("http://127.0.0.1/", "loopback"),
        ("http://127.8.9.10:8080/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://100.64.0.1/", "shared"),
        ("http://0.0.0.0/", "not a usable destination"),
        ("http://0.1.2.3/", "not a usable destination"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://255.255.255.255/", "reserved"),
        ("http://[::1]/", "loopback"),
        ("http://[::]/", "not a usable destination"),
        ("http://[fd00::1]/", "private network"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fec0::1]/", "site-local"),
        ("http://[ff02::1]/", "multicast"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:10.0.0.5]/", "private network"),
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("http://[64:ff9b::a00:5]/", "private network"),  # NAT64 wrapping 10.0.0.5
        ("http://[2001:db8::1]/", "private network"),  # documentation range
    ],
)
def test_internal_addresses_refused(strict, url, fragment):
    with pytest.raises(OutboundError, match=fragment):
        url_check(url)


@pytest.mark.parametrize(
    "url",
    ["http://2130706433/", "http://0x7f000001/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/",
     "http://017700000001/", "http://0x7f.0x0.0x0.0x1/", "http://3232235777/"],
)
def test_odd_numeric_forms_refused(strict, url):
    with pytest.raises(OutboundError, match="unusual numeric form"):
        url_check(url)


def test_localhost_refused(strict):
    with pytest.raises(OutboundError, match="loopback"):
        url_check("http://localhost/")
    with pytest.raises(OutboundError, match="loopback"):
        url_check("http://LOCALHOST.:80/")


def test_host_resolving_to_private_ip_refused(strict, monkeypatch):
    fake_dns(monkeypatch, {"intranet.example": ["10.1.2.3"]})
    with pytest.raises(OutboundError, match="intranet.example resolves to 10.1.2.3, which is inside a private"):
        url_check("https://intranet.example/")


def test_any_private_address_among_many_refuses(strict, monkeypatch):
    fake_dns(monkeypatch, {"mixed.example": ["93.184.216.34", "2606:2800:220:1::1", "fd12::7"]})
    with pytest.raises(OutboundError, match="fd12::7"):
        url_check("http://mixed.example/")


def test_public_host_returns_all_addresses(strict, monkeypatch):
    fake_dns(monkeypatch, {"news.example": ["93.184.216.34", "2606:2800:220:1::1", "93.184.216.34"]})
    assert url_check("https://news.example/story?id=1") == [
        ipaddress.ip_address("93.184.216.34"),
        ipaddress.ip_address("2606:2800:220:1::1"),
    ]
    assert url_check("http://93.184.216.34:8080/") == [ipaddress.ip_address("93.184.216.34")]


def test_unknown_host(strict, monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(OutboundError, match="could not be found"):
        url_check("https://nowhere.example/")


def test_ports(strict, settings, monkeypatch):
    fake_dns(monkeypatch, {"news.example": ["93.184.216.34"]})
    for port in (80, 443, 8080, 8443):
        url_check(f"http://news.example:{port}/")
    with pytest.raises(OutboundError, match="port 22 is not allowed"):
        url_check("http://news.example:22/")
    with pytest.raises(OutboundError, match="port 6379 is not allowed"):
        url_check("https://93.184.216.34:6379/")
    settings.FACTCHECK_OUTBOUND_ALLOWED_PORTS = [443]
    with pytest.raises(OutboundError, match="port 80 is not allowed"):
        url_check("http://news.example/")
    with pytest.raises(OutboundError, match="not valid"):
        url_check("http://news.example:99999/")


def test_allowed_hosts_setting(settings):
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    assert url_check("http://127.0.0.1:5555/") == [ipaddress.ip_address("127.0.0.1")]
    assert ipaddress.ip_address("127.0.0.1") in url_check("http://localhost:9/")
    # Allowing one address does not open the rest of the network.
    with pytest.raises(OutboundError, match="private network"):
        url_check("http://10.0.0.5/")
    with pytest.raises(OutboundError, match="unusual numeric form"):
        url_check("http://2130706433/")


# --------------------------------------------------------------------------- fetch


def test_fetch_html_decoded_from_latin1_header(local):
    page = fetch(f"{local}/latin1")
    assert page.status == 200
    assert page.content_type == "text/html"
    assert "Café crème, señor - déjà vu" in page.text
    assert page.final_url == f"{local}/latin1"
    assert page.bytes_read == len(page.text.encode("latin-1"))


def test_fetch_charset_from_meta_and_plain_text(local):
    assert "Zoë" in fetch(f"{local}/utf8-meta").text
    page = fetch(f"{local}/plain")
    assert page.content_type == "text/plain"
    assert page.text == "naïve plain text"


def test_fetch_sends_user_agent(local):
    assert fetch(f"{local}/ua").text == "FactcheckDesk/1.0 (+https://desk.example)"


def test_fetch_too_big(local):
    with pytest.raises(OutboundError, match="the page is larger than 1000 bytes"):
        fetch(f"{local}/big", max_bytes=1000)  # no Content-Length: cut off while streaming
    with pytest.raises(OutboundError, match="the page is larger than 1000 bytes"):
        fetch(f"{local}/big-declared", max_bytes=1000)  # refused from Content-Length
    assert fetch(f"{local}/big", max_bytes=10_000).bytes_read == 5007


def test_fetch_size_message_uses_settings(local, settings):
    settings.FACTCHECK_FETCH_MAX_BYTES = 4 * 1024
    with pytest.raises(OutboundError, match="larger than 4 KB"):
        fetch(f"{local}/big")
    assert outbound._size(5 * 1024 * 1024) == "5 MB"


def test_fetch_slow_drip_hits_total_deadline(local):
    started = time.monotonic()
    with pytest.raises(OutboundError, match="timed out after 1 second"):
        fetch(f"{local}/slow", timeout=1)
    assert time.monotonic() - started < 1.8


def test_fetch_slow_headers_hit_total_deadline(local):
    started = time.monotonic()
    with pytest.raises(OutboundError, match="timed out after 0.5 seconds"):
        fetch(f"{local}/slow-headers", timeout=0.5)
    assert time.monotonic() - started < 1.3


def test_fetch_follows_allowed_redirect(local):
    page = fetch(f"{local}/redirect-ok")
    assert page.final_url == f"{local}/latin1"
    assert "Café" in page.text


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("/redirect-private", "10.0.0.5 is inside a private network"),
        ("/redirect-metadata", "169.254.169.254 is a link-local"),
        ("/redirect-file", "only http and https"),
        ("/loop0", "too many redirects"),
    ],
)
def test_fetch_redirects_vetted_each_hop(local, path, fragment):
    with pytest.raises(OutboundError, match=fragment):
        fetch(f"{local}{path}")


def test_fetch_404(local):
    with pytest.raises(OutboundError, match="^the server answered 404$"):
        fetch(f"{local}/missing")


def test_fetch_pdf_refused(local):
    with pytest.raises(OutboundError, match="application/pdf"):
        fetch(f"{local}/pdf")


def test_fetch_connection_refused(local):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(OutboundError, match="could not connect"):
        fetch(f"http://127.0.0.1:{port}/", timeout=2)


def test_fetch_refuses_without_allowance(server, strict):
    with pytest.raises(OutboundError, match="port"):
        fetch(f"{server}/latin1")


def test_fetch_connects_to_the_vetted_address(local, settings, monkeypatch):
    """DNS rebinding: the name is resolved once, the socket goes to that address, and
    the Host header still carries the name."""
    settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["pinned.example"]
    calls = fake_dns(monkeypatch, {"pinned.example": ["127.0.0.1"]})
    port = local.rsplit(":", 1)[1]
    page = fetch(f"http://pinned.example:{port}/echo-host")
    assert page.text == f"pinned.example:{port}"
    assert calls == ["pinned.example"]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_https_pins_address_but_verifies_the_host_name(settings, monkeypatch, tmp_path):
    """TLS goes to the vetted IP, yet SNI and the certificate check use the host name."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", str(key),
         "-out", str(cert), "-subj", "/CN=pinned.example", "-addext", "subjectAltName=DNS:pinned.example"],
        check=True, capture_output=True,
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        port = httpd.server_address[1]
        settings.FACTCHECK_OUTBOUND_ALLOWED_HOSTS = ["pinned.example", "other.example"]
        calls = fake_dns(monkeypatch, {"pinned.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
        assert fetch(f"https://pinned.example:{port}/echo-host").text == f"pinned.example:{port}"
        assert calls == ["pinned.example"]
        with pytest.raises(OutboundError, match="could not be verified"):
            fetch(f"https://other.example:{port}/echo-host", timeout=2)
        monkeypatch.delenv("REQUESTS_CA_BUNDLE")
        with pytest.raises(OutboundError, match="could not be verified"):
            fetch(f"https://pinned.example:{port}/echo-host", timeout=2)  # self-signed, not trusted
    finally:
        httpd.shutdown()
        httpd.server_close()


# --------------------------------------------------------------------------- webhooks


def test_webhook_sign_and_verify():
    body = b'{"event":"verdict.published"}'
    signature = f"t=1700000000,v1={webhook_sign('s3cret', 1_700_000_000, '42', body)}"
    signed = {"signature": signature, "delivery_id": "42", "body": body}
    assert webhook_verify("s3cret", **signed, now=1_700_000_100)
    assert webhook_verify("s3cret", **signed, now=1_700_000_000)
    assert not webhook_verify("wrong", **signed, now=1_700_000_000)
    assert not webhook_verify("s3cret", **{**signed, "body": body + b" "}, now=1_700_000_000)
    assert not webhook_verify("s3cret", **{**signed, "delivery_id": "43"}, now=1_700_000_000)
    assert not webhook_verify("s3cret", **signed, now=1_700_000_301)
    assert not webhook_verify("s3cret", **signed, now=1_699_999_000)
    moved = signature.replace("t=1700000000", "t=1700000100")
    assert not webhook_verify("s3cret", **{**signed, "signature": moved}, now=1_700_000_000)
    assert not webhook_verify("s3cret", **{**signed, "signature": "t=x,v1=zz"}, now=1_700_000_000)
    assert not webhook_verify("s3cret", **{**signed, "signature": "t=1700000000,v1=zz"}, now=1_700_000_000)


def test_webhook_headers(settings):
    settings.SITE_URL = "https://desk.example"
    headers = webhook_headers("s3cret", b"{}", delivery_id="7", now=1_700_000_000)
    assert headers == {
        "Content-Type": "application/json",
        "User-Agent": "FactcheckDesk/1.0 (+https://desk.example)",
        "X-Factcheck-Delivery": "7",
        "X-Factcheck-Timestamp": "1700000000",
        "X-Factcheck-Signature": f"t=1700000000,v1={webhook_sign('s3cret', 1_700_000_000, '7', b'{}')}",
    }


def test_post_json_delivers_signed_body(local):
    body = json.dumps({"event": "verdict.published", "claim": 7}).encode()
    status = post_json(f"{local}/hook", body, webhook_headers("s3cret", body, delivery_id="7"))
    assert status == 202
    [request] = _Handler.recorded
    assert request["path"] == "/hook"
    assert request["body"] == body
    got = {k.lower(): v for k, v in request["headers"].items()}
    assert got["content-type"] == "application/json"
    assert got["user-agent"] == "FactcheckDesk/1.0 (+https://desk.example)"
    signed = {"signature": got["x-factcheck-signature"], "delivery_id": got["x-factcheck-delivery"],
              "body": request["body"]}
    assert webhook_verify("s3cret", **signed)
    assert not webhook_verify("other", **signed)
    assert not webhook_verify("s3cret", **signed, now=int(got["x-factcheck-timestamp"]) + 600)


def test_post_json_does_not_follow_redirects(local):
    assert post_json(f"{local}/hook-redirect", b"{}", {}) == 302
    assert [r["path"] for r in _Handler.recorded] == ["/hook-redirect"]


def test_post_json_refusals(strict, monkeypatch):
    with pytest.raises(OutboundError, match="169.254.169.254 is a link-local"):
        post_json("http://169.254.169.254/hook", b"{}", {})
    fake_dns(monkeypatch, {"hooks.example": ["192.168.0.10"]})
    with pytest.raises(OutboundError, match="private network"):
        post_json("https://hooks.example/hook", b"{}", {})


def test_post_json_connection_refused(local):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(OutboundError, match="could not connect"):
        post_json(f"http://127.0.0.1:{port}/hook", b"{}", {}, timeout=2)
