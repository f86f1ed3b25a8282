"""Serve the test database as production does: gunicorn, config/gunicorn.py, DEBUG off
(and HTTPS=false: plain HTTP, as behind no TLS proxy).

For tests that must see what a real server hands Django (a chunked body, say),
which the test client cannot show. The test must commit its data
(`transactional_db`): the server reads the database through its own connections.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

from tests.support.cluster import ROOT, stop, test_database_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_gunicorn(log_path, **extra_env):
    """gunicorn on a free port of 127.0.0.1 (1 worker, 2 threads); yields the port."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": test_database_url(),
        "DEBUG": "false",
        "SECRET_KEY": "test-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "false",  # plain HTTP on the loopback, no TLS proxy in front
        "LOG_LEVEL": "WARNING",
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "1",
        "WEB_THREADS": "2",
        **extra_env,
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"]
            + ["config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_serving(port, process, log_path)
            yield port
        finally:
            stop(process)


def _wait_until_serving(port, process, log_path, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {open(log_path).read()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/open311/v2/discovery.json")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s")
