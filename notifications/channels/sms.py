"""SMS through a pluggable backend named by the SMS_BACKEND setting (a dotted path).

A backend is a class whose instances have `send(to, text, idempotency_key)`; it raises
notifications.channels.DeliveryError (or any exception) when the gateway refuses, and
should pass the key on to gateways that deduplicate. The file backend is the default:
one JSON line per message, which is enough for the demo and for counting in tests.
"""

import json
import os
import sys
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.channels import PermanentFailure


def send(*, to: str, text: str, idempotency_key: str) -> None:
    if not to:
        raise PermanentFailure("The notification has no phone number.")
    backend = import_string(settings.SMS_BACKEND)()
    backend.send(to, text, idempotency_key)


def _line(to, text, idempotency_key) -> bytes:
    record = {"to": to, "key": idempotency_key, "text": text}
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()


class FileBackend:
    """Appends one line per SMS to SMS_FILE_PATH/sms.log.

    A single O_APPEND write per line keeps lines whole when several worker processes
    write at once.
    """

    def __init__(self, path=None):
        self.path = Path(path or settings.SMS_FILE_PATH) / "sms.log"

    def send(self, to, text, idempotency_key):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, _line(to, text, idempotency_key))
        finally:
            os.close(fd)


class ConsoleBackend:
    """Writes one line per SMS to standard output."""

    def send(self, to, text, idempotency_key):
        sys.stdout.write(_line(to, text, idempotency_key).decode())
        sys.stdout.flush()


# Messages sent through MemoryBackend in this process, like django.core.mail.outbox.
outbox: list[dict] = []


class MemoryBackend:
    """Keeps messages in `outbox` (for tests)."""

    def send(self, to, text, idempotency_key):
        outbox.append({"to": to, "text": text, "key": idempotency_key})
