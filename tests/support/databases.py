"""Test databases left behind by killed test runs."""

import os
import re

import psycopg2
from psycopg2 import sql

TEST_DATABASE = re.compile(r"test_pakn_(\d+)")


def admin_connection(db: dict):
    """A connection to the `postgres` database of the server Django's `db` names,
    as its user (the embedded server's superuser, or a role with CREATEDB)."""
    return psycopg2.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
    )


def drop_databases_of_dead_runs(db: dict) -> list[str]:
    """Drop each `test_pakn_<pid>` whose run (process <pid>) is gone; their names.

    Only for a server whose runs are all on this machine (the embedded one): on a
    shared server another machine's pid says nothing here.
    """
    dropped = []
    connection = admin_connection(db)
    connection.autocommit = True  # DROP DATABASE cannot run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database")
            names = [name for (name,) in cursor.fetchall()]
            for name in names:
                match = TEST_DATABASE.fullmatch(name)
                if match and not _alive(int(match.group(1))):
                    cursor.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                            sql.Identifier(name)
                        )
                    )
                    dropped.append(name)
    finally:
        connection.close()
    return dropped


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True
