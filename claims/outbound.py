"""Outbound HTTP that cannot be pointed inside our own network (SSRF guard).

Partners give us two kinds of address: article URLs for us to fetch and webhook
URLs for us to POST to.  Every such request goes through this module:

* ``url_check`` vets a URL: http/https only, no credentials, an allowed port, and
  every address the host resolves to must be a public internet address.
* ``fetch`` and ``post_json`` connect to the *vetted* IP address (no second DNS
  lookup, so DNS rebinding cannot swap in an internal address) while sending the
  original host name in the ``Host`` header and in TLS SNI, and verifying the
  certificate against that name.  Redirects are followed by hand (``fetch`` only,
  at most five) and every hop is vetted again.
* A single wall-clock deadline covers the whole request, including redirects and
  a server that drips its answer one byte at a time.

Environment proxies (``HTTP_PROXY`` …) are deliberately ignored: a proxy would do
its own DNS lookup and defeat the pinning.

Settings (all optional, read at call time):

``FACTCHECK_OUTBOUND_ALLOWED_HOSTS``  host names, IPs or networks that may be
    reached even though they are not public (tests: ``["127.0.0.1"]``); default ``[]``.
``FACTCHECK_OUTBOUND_ALLOWED_PORTS``  ports allowed for other hosts; default
    ``[80, 443, 8080, 8443]``.
``FACTCHECK_FETCH_MAX_BYTES``  largest page ``fetch`` reads; default 5 MB.
``FACTCHECK_FETCH_TIMEOUT``  total seconds for ``fetch`` / ``post_json``; default 10.
``SITE_URL``  goes into the User-Agent.
"""

from __future__ import annotations

import codecs
import hashlib
import hmac
import ipaddress
import os
import re
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from http.client import HTTPException
from urllib.parse import urljoin, urlsplit, urlunsplit

import urllib3
from django.conf import settings
from requests.utils import requote_uri
from urllib3.connection import HTTPConnection, HTTPSConnection

__all__ = [
    "ACCEPTED_CONTENT_TYPES",
    "ANY_CONTENT_TYPE",
    "FEED_CONTENT_TYPES",
    "JSON_CONTENT_TYPES",
    "FetchedPage",
    "OutboundError",
    "fetch",
    "post_json",
    "url_check",
    "user_agent",
    "webhook_headers",
    "webhook_sign",
    "webhook_verify",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_ALLOWED_PORTS = (80, 443, 8080, 8443)
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0
MAX_REDIRECTS = 5
ACCEPTED_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
JSON_CONTENT_TYPES = frozenset({"application/json", "application/ld+json"})
# Feeds and sitemaps (claims.services.watching): servers label them all of these ways, and
# a sitemap may come gzipped (sitemap.xml.gz).
FEED_CONTENT_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
    "application/rdf+xml", "application/x-rss+xml", "application/gzip", "application/x-gzip",
})
# Any media type at all (robots.txt, which servers label as they please).
ANY_CONTENT_TYPE = frozenset({"*/*"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024

# Networks refused on top of ``not is_global``: belt and braces, and clearer messages.
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_SITE_LOCAL_V6 = ipaddress.ip_network("fec0::/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

# One label of an inet_aton()-style number: decimal, octal (leading 0) or hex (0x…).
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")


class OutboundError(Exception):
    """A request we refused or that failed; the message is meant for the partner."""


@dataclass(frozen=True)
class FetchedPage:
    final_url: str
    status: int
    content_type: str
    text: str
    bytes_read: int
    etag: str = ""
    last_modified: str = ""
    raw: bytes = b""  # the body as sent (an XML document decodes itself)

    @property
    def not_modified(self) -> bool:
        """The server answered 304 to a conditional request: nothing new since last time."""
        return self.status == 304


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, no brackets
    port: int
    request_target: str  # path + query, what goes on the request line
    addresses: list[IPAddress]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


# --------------------------------------------------------------------------- settings


def _allowed_ports() -> set[int]:
    return {int(p) for p in getattr(settings, "FACTCHECK_OUTBOUND_ALLOWED_PORTS", DEFAULT_ALLOWED_PORTS)}


def _allowed_hosts() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    names: set[str] = set()
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for entry in getattr(settings, "FACTCHECK_OUTBOUND_ALLOWED_HOSTS", ()) or ():
        text = str(entry).strip().strip("[]").rstrip(".").lower()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            names.add(text)
    return names, networks


def _max_bytes() -> int:
    return int(getattr(settings, "FACTCHECK_FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))


def _timeout() -> float:
    return float(getattr(settings, "FACTCHECK_FETCH_TIMEOUT", DEFAULT_TIMEOUT))


def user_agent() -> str:
    site = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"FactcheckDesk/1.0 (+{site})" if site else "FactcheckDesk/1.0"


# --------------------------------------------------------------------------- messages


def _seconds(value: float) -> str:
    text = f"{value:g}"
    return f"{text} second" if text == "1" else f"{text} seconds"


def _size(value: int) -> str:
    if value >= 1024 * 1024:
        return f"{round(value / (1024 * 1024), 1):g} MB"
    if value >= 1024:
        return f"{round(value / 1024, 1):g} KB"
    return f"{value} bytes"


def _timed_out(seconds: float) -> OutboundError:
    return OutboundError(f"timed out after {_seconds(seconds)}")


# --------------------------------------------------------------------------- address checks


def _address_problem(address: IPAddress) -> str | None:
    """Why this address may not be reached, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            problem = _address_problem(embedded)
            if problem:
                return problem
        if address.teredo:
            for part in address.teredo:
                problem = _address_problem(part)
                if problem:
                    return problem
        if address in _SITE_LOCAL_V6 or address.is_site_local:
            return "is a site-local address"
    if address.is_unspecified or (isinstance(address, ipaddress.IPv4Address) and address in _THIS_NETWORK):
        return "is not a usable destination"
    if address.is_loopback:
        return "points back at this machine (loopback)"
    if address.is_link_local:
        return "is a link-local address (such as a cloud metadata service)"
    if address.is_multicast:
        return "is a multicast address"
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED_ADDRESS_SPACE:
        return "is inside a shared (carrier-grade NAT) network"
    if address.is_reserved:
        return "is in a reserved range"
    if address.is_private:
        return "is inside a private network"
    if not address.is_global:
        return "is not a public internet address"
    return None


def _parse_ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise OutboundError(f"the host {host} could not be found") from exc
    addresses: list[IPAddress] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        raw = str(sockaddr[0]).split("%", 1)[0]
        address = _parse_ip(raw)
        if address is None:
            raise OutboundError(f"the host {host} resolved to something that is not an IP address")
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise OutboundError(f"the host {host} could not be found")
    return addresses


def _vet(url: str) -> _Target:
    if not isinstance(url, str) or not url.strip():
        raise OutboundError("the URL is empty")
    url = url.strip()
    if any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in url):
        raise OutboundError("the URL contains spaces or control characters")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise OutboundError("the URL is not valid") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise OutboundError("only http and https URLs are allowed")
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise OutboundError("URLs with a user name or password are not allowed")
    raw_host = (parts.hostname or "").rstrip(".")
    if not raw_host:
        raise OutboundError("the URL has no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise OutboundError("the port in the URL is not valid") from exc
    if port is None:
        port = 443 if scheme == "https" else 80
    if not 0 < port < 65536:
        raise OutboundError("the port in the URL is not valid")

    literal = _parse_ip(raw_host.split("%", 1)[0]) if ":" in raw_host else None
    if ":" in raw_host and literal is None:
        raise OutboundError(f"the address {raw_host} is not valid")
    if literal is None:
        labels = raw_host.split(".")
        if all(_NUMERIC_LABEL.match(label) for label in labels):
            # Digits-only host: it must be a plain dotted quad.  Decimal (2130706433),
            # octal (0177.0.0.1), hex (0x7f.1) and short (127.1) forms are refused outright.
            try:
                literal = ipaddress.IPv4Address(raw_host)
            except ValueError as exc:
                raise OutboundError(
                    f"the address {raw_host} is written in an unusual numeric form; "
                    "use the normal dotted form (such as 93.184.216.34) or a host name"
                ) from exc
    if literal is not None:
        host = str(literal)
    else:
        try:
            host = raw_host.encode("idna").decode("ascii").lower()
        except UnicodeError as exc:
            raise OutboundError(f"the host name {raw_host} is not valid") from exc

    names, networks = _allowed_hosts()
    host_allowed = host in names or raw_host in names or (
        literal is not None and any(literal in net for net in networks)
    )
    if not host_allowed and port not in _allowed_ports():
        raise OutboundError(f"port {port} is not allowed; use the standard web ports")

    addresses = [literal] if literal is not None else _resolve(host, port)
    if not host_allowed:
        for address in addresses:
            if any(address in net for net in networks):
                continue
            problem = _address_problem(address)
            if problem:
                if literal is not None:
                    raise OutboundError(f"the address {address} {problem}")
                raise OutboundError(f"the host {host} resolves to {address}, which {problem}")

    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return _Target(
        url=url,
        scheme=scheme,
        host=host,
        port=port,
        request_target=requote_uri(target),
        addresses=addresses,
    )


def url_check(url: str) -> list[IPAddress]:
    """Vet ``url`` and return the addresses its host resolves to (all of them public,
    unless the host is in ``FACTCHECK_OUTBOUND_ALLOWED_HOSTS``).  Raises OutboundError."""
    return list(_vet(url).addresses)


# --------------------------------------------------------------------------- transport


class _Deadline:
    """A wall-clock deadline for a whole request.  A watchdog thread shuts the live
    socket down when it passes, so even a server dripping bytes cannot hold us."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.fired = False
        self._lock = threading.Lock()
        self._watched: socket.socket | None = None
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        self.unwatch()

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0 or self.fired:
            raise _timed_out(self.seconds)
        return left

    @property
    def is_expired(self) -> bool:
        return self.fired or time.monotonic() >= self.end

    def watch(self, sock: socket.socket) -> None:
        # A duplicate descriptor of the same socket: shutting it down wakes any read
        # on the original, and it stays valid even after TLS wraps the original.
        dup = sock.dup()
        with self._lock:
            self._close_watched()
            self._watched = dup
            if self.fired:
                self._shutdown_watched()

    def unwatch(self) -> None:
        with self._lock:
            self._close_watched()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shutdown_watched()

    def _shutdown_watched(self) -> None:
        if self._watched is not None:
            try:
                self._watched.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _close_watched(self) -> None:
        if self._watched is not None:
            try:
                self._watched.close()
            except OSError:
                pass
            self._watched = None


class _WatchedConnectionMixin:
    deadline: _Deadline | None = None

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        if self.deadline is not None:
            self.deadline.watch(sock)
        return sock


class _PinnedHTTPConnection(_WatchedConnectionMixin, HTTPConnection):
    pass


class _PinnedHTTPSConnection(_WatchedConnectionMixin, HTTPSConnection):
    pass


def _ca_bundle() -> str | None:
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        return bundle
    try:
        import certifi
    except ImportError:  # pragma: no cover - requests depends on certifi
        return None
    return certifi.where()


def _connect(target: _Target, deadline: _Deadline) -> HTTPConnection:
    """Open a connection to one of the vetted addresses of ``target``."""
    last_error: Exception | None = None
    for address in target.addresses:
        timeout = deadline.remaining()
        conn: HTTPConnection
        if target.scheme == "https":
            conn = _PinnedHTTPSConnection(
                str(address),
                target.port,
                timeout=timeout,
                server_hostname=target.host,  # SNI and (stdlib) certificate name check
                cert_reqs="CERT_REQUIRED",
                ca_certs=_ca_bundle(),
            )
        else:
            conn = _PinnedHTTPConnection(str(address), target.port, timeout=timeout)
        conn.deadline = deadline  # type: ignore[attr-defined]
        try:
            conn.connect()
            return conn
        except (urllib3.exceptions.HTTPError, OSError, HTTPException, ValueError) as exc:
            conn.close()
            if deadline.is_expired:
                raise _timed_out(deadline.seconds) from exc
            if isinstance(exc, urllib3.exceptions.SSLError | ssl.SSLError | ssl.CertificateError | ValueError):
                raise OutboundError(f"the secure connection to {target.host} could not be verified") from exc
            last_error = exc
    raise OutboundError(f"could not connect to {target.host}") from last_error


def _send(
    target: _Target,
    deadline: _Deadline,
    method: str,
    headers: Mapping[str, str],
    body: bytes | None = None,
) -> tuple[HTTPConnection, urllib3.response.HTTPResponse]:
    conn = _connect(target, deadline)
    try:
        conn.timeout = deadline.remaining()
        conn.request(
            method,
            target.request_target,
            body=body,
            headers={**headers, "Host": target.host_header},
            preload_content=False,
            decode_content=True,
        )
        conn.timeout = deadline.remaining()
        response = conn.getresponse()
        return conn, response
    except OutboundError:
        conn.close()
        raise
    except (urllib3.exceptions.HTTPError, OSError, HTTPException, ValueError) as exc:
        conn.close()
        if deadline.is_expired or isinstance(exc, TimeoutError | urllib3.exceptions.TimeoutError):
            raise _timed_out(deadline.seconds) from exc
        raise OutboundError(f"the connection to {target.host} failed") from exc


def _read_body(
    conn: HTTPConnection, response: urllib3.response.HTTPResponse, deadline: _Deadline, max_bytes: int
) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise OutboundError(f"the page is larger than {_size(max_bytes)}")
    chunks: list[bytes] = []
    total = 0
    try:
        while True:
            left = deadline.remaining()
            if conn.sock is not None:
                conn.sock.settimeout(left)
            chunk = response.read(CHUNK, decode_content=True)
            if deadline.is_expired:
                raise _timed_out(deadline.seconds)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise OutboundError(f"the page is larger than {_size(max_bytes)}")
            chunks.append(chunk)
    except OutboundError:
        raise
    except (urllib3.exceptions.HTTPError, OSError, HTTPException, ValueError) as exc:
        if deadline.is_expired or isinstance(exc, TimeoutError | urllib3.exceptions.TimeoutError):
            raise _timed_out(deadline.seconds) from exc
        raise OutboundError("the connection broke while reading the page") from exc
    return b"".join(chunks)


# --------------------------------------------------------------------------- decoding


_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([^"';\s]+)""", re.IGNORECASE)


def _parse_content_type(value: str) -> tuple[str, str | None]:
    media = value.split(";", 1)[0].strip().lower()
    match = _CHARSET_PARAM.search(value)
    return media, (match.group(1) if match else None)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(data: bytes, charset: str | None, media: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    encoding = _codec(charset)
    if encoding is None and media != "text/plain":
        match = _META_CHARSET.search(data[:4096])
        if match:
            encoding = _codec(match.group(1).decode("ascii", "ignore"))
    if encoding is not None:
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding, errors="replace")
    except Exception:  # noqa: BLE001 - detection is best effort; fall back below
        return data.decode("utf-8", errors="replace")
    return data.decode("utf-8", errors="replace")


# --------------------------------------------------------------------------- public API


def fetch(
    url: str,
    *,
    max_bytes: int | None = None,
    timeout: float | None = None,
    accept: frozenset[str] = ACCEPTED_CONTENT_TYPES,
    headers: Mapping[str, str] | None = None,
) -> FetchedPage:
    """GET an article page through the vetted, IP-pinned path.

    Follows at most five redirects (each vetted again), accepts only the media types in
    ``accept`` (HTML / XHTML / plain text unless told; ANY_CONTENT_TYPE for any), stops
    reading past ``max_bytes`` and gives up after ``timeout`` seconds of wall time in
    total.  Raises OutboundError with a partner-readable message on any refusal or failure.

    ``headers`` are sent as well (not Host): a conditional request (``If-None-Match``,
    ``If-Modified-Since``) that the server answers 304 returns a page whose
    ``not_modified`` is true and whose text is empty. The answer's ETag and Last-Modified
    are on the page either way."""
    max_bytes = _max_bytes() if max_bytes is None else int(max_bytes)
    timeout = _timeout() if timeout is None else float(timeout)
    extra = {str(k): str(v) for k, v in (headers or {}).items() if str(k).lower() not in ("host", "connection")}
    conditional = any(k.lower() in ("if-none-match", "if-modified-since") for k in extra)
    headers = {
        "User-Agent": user_agent(),
        "Accept": ",".join(sorted(accept)),
        "Accept-Encoding": "identity",
        **extra,
        "Connection": "close",
    }
    current = url
    with _Deadline(timeout) as deadline:
        for hop in range(MAX_REDIRECTS + 1):
            target = _vet(current)
            conn, response = _send(target, deadline, "GET", headers)
            try:
                status = response.status
                if status in REDIRECT_STATUSES:
                    location = response.headers.get("Location")
                    if not location:
                        raise OutboundError(f"the server answered {status} without saying where to go")
                    if hop == MAX_REDIRECTS:
                        raise OutboundError(f"too many redirects (more than {MAX_REDIRECTS})")
                    current = urljoin(target.url, location.strip())
                    continue
                etag = (response.headers.get("ETag") or "").strip()[:500]
                last_modified = (response.headers.get("Last-Modified") or "").strip()[:100]
                if status == 304 and conditional:
                    return FetchedPage(final_url=target.url, status=status, content_type="", text="",
                                       bytes_read=0, etag=etag, last_modified=last_modified)
                if not 200 <= status < 300:
                    raise OutboundError(f"the server answered {status}")
                raw_type = response.headers.get("Content-Type", "")
                media, charset = _parse_content_type(raw_type)
                if not raw_type.strip() and accept != ANY_CONTENT_TYPE:
                    raise OutboundError("the server did not say what kind of document this is")
                if media not in accept and accept != ANY_CONTENT_TYPE:
                    if accept <= JSON_CONTENT_TYPES:
                        wanted = "JSON"
                    elif accept <= FEED_CONTENT_TYPES:
                        wanted = "feeds and sitemaps (XML)"
                    else:
                        wanted = "web pages (HTML) and plain text"
                    raise OutboundError(f"the document is {media}; only {wanted} can be fetched here")
                data = _read_body(conn, response, deadline, max_bytes)
                return FetchedPage(
                    final_url=target.url,
                    status=status,
                    content_type=media,
                    text=_decode(data, charset, media),
                    bytes_read=len(data),
                    etag=etag,
                    last_modified=last_modified,
                    raw=data,
                )
            finally:
                response.release_conn()
                conn.close()
                deadline.unwatch()
    raise OutboundError(f"too many redirects (more than {MAX_REDIRECTS})")  # pragma: no cover


def post_json(url: str, body: bytes, headers: dict, *, timeout: float | None = None) -> int:
    """POST ``body`` to a partner webhook through the vetted, IP-pinned path and
    return the status code.  Redirects are not followed (a 3xx is returned as is).
    Raises OutboundError on refusal, timeout or connection failure."""
    timeout = _timeout() if timeout is None else float(timeout)
    send_headers = {str(k): str(v) for k, v in (headers or {}).items() if str(k).lower() != "host"}
    lower = {k.lower() for k in send_headers}
    if "user-agent" not in lower:
        send_headers["User-Agent"] = user_agent()
    if "content-type" not in lower:
        send_headers["Content-Type"] = "application/json"
    send_headers.setdefault("Connection", "close")
    with _Deadline(timeout) as deadline:
        target = _vet(url)
        conn, response = _send(target, deadline, "POST", send_headers, bytes(body))
        try:
            return response.status
        finally:
            response.release_conn()
            conn.close()


def webhook_sign(secret: str, timestamp: int, delivery_id: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``b"<timestamp>.<delivery id>." + body`` keyed with ``secret``.

    The id and the time are signed with the body, so that a receiver that remembers the ids
    it handled, and refuses old timestamps, can refuse a replayed delivery."""
    message = f"{int(timestamp)}.{delivery_id}.".encode() + bytes(body)
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _now_seconds(now: float | int | datetime | None) -> int:
    if now is None:
        return int(time.time())
    if isinstance(now, datetime):
        return int(now.timestamp())
    return int(now)


def webhook_headers(
    secret: str, body: bytes, *, delivery_id: str, now: float | int | datetime | None = None
) -> dict[str, str]:
    """Headers for a signed webhook delivery: ``X-Factcheck-Signature: t=<unix>,v1=<hex>``."""
    timestamp = _now_seconds(now)
    return {
        "Content-Type": "application/json",
        "User-Agent": user_agent(),
        "X-Factcheck-Delivery": str(delivery_id),
        "X-Factcheck-Timestamp": str(timestamp),
        "X-Factcheck-Signature": f"t={timestamp},v1={webhook_sign(secret, timestamp, str(delivery_id), body)}",
    }


def webhook_verify(
    secret: str,
    *,
    signature: str,
    delivery_id: str,
    body: bytes,
    tolerance: int = 300,
    now: float | int | datetime | None = None,
) -> bool:
    """True when ``signature`` (the ``t=<unix>,v1=<hex>`` header) matches the id and the
    body and its time is within ``tolerance`` seconds of now. Constant-time comparison.
    Remembering the ids already handled is the receiver's part."""
    if not isinstance(signature, str):
        return False
    fields = dict(part.strip().split("=", 1) for part in signature.split(",") if "=" in part)
    stamp = fields.get("t", "")
    if not stamp.isdigit() or abs(_now_seconds(now) - int(stamp)) > tolerance:
        return False
    expected = webhook_sign(secret, int(stamp), str(delivery_id), body)
    return hmac.compare_digest(expected.encode("ascii"), fields.get("v1", "").lower().encode("ascii", "replace"))
