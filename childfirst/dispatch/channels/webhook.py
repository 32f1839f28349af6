"""Webhooks: the disclosure's content as JSON, POSTed to the agency's own case system, signed
and carrying the disclosure's idempotency key (docs/dispatch.md).

    Child-First-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of f"{t}.{body}">
    Idempotency-Key: <the disclosure's key, the same on every attempt>

Connections are kept alive in a small pool per worker thread, so a burst of deliveries to one
partner reuses one connection."""

import email.utils
import hashlib
import hmac
import http.client
import json
import threading
from datetime import UTC, datetime
from urllib.parse import urlsplit

from childfirst.dispatch.channels import Outcome

TIMEOUT_SECONDS = 10
USER_AGENT = "ChildFirst-Webhooks/1"
_local = threading.local()


def body_of(disclosure) -> bytes:
    document = {
        "disclosure_id": disclosure.pk,
        "idempotency_key": str(disclosure.idempotency_key),
        "content_kind": disclosure.content_kind,
        "sent_at": disclosure.sent_at.astimezone(UTC).isoformat(),
        "lawful_basis": disclosure.lawful_basis,
        "content": disclosure.content,
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(*, secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """What a partner does with a delivery (docs/dispatch.md has the same, stand-alone)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret=secret, timestamp=timestamp, body=body).split("v1=")[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _pool() -> dict:
    if not hasattr(_local, "connections"):
        _local.connections = {}
    return _local.connections


def close_connections():
    for connection in _pool().values():
        connection.close()
    _pool().clear()


def _connection(scheme: str, host: str, port: int | None):
    key = (scheme, host, port)
    found = _pool().get(key)
    if found is None:
        cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        found = cls(host, port, timeout=TIMEOUT_SECONDS)
        _pool()[key] = found
        return found, False
    return found, True


def _drop(scheme, host, port):
    connection = _pool().pop((scheme, host, port), None)
    if connection is not None:
        connection.close()


def post(*, url: str, body: bytes, headers: dict) -> tuple[int, dict]:
    """POST on a pooled keep-alive connection; a kept connection the server had closed is tried
    once more on a new one (the same body and key: the partner drops a repeat)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    for _ in range(2):
        connection, reused = _connection(parts.scheme, parts.hostname, parts.port)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            answer = {k.lower(): v for k, v in response.getheaders()}
            if response.will_close:
                _drop(parts.scheme, parts.hostname, parts.port)
            return response.status, answer
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            _drop(parts.scheme, parts.hostname, parts.port)
            if not reused:
                raise
        except Exception:
            _drop(parts.scheme, parts.hostname, parts.port)
            raise
    raise ConnectionError("unreachable")  # pragma: no cover


def retry_after_seconds(value: str | None, *, now: datetime) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def send(delivery, *, now) -> Outcome:
    disclosure = delivery.disclosure
    agency = disclosure.agency
    if not agency.webhook_url or not agency.webhook_secret:
        return Outcome.refused("The agency has no webhook address or signing secret")
    body = body_of(disclosure)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Child-First-Signature": signature(
            secret=agency.webhook_secret, timestamp=timestamp, body=body
        ),
        "Idempotency-Key": str(disclosure.idempotency_key),
    }
    try:
        status, answer = post(url=agency.webhook_url, body=body, headers=headers)
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        return Outcome.again(f"Could not reach the webhook ({type(error).__name__})")
    if 200 <= status < 300:
        return Outcome.ok(status)
    text = f"The webhook answered HTTP {status}"
    if status == 429 or status >= 500:
        wait = retry_after_seconds(answer.get("retry-after"), now=now)
        return Outcome.again(text, retry_after=wait, status=status)
    return Outcome.refused(text, status=status)
