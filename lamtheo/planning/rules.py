"""The arithmetic of progress, shown to users next to the figures: one place, used by services and selectors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

ROLLUP_RULE = _(
    "A task with sub-tasks (the same task made concrete by the units below) takes the weighted mean of their "
    "progress, or their plain mean when none has a weight. A task without sub-tasks takes its latest report. "
    "A unit's progress is the same mean over the tasks of its plan."
)
STATUS_RULE = _(
    "Done at 100%%. Overdue once the due date has passed below 100%%. Not started while nothing is reported. "
    "At risk when progress lags the time elapsed by more than %(margin)s points; otherwise on track."
)


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_mean(items: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal:
    """Mean of (progress, weight) pairs: weighted when any weight is given (a missing one counts 1)."""
    pairs = list(items)
    if not pairs:
        return Decimal(0)
    if all(weight is None for _progress, weight in pairs):
        return quantize(sum((p for p, _w in pairs), Decimal(0)) / len(pairs))
    total = sum((w if w is not None else Decimal(1) for _p, w in pairs), Decimal(0))
    return quantize(sum((p * (w if w is not None else Decimal(1)) for p, w in pairs), Decimal(0)) / total)


def at_risk_margin() -> int:
    return int(getattr(settings, "LAMTHEO_AT_RISK_MARGIN", 10))


class TaskStatus:
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    DONE = "done"

    LABELS = {
        NOT_STARTED: _("Not started"), ON_TRACK: _("On track"), AT_RISK: _("At risk"),
        OVERDUE: _("Overdue"), DONE: _("Done"),
    }  # fmt: skip


def task_status(*, progress: Decimal, start: dt.date, due: dt.date, reported: bool, today: dt.date) -> str:
    """The computed status of a task on `today` (the boundaries are tested: due day itself is not late)."""
    if progress >= HUNDRED:
        return TaskStatus.DONE
    if today > due:
        return TaskStatus.OVERDUE
    if not reported and progress <= 0:
        return TaskStatus.NOT_STARTED
    span = (due - start).days or 1
    elapsed = min(max((today - start).days, 0), span)
    expected = HUNDRED * elapsed / span
    if progress + at_risk_margin() < expected:
        return TaskStatus.AT_RISK
    return TaskStatus.ON_TRACK
