"""What kind of file an upload really is, judged from its first bytes.

The name and the browser's content type are the sender's claims; the signature at
the start of the file is what a viewer will act on. Only the three kinds a petition
needs are known: PDF documents and JPEG or PNG pictures.
"""

from dataclasses import dataclass


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
