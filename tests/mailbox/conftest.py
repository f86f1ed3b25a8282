import imaplib
import os
import uuid

import pytest

from tests.support.imap_server import start_dovecot


@pytest.fixture(scope="module")
def imap_server():
    try:
        server, stop = start_dovecot()
    except FileNotFoundError as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; CI must run the mailbox tests")
        pytest.skip(str(missing))
    yield server
    stop()


@pytest.fixture
def mailbox(imap_server, settings, tmp_path):
    """A fresh, empty mailbox on the test's IMAP server, configured for polling."""
    user = f"pakn-{uuid.uuid4().hex[:8]}"
    settings.MAILBOX_IMAP_HOST = imap_server.host
    settings.MAILBOX_IMAP_PORT = imap_server.port
    settings.MAILBOX_IMAP_USER = user
    settings.MAILBOX_IMAP_PASSWORD = imap_server.password
    settings.MAILBOX_IMAP_SECURITY = "none"
    settings.MEDIA_ROOT = tmp_path / "media"
    return Mailbox(imap_server, user)


class Mailbox:
    """Deliver messages into the mailbox as the agency's mail server would."""

    def __init__(self, server, user):
        self.server, self.user = server, user

    def connect(self):
        conn = imaplib.IMAP4(self.server.host, self.server.port)
        conn.login(self.user, self.server.password)
        return conn

    def deliver(self, raw: bytes, *, arrived_at) -> None:
        conn = self.connect()
        try:
            conn.append("INBOX", None, imaplib.Time2Internaldate(arrived_at), raw)
        finally:
            conn.logout()

    def seen_flags(self) -> list[bool]:
        conn = self.connect()
        try:
            conn.select("INBOX")
            _status, data = conn.uid("FETCH", "1:*", "(FLAGS)")
            return [b"\\Seen" in item for item in data if item]
        finally:
            conn.logout()
