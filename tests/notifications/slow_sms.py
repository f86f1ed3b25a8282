"""An SMS gateway stand-in for the cluster test: slow, and it writes what it sent.

Used by a real qcluster subprocess (SMS_BACKEND=tests.notifications.slow_sms.
SlowFileBackend); one line per message: the idempotency key and the number.
"""

import os
import time
from pathlib import Path


class SlowFileBackend:
    def send(self, to, text, idempotency_key):
        time.sleep(float(os.environ.get("SLOW_SMS_SECONDS", "0.05")))
        path = Path(os.environ["SMS_FILE_PATH"]) / "sent.log"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{idempotency_key} {to}\n".encode())
        finally:
            os.close(fd)
