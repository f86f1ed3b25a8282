"""Development key files: made once on first use under var/keys/ (git-ignored).

Production configures its keys (workflow.proof.keys, workflow.signing); a
development machine gets one generated, the same for every process.
"""

import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings


def development_key_file(name: str, make: Callable[[], bytes]) -> Path:
    """var/keys/<name>, written with make()'s bytes when missing (mode 0600).

    Written aside, then linked into place: two processes making it at once keep
    the first complete file, and nobody reads a half-written one.
    """
    path = Path(settings.BASE_DIR) / "var" / "keys" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = path.with_name(f".{name}.{os.getpid()}")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(make())
        try:
            os.link(aside, path)
        except FileExistsError:
            pass
        finally:
            aside.unlink()
    return path
