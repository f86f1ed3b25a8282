"""Many model rows in one INSERT, without the ORM's per-field work.

`bulk_create` prepares every value of every row through its field; for the
thousands of rows of batch intake and the SLA sweep that preparation costs more
than the database. Values here go to the driver as they are: datetimes, numbers,
strings, UUIDs, and JSON fields serialised here.
"""

import json

from django.db import connection
from django.db.models import JSONField
from psycopg2.extras import execute_values


def insert_rows(model, rows, *, ignore_conflicts=False, returning_ids=False):
    """INSERT the rows (model instances, defaults already applied by __init__).

    With `returning_ids` each row gets its primary key, in the order given;
    PostgreSQL returns a multi-row INSERT's rows in the order of its VALUES.
    """
    if not rows:
        return rows
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    jsons = {f.attname for f in fields if isinstance(f, JSONField)}
    values = [
        tuple(
            json.dumps(getattr(row, f.attname))
            if f.attname in jsons
            else getattr(row, f.attname)
            for f in fields
        )
        for row in rows
    ]
    sql = f"INSERT INTO {model._meta.db_table} ({columns}) VALUES %s"
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if returning_ids:
        sql += f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
    with connection.cursor() as cursor:
        ids = execute_values(
            cursor, sql, values, page_size=len(values), fetch=returning_ids
        )
    if returning_ids:
        for row, (pk,) in zip(rows, ids, strict=True):
            row.pk = row.id = pk
            row._state.adding = False
    return rows
