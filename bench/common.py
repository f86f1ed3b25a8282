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


def insert_select(model, values: dict[str, str], source: str) -> str:
    """`INSERT INTO <model's table> (every column) SELECT … FROM source`.

    `values` gives the SQL of the columns a bench cares about (expressions over
    `source`, with %(name)s parameters). Every other column gets what Django
    would give it: its default, NULL, or '' for text, so a column added to the
    model later does not break the bench; one that needs a value the bench does
    not give stops it with the column's name.
    """
    values, columns, selected = dict(values), [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in values:
            continue
        columns.append(field.column)
        if field.column in values:
            selected.append(values.pop(field.column))
        elif field.has_default() and not callable(field.default):
            selected.append(sql_literal(field.default))
        elif field.null:
            selected.append("NULL")
        elif field.get_internal_type() in ("CharField", "TextField", "EmailField"):
            selected.append("''")
        else:
            raise SystemExit(f"bench: no value for {model.__name__}.{field.column}")
    if values:
        raise SystemExit(f"bench: {model.__name__} has no column {sorted(values)}")
    return (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(selected)} FROM {source}"
    )


def numbered_petitions(prefix: str) -> dict[str, str]:
    """insert_select's values for the citizen and text of petition number g (the
    series), its tracking code `prefix` and the number."""
    return {
        "tracking_code": f"'{prefix}' || lpad(g::text, 9, '0')",
        "secret_hash": "md5(g::text) || md5(g::text)",
        "submitter_kind": "'citizen'",
        "submitter_name": "'Nguyễn Văn ' || g",
        "email": "'a' || g || '@example.vn'",
        "title": "'Phản ánh số ' || g",
        "content": "'Nội dung'",
        "channel": "'web'",
    }


def sql_literal(value) -> str:
    """A default as SQL inside a statement run with parameters (% doubled)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''").replace("%", "%%") + "'"


def timed(fn, *args, **kwargs):
    import time

    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def signed_in_client(username):
    """A test Client signed in as `username`, both factors settled (as
    tests.support.signin does for tests: staff roles sign in with TOTP)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.support.signin import signed_in

    return signed_in(Client(), get_user_model().objects.get(username=username))


def time_pages(client, path, count, params=None):
    """Median and p95 of `count` requests (after 3 to warm up), query counts, and
    the 1-minute load average at the end (this machine's 2 cores are shared)."""
    import os
    import statistics
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm caches and the persistent connection
        client.get(path, params or {})
    times, queries = [], set()
    for _ in range(count):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, params or {})
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.add(len(captured))
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[max(0, int(len(times) * 0.95) - 1)],
        "queries": sorted(queries),
        "load": os.getloadavg()[0],
    }


def print_timings(results):
    print(f"\n{'page':58} {'median':>9} {'p95':>9} {'load':>5}  queries")
    for label, figures in results.items():
        print(
            f"{label:58} {figures['median_ms']:7.1f}ms {figures['p95_ms']:7.1f}ms"
            f" {figures['load']:5.1f}  {figures['queries']}"
        )
