"""Answers signed as PDF (PAdES), with the agency's certificate.

The signer is a pluggable backend (ANSWER_SIGNER, a dotted path): agencies sign
with a USB token (PKCS#11) or a remote signing service; the demo's default reads a
key file (KeyFileSigner). Whatever the backend, a certificate that is not valid at
the moment of signing is refused before anything is signed, and any PDF reader
shows the signature, the signer's name and their title (the signature's reason).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from workflow.keyfiles import development_key_file


class SigningRefused(Exception):
    """The answer cannot be signed: no usable certificate, or not valid now."""


@dataclass(frozen=True)
class Certificate:
    subject: str
    serial: str
    not_before: datetime
    not_after: datetime


def answer_signer():
    """The configured backend, an instance of a subclass of AnswerSigner."""
    return import_string(settings.ANSWER_SIGNER)()


class AnswerSigner:
    """A backend: sign PDF bytes for an agency, return the signed PDF bytes.

    Subclasses for pyHanko give `pyhanko_signer(agency)` (a
    pyhanko.sign.signers.Signer: SimpleSigner for key files, PKCS11Signer for a
    USB token, an ExternalSigner for a remote service) and inherit `sign`.
    """

    def pyhanko_signer(self, agency):
        raise NotImplementedError

    def certificate(self, agency) -> Certificate:
        return _described(self.pyhanko_signer(agency).signing_cert)

    def sign(self, pdf: bytes, *, agency, signer_name, signer_title, now) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        signer = self.pyhanko_signer(agency)
        certificate = _described(signer.signing_cert)
        if not certificate.not_before <= now <= certificate.not_after:
            raise SigningRefused(
                f"The certificate of {certificate.subject} is valid from "
                f"{certificate.not_before:%d/%m/%Y} to "
                f"{certificate.not_after:%d/%m/%Y}, not on {now:%d/%m/%Y}."
            )
        metadata = signers.PdfSignatureMetadata(
            field_name="ChuKySo",
            name=signer_name,
            reason=signer_title,
            location=agency.name,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        return signers.sign_pdf(writer, metadata, signer=signer).getvalue()


class KeyFileSigner(AnswerSigner):
    """One key file for every agency: PKCS#12 (ANSWER_SIGNING_KEY_FILE ending in
    .p12 or .pfx) or a PEM key with its PEM certificate (ANSWER_SIGNING_CERT_FILE).
    Without a configured file, a demonstration certificate is made on first use
    under var/keys/ (git-ignored): a PDF reader shows it as not trusted."""

    def pyhanko_signer(self, agency):
        from pyhanko.sign import signers

        key_file = settings.ANSWER_SIGNING_KEY_FILE or str(
            development_key_file("answer-signing-demo.p12", demo_pkcs12)
        )
        password = (settings.ANSWER_SIGNING_KEY_PASSWORD or "").encode() or None
        if not Path(key_file).exists():
            raise SigningRefused(f"ANSWER_SIGNING_KEY_FILE {key_file} does not exist.")
        if key_file.endswith((".p12", ".pfx")):
            signer = signers.SimpleSigner.load_pkcs12(key_file, passphrase=password)
        else:
            signer = signers.SimpleSigner.load(
                key_file, settings.ANSWER_SIGNING_CERT_FILE, key_passphrase=password
            )
        if signer is None:
            raise SigningRefused(f"The key file {key_file} could not be read.")
        return signer


def _described(cert) -> Certificate:
    validity = cert["tbs_certificate"]["validity"]
    return Certificate(
        subject=cert.subject.human_friendly,
        serial=format(cert.serial_number, "x"),
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
    )


def demo_pkcs12() -> bytes:
    """A self-signed demonstration certificate and its key, as PKCS#12."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "PAKN demo"),
            x509.NameAttribute(
                NameOID.COMMON_NAME, "Chứng thư thử nghiệm — không có giá trị pháp lý"
            ),
        ]
    )
    start = timezone.now() - timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            True,
        )
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"demo", key, cert, None, serialization.NoEncryption()
    )
