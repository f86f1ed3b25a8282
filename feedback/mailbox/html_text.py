"""The text a mail reader shows of an HTML-only e-mail, as a petition's text.

Read with the standard library's HTML parser, not by deleting tags: what sits
between <script> or <style> tags is code, not words the sender wrote, and
comments show nowhere; entities (&amp;, &nbsp;) are the characters they name.
Blocks (paragraphs, lines, list items, table rows) become line breaks, so that
the sender's paragraphs survive; other whitespace is a space, as on screen.
"""

import re
from html.parser import HTMLParser

# Elements whose content no reader shows as text.
HIDDEN = frozenset({"script", "style", "template", "title"})
# Blocks set apart by a blank line, and blocks that start a line of their own.
PARAGRAPHS = frozenset(
    {"p", "blockquote", "pre", "table", "ul", "ol", "dl"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "hr"}
)
LINES = frozenset(
    {"div", "li", "tr", "dt", "dd", "address", "article", "aside", "figcaption"}
    | {"footer", "header", "section", "caption"}
)
# Table cells on one row are apart by a space.
CELLS = frozenset({"td", "th"})
_WHITESPACE = re.compile(r"\s+")


def text_of_html(html: str) -> str:
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    return reader.text()


class _TextReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self._pieces: list[str] = []
        # Line breaks owed before the next words (never before the first).
        self._breaks = 0
        # How many hidden elements the parser is inside.
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self._hidden += 1
        self._boundary(tag)

    def handle_startendtag(self, tag, attrs):
        # A browser reads <script/> as an opening tag (only void elements close
        # themselves): what follows is hidden up to </script>.
        self.handle_starttag(tag, attrs)
        if tag not in HIDDEN:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        if tag != "br":
            self._boundary(tag)

    def handle_data(self, data):
        if self._hidden:
            return
        data = _WHITESPACE.sub(" ", data)
        if data.strip() and self._breaks:
            if self._pieces:
                self._pieces.append("\n" * self._breaks)
            self._breaks = 0
        self._pieces.append(data)

    def _boundary(self, tag):
        if tag == "br":
            self._breaks += 1
        elif tag in PARAGRAPHS:
            self._breaks = max(self._breaks, 2)
        elif tag in LINES:
            self._breaks = max(self._breaks, 1)
        elif tag in CELLS:
            self._pieces.append(" ")

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self._pieces).split("\n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
