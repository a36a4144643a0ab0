"""The arithmetic of progress, shown to users next to the figures: one place, used by services and selectors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

ROLLUP_RULE = _(
    "A task with sub-tasks (the same task made concrete by the units below) takes the weighted mean of their "
    "progress, or their plain mean when none has a weight. When the task is counted as a number and every "
    "sub-task counts it in the same unit of measure, their values are added instead: progress is the sum "
    "reached over the sum of their targets. A task without sub-tasks takes its latest report. A unit's "
    "progress is the weighted mean over the tasks of its plan."
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


NUMBER = "number"  # ValueType.NUMBER (the rules import no model)


@dataclass(frozen=True)
class Part:
    """What a sub-task brings to the task it makes concrete: its progress and weight, how it is measured, its
    target and the number it reached (None when it has no count of its own: not reported, or mixed below)."""

    progress: Decimal
    weight: Decimal | None = None
    value_type: str = "percent_done"
    unit: str = ""
    target: Decimal | None = None
    reached: Decimal | None = None


def same_unit(a: str, b: str) -> bool:
    """Two units of measure are the same when they read the same ("Người" and " người " are one unit)."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def counts_alike(*, value_type: str, unit: str, part: Part) -> bool:
    """The sub-task counts what its task counts: both numbers, in the same unit of measure, with a target."""
    return value_type == part.value_type == NUMBER and part.target is not None and same_unit(unit, part.unit)


def _reached(part: Part) -> Decimal:
    """The number a sub-task reached; one without its own count reached its share of its target."""
    if part.reached is not None:
        return part.reached
    return part.progress * part.target / HUNDRED  # type: ignore[operator]


def rollup(*, value_type: str, unit: str, parts: Iterable[Part]) -> tuple[Decimal, Decimal | None]:
    """A task's progress from its sub-tasks, and the number it reached when that is a sum.

    A number target split between units rolls up as the sum reached over the sum of the units' targets
    (targets 120 and 80, reached 60 and 80: 140 of 200 = 70%, not the 75% mean of 50% and 100%); a unit that
    went beyond its target counts what it reached. This holds when every sub-task counts the task's number in
    the same unit; otherwise (percent done, yes / no, another unit) the weighted mean of their progress."""
    rows = list(parts)
    if rows and all(counts_alike(value_type=value_type, unit=unit, part=p) for p in rows):
        reached = sum((_reached(p) for p in rows), Decimal(0))
        targets = sum((p.target for p in rows), Decimal(0))  # type: ignore[misc]
        return quantize(min(HUNDRED, reached * HUNDRED / targets)), quantize(reached)
    return weighted_mean((p.progress, p.weight) for p in rows), None


def target_excess(*, assigned: Decimal | None, targets: Iterable[Decimal]) -> Decimal | None:
    """How far the units' targets go beyond what was assigned to them (None when they do not, or when nothing
    was assigned as a number). A unit may aim higher: this is a warning, never a refusal."""
    total = sum(targets, Decimal(0))
    if assigned is None or total <= assigned:
        return None
    return total - assigned


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
