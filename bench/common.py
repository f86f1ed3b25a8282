"""Shared set-up for benchmark scripts: their own database on the same server.

A benchmark never touches the development database (`pakn`): it uses `pakn_bench`
(or BENCH_DATABASE), created on the embedded PostgreSQL or on DATABASE_URL's server.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def use_bench_database(name=None) -> str:
    """Point DATABASE_URL at the bench database (created if missing); return the URL."""
    from config.database import create_database_once, start_embedded_server

    name = name or os.environ.get("BENCH_DATABASE", "pakn_bench")
    base = os.environ.get("DATABASE_URL") or start_embedded_server()
    parts = urlparse(base)
    url = urlunparse(parts._replace(path=f"/{name}"))
    host = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p).get("host")
    if host:  # a Unix socket: the embedded server
        create_database_once(host, name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The benches serve plain HTTP on 127.0.0.1 (production redirects to HTTPS).
    os.environ.setdefault("HTTPS", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def timed(fn, *args, **kwargs):
    import time

    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result
