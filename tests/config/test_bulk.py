"""Rows written by COPY and by INSERT come back exactly as given."""

import json
from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.bulk import (
    COPY_FROM_ROWS,
    allocate_ids,
    copy_values,
    ids_drawn_ahead,
    insert_rows,
    new_row,
)
from notifications.models import Notification
from workflow.models import Integration

AWKWARD = [
    "tab\there",
    "two\nlines\r\n",
    "back\\slash \\N \\t",
    "Phường Hà Giang 1, tỉnh Tuyên Quang",
    "",
    "quote \" and ' and ; -- DROP",
]


def _rows(count, **fields):
    at = datetime(2026, 11, 27, 3, 4, 5, 678901, tzinfo=UTC)
    return [
        Notification(
            event="received",
            channel="email",
            petition_id=i,
            recipient_address=AWKWARD[i % len(AWKWARD)],
            context={"title": AWKWARD[i % len(AWKWARD)], "n": i, "none": None},
            created_at=at,
            next_attempt_at=at,
            **fields,
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [3, COPY_FROM_ROWS + 7], ids=["insert", "copy"])
def test_rows_come_back_as_written_and_know_their_ids(db, count):
    rows = insert_rows(Notification, _rows(count))
    assert all(row.pk is not None and not row._state.adding for row in rows)
    stored = {n.pk: n for n in Notification.objects.all()}
    assert len(stored) == count
    for row in rows:
        back = stored[row.pk]
        assert back.recipient_address == row.recipient_address
        assert back.context == row.context
        assert back.created_at == row.created_at
        assert back.delivery_key == row.delivery_key
        assert back.dedupe_key is None


def test_rows_with_drawn_ids_keep_them(db):
    rows = _rows(2)
    ids = allocate_ids(Notification, 2)
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
    insert_rows(Notification, rows)
    assert sorted(Notification.objects.values_list("pk", flat=True)) == sorted(ids)
    # Ids come from the table's own sequence: the next row gets a later one.
    [later] = insert_rows(Notification, _rows(1))
    assert later.pk > max(ids)


def test_ids_drawn_ahead_serve_every_table_from_one_statement(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with ids_drawn_ahead({Notification: 5, Integration: 2}):
        with CaptureQueriesContext(connection) as first:
            notification_ids = allocate_ids(Notification, 3)
            integration_ids = allocate_ids(Integration, 2)
            # Fewer rows than COPY_FROM_ROWS: an INSERT with the ids drawn
            # already, nothing to return.
            written = insert_rows(Notification, _rows(2))
        with CaptureQueriesContext(connection) as past_the_bound:
            more = allocate_ids(Notification, 3)
    sql = [q["sql"] for q in first.captured_queries]
    assert len(sql) == 2
    assert "nextval" in sql[0]
    assert sql[1].startswith("INSERT INTO notifications_notif")
    assert "RETURNING" not in sql[1]
    assert len(past_the_bound.captured_queries) == 1  # one more draw
    ids = [*notification_ids, *(row.pk for row in written), *more]
    assert ids == sorted(set(ids))  # distinct, in the order drawn
    assert len(integration_ids) == 2 and integration_ids == sorted(integration_ids)
    stored = {n.pk: n for n in Notification.objects.all()}
    assert sorted(stored) == [row.pk for row in written]
    for row in written:
        assert stored[row.pk].recipient_address == row.recipient_address
        assert stored[row.pk].context == row.context
    # Outside the block ids come from the sequence again, after those drawn.
    [later] = allocate_ids(Notification, 1)
    assert later > max(ids)


def test_ids_drawn_ahead_are_drawn_only_when_needed(db, django_assert_num_queries):
    with django_assert_num_queries(0), ids_drawn_ahead({Notification: 10}):
        pass


def test_in_a_mix_rows_with_ids_keep_them_and_the_others_get_new_ones(db):
    rows = _rows(2)
    [given] = allocate_ids(Notification, 1)
    rows[0].pk = given
    insert_rows(Notification, rows)
    assert rows[0].pk == given
    assert rows[1].pk > given
    assert Notification.objects.filter(pk__in=[given, rows[1].pk]).count() == 2


def test_a_copy_breaking_a_constraint_raises_djangos_error_and_writes_nothing(db):
    rows = _rows(COPY_FROM_ROWS, dedupe_key="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Notification, rows)
    assert not Notification.objects.exists()


def test_conflicting_rows_can_be_skipped(db):
    insert_rows(Notification, _rows(1, dedupe_key="k"))
    insert_rows(Notification, _rows(3, dedupe_key="k"), ignore_conflicts=True)
    assert Notification.objects.count() == 1


def test_copy_values_writes_plain_tuples_and_refuses_unknown_types(db):
    [pk] = allocate_ids(Notification, 1)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    columns = [
        "id", "event", "channel", "recipient_address", "language", "context",
        "delivery_key", "status", "attempts", "next_attempt_at", "last_error",
        "created_at",
    ]  # fmt: skip
    values = (
        pk, "received", "sms", "a\tb", "vi", json.dumps({"x": "\\"}),
        "5b2f1a1e-0000-4000-8000-000000000001", "pending", 0, at, "", at,
    )  # fmt: skip
    copy_values("notifications_notification", columns, [values])
    stored = Notification.objects.get(pk=pk)
    assert (stored.recipient_address, stored.context) == ("a\tb", {"x": "\\"})
    with pytest.raises(TypeError, match="cannot COPY a set"):
        copy_values("notifications_notification", ["event"], [({1},)])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    texts=st.lists(
        # What PostgreSQL's text holds: no NUL, no lone surrogates (the
        # boundary refuses both before any view, config/boundary.py).
        st.text(
            st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
            max_size=40,
        ),
        min_size=COPY_FROM_ROWS,
        max_size=COPY_FROM_ROWS + 3,
    )
)
def test_any_text_comes_back_through_copy_as_written(db, texts):
    rows = _rows(len(texts))
    for row, text in zip(rows, texts, strict=True):
        row.recipient_address = text
    with transaction.atomic():
        insert_rows(Notification, rows)
        stored = dict(Notification.objects.values_list("pk", "recipient_address"))
        transaction.set_rollback(True)
    assert [stored[row.pk] for row in rows] == texts


def _attributes(row):
    values = {f.attname: getattr(row, f.attname) for f in type(row)._meta.fields}
    values.pop("delivery_key", None)  # a new random one each
    return values


def test_a_new_row_is_what_the_models_init_makes(db, django_assert_num_queries):
    from workflow.models import Clock, Petition

    at = datetime(2026, 11, 27, 3, 4, 5, tzinfo=UTC)
    fields = dict(
        event="received",
        channel="email",
        petition_id=7,
        recipient_address="an@example.vn",
        context={"n": 1},
        created_at=at,
        next_attempt_at=at,
    )
    made, given = new_row(Notification, **fields), Notification(**fields)
    assert _attributes(made) == _attributes(given)
    assert made._state.adding and made.pk is None
    assert made.delivery_key != new_row(Notification, **fields).delivery_key

    petition = Petition(pk=41, tracking_code="PAKN-TEST")
    clock = new_row(Clock, petition=petition, kind="answer", cycle=1, started_at=at)
    assert _attributes(clock) == _attributes(
        Clock(petition=petition, kind="answer", cycle=1, started_at=at)
    )
    with django_assert_num_queries(0):  # the object given is the one remembered
        assert clock.petition is petition
    [stored] = insert_rows(Notification, [made])
    assert Notification.objects.get(pk=stored.pk).context == {"n": 1}


def test_a_new_row_refuses_a_field_its_model_does_not_have():
    with pytest.raises(TypeError, match="no field 'colour'"):
        new_row(Notification, colour="red")
