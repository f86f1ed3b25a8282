"""Phrases hidden from public texts: the submitter's name and a supervisor's picks.

One rule for where such a phrase is found — wherever it occurs, ignoring case,
when it is long enough not to hide parts of ordinary words — read by the public
masking (feedback.masking) and by the retention (workflow.privacy.retention),
which hides them in a published petition for good before it erases the name and
the phrases themselves.
"""

import re
from collections.abc import Iterable, Iterator

MASK = "***"
MIN_LENGTH = 3


def phrase_spans(text: str, phrases: Iterable[str]) -> Iterator[tuple[int, int]]:
    """Where each phrase occurs in `text`, ignoring case."""
    for phrase in phrases:
        phrase = (phrase or "").strip()
        if len(phrase) >= MIN_LENGTH:
            for match in re.finditer(re.escape(phrase), text, flags=re.IGNORECASE):
                yield match.span()


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
