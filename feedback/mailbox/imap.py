"""Fetching new messages from the agency's mailbox over IMAP.

Each unseen message is fetched without marking it (BODY.PEEK), stored as a draft,
then flagged \\Seen. A crash in between fetches it again next time; the draft is
keyed on the Message-ID, so it is stored once (feedback.mailbox.services).
"""

import imaplib
import re
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from django.conf import settings

# INTERNALDATE "14-Nov-2023 22:13:20 +0000": English month names whatever the
# locale (RFC 3501 date-time).
INTERNALDATE = re.compile(
    rb'INTERNALDATE "\s?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) '
    rb'([+-])(\d{2})(\d{2})"'
)
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov"]
        + ["dec"],
        start=1,
    )
}


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    security: str = "ssl"  # ssl | starttls | none (a server on the same machine)

    @classmethod
    def from_settings(cls) -> "MailboxConfig | None":
        """The configured mailbox, or None when polling is off (no host)."""
        if not settings.MAILBOX_IMAP_HOST:
            return None
        return cls(
            host=settings.MAILBOX_IMAP_HOST,
            port=settings.MAILBOX_IMAP_PORT,
            user=settings.MAILBOX_IMAP_USER,
            password=settings.MAILBOX_IMAP_PASSWORD,
            folder=settings.MAILBOX_IMAP_FOLDER,
            security=settings.MAILBOX_IMAP_SECURITY,
        )

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host}/{self.folder}"


@dataclass(frozen=True)
class FetchedMessage:
    uid: int
    received_at: datetime
    raw: bytes


class MailboxError(Exception):
    """The mailbox could not be read (connection, login, folder)."""


def connect(config: MailboxConfig) -> imaplib.IMAP4:
    timeout = settings.MAILBOX_IMAP_TIMEOUT
    try:
        if config.security == "ssl":
            conn = imaplib.IMAP4_SSL(
                config.host,
                config.port,
                ssl_context=ssl.create_default_context(),
                timeout=timeout,
            )
        else:
            conn = imaplib.IMAP4(config.host, config.port, timeout=timeout)
            if config.security == "starttls":
                conn.starttls(ssl_context=ssl.create_default_context())
        conn.login(config.user, config.password)
        status, _data = conn.select(_quoted(config.folder))
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(f"{config.label}: {error}") from error
    if status != "OK":
        conn.logout()
        raise MailboxError(f"{config.label}: no folder {config.folder!r}")
    return conn


def unseen(conn) -> list[int]:
    status, data = conn.uid("SEARCH", None, "UNSEEN")
    if status != "OK":
        raise MailboxError(f"SEARCH failed: {data!r}")
    return [int(uid) for uid in (data[0] or b"").split()]


def fetch(conn, uid: int) -> FetchedMessage | None:
    """One message, unmarked; None when it vanished meanwhile (expunged)."""
    status, data = conn.uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])")
    if status != "OK":
        raise MailboxError(f"FETCH {uid} failed: {data!r}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return FetchedMessage(
                uid=uid, received_at=internal_date(item[0]), raw=item[1]
            )
    return None


def mark_seen(conn, uid: int) -> None:
    conn.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")


def internal_date(response: bytes) -> datetime:
    """The server's receipt moment of a message, from a FETCH response line."""
    match = INTERNALDATE.search(response)
    if match is None:
        raise MailboxError(f"No INTERNALDATE in {response[:200]!r}")
    day, month, year, hour, minute, second, sign, off_h, off_m = match.groups()
    offset = timedelta(hours=int(off_h), minutes=int(off_m))
    zone = timezone(offset if sign == b"+" else -offset)
    return datetime(
        int(year),
        MONTHS[month.decode().lower()],
        int(day),
        int(hour),
        int(minute),
        int(second),
        tzinfo=zone,
    )


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
