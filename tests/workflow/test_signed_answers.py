"""Answers issued as PDF letters signed with the agency's certificate (PAdES)."""

import hashlib
from datetime import timedelta
from io import BytesIO

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from tests.support import certificates
from tests.support.pdf import pdf_text
from workflow import services
from workflow.errors import NotAllowedNow, NotPermitted
from workflow.models import HistoryEntry, Membership, Petition, SignedAnswer


@pytest.fixture
def ca():
    return certificates.authority(timezone.now())


@pytest.fixture
def agency_certificate(ca, settings, tmp_path):
    now = timezone.now()
    settings.ANSWER_SIGNER = "workflow.signing.KeyFileSigner"
    settings.ANSWER_SIGNING_KEY_FILE = certificates.agency_pkcs12(
        ca,
        tmp_path / "agency.p12",
        common_name="Sở Nông nghiệp và Môi trường tỉnh Lạng Sơn",
        not_before=now - timedelta(days=30),
        not_after=now + timedelta(days=365),
    )
    settings.ANSWER_SIGNING_KEY_PASSWORD = certificates.PASSWORD.decode()
    return settings.ANSWER_SIGNING_KEY_FILE


@pytest.fixture
def answered(submit, routed_to_a, handler_a, supervisor_a):
    petition = submit()
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(
        petition_id=petition.pk,
        actor=handler_a,
        text="Sở đã chỉ đạo sửa đường trong quý này.\n\nTrân trọng thông báo.",
    )
    Membership.objects.filter(user=supervisor_a.user).update(title="Phó Giám đốc Sở")
    return Petition.objects.get(pk=petition.pk)


def validate(pdf: bytes, ca):
    """pyHanko's validation, as a PDF reader does it, trusting only `ca`."""
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    root = asn1_x509.Certificate.load(ca.cert.public_bytes(Encoding.DER))
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[root], allow_fetching=False)
    )
    return signature, status


def test_signed_answer_is_a_valid_pades_signature_by_the_agency(
    answered, supervisor_a, ca, agency_certificate
):
    signed = services.sign_answer(petition_id=answered.pk, actor=supervisor_a)
    pdf = bytes(SignedAnswer.objects.get(pk=signed.pk).pdf)
    signature, status = validate(pdf, ca)
    # Intact, cryptographically valid and chained to the agency's authority.
    assert status.intact is True
    assert status.valid is True
    assert status.trusted is True
    assert status.bottom_line is True
    # PAdES, carrying the signer's name and title in the signature itself.
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Name"] == "Supervisor_A"
    assert signature.sig_object["/Reason"] == "Phó Giám đốc Sở"
    assert "Lạng Sơn" in signature.signer_cert.subject.human_friendly
    # The letter inside: its number, the answer and the signer.
    text = " ".join(pdf_text(pdf).split())
    assert f"Số: {signed.letter.reference}" in text
    assert "Sở đã chỉ đạo sửa đường trong quý này." in text
    assert signed.signer_title == "Phó Giám đốc Sở"


def test_the_pdfs_digest_goes_into_the_history(
    answered, supervisor_a, ca, agency_certificate
):
    signed = services.sign_answer(petition_id=answered.pk, actor=supervisor_a)
    entry = HistoryEntry.objects.filter(petition=answered).order_by("-seq").first()
    assert entry.action == "sign_answer"
    assert entry.data == {
        "letter": signed.letter.reference,
        "sha256": hashlib.sha256(bytes(signed.pdf)).hexdigest(),
    }


def test_a_tampered_copy_fails_validation(
    answered, supervisor_a, ca, agency_certificate
):
    signed = services.sign_answer(petition_id=answered.pk, actor=supervisor_a)
    pdf = bytearray(signed.pdf)
    # One byte inside the signed range: the header's version.
    assert pdf[:8] == b"%PDF-1.7"
    pdf[7:8] = b"6"
    _signature, status = validate(bytes(pdf), ca)
    assert status.intact is False
    assert status.bottom_line is False


def test_a_signature_from_an_authority_not_trusted_is_not_trusted(
    answered, supervisor_a, agency_certificate
):
    signed = services.sign_answer(petition_id=answered.pk, actor=supervisor_a)
    other = certificates.authority(timezone.now())
    _signature, status = validate(bytes(signed.pdf), other)
    assert status.intact is True
    assert status.trusted is False


def test_an_expired_certificate_is_refused_at_signing_time(
    answered, supervisor_a, ca, settings, tmp_path
):
    now = timezone.now()
    settings.ANSWER_SIGNING_KEY_FILE = certificates.agency_pkcs12(
        ca,
        tmp_path / "expired.p12",
        common_name="Sở Nông nghiệp và Môi trường tỉnh Lạng Sơn",
        not_before=now - timedelta(days=400),
        not_after=now - timedelta(days=30),
    )
    settings.ANSWER_SIGNING_KEY_PASSWORD = certificates.PASSWORD.decode()
    with pytest.raises(NotAllowedNow, match="valid from .* to .*, not on"):
        services.sign_answer(petition_id=answered.pk, actor=supervisor_a)
    # Nothing was written: no signed answer, no letter number, no history entry.
    assert not SignedAnswer.objects.exists()
    assert not answered.letters.exists()
    assert not HistoryEntry.objects.filter(action="sign_answer").exists()


def test_only_a_supervisor_signs_and_only_an_answer_that_went_out(
    submit, routed_to_a, handler_a, supervisor_a, answered, agency_certificate
):
    with pytest.raises(NotPermitted):
        services.sign_answer(petition_id=answered.pk, actor=handler_a)
    fresh = submit()
    with pytest.raises(NotAllowedNow, match="not possible while"):
        services.sign_answer(petition_id=fresh.pk, actor=supervisor_a)


def test_an_answer_is_signed_once(answered, supervisor_a, agency_certificate):
    services.sign_answer(petition_id=answered.pk, actor=supervisor_a)
    with pytest.raises(NotAllowedNow, match="already signed"):
        services.sign_answer(petition_id=answered.pk, actor=supervisor_a)


def test_an_answer_by_post_is_signed_on_its_own_letter(
    enter, reception, routed_to_a, handler_a, supervisor_a, agency_certificate
):
    petition = enter(reception).petition
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(petition_id=petition.pk, actor=handler_a, text="Đã sửa.")
    [letter] = petition.letters.all()
    signed = services.sign_answer(petition_id=petition.pk, actor=supervisor_a)
    assert signed.letter == letter


def test_the_signer_backend_is_pluggable(
    answered, supervisor_a, ca, settings, tmp_path
):
    # A backend that holds one certificate per agency, as a signing service would.
    now = timezone.now()
    settings.ANSWER_SIGNER = "tests.support.signers.PerAgencySigner"
    settings.TEST_AGENCY_KEYS = {
        answered.agency.code: certificates.agency_pkcs12(
            ca,
            tmp_path / "own.p12",
            common_name="Chứng thư riêng của Sở",
            not_before=now - timedelta(days=1),
            not_after=now + timedelta(days=30),
        )
    }
    signed = services.sign_answer(petition_id=answered.pk, actor=supervisor_a)
    signature, status = validate(bytes(signed.pdf), ca)
    assert status.bottom_line is True
    assert "Chứng thư riêng của Sở" in signature.signer_cert.subject.human_friendly
    assert "Chứng thư riêng của Sở" in signed.certificate_subject


def test_the_submitter_downloads_the_signed_pdf(
    submission, routed_to_a, handler_a, supervisor_a, agency_certificate, client
):
    made = submission()
    petition, secret = made.petition, made.secret
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(petition_id=petition.pk, actor=handler_a, text="Đã sửa.")
    client.post("/track/", {"tracking_code": petition.tracking_code, "secret": secret})
    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert "answer.pdf" not in page
    signed = services.sign_answer(petition_id=petition.pk, actor=supervisor_a)
    page = client.get(f"/track/{petition.tracking_code}/").content.decode()
    assert f"/track/{petition.tracking_code}/answer.pdf" in page
    assert f"văn bản trả lời số {signed.letter.reference}" in page
    response = client.get(f"/track/{petition.tracking_code}/answer.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(signed.pdf)


def test_the_supervisor_signs_from_the_case_page(
    answered, supervisor_a, agency_certificate, staff_client
):
    client = staff_client(supervisor_a)
    url = f"/work/petitions/{answered.tracking_code}/"
    page = client.get(url).content.decode()
    assert f'action="{url}sign_answer/"' in page
    response = client.post(
        f"{url}sign_answer/", {"sign_answer-version": answered.version}
    )
    assert response.status_code == 302
    signed = SignedAnswer.objects.get(petition=answered)
    assert signed.signed_by == supervisor_a.user
    # Signed once: the form is not offered again.
    assert f'action="{url}sign_answer/"' not in client.get(url).content.decode()


def test_the_demo_signs_with_a_demonstration_certificate_made_once(
    answered, supervisor_a, settings, tmp_path, ca
):
    settings.BASE_DIR = tmp_path
    settings.ANSWER_SIGNER = "workflow.signing.KeyFileSigner"
    settings.ANSWER_SIGNING_KEY_FILE = ""
    signed = services.sign_answer(petition_id=answered.pk, actor=supervisor_a)
    key_file = tmp_path / "var" / "keys" / "answer-signing-demo.p12"
    assert key_file.stat().st_mode & 0o77 == 0
    _signature, status = validate(bytes(signed.pdf), ca)
    # Intact and valid, but no authority vouches for a demonstration certificate.
    assert (status.intact, status.valid, status.trusted) == (True, True, False)
    assert "không có giá trị pháp lý" in signed.certificate_subject
