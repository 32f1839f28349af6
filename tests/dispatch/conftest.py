"""Real parts for dispatch tests: an HTTP receiver and an SMTP server on loopback.

The clock is fixed at 09:00 on 24 November 2026 (tests/incidents/conftest.py); delivery
functions are called with an explicit `now`."""

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from tests.incidents.conftest import fixed_clock, fresh_identity_state  # noqa: F401


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """A partner's case system: answers each POST with the next planned answer (then 200), and
    keeps what it got. An answer is a status, (status, headers) or "drop" (close the
    connection without answering)."""

    url: str = ""
    plan: list = field(default_factory=list)
    received: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0  # seconds before answering (a slow partner)
    watch_for: int = 0  # set `reached` once this many requests have come
    reached: threading.Event = field(default_factory=threading.Event)

    def next_answer(self):
        with self.lock:
            return self.plan.pop(0) if self.plan else 200

    @property
    def keys(self):
        return [r.headers.get("idempotency-key") for r in self.received]


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            with receiver.lock:
                receiver.received.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                if receiver.watch_for and len(receiver.received) >= receiver.watch_for:
                    receiver.reached.set()
            if receiver.delay:
                time.sleep(receiver.delay)
            answer = receiver.next_answer()
            if answer == "drop":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            status, headers = answer if isinstance(answer, tuple) else (answer, {})
            payload = b'{"ok": true}'
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@pytest.fixture
def receiver():
    found = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(found))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    found.url = f"http://127.0.0.1:{server.server_address[1]}/child-first"
    yield found
    from childfirst.dispatch.channels.webhook import close_connections

    close_connections()
    server.shutdown()
    server.server_close()


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            {"to": list(envelope.rcpt_tos), "data": envelope.content.decode("utf8", "replace")}
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    """A real SMTP server on loopback with Django's SMTP backend pointed at it."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
    ):
        yield inbox
    controller.stop()
