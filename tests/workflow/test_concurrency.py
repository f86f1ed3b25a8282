"""Two handlers on the same petition at once, on two real database connections."""

import threading

import pytest
from django.db import connection

from workflow import services
from workflow.errors import PetitionChanged
from workflow.models import HistoryEntry, Petition, State


@pytest.mark.django_db(transaction=True)
def test_two_handlers_accepting_at_once_exactly_one_wins(
    submit, routed_to_a, handler_a, handler_a2
):
    petition = submit()
    version = petition.version
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(name, actor):
        try:
            barrier.wait()
            services.accept_petition(
                petition_id=petition.pk, actor=actor, expected_version=version
            )
            outcomes[name] = "ok"
        except PetitionChanged as error:
            outcomes[name] = str(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=act, args=(n, a))
        for n, a in (("a", handler_a), ("a2", handler_a2))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes.values())[-1] == "ok"
    loser = next(v for v in outcomes.values() if v != "ok")
    assert "changed meanwhile" in loser
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.state == State.IN_PROGRESS
    # Exactly one accept in the history: the loser left nothing behind.
    assert HistoryEntry.objects.filter(petition=petition, action="accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_second_writer_waits_for_the_row_lock_then_sees_the_change(
    submit, routed_to_a, handler_a, handler_a2
):
    """Hold the row lock elsewhere: the service blocks, then reports the change."""
    from django.db import connections

    petition = submit()
    version = petition.version
    other = connections.create_connection("default")
    other.connect()
    with other.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute(
            "SELECT id FROM workflow_petition WHERE id = %s FOR NO KEY UPDATE",
            [petition.pk],
        )
        result = {}

        def second():
            try:
                services.accept_petition(
                    petition_id=petition.pk, actor=handler_a2, expected_version=version
                )
                result["second"] = "ok"
            except PetitionChanged:
                result["second"] = "changed"
            finally:
                connection.close()

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.5)
        # Still blocked on the lock held by the other connection.
        assert thread.is_alive() is True
        cursor.execute(
            "UPDATE workflow_petition SET version = version + 1 WHERE id = %s",
            [petition.pk],
        )
        cursor.execute("COMMIT")
    thread.join(5)
    other.close()
    assert result == {"second": "changed"}
    assert Petition.objects.get(pk=petition.pk).state == State.ASSIGNED
