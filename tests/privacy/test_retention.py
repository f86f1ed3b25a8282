"""Retention: ended petitions are anonymised after their category's period.

The history chains still verify afterwards, and the auditors' figures for the
period are the same before and after.
"""

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django_q.models import Schedule

from feedback import services as citizen_services
from feedback.files import sniff_upload
from feedback.models import Attachment, Rating
from notifications.models import Notification
from tests import factories
from tests.feedback.samples import PDF_BYTES, upload
from workflow import services, sweeps
from workflow.audit import verify_history
from workflow.models import HistoryEntry, Petition
from workflow.privacy import retention
from workflow.privacy.identity import citizen_for_login, identity_of, own_petition
from workflow.privacy.models import PetitionOwner, RetentionPolicy
from workflow.privacy.schedules import APPLY_RETENTION
from workflow.reports import listing
from workflow.reports.periods import Period
from workflow.reports.report import auditor_report, breach_weeks

# A Monday morning in Hà Nội, far from holidays.
RECEIVED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
FIVE_YEARS_ON = RECEIVED + timedelta(days=5 * 365 + 60)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def lifecycles(submission, routed_to_a, handler_a, citizen, media_root):
    """Petitions in several endings, made through the services in March 2026."""
    made = {}
    with at(RECEIVED):
        on_time = submission(
            submitter_name="Nguyễn Văn An", phone="0912345678", publish_consent=True
        )
        late = submission(submitter_name="Lê Thị Cúc", email="cuc@example.vn")
        asked = submission(submitter_name="Phạm Văn Dũng", email="dung@example.vn")
        open_one = submission(submitter_name="Vũ Thị Em", email="em@example.vn")
    for item in (on_time, late, asked):
        with at(RECEIVED + timedelta(hours=2)):
            services.accept_petition(petition_id=item.petition.pk, actor=handler_a)
    with at(RECEIVED + timedelta(hours=3)):
        services.request_information(
            petition_id=asked.petition.pk,
            actor=handler_a,
            question="Xin gửi ảnh căn cước của ông?",
        )
    with at(RECEIVED + timedelta(days=1)):
        card = upload("cccd.pdf", PDF_BYTES)
        citizen_services.add_information(
            petition_id=asked.petition.pk,
            text="Số CCCD của tôi là 001090000001.",
            attachments=(citizen_services.Upload(file=card, kind=sniff_upload(card)),),
            sensitive_attachments=True,
            expected_version=None,
        )
        services.answer_petition(
            petition_id=on_time.petition.pk, actor=handler_a, text="Đã sửa xong."
        )
        services.close_petition(petition_id=on_time.petition.pk, actor=citizen)
        citizen_services.rate_petition(
            petition_id=on_time.petition.pk, score=5, comment="Cảm ơn anh An"
        )
    # The late one breaches its 20-day answer deadline, then is answered.
    sweeps.sweep(now=RECEIVED + timedelta(days=25))
    with at(RECEIVED + timedelta(days=26)):
        for item in (late, asked):
            services.answer_petition(
                petition_id=item.petition.pk, actor=handler_a, text="Trả lời muộn."
            )
            services.close_petition(petition_id=item.petition.pk, actor=citizen)
    made.update(on_time=on_time, late=late, asked=asked, open=open_one)
    return {name: Petition.objects.get(pk=s.petition.pk) for name, s in made.items()}


def figures(now):
    """The auditors' report for March 2026 and its drill-down lists, comparable."""
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    report = auditor_report(period)
    tables = {
        dimension: [(row.key, dataclasses.asdict(row.figures)) for row in table.rows]
        + [("total", dataclasses.asdict(table.total))]
        for dimension, table in report.tables.items()
    }
    lists = {
        measure: [row.petition_id for row in listing.listed(period, measure=measure)]
        for measure in ("received", "resolved_on_time", "resolved_late", "open_within")
    }
    return tables | {"lists": lists, "trend": breach_weeks(period)}


def test_nothing_is_anonymised_before_its_period(lifecycles):
    assert retention.apply_retention(now=RECEIVED + timedelta(days=400)) == 0


def test_ended_petitions_are_anonymised_and_the_record_still_proves_itself(
    lifecycles, capsys
):
    before = figures(FIVE_YEARS_ON)
    with at(FIVE_YEARS_ON):
        assert retention.apply_retention(now=FIVE_YEARS_ON) == 3
    # The chains verify, with the command auditors run.
    call_command("verify_audit")
    assert "OK:" in capsys.readouterr().out
    assert list(verify_history()) == []
    # The figures of the period are exactly what they were.
    assert figures(FIVE_YEARS_ON) == before

    late = Petition.objects.get(pk=lifecycles["late"].pk)
    assert (late.submitter_name, late.email, late.phone, late.tax_code) == (
        "",
        "",
        "",
        "",
    )
    assert late.title == late.content == retention.ANONYMISED_TEXT
    assert (late.answer, late.place, late.latitude) == ("", "", None)
    assert late.anonymised_at == FIVE_YEARS_ON
    # Its structured record is untouched: times, breach, agency.
    assert (late.received_at, late.breached_at, late.agency_id) == (
        lifecycles["late"].received_at,
        lifecycles["late"].breached_at,
        lifecycles["late"].agency_id,
    )


def test_no_personal_text_is_left_anywhere(
    lifecycles, django_capture_on_commit_callbacks
):
    asked = lifecycles["asked"]
    stored = Path(Attachment.objects.get(petition=asked).file.path)
    assert stored.exists()
    with at(FIVE_YEARS_ON), django_capture_on_commit_callbacks(execute=True):
        retention.apply_retention(now=FIVE_YEARS_ON)
    texts = list(
        HistoryEntry.objects.filter(petition=asked).values_list("reason", flat=True)
    )
    assert set(texts) == {""}
    erasure = HistoryEntry.objects.filter(petition=asked).last()
    assert erasure.action == "anonymise"
    assert erasure.data["rule"] == "retention"
    # The ID-card file is gone with its row.
    assert not Attachment.objects.filter(petition=asked).exists()
    assert not stored.exists()
    # Messages keep their event and status, not the address or the texts.
    for message in Notification.objects.filter(
        petition_id=asked.pk, recipient_user__isnull=True
    ):
        assert message.recipient_address == ""
        assert "title" not in message.context and "question" not in message.context
    rating = Rating.objects.get(petition=lifecycles["on_time"])
    assert (rating.score, rating.comment) == (5, "")


def test_a_published_petition_keeps_the_text_its_submitter_let_be_published(
    lifecycles,
):
    with at(FIVE_YEARS_ON):
        retention.apply_retention(now=FIVE_YEARS_ON)
    on_time = Petition.objects.get(pk=lifecycles["on_time"].pk)
    assert on_time.submitter_name == "" and on_time.phone == ""
    assert on_time.content == lifecycles["on_time"].content
    assert on_time.answer == "Đã sửa xong."


def test_an_open_petition_keeps_its_data_whatever_its_age(lifecycles):
    with at(FIVE_YEARS_ON):
        retention.apply_retention(now=FIVE_YEARS_ON)
    still = Petition.objects.get(pk=lifecycles["open"].pk)
    assert still.anonymised_at is None
    assert still.submitter_name == "Vũ Thị Em"


def test_each_category_keeps_its_own_period(lifecycles, land, submit, citizen):
    RetentionPolicy.objects.create(category=land, keep_days=30)
    RetentionPolicy.objects.filter(category=None).update(keep_days=10 * 365)
    other = factories.category("transport")
    with at(RECEIVED):
        withdrawn = submit(category=other.code)
        services.withdraw_petition(petition_id=withdrawn.pk, actor=citizen)
    sixty_days_on = RECEIVED + timedelta(days=60)
    with at(sixty_days_on):
        # The three ended land petitions (30 days), not the transport one (10 years).
        assert retention.apply_retention(now=sixty_days_on) == 3
    assert Petition.objects.get(pk=withdrawn.pk).anonymised_at is None


def test_the_link_to_a_citizen_identity_goes_too(lifecycles):
    user = citizen_for_login(issuer="https://id.example", subject="42", now=RECEIVED)
    own_petition(
        lifecycles["late"], identity=identity_of(user), how="filed", now=RECEIVED
    )
    with at(FIVE_YEARS_ON):
        retention.apply_retention(now=FIVE_YEARS_ON)
    assert not PetitionOwner.objects.exists()


def test_anonymising_twice_changes_nothing_more(lifecycles):
    with at(FIVE_YEARS_ON):
        retention.apply_retention(now=FIVE_YEARS_ON)
        heads = dict(Petition.objects.values_list("pk", "history_head"))
        assert retention.apply_retention(now=FIVE_YEARS_ON) == 0
    assert dict(Petition.objects.values_list("pk", "history_head")) == heads


def test_retention_runs_daily_and_from_the_command(lifecycles, capsys):
    schedule = Schedule.objects.get(name=APPLY_RETENTION)
    assert (schedule.func, schedule.schedule_type) == (
        "workflow.privacy.tasks.apply_retention",
        Schedule.DAILY,
    )
    with at(FIVE_YEARS_ON):
        call_command("apply_retention", "--dry-run")
        assert "3 petition(s) due" in capsys.readouterr().out
        call_command("apply_retention")
    assert "OK: 3 petition(s) anonymised." in capsys.readouterr().out


def test_rate_limit_counts_keyed_by_contact_go_after_a_day(db):
    from feedback.models import RateLimitCounter
    from feedback.schedules import FORGET_RATE_LIMITS
    from feedback.tasks import forget_rate_limits

    assert Schedule.objects.get(name=FORGET_RATE_LIMITS).schedule_type == "D"
    with at(RECEIVED):
        RateLimitCounter.objects.create(
            key="submit-contact:an@example.vn", window_start=RECEIVED, count=1
        )
    with at(RECEIVED + timedelta(hours=2)):
        assert forget_rate_limits() == 0
    with at(RECEIVED + timedelta(days=2)):
        assert forget_rate_limits() == 1
    assert not RateLimitCounter.objects.exists()


def test_a_petition_answered_by_letter_loses_its_address_everywhere(
    enter, reception, routed_to_a, handler_a, citizen
):
    from workflow.models import AnswerLetter

    with at(RECEIVED):
        petition = enter(reception).petition
        services.accept_petition(petition_id=petition.pk, actor=handler_a)
        services.answer_petition(
            petition_id=petition.pk, actor=handler_a, text="Sở đã sửa cầu."
        )
        services.close_petition(petition_id=petition.pk, actor=citizen)
    letter = AnswerLetter.objects.get(petition=petition)
    assert letter.recipient_address
    with at(FIVE_YEARS_ON):
        assert retention.apply_retention(now=FIVE_YEARS_ON) == 1
    petition.refresh_from_db()
    letter.refresh_from_db()
    assert petition.postal_address == ""
    # The letter keeps its number and signer, not whom it went to.
    assert (letter.recipient_name, letter.recipient_address, letter.answer) == (
        "",
        "",
        "",
    )
    assert letter.reference and letter.signer_name
    assert list(verify_history([petition.pk])) == []


def test_a_published_petition_stays_masked_once_its_name_is_erased(
    client, file_with_secret, routed_to_a, handler_a, publish, citizen
):
    petition, _secret = file_with_secret(
        submitter_name="Hà Văn Sáng",
        publish_consent=True,
        content="Tôi là Hà Văn Sáng, nhà cạnh quán Hoa Mai, đèn hỏng.",
    )
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(
        petition_id=petition.pk, actor=handler_a, text="Kính gửi ông Hà Văn Sáng."
    )
    publish(petition, redactions=["quán Hoa Mai"])

    retention.anonymise_petition(
        petition_id=petition.pk, actor=citizen, rule="retention"
    )

    # The masking could no longer find the erased name and phrases: they were
    # hidden in the published texts for good first, and are gone themselves.
    erased = Petition.objects.get(pk=petition.pk)
    assert (erased.submitter_name, erased.public_redactions) == ("", [])
    assert erased.content == "Tôi là ***, nhà cạnh ***, đèn hỏng."
    html = client.get(f"/answers/{petition.tracking_code}/").content.decode()
    assert "Sáng" not in html and "Hoa Mai" not in html
    assert "Kính gửi ông ***." in html
