"""The answer as a document on both sides: a print page and a PDF for staff and
for the submitter, for every answer that went out (numbered letter or not)."""

import pytest

from tests.support.pdf import pdf_text
from workflow import services
from workflow.models import AnswerLetter, Petition


@pytest.fixture
def answered(submission, routed_to_a, handler_a):
    made = submission(title="Đèn đường hỏng ở thôn Nà Sla")
    petition = made.petition
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(
        petition_id=petition.pk,
        actor=handler_a,
        text="Sở đã thay bóng đèn.\n\nCảm ơn ông đã phản ánh.",
    )
    return Petition.objects.get(pk=petition.pk), made.secret


def test_staff_print_and_download_an_answer_sent_by_e_mail(
    staff_client, handler_a, answered
):
    petition, _secret = answered
    client = staff_client(handler_a)
    case = client.get(f"/work/petitions/{petition.tracking_code}/").content.decode()
    assert f"/work/petitions/{petition.tracking_code}/answer-document/" in case

    page = client.get(f"/work/petitions/{petition.tracking_code}/answer-document/")
    html = page.content.decode()
    assert page.status_code == 200
    # No numbered letter was issued: the layout without a number, signed by
    # the handler who let the answer out.
    assert "Số:" not in html
    assert "Sở đã thay bóng đèn." in html and "Cảm ơn ông đã phản ánh." in html
    assert "Handler_A" in html

    pdf = client.get(f"/work/petitions/{petition.tracking_code}/answer-document.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Sở đã thay bóng đèn." in text
    assert petition.tracking_code in text


def test_a_numbered_letter_prints_as_that_letter(
    staff_client, enter, reception, routed_to_a, handler_a
):
    petition = enter(reception).petition
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(petition_id=petition.pk, actor=handler_a, text="Đã sửa.")
    letter = AnswerLetter.objects.get(petition=petition)
    html = (
        staff_client(handler_a)
        .get(f"/work/petitions/{petition.tracking_code}/answer-document/")
        .content.decode()
    )
    assert f'<span id="letter-reference">{letter.reference}</span>' in html


def test_the_submitter_prints_and_downloads_the_answer(
    client,
    answered,
    verified,
    handler_b,
    staff_client,
):
    petition, secret = answered
    url = f"/track/{petition.tracking_code}/answer-document/"
    # Without the code proved in this session: nothing.
    assert client.get(url).status_code == 404
    verified(petition, secret)
    case = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert url in case
    page = client.get(url)
    assert page.status_code == 200
    assert "Cảm ơn ông đã phản ánh." in page.content.decode()
    pdf = client.post(f"{url}pdf/")
    assert "Sở đã thay bóng đèn." in pdf_text(pdf.content)
    # Another agency's handler does not reach the staff one.
    other = staff_client(handler_b)
    assert (
        other.get(
            f"/work/petitions/{petition.tracking_code}/answer-document/"
        ).status_code
        == 404
    )


def test_no_document_before_an_answer_is_out(
    staff_client, handler_a, submit, routed_to_a
):
    petition = submit()
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    response = staff_client(handler_a).get(
        f"/work/petitions/{petition.tracking_code}/answer-document/"
    )
    assert response.status_code == 404
