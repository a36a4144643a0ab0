"""Reads on the rulebook (public reference data)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from lamtheo.core.text import search_q

from .models import CriteriaSet, Regulation


def regulation_list(*, q: str = "", kind: str = "", status: str = "") -> QuerySet[Regulation]:
    """Regulations matching folded words of `q`, newest first."""
    qs = Regulation.objects.filter(search_q("search_text", q))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("replaced_by")


def regulation_get(*, pk: int) -> Regulation:
    """One regulation or 404."""
    try:
        return Regulation.objects.select_related("replaced_by").get(pk=pk)
    except Regulation.DoesNotExist as exc:
        raise Http404 from exc


def criteria_set_list(*, regulation: Regulation | None = None) -> QuerySet[CriteriaSet]:
    """Criteria sets, optionally those of one regulation, with their criteria."""
    qs = CriteriaSet.objects.select_related("regulation").prefetch_related("criteria")
    if regulation is not None:
        qs = qs.filter(regulation=regulation)
    return qs


def criteria_set_in_force(*, code: str, day: dt.date) -> CriteriaSet | None:
    """The version of criteria set `code` valid on `day` (records keep the version they were judged by)."""
    return (
        CriteriaSet.objects.filter(code=code, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-version")
        .first()
    )


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (weekends and public holidays skipped)."""
    from .models import Holiday

    if end <= start:
        return 0
    holidays = set(Holiday.objects.filter(date__gt=start, date__lte=end).values_list("date", flat=True))
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days += 1
    return days


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (negative: before)."""
    from .models import Holiday

    step = 1 if days >= 0 else -1
    span = abs(days) * 2 + 30
    low, high = (
        (start, start + dt.timedelta(days=span)) if step > 0 else (start - dt.timedelta(days=span), start)
    )
    holidays = set(Holiday.objects.filter(date__gte=low, date__lte=high).values_list("date", flat=True))
    day, left = start, abs(days)
    while left:
        day += dt.timedelta(days=step)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day
