"""What of planning follows a merged organization (ADR 0011, `lamtheo.core.merging`).

Open work follows the successor: the tasks of open plans that the merged organization was responsible for,
and the unit's own themes. Every plan stays with the organization that wrote it (ADR 0013): it is that
organization's record, the successor keeps its own plan on its own row, and the plan tree shows the closed
units' plans under the successor's row (`selectors.plan_tree`), never one in place of the other. A closed
plan keeps the tasks it held too, so that its roll-ups do not change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lamtheo.core.actor import Actor
from lamtheo.core.merging import move_rows, register_merge_hook
from lamtheo.organizations.models import Organization

from .models import PlanStatus, Task, Theme

# What stays with the closed organization, by model and field (the rest follows the successor).
STAYS = {
    "Plan.organization": "every plan (a plan keeps the unit it was written in)",
    "Task.responsible": "tasks of closed plans",
}


def planning_merge(
    *, sources: Sequence[Organization], target: Organization, day: dt.date, actor: Actor
) -> None:
    """Move the open tasks and the units' themes of `sources` to `target` (plans stay where written)."""
    ids = [s.pk for s in sources]
    with actor.reading():
        move_rows(
            Task.objects.filter(responsible_id__in=ids).exclude(plan__status=PlanStatus.CLOSED),
            "responsible",
            target,
        )
        move_rows(Theme.objects.filter(organization_id__in=ids), "organization", target)


def register() -> None:
    """Called from PlanningConfig.ready()."""
    register_merge_hook("planning", planning_merge)
