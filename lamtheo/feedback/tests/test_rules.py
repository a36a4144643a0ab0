"""Deadlines in working hours on the rulebook's calendar, tracking codes, the on-time formula (pure rules)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from lamtheo.feedback import rules

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SPANS = rules.parse_spans([["08:00", "12:00"], ["13:00", "17:00"]])
TET_2026 = {dt.date(2026, 2, d) for d in range(16, 21)}


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)


def test_hours_skip_lunch_nights_and_weekends():
    assert rules.add_working_hours(at(2026, 3, 4, 10, 0), 4, spans=SPANS, holidays=set()) == at(
        2026, 3, 4, 15, 0
    )
    # Friday 16:30 + 8 h: half an hour on Friday, the rest from Monday morning.
    assert rules.add_working_hours(at(2026, 3, 6, 16, 30), 8, spans=SPANS, holidays=set()) == at(
        2026, 3, 9, 16, 30
    )
    # Received on Sunday night: the clock starts on Monday at 08:00.
    assert rules.add_working_hours(at(2026, 3, 8, 22, 0), 4, spans=SPANS, holidays=set()) == at(
        2026, 3, 9, 12, 0
    )
    # Received at lunch: the clock starts at 13:00.
    assert rules.add_working_hours(at(2026, 3, 9, 12, 20), 1, spans=SPANS, holidays=set()) == at(
        2026, 3, 9, 14, 0
    )


def test_hours_skip_the_days_of_tet():
    # Friday 13/2/2026 16:00 + 8 working hours: Tết runs Monday 16 to Friday 20 February.
    due = rules.add_working_hours(at(2026, 2, 13, 16, 0), 8, spans=SPANS, holidays=TET_2026)
    assert due == at(2026, 2, 23, 16, 0)
    assert rules.add_working_hours(at(2026, 2, 13, 16, 0), 8, spans=SPANS, holidays=set()) == at(
        2026, 2, 16, 16, 0
    )


def test_a_period_reads_in_days_when_it_is_whole_days():
    assert rules.hours_label(40, spans=SPANS) == (5, "days")
    assert rules.hours_label(4, spans=SPANS) == (4, "hours")


def test_tracking_codes_are_readable_and_normalised():
    code = rules.new_code()
    assert len(code) == 9 and code[4] == "-" and set(code.replace("-", "")) <= set(rules.CODE_ALPHABET)
    assert not set("01258BILOSZ") & set(rules.CODE_ALPHABET)
    assert len({rules.new_code() for _ in range(2000)}) == 2000
    assert rules.normalise_code(" k7qm 3xra ") == "K7QM-3XRA"


def test_vietnam_box():
    assert rules.in_vietnam(Decimal("21.03"), Decimal("105.85"))
    assert rules.in_vietnam(Decimal("8.65"), Decimal("111.92"))  # Trường Sa
    assert not rules.in_vietnam(Decimal("48.85"), Decimal("2.35"))


def test_on_time_rate_counts_open_overdue_against_the_unit():
    assert rules.on_time_rate(closed_on_time=9, closed=10, open_overdue=5) == 9 / 15
    assert rules.on_time_rate(closed_on_time=0, closed=0, open_overdue=0) is None


def test_the_rulebook_refuses_malformed_report_deadlines():
    import pytest

    from lamtheo.core.errors import DomainError
    from lamtheo.rulebook.services import feedback_rules_check

    good = {"code": "x", "name": "x", "year_from": 2025, "office_hours": [["08:00", "12:00"], ["13:00", "17:00"]],
            "accept_hours": 8, "resolve_hours": {"urgent": 4, "normal": 40, "complex": 80}, "reopen_days": 7,
            "escalate_after_hours": 0}  # fmt: skip
    feedback_rules_check(good)
    for change, message in (
        ({"office_hours": [["13:00", "12:00"]]}, "ordered"),
        ({"office_hours": [["08:00", "12:00"], ["11:00", "17:00"]]}, "ordered"),
        ({"office_hours": []}, "working spans"),
        ({"resolve_hours": {"urgent": 4, "normal": 40}}, "'complex'"),
        ({"resolve_hours": {"urgent": 4, "normal": 40, "complex": 80, "later": 1}}, "unknown severity"),
        ({"accept_hours": -1}, "whole number"),
        ({"reopen_days": "7"}, "whole number"),
    ):
        with pytest.raises(DomainError, match=message):
            feedback_rules_check({**good, **change})
