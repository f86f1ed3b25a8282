"""Looking at an attachment in the browser: a thumbnail, or the file itself inline.

Only what the first bytes prove (feedback.files.sniff) is shown inline, under that
type and with nosniff, so a browser never guesses its way into running a file as
a page; a PDF also gets a sandboxing Content-Security-Policy, so that a script
inside it runs with no origin, no cookies and no way out. Thumbnails are made
here with Pillow: the citizen's phone downloads a few kilobytes, not the photo.
"""

import io
import warnings

from django.http import FileResponse, Http404, HttpResponse
from PIL import Image, ImageOps

from feedback.files import HEADER_BYTES, JPEG, PDF, PNG, download_name, sniff

THUMBNAIL_BOX = (320, 320)
# A 5 MB upload can still unpack into a huge bitmap (a "decompression bomb");
# larger pictures are not decoded at all.
MAX_PIXELS = 40_000_000
INLINE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
PDF_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def _proven_kind(stored):
    with stored.open("rb") as handle:
        return sniff(handle.read(HEADER_BYTES))


def inline_response(stored, *, name: str) -> FileResponse:
    """The file to view in the browser, or a 404 when its bytes are not allowed."""
    kind = _proven_kind(stored)
    if kind not in (PDF, JPEG, PNG):
        raise Http404("Not a file that may be shown")
    response = FileResponse(
        stored.open("rb"),
        as_attachment=False,
        filename=download_name(name, kind.content_type),
        content_type=kind.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PDF_POLICY if kind is PDF else INLINE_POLICY
    response["Cache-Control"] = "private, no-store"
    return response


def thumbnail_response(stored) -> HttpResponse:
    """A small JPEG of a picture attachment (404 for a PDF or a picture too large)."""
    if _proven_kind(stored) not in (JPEG, PNG):
        raise Http404("No thumbnail for this file")
    data = make_thumbnail(stored)
    if data is None:
        raise Http404("This picture cannot be shown small")
    response = HttpResponse(data, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def make_thumbnail(stored) -> bytes | None:
    """JPEG bytes within THUMBNAIL_BOX, upright (EXIF turned), without metadata."""
    with stored.open("rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(handle) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    return None
                picture = ImageOps.exif_transpose(opened)
                picture.thumbnail(THUMBNAIL_BOX)
                out = io.BytesIO()
                # Saved anew, so no EXIF (a phone photo's GPS position) comes along.
                picture.convert("RGB").save(out, "JPEG", quality=80)
        except (OSError, Image.DecompressionBombError, Image.DecompressionBombWarning):
            return None
    return out.getvalue()
