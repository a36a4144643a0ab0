"""The planning context's reads and writes across scopes (see tests/test_authorization_rules.py). Each function
is small and says why crossing the actor's scope is safe; services and selectors call these, nothing else in
the context calls `unscoped()`."""

from __future__ import annotations

from decimal import Decimal

from lamtheo.organizations.models import Organization

from .models import Plan, ProgressReport, Task, ValueType
from .rules import Part, rollup, weighted_mean


def plan_giving_tasks_to(pk: int | str, organization: Organization) -> Plan:
    """The plan of a unit above that gives `organization` tasks: the unit reads its title, period and theme
    to make it concrete (the caller has checked that `organization` is in the actor's scope). Raises
    DoesNotExist when that plan gives the unit nothing."""
    return (
        Plan.objects.unscoped(reason="the plan above that gives this unit tasks")
        .filter(pk=int(pk), tasks__responsible=organization)
        .select_related("organization", "theme")
        .distinct()
        .get()
    )


def plan_of_task_for_update(task: Task) -> Plan:
    """The plan a task belongs to, as stored now and row-locked: the unit reporting on a task given from
    above may not read the plan above, yet its state decides whether progress may be reported (and the
    first report moves it to "in progress")."""
    return (
        Plan.objects.unscoped(reason="the current state of the task's plan")
        .select_for_update()
        .get(pk=task.plan_id)
    )


def rollup_from(task: Task) -> None:
    """Recompute `task`, its plan, and every task and plan above it that it rolls up into: a report on a
    sub-unit's task moves the tasks and plans above it, which the reporter may not read. Only the computed
    progress, the number reached (rules.rollup) and the date of the latest report are written."""
    current: Task | None = task
    while current is not None:
        children = [
            Part(*row)
            for row in Task.objects.unscoped(reason="roll-up reads every sub-task")
            .filter(parent=current)
            .values_list("progress", "weight", "value_type", "unit", "target_value", "reached_value")
        ]
        reports = ProgressReport.objects.unscoped(
            reason="roll-up reads the reports of every task above"
        ).filter(task=current)
        latest = (
            reports.order_by("-reported_on", "-id")
            .values_list("reported_on", "percent_done", "achieved_value")
            .first()
        )
        if children:
            progress, reached = rollup(value_type=current.value_type, unit=current.unit, parts=children)
        else:
            progress = latest[1] if latest else Decimal(0)
            reached = latest[2] if latest and current.value_type == ValueType.NUMBER else None
        Task.objects.unscoped(reason="roll-up").filter(pk=current.pk).update(
            progress=progress, reached_value=reached, last_reported_on=latest[0] if latest else None
        )
        plan_rollup(current.plan_id)
        current = current.parent


def plan_rollup(plan_id: int) -> Decimal:
    """A plan's progress, the mean over its tasks (the same rule as for a task's sub-tasks), recomputed and
    stored: a report deep in the tree moves plans above the reporter's scope."""
    rows = Task.objects.unscoped(reason="roll-up reads every task of the plan").filter(plan_id=plan_id)
    progress = weighted_mean(rows.values_list("progress", "weight"))
    Plan.objects.unscoped(reason="roll-up").filter(pk=plan_id).update(progress=progress)
    return progress


def task_progress_of_plans(plan_ids: list[int]) -> list[tuple[Decimal, Decimal | None]]:
    """(progress, weight) of every task of the given plans: a successor's roll-up of a merge year pools its own
    plan's tasks with those of the plans its closed units keep (ADR 0013), which may lie outside the reader's
    scope. Figures only."""
    return list(
        Task.objects.unscoped(reason="closed units' plans read through their successor")
        .filter(plan_id__in=plan_ids)
        .values_list("progress", "weight")
    )


def plans_of_closed_units(organization_ids: list[int], year: int) -> list[Plan]:
    """The plans of `year` that closed units keep (ADR 0013): the successor's row of the plan tree shows them
    under its own, though the closed units may lie outside the reader's scope (title, status, progress)."""
    return list(
        Plan.objects.unscoped(reason="closed units' plans read through their successor")
        .filter(
            organization_id__in=organization_ids, period_start__year__lte=year, period_end__year__gte=year
        )
        .select_related("organization")
        .order_by("organization__path", "period_start", "id")
    )
