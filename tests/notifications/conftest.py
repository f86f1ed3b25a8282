"""Outbox fixtures: SMS kept in memory, a real HTTP server playing the portal."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifications.channels import sms

PORTAL_SECRET = "portal-shared-secret"


@pytest.fixture(autouse=True)
def sms_in_memory(settings, tmp_path):
    """No test writes SMS files into the checkout; `sms.outbox` starts empty."""
    settings.SMS_BACKEND = "notifications.channels.sms.MemoryBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


class PortalStub:
    """What the portal received; `replies` are the status codes to answer, in order."""

    def __init__(self):
        self.requests = []
        self.replies = []
        self.url = ""


def _is_signed(headers, body) -> bool:
    """The portal's side of the contract in docs/notifications.md, written from it."""
    timestamp = headers.get("X-PAKN-Timestamp", "")
    expected = hmac.new(
        PORTAL_SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(
        headers.get("X-PAKN-Signature", ""), f"sha256={expected}"
    )


@pytest.fixture
def portal(settings):
    """A real HTTP server on 127.0.0.1 that checks signatures and records requests."""
    stub = PortalStub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            signed = _is_signed(self.headers, body)
            stub.requests.append(
                {
                    "path": self.path,
                    "headers": self.headers,  # case-insensitive, like HTTP
                    "body": body,
                    "json": json.loads(body),
                    "signed": signed,
                }
            )
            status = stub.replies.pop(0) if stub.replies else 200
            if not signed:
                status = 401
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"received" if status < 300 else b"portal trouble")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    stub.url = f"http://127.0.0.1:{server.server_port}/pakn/status"
    settings.PORTAL_WEBHOOK_URL = stub.url
    settings.PORTAL_WEBHOOK_SECRET = PORTAL_SECRET
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
