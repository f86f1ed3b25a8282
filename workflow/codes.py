"""Numbers that arrive as text: official unit codes, ids. Only ASCII digits count.

Python's `int()` and `str.isdigit()` also take other scripts' digits and
superscripts: `int("٢٠")` (Arabic-Indic) is 20, `"²".isdigit()` is True while
`int("²")` fails. An official code is written in the digits 0-9; anything else
is not a code, whatever Python makes of it.
"""

import re

# PostgreSQL's integer columns (unit codes); larger numbers cannot be codes.
MAX_CODE = 2**31 - 1
# PostgreSQL's bigint (the ids of rows).
MAX_ID = 2**63 - 1

_ASCII_NUMBER = re.compile(r"[0-9]{1,19}")


def parse_number(value, *, maximum: int = MAX_CODE) -> int | None:
    """`value` as a number from 1 to `maximum`, or None if it is not one.

    An int (not a bool) is taken as it is; text must be ASCII digits only, with
    surrounding spaces allowed.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_NUMBER.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= maximum else None
