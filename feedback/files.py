"""What kind of file an upload really is, judged from its first bytes; how it is
served again.

The name and the browser's content type are the sender's claims; the signature at
the start of the file is what a viewer will act on. Only the three kinds a petition
needs are known: PDF documents and JPEG or PNG pictures.
"""

import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from django.http import FileResponse

from workflow import intake_rules as rules


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


PDF = FileKind("application/pdf", ".pdf")
JPEG = FileKind("image/jpeg", ".jpg")
PNG = FileKind("image/png", ".png")

# (signature, kind). PDF readers accept the header anywhere in the first kilobyte,
# but writers put it first; a file that does not start with it is refused.
SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
HEADER_BYTES = max(len(signature) for signature, _ in SIGNATURES)


def sniff(header: bytes) -> FileKind | None:
    """The kind of file whose first bytes are `header`, or None when not allowed."""
    for signature, kind in SIGNATURES:
        if header.startswith(signature):
            return kind
    return None


def sniff_upload(upload) -> FileKind | None:
    """Sniff a Django UploadedFile without consuming it."""
    upload.seek(0)
    header = upload.read(HEADER_BYTES)
    upload.seek(0)
    return sniff(header)


# --- serving: the sniffed type and a name to match (feedback.downloads) -------------
# A download is served with the type sniffed when the file arrived and a file name
# whose extension matches it, so that a %PDF/HTML polyglot sent as "invoice.html"
# is opened as the PDF it was accepted as, never as a page of this site. Always as
# an attachment, with nosniff (SecurityMiddleware), and a file name that keeps
# Vietnamese letters for browsers that read RFC 5987 and an ASCII one for others.

FALLBACK_TYPE = "application/octet-stream"
# The extension each sniffed type is served under (mimetypes knows others).
EXTENSIONS = {kind.content_type: kind.extension for _signature, kind in SIGNATURES}
SAME_EXTENSIONS = {".jpg": (".jpg", ".jpeg", ".jpe")}
MAX_NAME = 150


def download_name(name: str, content_type: str) -> str:
    """The sender's file name, cleaned, with the extension of the sniffed type."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    name = rules.without_forbidden_characters(name)
    name = re.sub(r'[\x00-\x1f\x7f"\\/]', "", name).strip(" .") or "tep-dinh-kem"
    extension = EXTENSIONS.get(content_type) or mimetypes.guess_extension(
        content_type or ""
    )
    if not extension:
        return name[:MAX_NAME]
    stem, dot, current = name.rpartition(".")
    if dot and "." + current.lower() in SAME_EXTENSIONS.get(extension, (extension,)):
        return name[-MAX_NAME:]
    return (stem if dot else name)[: MAX_NAME - len(extension)] + extension


def ascii_name(name: str) -> str:
    """A plain-ASCII stand-in for old browsers: "Biên bản.pdf" → "Bien ban.pdf".

    A character with no ASCII form (an emoji, a Chinese letter) is left out with
    the space it leaves: "ảnh 😀.png" is "anh.png", not "anh .png", and a name of
    such characters alone is "attachment" with its extension.
    """
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = plain.encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9 ._()-]", "_", plain)
    stem, dot, extension = plain.rpartition(".")
    if not dot:
        stem, extension = plain, ""
    stem = " ".join(stem.split()).strip(" .") or "attachment"
    return stem + dot + extension


def content_disposition(name: str) -> str:
    """`attachment` with both file names of RFC 6266: ASCII and UTF-8 (RFC 5987)."""
    return (
        f'attachment; filename="{ascii_name(name)}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )


def attachment_response(file, *, name: str, content_type: str) -> FileResponse:
    content_type = content_type or FALLBACK_TYPE
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        download_name(name, content_type)
    )
    return response
