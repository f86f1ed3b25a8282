from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone, translation

from feedback.access import SESSION_KEY
from feedback.models import Attachment, Rating
from feedback.templatetags.citizen import deadline
from tests.feedback.samples import PDF_BYTES, PNG_BYTES, upload
from workflow import permissions, services
from workflow.models import Petition, State


def test_the_right_pair_opens_the_case_without_the_secret_in_any_url(
    client, file_with_secret
):
    petition, secret = file_with_secret()
    response = client.post(
        "/track/", {"tracking_code": petition.tracking_code, "secret": secret}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/track/{petition.tracking_code}/"
    assert secret not in response["Location"]
    assert [code for code, _ in client.session[SESSION_KEY]] == [petition.tracking_code]
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert petition.title in html
    assert "Đã tiếp nhận phản ánh" in html  # the timeline's first step
    assert secret not in html


def test_a_new_secret_ends_the_sessions_that_proved_the_old_one(
    client, file_with_secret
):
    from django.test import Client

    from workflow import services
    from workflow.access import Actor

    petition, secret = file_with_secret()
    client.post("/track/", {"tracking_code": petition.tracking_code, "secret": secret})
    case = f"/track/{petition.tracking_code}/"
    assert client.get(case).status_code == 200
    assert petition.secret_hash not in str(dict(client.session))

    # Reissued because someone else may hold the old one (here by the submitter's
    # own recovery; staff at a desk call the same service).
    _, new_secret = services.reissue_secret(
        petition_id=petition.pk, actor=Actor.submitter()
    )

    assert client.get(case).status_code == 404
    other = Client()
    other.post(
        "/track/", {"tracking_code": petition.tracking_code, "secret": new_secret}
    )
    assert other.get(case).status_code == 200


def test_a_wrong_secret_and_an_unknown_code_get_the_same_error(
    client, file_with_secret
):
    petition, secret = file_with_secret()
    wrong_secret = client.post(
        "/track/", {"tracking_code": petition.tracking_code, "secret": "WRONG"}
    )
    wrong_code = client.post(
        "/track/", {"tracking_code": "NOSUCHCODE", "secret": secret}
    )
    assert wrong_secret.status_code == wrong_code.status_code == 400
    message = "Mã tra cứu hoặc mã bí mật không đúng."
    assert message in wrong_secret.content.decode()
    assert message in wrong_code.content.decode()
    assert SESSION_KEY not in client.session


def test_lookups_are_limited_per_ip(client, file_with_secret, settings):
    settings.FEEDBACK_TRACK_LIMIT_PER_IP = 2
    petition, secret = file_with_secret()
    for _ in range(2):
        client.post("/track/", {"tracking_code": "NOSUCHCODE", "secret": "X"})
    response = client.post(
        "/track/", {"tracking_code": petition.tracking_code, "secret": secret}
    )
    assert response.status_code == 429
    assert "tra cứu quá nhiều lần" in response.content.decode()


def test_a_case_page_without_a_verified_code_shows_nothing(client, file_with_secret):
    petition, _ = file_with_secret()
    assert client.get(f"/track/{petition.tracking_code}/").status_code == 404


def test_one_petitions_code_in_the_session_does_not_unlock_another(
    client, file_with_secret, verified, awaiting_info
):
    mine = verified(*file_with_secret())
    theirs, _ = awaiting_info()
    Attachment.objects.create(
        petition=theirs,
        file="attachments/x/y.pdf",
        original_name="y.pdf",
        content_type="application/pdf",
        size=1,
        uploaded_at=timezone.now(),
    )
    code = theirs.tracking_code
    assert client.get(f"/track/{mine.tracking_code}/").status_code == 200
    assert client.get(f"/track/{code}/").status_code == 404
    response = client.post(
        f"/track/{code}/information/", {"text": "x", "version": theirs.version}
    )
    assert response.status_code == 404
    for action in ("withdraw", "dispute", "close", "rate"):
        assert client.post(f"/track/{code}/{action}/", {}).status_code == 404
    attachment = Attachment.objects.get(petition=theirs)
    # Neither through its own code nor through the verified one.
    assert client.get(f"/track/{code}/attachments/{attachment.pk}/").status_code == 404
    mine_url = f"/track/{mine.tracking_code}/attachments/{attachment.pk}/"
    assert client.get(mine_url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == State.AWAITING_INFO


def test_forgetting_a_case_locks_it_again(client, file_with_secret, verified):
    petition = verified(*file_with_secret())
    client.post(f"/track/{petition.tracking_code}/forget/")
    assert client.get(f"/track/{petition.tracking_code}/").status_code == 404


def test_the_submitter_sees_the_question_and_answers_it_with_a_file(
    client, awaiting_info, verified
):
    petition = verified(*awaiting_info(question="Xin cho biết số nhà cụ thể?"))
    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert "Xin cho biết số nhà cụ thể?" in page
    assert 'action="/track/' + petition.tracking_code + '/information/"' in page
    response = client.post(
        f"/track/{petition.tracking_code}/information/",
        {
            "text": "Số nhà 12, thôn 3.",
            "version": petition.version,
            "attachments": [upload("so-do.png", PNG_BYTES, "image/png")],
        },
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.state == State.IN_PROGRESS
    assert Attachment.objects.get(petition=petition).original_name == "so-do.png"
    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert "Đã gửi thông tin bổ sung." in page
    assert "Số nhà 12, thôn 3." in page  # in the timeline


def test_an_empty_answer_to_the_question_is_an_error_on_the_field(
    client, awaiting_info, verified
):
    petition = verified(*awaiting_info())
    response = client.post(
        f"/track/{petition.tracking_code}/information/",
        {"text": "", "version": petition.version},
    )
    assert response.status_code == 400
    assert "Vui lòng nhập thông tin này." in response.content.decode()


def test_a_stale_page_gets_a_clear_changed_meanwhile_message(
    client, awaiting_info, verified
):
    petition = verified(*awaiting_info())
    response = client.post(
        f"/track/{petition.tracking_code}/information/",
        {"text": "Số nhà 12.", "version": petition.version - 1},
        follow=True,
    )
    assert "vừa được cập nhật trong lúc bạn xem trang" in response.content.decode()
    petition.refresh_from_db()
    assert petition.state == State.AWAITING_INFO


def test_the_answer_is_shown_and_can_be_rated_once(client, answered, verified):
    petition = verified(*answered())
    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert "Sở đã chỉ đạo sửa đường trong quý này." in page
    assert "/rate/" in page
    response = client.post(
        f"/track/{petition.tracking_code}/rate/", {"score": "5", "comment": "Tốt"}
    )
    assert response.status_code == 302
    assert Rating.objects.get(petition=petition).score == 5
    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert "/rate/" not in page
    assert "5/5" in page
    # A second tab's form sent again is refused in words, the first rating kept.
    again = client.post(
        f"/track/{petition.tracking_code}/rate/", {"score": "1"}, follow=True
    )
    assert "chỉ đánh giá một lần" in again.content.decode()
    assert Rating.objects.get(petition=petition).score == 5


def test_the_submitter_accepts_the_answer_and_closes(client, answered, verified):
    petition = verified(*answered())
    client.post(
        f"/track/{petition.tracking_code}/close/", {"version": petition.version}
    )
    petition.refresh_from_db()
    assert petition.state == State.CLOSED


def test_a_dispute_within_the_window_reopens_the_petition(client, answered, verified):
    petition = verified(*answered())
    response = client.post(
        f"/track/{petition.tracking_code}/dispute/",
        {"reason": "Đường vẫn chưa sửa.", "version": petition.version},
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.state == State.IN_PROGRESS


def test_after_the_dispute_window_the_button_is_gone_and_a_dispute_is_refused(
    client, answered, verified
):
    petition, secret = answered()
    later = permissions.dispute_until(petition)
    with time_machine.travel(later, tick=False):
        # A month later the session has expired: the submitter looks it up again.
        verified(petition, secret)
        page = client.get(f"/track/{petition.tracking_code}/").content.decode()
        assert "/dispute/" not in page
        response = client.post(
            f"/track/{petition.tracking_code}/dispute/",
            {"reason": "Muộn.", "version": petition.version},
            follow=True,
        )
    # The service's own reason, not only "no longer possible".
    assert "trong 30 ngày kể từ khi có trả lời" in response.content.decode()
    petition.refresh_from_db()
    assert petition.state == State.ANSWERED


def test_an_open_petition_can_be_withdrawn(client, file_with_secret, verified):
    petition = verified(*file_with_secret())
    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert "/withdraw/" in page
    client.post(
        f"/track/{petition.tracking_code}/withdraw/",
        {"reason": "Đã tự giải quyết.", "version": petition.version},
    )
    petition.refresh_from_db()
    assert petition.state == State.WITHDRAWN


def test_a_rejected_petition_shows_the_reason_and_where_to_turn(
    client, file_with_secret, verified, coordinator
):
    petition = verified(*file_with_secret())
    services.reject_petition(
        petition_id=petition.pk,
        actor=coordinator,
        reason="Nội dung là khiếu nại.",
        redirect_hint="Gửi đơn khiếu nại đến Thanh tra tỉnh.",
    )
    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert "Nội dung là khiếu nại." in page
    assert "Gửi đơn khiếu nại đến Thanh tra tỉnh." in page
    assert "/withdraw/" not in page


def test_the_deadline_and_whether_it_is_on_track_are_shown(
    client, file_with_secret, verified, routed_to_a
):
    petition = verified(*file_with_secret())
    petition.refresh_from_db()
    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert petition.due_at is not None
    assert deadline(petition.due_at) in page
    assert 'class="badge on_track"' in page


def test_the_submitter_downloads_their_attachment(client, form_data, verified):
    form_data["attachments"] = [upload("đơn.pdf", PDF_BYTES)]
    html = client.post("/", form_data).content.decode()
    petition = Petition.objects.get()
    secret = html.split('id="secret">')[1].split("<")[0]
    verified(petition, secret)
    attachment = Attachment.objects.get(petition=petition)
    response = client.get(
        f"/track/{petition.tracking_code}/attachments/{attachment.pk}/"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        "đơn.pdf" in response["Content-Disposition"]
        or "attachment" in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_case_page_speaks_english_after_switching(
    client, file_with_secret, verified, routed_to_a
):
    petition = verified(*file_with_secret())
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert "Assigned to an agency" in page
    assert "Petition received" in page
    assert "Answer due" in page


def test_a_deadline_at_midnight_reads_as_the_end_of_the_day_before():
    vietnam = ZoneInfo("Asia/Ho_Chi_Minh")
    with translation.override("vi"):
        end_of_day = deadline(datetime(2026, 12, 18, 0, 0, tzinfo=vietnam))
        at_five = deadline(datetime(2026, 12, 18, 17, 0, tzinfo=vietnam))
    assert end_of_day == "hết ngày 17/12/2026"
    # A calendar ending its days at 17:00 keeps the hour.
    assert at_five == "17:00 ngày 18/12/2026"


def test_the_proof_is_explained_in_words_with_the_checking_page_as_the_way(
    client, file_with_secret, verified
):
    petition = verified(*file_with_secret())
    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    with translation.override("vi"):
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        english = client.get(f"/track/{petition.tracking_code}/").content.decode()
    # No path of the source tree (the site serves no docs/ folder).
    assert "docs/" not in page + english and "verify_proof.py" not in page + english
    assert "mở trang kiểm tra tệp bằng chứng và chọn tệp vừa tải" in page
    assert "open the proof checking page and choose the file" in english
    assert 'href="/audit/verify/"' in page
