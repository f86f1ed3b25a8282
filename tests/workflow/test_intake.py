import unicodedata

import pytest
from django.utils import translation

from notifications.models import Notification
from tests import factories
from workflow import services
from workflow.errors import ConflictingSubmission, DuplicateSubmission, InvalidInput
from workflow.models import HistoryEntry, Petition, State
from workflow.models.petitions import CODE_ALPHABET


def test_submission_gets_a_readable_code_and_a_secret_only_its_hash_stored(
    submit, land
):
    submission = services.submit_petition(
        channel="web",
        submitter_kind="citizen",
        submitter_name="An",
        email="an@x.vn",
        title="T",
        content="C",
        category=land.code,
        province=factories.LANG_SON,
    )
    petition = Petition.objects.get(pk=submission.petition.pk)
    assert len(petition.tracking_code) == 10
    assert set(petition.tracking_code) <= set(CODE_ALPHABET)
    assert submission.secret not in petition.secret_hash
    assert petition.has_secret(submission.secret) is True
    assert petition.has_secret("WRONG") is False


def test_tracking_codes_are_not_sequential(submit):
    codes = [submit().tracking_code for _ in range(5)]
    assert len(set(codes)) == 5
    assert codes != sorted(codes) or codes != sorted(codes, reverse=True)


def test_submission_is_logged_and_the_submitter_is_notified(submit):
    petition = submit(phone="0912345678")
    entry = HistoryEntry.objects.get(petition=petition)
    assert (entry.action, entry.from_state, entry.to_state) == (
        "submit",
        "received",
        "received",
    )
    channels = set(
        Notification.objects.filter(
            petition_id=petition.pk, event="received"
        ).values_list("channel", flat=True)
    )
    assert channels == {"email", "sms"}


def test_routed_submission_is_assigned_in_the_same_transaction(
    submit, routed_to_a, agency_a
):
    petition = submit()
    assert petition.state == State.ASSIGNED
    assert [e.action for e in HistoryEntry.objects.filter(petition=petition)] == [
        "submit",
        "triage",
    ]


def test_business_needs_a_valid_tax_code(submit):
    with pytest.raises(InvalidInput, match="tax code") as error:
        submit(submitter_kind="business")
    assert error.value.field == "tax_code"
    with pytest.raises(InvalidInput, match="10 digits"):
        submit(submitter_kind="business", tax_code="12AB")
    assert (
        submit(submitter_kind="business", tax_code="0101234567").tax_code
        == "0101234567"
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"category": "nope"}, "category", "Unknown category 'nope'"),
        ({"province": 9999}, "province", "Unknown province 9999"),
        ({"province": "abc"}, "province", "Unknown province"),
        ({"commune": 9999999}, "commune", "Unknown commune"),
        ({"email": "", "phone": ""}, "email", "email address or a phone"),
        ({"title": " "}, "title", "title is required"),
        # Marks that show nothing (RLM, LRM, zero-width space, BOM) are no title.
        ({"title": "\u200f\u200e"}, "title", "title is required"),
        ({"submitter_name": "\u200b \ufeff"}, "submitter_name", "is required"),
        ({"content": "\u2060\u200d\n"}, "content", "content is required"),
        ({"content": ""}, "content", "content is required"),
        ({"channel": "pigeon"}, "channel", "Unknown channel"),
        ({"submitter_kind": "alien"}, "submitter_kind", "citizen or business"),
        ({"priority": "asap"}, "priority", "Unknown priority"),
        ({"email": "not-an-address"}, "email", "not an email address"),
        ({"phone": "0912-CALL-ME", "email": ""}, "phone", "phone number"),
        ({"phone": "1" * 21, "email": ""}, "phone", "phone number"),
        ({"title": "a\x00b"}, "title", "contains U.0000"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(submit, overrides, field, message):
    with pytest.raises(InvalidInput, match=message) as error:
        submit(**overrides)
    assert error.value.field == field
    assert Petition.objects.count() == 0
    assert HistoryEntry.objects.count() == 0
    assert Notification.objects.count() == 0


def nfd(text):
    """`text` in decomposed letters, as macOS and some portals send Vietnamese."""
    return unicodedata.normalize("NFD", text)


def test_every_text_is_stored_in_composed_letters_whatever_the_door_sent(
    submit, enter, reception
):
    filed = submit(
        submitter_name=nfd("Nguyễn Văn An"),
        title=nfd("Đường liên xã"),
        content=nfd("Đề nghị sửa chữa."),
        place=nfd("Thôn Nà Pàn"),
    )
    entered = enter(
        reception,
        submitter_name=nfd("Hoàng Thị Mai"),
        postal_address=nfd("Thôn Bản Chắt, xã Tân Văn"),
    ).petition

    # One spelling of a name, whoever typed it: the same name is found,
    # masked and compared alike.
    filed.refresh_from_db()
    entered.refresh_from_db()
    assert (filed.submitter_name, filed.title, filed.content, filed.place) == (
        "Nguyễn Văn An",
        "Đường liên xã",
        "Đề nghị sửa chữa.",
        "Thôn Nà Pàn",
    )
    assert (entered.submitter_name, entered.postal_address) == (
        "Hoàng Thị Mai",
        "Thôn Bản Chắt, xã Tân Văn",
    )


def test_a_decomposed_name_is_measured_in_the_letters_it_is_stored_in(submit):
    # 200 letters composed, 600 code points decomposed (e and two marks each):
    # within the limit of 200.
    name = "ễ" * 200
    assert len(nfd(name)) == 600

    assert submit(submitter_name=nfd(name)).submitter_name == name


def test_a_closed_category_is_told_apart_from_one_that_never_existed(submit, land):
    land.is_active = False
    land.save()
    with pytest.raises(InvalidInput, match="no longer takes petitions") as closed:
        submit(category=land.code)
    with pytest.raises(InvalidInput, match="Unknown category 'nope'") as unknown:
        submit(category="nope")
    # Each says its own thing to the person on a page, in both languages.
    assert (
        closed.value.display
        == "Lĩnh vực này không còn tiếp nhận, vui lòng chọn lĩnh vực khác."
    )
    assert (
        unknown.value.display
        == "Không có lĩnh vực này, vui lòng chọn lĩnh vực trong danh sách."
    )
    with translation.override("en"):
        assert unknown.value.display == (
            "There is no such category; please choose one from the list."
        )
    assert Petition.objects.count() == 0


def test_commune_must_be_in_the_province(submit):
    elsewhere = factories.commune_of(factories.THAI_NGUYEN)
    with pytest.raises(InvalidInput, match="is not in province"):
        submit(commune=elsewhere.code)
    inside = factories.commune_of(factories.LANG_SON)
    assert submit(commune=inside.code).commune == inside


def test_same_channel_id_twice_is_a_duplicate_carrying_the_first(submit):
    first = submit(channel="portal", channel_ref="DVC-2026-0001")
    with pytest.raises(DuplicateSubmission, match="already received") as error:
        submit(channel="portal", channel_ref="DVC-2026-0001")
    assert error.value.petition == first
    assert Petition.objects.count() == 1


def test_a_used_channel_id_with_another_text_is_a_conflict_not_a_merge(submit):
    first = submit(channel="portal", channel_ref="DVC-2026-0001")
    for changed in (
        {"title": "khác"},
        {"content": "Một nội dung khác."},
        {"province": factories.THAI_NGUYEN},
        {"commune": factories.commune_of(factories.LANG_SON).code},
        {"category": factories.category("giao-thong").code},
    ):
        with pytest.raises(
            ConflictingSubmission, match="another title, text, category or place"
        ) as error:
            submit(channel="portal", channel_ref="DVC-2026-0001", **changed)
        assert error.value.petition == first
    # Surrounding spaces are not another text: the stored text is stripped.
    with pytest.raises(DuplicateSubmission):
        submit(channel="portal", channel_ref="DVC-2026-0001", title=f"  {first.title} ")
    assert Petition.objects.count() == 1
    # The same id from another channel is another petition.
    assert submit(channel="open311", channel_ref="DVC-2026-0001") != first


def _batch_draft(category, **fields):
    """A petition to Lạng Sơn in `category`, for a batch of submit_petitions."""
    return dict(
        channel="portal",
        submitter_kind="citizen",
        submitter_name="An",
        email="an@example.vn",
        title="Đường hỏng",
        content="Đề nghị sửa",
        category=category.code,
        province=factories.LANG_SON,
        **fields,
    )


def test_a_batch_receives_the_good_drafts_and_returns_each_error_in_place(
    submit, routed_to_a, land
):
    good = _batch_draft(land)
    earlier = submit(
        channel="portal",
        channel_ref="DVC-1",
        title=good["title"],
        content=good["content"],
    )
    results = services.submit_petitions(
        [
            {**good, "channel_ref": "DVC-2"},
            {**good, "channel_ref": "DVC-3", "category": "nope"},
            {**good, "channel_ref": "DVC-1"},  # received before
            {**good, "channel_ref": "DVC-4"},
            {**good, "channel_ref": "DVC-4"},  # twice in this batch
        ]
    )
    assert [type(r).__name__ for r in results] == [
        "Submission",
        "InvalidInput",
        "DuplicateSubmission",
        "Submission",
        "DuplicateSubmission",
    ]
    assert results[2].petition == earlier
    assert results[4].petition == results[3].petition
    # The received ones are routed, on their clocks, with their history chained.
    for submission in (results[0], results[3]):
        petition = Petition.objects.get(pk=submission.petition.pk)
        assert petition.state == State.ASSIGNED
        assert petition.due_at is not None
        assert petition.has_secret(submission.secret) is True
        entries = list(HistoryEntry.objects.filter(petition=petition))
        assert [e.action for e in entries] == ["submit", "triage"]
        assert petition.history_head == entries[-1].hash
    assert Petition.objects.count() == 3
    from workflow.audit import verify_history

    assert list(verify_history()) == []


def test_a_batch_draws_the_ids_of_all_its_rows_at_once(routed_to_a, land):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.models import Notification
    from workflow.models import Clock
    from workflow.privacy.models import Consent

    # With a phone and consent to publish: every kind of row intake writes.
    draft = _batch_draft(land, phone="0912345678", publish_consent=True)
    with CaptureQueriesContext(connection) as captured:
        results = services.submit_petitions([draft] * 6)
    draws = [q["sql"] for q in captured.captured_queries if "nextval" in q["sql"]]
    # Petitions, clocks, consents and outbox rows: one statement.
    assert len(draws) == 1
    petitions = [r.petition.pk for r in results]
    assert Petition.objects.filter(pk__in=petitions).count() == 6
    # Every row written knows its petition: ids were given before the writes.
    for model in (Clock, Consent, Notification):
        assert set(
            model.objects.filter(petition_id__in=petitions).values_list(
                "petition_id", flat=True
            )
        ) == set(petitions), model


def test_a_tracking_code_already_taken_is_drawn_again(submit, monkeypatch):
    taken = submit().tracking_code
    codes = iter([taken, "ABCDEFGHJK"])
    monkeypatch.setattr(services.intake, "new_tracking_code", lambda: next(codes))
    petition = submit()
    assert petition.tracking_code == "ABCDEFGHJK"
    assert Petition.objects.get(pk=petition.pk).tracking_code == "ABCDEFGHJK"
    from workflow.audit import verify_history

    assert list(verify_history()) == []


@pytest.mark.django_db(transaction=True)
def test_a_channel_id_committed_meanwhile_by_another_intake_is_a_duplicate(submit):
    """The look-up misses a delivery still in flight; the unique index catches it."""
    import threading

    from django.db import connection, transaction

    inserted, release = threading.Event(), threading.Event()
    first = {}

    def first_delivery():
        try:
            with transaction.atomic():
                first["petition"] = submit(channel="portal", channel_ref="DVC-9")
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=first_delivery)
    thread.start()
    assert inserted.wait(10)
    # The second delivery waits on the first's uncommitted row, then sees it.
    threading.Timer(0.3, release.set).start()
    with pytest.raises(DuplicateSubmission, match="already received") as error:
        submit(channel="portal", channel_ref="DVC-9")
    thread.join()
    assert error.value.petition.pk == first["petition"].pk
    assert Petition.objects.filter(channel_ref="DVC-9").count() == 1


def test_the_look_up_of_earlier_deliveries_reads_the_unique_indexes(submit, land):
    """Every batch looks its channel ids up: a whole-table read at a million
    petitions would cost each batch more than its writes."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from workflow.models import Integration

    portal = Integration.objects.create(name="Cổng DVC", created_at=timezone.now())
    submit(channel="portal", channel_ref="DVC-1", integration_id=portal.pk)
    submit(channel="open311", channel_ref="O-1")
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(DuplicateSubmission):
            submit(channel="portal", channel_ref="DVC-1", integration_id=portal.pk)
        with pytest.raises(DuplicateSubmission):
            submit(channel="open311", channel_ref="O-1")
    look_ups = [
        q["sql"]
        for q in captured.captured_queries
        if "channel_ref IS NOT NULL" in q["sql"]
    ]
    assert len(look_ups) == 2
    # On a table of two rows any plan costs about the same, and the planner may
    # pick a partial index that holds every portal petition (seen once its
    # statistics came from an earlier test's rows). With some hundreds in it,
    # as in use, the plan must search the unique indexes.
    services.submit_petitions(
        [
            _batch_draft(
                land,
                channel_ref=f"DVC-BULK-{n}",
                integration_id=portal.pk,
                publish_consent=True,
            )
            for n in range(300)
        ]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE workflow_petition")
        # Any plan but a sequential scan, if one exists.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in look_ups:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(line for (line,) in cursor.fetchall())
            assert "Seq Scan on workflow_petition" not in plan, plan
            assert "one_petition_per_" in plan, plan
