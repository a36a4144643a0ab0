"""Pure rules of inspection and supervision: the order of a case's steps and its deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .models import STEP_ORDER, Step


def next_steps(last: str) -> tuple[str, ...]:
    """The steps that may be recorded after `last` ("" for a new case): the next one in order, and another
    working session after a working session."""
    if last == Step.NOTICE:
        return ()
    following = STEP_ORDER[STEP_ORDER.index(last) + 1] if last else STEP_ORDER[0]
    return (Step.SESSION, following) if last == Step.SESSION else (following,)


def step_due(
    last_date: dt.date | None, period: int | None, add_working_days: Callable[[dt.date, int], dt.date]
) -> dt.date | None:
    """When the next step is due: `period` working days after the step before (None: no period or no step)."""
    if last_date is None or period is None:
        return None
    return add_working_days(last_date, period)
