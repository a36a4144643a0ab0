"""Values of history rows in words: numbers, dates, times and yes/no in the Vietnamese formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from lamtheo.core.history import format_date, format_datetime, format_number, yes_no


@pytest.mark.parametrize(
    "value,expected",
    [
        (Decimal("78.00"), "78"),
        (Decimal("7.50"), "7,5"),
        (Decimal("0.00"), "0"),
        (Decimal("100.00"), "100"),  # not "1E+2"
        (Decimal("12.25"), "12,25"),
        (2026, "2026"),  # a year is not grouped
        (2.5, "2,5"),
    ],
)
def test_numbers_drop_trailing_zeros_and_use_the_vietnamese_decimal_comma(value, expected):  # type: ignore[no-untyped-def]
    with translation.override("vi"):
        assert format_number(value) == expected


def test_dates_and_times_read_dd_mm_yyyy_in_hanoi_time():  # type: ignore[no-untyped-def]
    assert format_date(dt.date(2026, 12, 3)) == "03/12/2026"
    # 07:02 UTC is 14:02 in Asia/Ho_Chi_Minh (UTC+7).
    assert format_datetime(dt.datetime(2026, 12, 3, 7, 2, tzinfo=dt.UTC)) == "14:02 03/12/2026"
    assert format_datetime(dt.datetime(2026, 12, 31, 18, 30, tzinfo=dt.UTC)) == "01:30 01/01/2027"


def test_yes_and_no_are_translated():  # type: ignore[no-untyped-def]
    with translation.override("vi"):
        assert (yes_no(True), yes_no(False)) == ("Có", "Không")
