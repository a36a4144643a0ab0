"""Pure rules of citizens' reports: deadlines in working hours, tracking codes, the on-time rate."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal

# Unambiguous over the phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B (31 symbols; 8 of them ≈ 8.5 × 10^11 codes).
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 8

# Vietnam's land and its islands (Hoàng Sa, Trường Sa) inside one box: a pin outside it is a mistake.
VIETNAM_LAT = (Decimal("8.0"), Decimal("23.5"))
VIETNAM_LON = (Decimal("102.0"), Decimal("117.5"))

Span = tuple[dt.time, dt.time]


def new_code() -> str:
    """A random tracking code, read out as two groups of four ("K7QM-3XRA")."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str:
    """What a citizen typed, as the stored code: case, spaces and the dash do not matter."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == CODE_LENGTH else raw


def in_vietnam(latitude: Decimal, longitude: Decimal) -> bool:
    """Whether a map pin lies inside Vietnam's box."""
    return VIETNAM_LAT[0] <= latitude <= VIETNAM_LAT[1] and VIETNAM_LON[0] <= longitude <= VIETNAM_LON[1]


def parse_spans(office_hours: Iterable[Sequence[str]]) -> list[Span]:
    """The rulebook's office hours ([["08:00", "12:00"], …]) as time spans."""
    return [(dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in office_hours]


def add_working_hours(
    start: dt.datetime, hours: float, *, spans: list[Span], holidays: set[dt.date]
) -> dt.datetime:
    """The moment `hours` working hours after `start` (a local, aware time): only the office hours of
    weekdays that are not public holidays count. A report received after hours starts the next morning."""
    left = dt.timedelta(hours=hours)
    tz = start.tzinfo
    day = start.date()
    cursor = start
    for _ in range(3660):  # ten years of days: a guard against a calendar without any working day
        if day.weekday() < 5 and day not in holidays:
            for begin, end in spans:
                span_start = dt.datetime.combine(day, begin, tzinfo=tz)
                span_end = dt.datetime.combine(day, end, tzinfo=tz)
                if cursor >= span_end:
                    continue
                begin_at = max(cursor, span_start)
                if begin_at + left <= span_end:
                    return begin_at + left
                left -= span_end - begin_at
                cursor = span_end
        day += dt.timedelta(days=1)
        cursor = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    raise ValueError("no working time in ten years: check the office hours and the holidays")


def hours_label(hours: int, *, spans: list[Span]) -> tuple[int, str]:
    """A period for people: whole working days when it is a multiple of the working day, else hours."""
    per_day = sum((dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)).seconds
                  for a, b in spans) // 3600  # fmt: skip
    if per_day and hours >= per_day and hours % per_day == 0:
        return hours // per_day, "days"
    return hours, "hours"


def on_time_rate(*, closed_on_time: int, closed: int, open_overdue: int) -> float | None:
    """Closed on time ÷ (closed + open and overdue): open reports past their deadline count against the
    unit (a rate over closed reports alone hides them). None when nothing is counted yet."""
    counted = closed + open_overdue
    return closed_on_time / counted if counted else None
