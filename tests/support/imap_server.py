"""A real IMAP server for tests: Debian's dovecot, unprivileged, on 127.0.0.1.

Started with its own configuration in a fresh folder, on a port free at start, as
the current user (or `nobody` when the tests run as root: dovecot refuses to serve
logins as root). Any user name logs in with PASSWORD; mail is kept in Maildirs in
the folder. Stopped and removed at the end.
"""

import getpass
import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
PASSWORD = "test-imap-secret"


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    password: str
    folder: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _config(folder: Path, port: int, user: str, group: str) -> str:
    return f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{folder}/mail/%u
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={folder}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def start_dovecot():
    """Start dovecot; returns (ImapServer, stop function)."""
    if not Path(DOVECOT).exists():
        raise FileNotFoundError(f"{DOVECOT} (apt-get install dovecot-imapd)")
    as_root = os.geteuid() == 0
    user = "nobody" if as_root else getpass.getuser()
    group = grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name
    folder = Path(tempfile.mkdtemp(prefix="pakn-imap-"))
    for sub in ("run", "state", "mail"):
        (folder / sub).mkdir()
    port = _free_port()
    (folder / "dovecot.conf").write_text(_config(folder, port, user, group))
    command = [DOVECOT, "-F", "-c", str(folder / "dovecot.conf")]
    if as_root:
        entry = pwd.getpwnam(user)
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid)
        folder.chmod(0o755)
        command = [
            "setpriv",
            f"--reuid={entry.pw_uid}",
            f"--regid={entry.pw_gid}",
            "--clear-groups",
            *command,
        ]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )

    def stop():
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "dovecot.log").read_text(errors="replace")[-2000:]
            stop()
            raise RuntimeError(f"dovecot exited: {process.stderr.read()!r} {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return ImapServer("127.0.0.1", port, PASSWORD, folder), stop
        except OSError:
            time.sleep(0.1)
    stop()
    raise RuntimeError("dovecot did not answer within 15 s")
