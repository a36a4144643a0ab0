"""What of planning follows a merged organization (ADR 0011, `lamtheo.core.merging`).

Open work follows the successor: plans not yet closed, the tasks of those plans that the merged
organization was responsible for, and the unit's own themes. A closed plan, with the tasks it held, stays with
the organization that carried it out: it is that organization's record, and its roll-ups must not change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lamtheo.core.actor import Actor
from lamtheo.core.merging import move_rows, register_merge_hook
from lamtheo.organizations.models import Organization

from .models import Plan, PlanStatus, Task, Theme

# What stays with the closed organization, by model and field (the rest follows the successor).
STAYS = {
    "Plan.organization": "closed plans",
    "Task.responsible": "tasks of closed plans",
}


def planning_merge(
    *, sources: Sequence[Organization], target: Organization, day: dt.date, actor: Actor
) -> None:
    """Move the open plans, their tasks and the units' themes of `sources` to `target`."""
    ids = [s.pk for s in sources]
    with actor.reading():
        move_rows(
            Plan.objects.filter(organization_id__in=ids).exclude(status=PlanStatus.CLOSED),
            "organization",
            target,
        )
        move_rows(
            Task.objects.filter(responsible_id__in=ids).exclude(plan__status=PlanStatus.CLOSED),
            "responsible",
            target,
        )
        move_rows(Theme.objects.filter(organization_id__in=ids), "organization", target)


def register() -> None:
    """Called from PlanningConfig.ready()."""
    register_merge_hook("planning", planning_merge)
