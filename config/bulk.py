"""Many rows written at once, without the ORM's per-field work.

`bulk_create` prepares every value of every row through its field; for the
thousands of rows of batch intake and the SLA sweep that preparation costs more
than the database. Rows go in with COPY, which PostgreSQL takes in at about half
the cost of a multi-row INSERT (measured: 1,600 outbox rows in 17 ms against
75 ms). Ids are drawn from the table's sequence first, so every row knows its
id without a RETURNING. Only an insert that must skip conflicting rows uses
INSERT … ON CONFLICT DO NOTHING.
"""

import datetime
import decimal
import functools
import io
import json
import operator
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import JSONField, signals
from django.db.models.base import ModelState
from psycopg2.extras import execute_values

# Fewer rows than this go in with one INSERT: … RETURNING their ids, or with the
# ids they already have (given, or drawn ahead: a COPY takes two round trips,
# an INSERT one). More go in with their ids drawn first and a COPY (two
# statements, but cheaper per row: the INSERT's values are quoted one by one in
# Python, which at an intake batch's twenty outbox rows cost more than the extra
# statement; bench/intake_http.py, 0.36 ms of a web worker's CPU a request less
# than with 50 here).
COPY_FROM_ROWS = 4


def allocate_ids(model, count: int) -> list[int]:
    """`count` primary keys from the model's sequence, before its rows are inserted.

    Rows that know their ids can be written once, complete: nothing to update after
    the INSERT to point other rows at them. Inside `ids_drawn_ahead` they come
    from the ids drawn there first.
    """
    if count == 0:
        return []
    ahead = _ahead.get()
    ids = ahead.take(model, count) if ahead is not None else []
    if len(ids) < count:
        ids += _draw({model: count - len(ids)})[model]
    return ids


@contextmanager
def ids_drawn_ahead(counts: dict) -> Iterator[None]:
    """Ids for the rows a block will insert, drawn for all tables in one statement.

    `counts` bounds the rows of each model the block inserts; the ids are drawn
    when the block first needs any, and every allocate_ids (and insert_rows)
    inside takes from them, drawing more only past the bound. Each table's id
    draw is otherwise a statement of its own, and a batch intake writes four such
    tables: three round trips saved on every batch. Ids left over are never
    used; a sequence has gaps anyway (a rolled-back insert leaves one).
    """
    token = _ahead.set(_Ahead({m: n for m, n in counts.items() if n > 0}))
    try:
        yield
    finally:
        _ahead.reset(token)


class _Ahead:
    def __init__(self, bounds):
        self.bounds = bounds
        self.drawn: dict | None = None

    def holds(self, model) -> bool:
        return model in self.bounds

    def take(self, model, count) -> list[int]:
        if model not in self.bounds:
            return []
        if self.drawn is None:
            self.drawn = _draw(self.bounds)
        ids = self.drawn[model]
        taken, self.drawn[model] = ids[:count], ids[count:]
        return taken


_ahead: ContextVar[_Ahead | None] = ContextVar("ids drawn ahead", default=None)


def _draw(counts: dict) -> dict:
    """{model: its `count` next ids, ascending}, in one statement."""
    models = list(counts)
    parts, params = [], []
    for index, model in enumerate(models):
        # The sequence is looked up once per table (a scalar subquery runs once),
        # not once per id: pg_get_serial_sequence and the cast to regclass each
        # search the catalogs, which for a batch of 8 petitions' 80 ids cost
        # more than drawing them.
        parts.append(
            f"SELECT {index}, nextval("
            "(SELECT pg_get_serial_sequence(%s, %s)::regclass)) "
            "FROM generate_series(1, %s)"
        )
        params += [model._meta.db_table, model._meta.pk.column, counts[model]]
    drawn: dict = {model: [] for model in models}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, pk in cursor.fetchall():
            drawn[models[index]].append(pk)
    return {model: sorted(ids) for model, ids in drawn.items()}


def new_row(model: Any, **values: Any) -> Any:
    """A model instance for a bulk write: `values` by field, the rest defaults.

    What `model(**values)` gives, at under half its cost: Django's __init__
    looks every field up in the keywords and sets relations through their
    descriptors, which for the ten rows intake writes per petition (clocks,
    outbox rows, consents) cost more than writing them. This fills the
    instance's attributes directly, as they are stored (by attname). A relation
    is given as its id (`petition_id=`) or as the object (`petition=`), which is
    then remembered as if assigned. Models that listen to Django's init
    signals are built by __init__.
    """
    layout = _layout(model)
    if layout.signalled:
        return model(**values)
    row = model.__new__(model)
    row._state = ModelState()
    attributes = row.__dict__
    for name, obj in values.items():
        attname = layout.relations.get(name)
        if attname is not None:
            attributes[attname] = None if obj is None else obj.pk
            row._state.fields_cache[name] = obj
        elif name in layout.attnames:
            attributes[name] = obj
        else:
            raise TypeError(f"{model.__name__} has no field {name!r}")
    for attname, default in layout.defaults:
        if attname not in attributes:
            attributes[attname] = default()
    return row


@dataclass(frozen=True)
class _Layout:
    defaults: tuple  # (attname, default-maker) of every concrete field
    attnames: frozenset
    relations: dict  # a relation's name -> its attname (petition -> petition_id)
    signalled: bool


@functools.cache
def _layout(model) -> _Layout:
    fields = model._meta.concrete_fields
    return _Layout(
        # Field._get_default: the field's default as a function of no arguments
        # (what get_default() calls); a primary key without one is None.
        defaults=tuple((f.attname, f._get_default) for f in fields),
        attnames=frozenset(f.attname for f in fields),
        relations={f.name: f.attname for f in fields if f.is_relation},
        signalled=signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model),
    )


def insert_rows(model: Any, rows: Any, *, ignore_conflicts: bool = False) -> Any:
    """INSERT the rows (model instances, defaults already applied by __init__).

    Every row ends up with its id: rows without one get one from the sequence,
    rows with one (allocate_ids) keep it.
    With `ignore_conflicts` (rows without ids) rows that would break a unique
    constraint are skipped, and whether a row went in is not known.
    """
    if not rows:
        return rows
    if ignore_conflicts:
        _insert(model, rows, suffix="ON CONFLICT DO NOTHING")
        return rows
    missing = [row for row in rows if row.pk is None]
    ahead = _ahead.get()
    drawn_ahead = ahead is not None and ahead.holds(model)
    if len(missing) == len(rows) < COPY_FROM_ROWS and not drawn_ahead:
        # One INSERT … RETURNING: a COPY would need the ids drawn first.
        shape = _shape(model, with_id=False)
        ids = _insert(model, rows, suffix=f"RETURNING {shape.id_column}")
        for row, (pk,) in zip(rows, ids, strict=True):
            row.pk = pk
    else:
        for row, pk in zip(missing, allocate_ids(model, len(missing)), strict=True):
            row.pk = pk
        if len(rows) < COPY_FROM_ROWS:
            # Every id known (given, or drawn ahead): a COPY takes two round
            # trips, an INSERT one.
            _insert(model, rows, suffix="", with_id=True)
        else:
            shape = _shape(model, with_id=True)
            _copy(shape.table, shape.columns, shape.values(rows))
    for row in rows:
        row._state.adding = False
    return rows


def copy_values(table: str, columns: Any, values: Any) -> None:
    """COPY tuples of plain values (str, numbers, datetimes, UUIDs, None)."""
    _copy(table, ", ".join(_quoted(column) for column in columns), values)


def copy_text(table: str, columns, text: str) -> None:
    """COPY lines already in COPY's text format (a bulk load renders its own)."""
    _copy_lines(table, ", ".join(_quoted(column) for column in columns), text)


def _copy(table, columns, values):
    # A batch's rows share their moments (received, started, created: all "now"),
    # and formatting one costs a microsecond or two: each is formatted once.
    moments: dict = {}
    lines = "".join(
        "\t".join([_copy_text(value, moments) for value in row]) + "\n"
        for row in values
    )
    _copy_lines(table, columns, lines)


def _copy_lines(table, columns, text):
    if not text:
        return
    sql = f"COPY {table} ({columns}) FROM STDIN"
    started = time.monotonic()
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # A raw driver call: without the wrapper its errors would not be Django's
        # (IntegrityError and the rest), and callers could not catch them.
        cursor.cursor.copy_expert(sql, io.StringIO(text), size=1 << 20)
    if connection.queries_logged:  # counted like any statement (tests, debugging)
        connection.queries_log.append(
            {"sql": sql, "time": f"{time.monotonic() - started:.3f}"}
        )


def _insert(model, rows, *, suffix, with_id=False):
    """A multi-row INSERT of rows (without ids, unless `with_id`); what RETURNING
    returns, if anything."""
    shape = _shape(model, with_id=with_id)
    values = shape.values(rows)
    sql = f"INSERT INTO {shape.table} ({shape.columns}) VALUES %s {suffix}"
    with connection.cursor() as cursor:
        # PostgreSQL returns a multi-row INSERT's rows in the order of its VALUES.
        return execute_values(
            cursor, sql, values, page_size=len(values), fetch="RETURNING" in suffix
        )


@dataclass(frozen=True)
class _Shape:
    """A model's table as bulk writes need it, worked out once per model."""

    table: str
    columns: str  # quoted, comma-separated
    id_column: str
    read: Callable  # row -> tuple of attribute values, in column order
    json_positions: tuple[int, ...]

    def values(self, rows) -> list[tuple]:
        values = [self.read(row) for row in rows]
        if self.json_positions:
            values = [list(v) for v in values]
            for v in values:
                for i in self.json_positions:
                    v[i] = json.dumps(v[i])
        return values


@functools.cache
def _shape(model, *, with_id) -> _Shape:
    fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
    attnames = [f.attname for f in fields]
    read = operator.attrgetter(*attnames)
    return _Shape(
        table=model._meta.db_table,
        columns=", ".join(_quoted(f.column) for f in fields),
        id_column=_quoted(model._meta.pk.column),
        read=read if len(attnames) > 1 else lambda row: (read(row),),
        json_positions=tuple(
            i for i, f in enumerate(fields) if isinstance(f, JSONField)
        ),
    )


def _quoted(name: str) -> str:
    return f'"{name}"'  # PostgreSQL's identifier quoting, as Django's quote_name


# COPY's text format: a backslash starts an escape, tab and newline end a value.
# Nearly no value holds one of these: looking for each (four scans in C) costs a
# fraction of a microsecond, where str.translate with a table looks up every
# character in a dict (42 µs for a petition's 500 characters, measured). The
# backslash goes first: the other escapes add backslashes of their own.
_SPECIALS = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))


def _escaped(value: str) -> str:
    for special, escape in _SPECIALS:
        if special in value:
            value = value.replace(special, escape)
    return value


def _copy_text(value, moments: dict) -> str:
    """A value in COPY's text format; `moments` keeps the datetimes formatted."""
    kind = type(value)
    if kind is str:
        return _escaped(value)
    if kind is datetime.datetime:
        found = moments.get(value)
        if found is None:
            found = moments[value] = value.isoformat()
        return found
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind in (int, float, decimal.Decimal, uuid.UUID, datetime.date, datetime.time):
        return str(value)
    if isinstance(value, str):  # str subclasses: TextChoices members
        return _escaped(value)
    if isinstance(value, int):  # IntegerChoices members
        return str(int(value))
    raise TypeError(f"cannot COPY a {kind.__name__} value: {value!r}")
