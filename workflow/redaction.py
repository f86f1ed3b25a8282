"""Phrases hidden from public texts: the submitter's name and a supervisor's picks.

One rule for where such a phrase is found — wherever it occurs, ignoring case,
when it is long enough not to hide parts of ordinary words — read by the public
masking (feedback.masking) and by the retention (workflow.privacy.retention),
which hides them in a published petition for good before it erases the name and
the phrases themselves.

A phrase of two words or more (a person's name) is also found typed without its
diacritics, or with other spaces between its words: "Nguyen Van  Khuong" is
"Nguyễn Văn Khương" to any reader. A single word is found only as written, since
without its marks it is often an ordinary word ("Hải" and "hai", two).
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator

MASK = "***"
MIN_LENGTH = 3

# Each letter with Vietnamese (or other Latin) marks to its bare letter, one
# character for one, so that a text folded with it keeps its length and a span
# found in it is the same span in the text.
_BARE = {}
for _code in range(0xC0, 0x2000):
    _letter = chr(_code)
    _bare = "".join(
        c for c in unicodedata.normalize("NFD", _letter) if not unicodedata.combining(c)
    )
    if len(_bare) == 1 and _bare != _letter:
        _BARE[_code] = _bare
_BARE.update({ord("đ"): "d", ord("Đ"): "D"})
_COMBINING = re.compile(r"[\u0300-\u036f]")


def phrase_spans(text: str, phrases: Iterable[str]) -> Iterator[tuple[int, int]]:
    """Where each phrase occurs in `text`, ignoring case (and, for names of two
    words or more, diacritics and spacing)."""
    folded = None
    for phrase in phrases:
        phrase = (phrase or "").strip()
        if len(phrase) < MIN_LENGTH:
            continue
        for match in re.finditer(re.escape(phrase), text, flags=re.IGNORECASE):
            yield match.span()
        words = _fold(unicodedata.normalize("NFC", phrase)).split()
        if len(words) < 2:
            continue
        if folded is None:
            folded = _folded(text)
        bare, origin = folded
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)"
        for match in re.finditer(pattern, bare, flags=re.IGNORECASE):
            yield origin(match.start(), match.end())


def _fold(text: str) -> str:
    return text.translate(_BARE)


def folded_for_search(text: str) -> str:
    """Lower case without diacritics, as the database's feedback_fold() reads
    a text ("Hà Giang" → "ha giang")."""
    return _fold(unicodedata.normalize("NFC", text or "")).lower()


def _folded(text: str):
    """`text` without its marks, and a function from a span in it to the span in
    `text`. Text in composed form (as typed nearly everywhere) keeps its length;
    decomposed marks (U+0300-U+036F after their letter) are dropped and mapped."""
    if not _COMBINING.search(text):
        return _fold(text), lambda start, end: (start, end)
    kept = [i for i, c in enumerate(text) if not unicodedata.combining(c)]
    bare = _fold("".join(text[i] for i in kept))

    def origin(start, end):
        last = kept[end - 1] + 1
        while last < len(text) and unicodedata.combining(text[last]):
            last += 1  # the marks of the span's last letter belong to it
        return kept[start], last

    return bare, origin


def hide_phrases(text: str, phrases: Iterable[str]) -> str:
    """`text` with every occurrence of the phrases replaced by the mask."""
    merged: list[list[int]] = []
    for start, end in sorted(phrase_spans(text, phrases)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + MASK + text[end:]
    return text
