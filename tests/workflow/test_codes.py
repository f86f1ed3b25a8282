import pytest

from workflow.codes import MAX_CODE, MAX_ID, parse_number


@pytest.mark.parametrize(
    "value, expected",
    [("20", 20), (" 20 ", 20), (20, 20), ("0020", 20), (str(MAX_CODE), MAX_CODE)],
)
def test_ascii_digits_and_ints_are_numbers(value, expected):
    assert parse_number(value) == expected


@pytest.mark.parametrize(
    "value",
    # Superscripts, Arabic-Indic, full-width and Devanagari digits: Python's int()
    # reads some of them, but none is how an official code is written.
    ["²", "٢٠", "２０", "२०", "20²", "", " ", "-1", "+1", "1.0", "1e3", "0", True, None]
    + [str(MAX_CODE + 1), 0, -5, 2.0, "1" * 40],
)
def test_anything_else_is_not_a_number(value):
    assert parse_number(value) is None


def test_ids_may_be_as_large_as_a_bigint():
    assert parse_number(str(MAX_ID), maximum=MAX_ID) == MAX_ID
    assert parse_number(str(MAX_ID + 1), maximum=MAX_ID) is None
