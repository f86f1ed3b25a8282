"""Throwaway PostgreSQL servers from Debian's packages (/usr/lib/postgresql/*/bin):
a primary and its streaming replica, each on a free port of 127.0.0.1."""

import glob
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest

from tests.support.redis import free_port


def debian_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"))
    if not found:
        if os.environ.get("CI"):
            raise RuntimeError("Debian's PostgreSQL is missing: .ci/run installs it")
        pytest.skip("Debian's PostgreSQL (apt install postgresql) is not installed")
    return Path(found[-1]).parent


class Server:
    """One server in `root`; under root it runs as the `postgres` system user,
    which trusts connections from this machine (a throwaway server)."""

    def __init__(self, root: Path, name: str):
        self.bin = debian_bin()
        self.root = root
        self.data = root / name
        self.port = free_port()
        self.owner = "postgres" if os.geteuid() == 0 else None

    def run(self, program, *args):
        command = [str(self.bin / program), *map(str, args)]
        if self.owner:
            command = ["runuser", "-u", self.owner, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stderr[-2000:]}")
        return done

    def initdb(self):
        self.run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8")  # fmt: skip
        return self

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        log = self.root / f"{self.data.name}.log"
        self.run("pg_ctl", "-D", self.data, "-l", log, "-w", "-o", options, "start")
        return self

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def url(self, name="postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def query(self, sql, name="postgres"):
        connection = psycopg2.connect(self.url(name))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0] if cursor.description else None
        finally:
            connection.close()

    def replica(self, name="replica") -> "Server":
        """A streaming replica of this server (pg_basebackup -R), started."""
        standby = Server(self.root, name)
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres",
                 "-D", standby.data, "-R", "-X", "stream")  # fmt: skip
        return standby.start()


@contextmanager
def scratch_folder():
    """A short path (for the sockets) that the `postgres` user may use."""
    root = Path(tempfile.mkdtemp(prefix="pakn-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def primary_and_replica():
    with scratch_folder() as root:
        primary = Server(root, "primary").initdb().start()
        servers = [primary]
        try:
            servers.append(primary.replica())
            yield servers
        finally:
            for server in reversed(servers):
                server.stop()
