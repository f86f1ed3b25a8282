"""Printable documents: an HTML template rendered to a page or to PDF (WeasyPrint).

One template per document serves both the print page and the PDF, so what staff
print from the browser and what the PDF holds cannot drift apart. Fonts come from
the system (fonts-dejavu-core: DejaVu Serif and Sans cover every Vietnamese
letter); nothing is fetched from the network while rendering.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

# The documents: each one template for its print page and its PDF.
RECEIPT = "documents/receipt.html"
ANSWER_LETTER = "documents/answer_letter.html"
STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "document.css"


def render_html(template: str, context: dict, request=None) -> str:
    """The document as HTML (its print page)."""
    return render_to_string(template, {"for_pdf": False, **context}, request=request)


def render_pdf(template: str, context: dict) -> bytes:
    """The document as PDF bytes.

    The print page links static/css/document.css; the PDF gets the same file
    from disk. The renderer fetches no URL, so a document can never send a request
    anywhere while it is rendered.
    """
    import weasyprint  # loads Pango on first use, not when Django starts

    html = render_to_string(template, {"for_pdf": True, **context})
    document = weasyprint.HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_fetching
    )
    return document.write_pdf(stylesheets=[weasyprint.CSS(filename=str(STYLESHEET))])


def _no_fetching(url, *args, **kwargs):
    raise ValueError(f"documents fetch nothing: {url}")
