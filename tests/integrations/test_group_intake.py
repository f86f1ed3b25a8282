"""Intake calls arriving together share transactions; each gets its own result."""

import threading
import time

import pytest
from django.db import connection

from feedback.integrations import group_intake
from tests import factories
from workflow import services
from workflow.errors import DuplicateSubmission, InvalidInput
from workflow.models import HistoryEntry, Petition


def _draft(land, i, **overrides):
    return {
        "channel": "portal",
        "channel_ref": f"DVC-{i}",
        "submitter_kind": "citizen",
        "submitter_name": f"Người {i}",
        "email": f"n{i}@example.vn",
        "title": "Đường hỏng",
        "content": "Đề nghị sửa",
        "category": land.code,
        "province": factories.LANG_SON,
        **overrides,
    }


class _Recorder:
    """services.submit_petitions, noting each batch; the first one is slow, so
    that the others arrive while it is being written."""

    def __init__(self, fail_batches_over=None):
        self.sizes = []
        self.fail_batches_over = fail_batches_over

    def __call__(self, drafts):
        self.sizes.append(len(drafts))
        if len(self.sizes) == 1:
            time.sleep(0.3)
        if self.fail_batches_over and len(drafts) > self.fail_batches_over:
            raise RuntimeError("the connection was lost")
        return services.submit_petitions(drafts)


def _submit_all(intake, drafts):
    """Each draft from its own thread at once; what each thread got back."""
    outcomes = [None] * len(drafts)

    def one(i):
        try:
            outcomes[i] = intake.submit(**drafts[i])
        except Exception as error:  # noqa: BLE001 (the outcome under test)
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(drafts))]
    for thread in threads:
        thread.start()
        time.sleep(0.01)  # the first leads; the rest arrive while it writes
    for thread in threads:
        thread.join(30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_petitions_arriving_together_share_a_transaction_and_each_gets_its_own(
    land, routed_to_a
):
    recorder = _Recorder()
    intake = group_intake.GroupIntake(receive=recorder)
    drafts = [_draft(land, i) for i in range(6)]

    outcomes = _submit_all(intake, drafts)

    assert recorder.sizes[0] == 1  # nobody waits for a batch to fill
    assert sum(recorder.sizes) == 6 and len(recorder.sizes) < 6
    codes = {o.petition.channel_ref: o.petition.tracking_code for o in outcomes}
    assert sorted(codes) == [f"DVC-{i}" for i in range(6)]
    stored = dict(Petition.objects.values_list("channel_ref", "tracking_code"))
    assert stored == codes
    assert HistoryEntry.objects.filter(action="triage").count() == 6


@pytest.mark.django_db(transaction=True)
def test_in_a_shared_batch_each_bad_or_repeated_petition_gets_its_own_error(
    land, routed_to_a
):
    intake = group_intake.GroupIntake(receive=_Recorder())
    drafts = [
        _draft(land, 0),
        _draft(land, 1),
        _draft(land, 2, category="nope"),
        _draft(land, 1),
        _draft(land, 4),
    ]

    outcomes = _submit_all(intake, drafts)

    assert isinstance(outcomes[2], InvalidInput)
    assert isinstance(outcomes[3], DuplicateSubmission)
    assert outcomes[3].petition.pk == outcomes[1].petition.pk
    assert sorted(Petition.objects.values_list("channel_ref", flat=True)) == [
        "DVC-0",
        "DVC-1",
        "DVC-4",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_batch_failing_as_a_whole_is_retried_one_by_one(land, routed_to_a):
    recorder = _Recorder(fail_batches_over=1)
    intake = group_intake.GroupIntake(receive=recorder)

    outcomes = _submit_all(intake, [_draft(land, i) for i in range(5)])

    assert max(recorder.sizes) > 1  # a shared batch was tried, and failed
    assert all(isinstance(o, services.Submission) for o in outcomes)
    assert Petition.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_petition_failing_alone_fails_only_its_own_request(land, routed_to_a):
    def receive(drafts):
        if any(d["channel_ref"] == "DVC-2" for d in drafts):
            raise RuntimeError("poison")
        return services.submit_petitions(drafts)

    intake = group_intake.GroupIntake(receive=receive)

    outcomes = _submit_all(intake, [_draft(land, i) for i in range(4)])

    assert isinstance(outcomes[2], RuntimeError)
    assert sorted(Petition.objects.values_list("channel_ref", flat=True)) == [
        "DVC-0",
        "DVC-1",
        "DVC-3",
    ]


def test_a_lone_petition_is_a_batch_of_one(land, routed_to_a):
    recorder = _Recorder()
    recorder.sizes.append(0)  # not the slow first call
    intake = group_intake.GroupIntake(receive=recorder)

    submission = intake.submit(**_draft(land, 7))

    assert recorder.sizes == [0, 1]
    assert Petition.objects.get().tracking_code == submission.petition.tracking_code
    with pytest.raises(DuplicateSubmission):
        intake.submit(**_draft(land, 7))


def _queued_notification_ids():
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    packages = [SignedPackage.loads(q.payload) for q in OrmQ.objects.all()]
    assert {p["func"] for p in packages} <= {
        "notifications.tasks.deliver_notifications"
    }
    return [sorted(p["args"][0]) for p in packages]


@pytest.mark.django_db(transaction=True)
def test_the_notifications_of_a_run_of_batches_go_out_in_one_task(
    land, routed_to_a, monkeypatch
):
    from django_q.conf import Conf

    from notifications.models import Notification

    monkeypatch.setattr(Conf, "SYNC", False)  # the real broker, not inline tasks
    monkeypatch.setattr(group_intake, "DELIVER_EVERY", 60)
    recorder = _Recorder()
    intake = group_intake.GroupIntake(receive=recorder)

    _submit_all(intake, [_draft(land, i) for i in range(6)])

    assert len(recorder.sizes) > 1
    # Enqueued once nobody was waiting any more: one task for every batch's rows.
    all_rows = sorted(Notification.objects.values_list("pk", flat=True))
    assert len(all_rows) >= 6
    assert _queued_notification_ids() == [all_rows]


@pytest.mark.django_db(transaction=True)
def test_a_lone_petitions_notifications_are_enqueued_at_once(
    land, routed_to_a, monkeypatch
):
    from django_q.conf import Conf

    from notifications.models import Notification

    monkeypatch.setattr(Conf, "SYNC", False)
    intake = group_intake.GroupIntake()

    submission = intake.submit(**_draft(land, 1))

    rows = Notification.objects.filter(petition_id=submission.petition.pk)
    assert _queued_notification_ids() == [sorted(r.pk for r in rows)]
