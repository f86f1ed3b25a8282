"""Reading the PDFs the system produces: their text (pypdf) and a picture of each
page (pdftoppm from poppler-utils, saved in test-artifacts/documents/)."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


def pdf_text(data: bytes) -> str:
    """The text of every page, as a PDF reader extracts it (NFC, for comparison)."""
    import unicodedata

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return unicodedata.normalize("NFC", text)


def save_png(data: bytes, name: str) -> Path:
    """Render the PDF's first page to test-artifacts/documents/<name>.png."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is missing (apt-get install poppler-utils)")
        pytest.skip("pdftoppm is missing (apt-get install poppler-utils)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-singlefile", "-", str(target)],
        input=data,
        check=True,
        timeout=60,
    )
    return target.with_suffix(".png")
