"""Reads on themes, plans and tasks: lists, the inbox, the sub-unit overview, the subtree tree table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core.actor import Actor
from lamtheo.core.permissions import actor_scoped, get_or_404
from lamtheo.organizations import cross_scope as org_cross_scope
from lamtheo.organizations.models import Organization

from . import cross_scope
from .models import Plan, ProgressReport, Task, Theme
from .policies import OrganizationPlanningPermissions
from .rules import Part, counts_alike, target_excess, task_status, weighted_mean


def theme_list(*, year: int | None = None) -> QuerySet[Theme]:
    """Themes, newest year first (a term-wide theme counts for every year it spans)."""
    qs = Theme.objects.select_related("source", "organization")
    if year:
        qs = qs.filter(Q(year=year) | Q(year__lte=year, end_year__gte=year))
    return qs


def theme_of_year(*, year: int, organization: Organization | None = None) -> Theme | None:
    """The theme a plan of `organization` in `year` follows: the annual theme issued by the nearest committee
    above it (or by itself), else the central study topic. An annual theme binds only the subtree of the
    committee that issued it: one whose issuer is not in the tree binds nobody."""
    ranked = []
    for theme in theme_list(year=year).filter(kind__in=("annual_theme", "central_topic")):
        if theme.kind == "central_topic":
            ranked.append(((1, 0, -theme.year, theme.pk), theme))
        elif theme.organization is not None and organization is not None:
            if organization.path.startswith(theme.organization.path):
                ranked.append(((0, -len(theme.organization.path), -theme.year, theme.pk), theme))
    return min(ranked, key=lambda r: r[0])[1] if ranked else None


@actor_scoped
def task_evidence(*, actor: Actor, person_id: int, year: int) -> list:  # type: ignore[type-arg]
    """Evidence provider: the plan tasks the person is in charge of in `year`, with progress and status."""
    from django.urls import reverse

    from lamtheo.core.evidence import EvidenceEntry

    today = timezone.localdate()
    tasks = Task.objects.filter(
        owner_id=person_id, start__year__lte=year, due__year__gte=year
    ).select_related("plan", "responsible")
    entries = []
    for t in tasks.order_by("due"):
        status = task_status(
            progress=t.progress,
            start=t.start,
            due=t.due,
            reported=t.last_reported_on is not None,
            today=today,
        )
        entries.append(
            EvidenceEntry(
                title=t.title, detail=f"{t.plan.title} — {t.responsible.name}",
                status=f"{t.progress:.0f}%", date=t.due, url=reverse("planning:task-detail", args=[t.pk]),
                flags=(status,) if status in ("overdue", "at_risk") else (),
            )
        )  # fmt: skip
    return entries


@actor_scoped
def plan_list(
    *, actor: Actor, year: int | None = None, organization: Organization | None = None
) -> QuerySet[Plan]:
    """Plans in scope, optionally of one year and one unit's subtree."""
    qs = Plan.objects.select_related("organization", "theme")
    if year:
        qs = qs.filter(period_start__year__lte=year, period_end__year__gte=year)
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.order_by("organization__path", "-period_start")


@actor_scoped
def plan_for_actor(*, actor: Actor, pk: int | str) -> Plan:
    """One plan in the actor's scope (whoever's scope holds the unit reads its plan), or 404."""
    return get_or_404(
        Plan.objects.select_related("organization__parent", "theme", "parent_plan__organization"), pk=pk
    )


@actor_scoped
def task_for_actor(*, actor: Actor, pk: int | str) -> Task:
    """One task in the actor's scope (through its plan or as the responsible unit), or 404."""
    return get_or_404(
        Task.objects.select_related("plan", "plan__organization", "responsible", "parent"), pk=pk
    )


ABOVE_ASSIGNED = "above_assigned"
UNITS_ABOVE = "units_above"


@dataclass(frozen=True)
class TargetFlag:
    """A number target beyond what was assigned: a warning on the screens, never a refusal (a unit may aim
    higher). `above_assigned`: this task's target is above the one of the task it makes concrete;
    `units_above`: the targets of the tasks that make this one concrete add up beyond its own."""

    kind: str
    target: Decimal
    assigned: Decimal
    unit: str

    @property
    def message(self) -> str:
        from lamtheo.core.templatetags.ui import num

        values = {"target": num(self.target, 2), "assigned": num(self.assigned, 2), "unit": self.unit}
        if self.kind == ABOVE_ASSIGNED:
            text = _("The target %(target)s %(unit)s is above the %(assigned)s %(unit)s assigned from above.")
        else:
            text = _(
                "The units' targets add up to %(target)s %(unit)s, above the %(assigned)s %(unit)s of this task."
            )
        return " ".join((text % values).split()).replace(" .", ".").replace(" ,", ",")


def _alike(task: Task, value_type: str, unit: str, target: Decimal | None) -> bool:
    """A (sub-)task counts what `task` counts: both numbers in the same unit of measure, with targets."""
    part = Part(Decimal(0), value_type=value_type, unit=unit, target=target)
    return task.target_value is not None and counts_alike(
        value_type=task.value_type, unit=task.unit, part=part
    )


@actor_scoped
def target_flags(*, actor: Actor, tasks: list[Task]) -> dict[int, list[TargetFlag]]:
    """The target warnings of `tasks` (their `parent` loaded), by task id: a target above the one of the task
    it makes concrete, and sub-tasks (in the actor's scope) whose targets add up beyond the task's."""
    flags: dict[int, list[TargetFlag]] = {t.pk: [] for t in tasks}
    for t in tasks:
        above = t.parent
        if above is not None and _alike(above, t.value_type, t.unit, t.target_value):
            if target_excess(assigned=above.target_value, targets=[t.target_value]):  # type: ignore[list-item]
                flags[t.pk].append(TargetFlag(ABOVE_ASSIGNED, t.target_value, above.target_value, above.unit))  # type: ignore[arg-type]
    counted = {t.pk: t for t in tasks if t.target_value is not None}
    targets: dict[int, list[Decimal]] = {}
    rows = Task.objects.filter(parent_id__in=counted).values_list(
        "parent_id", "value_type", "unit", "target_value"
    )
    for parent_id, value_type, unit, target in rows:
        if _alike(counted[parent_id], value_type, unit, target):
            targets.setdefault(parent_id, []).append(target)
    for pk, values in targets.items():
        task = counted[pk]
        if target_excess(assigned=task.target_value, targets=values):
            flags[pk].append(TargetFlag(UNITS_ABOVE, sum(values, Decimal(0)), task.target_value, task.unit))  # type: ignore[arg-type]
    return flags


@actor_scoped
def task_children(*, actor: Actor, task: Task) -> list[Task]:
    """The tasks that make `task` concrete, each with its target warnings (`target_flags`)."""
    children = list(task.children.select_related("plan", "responsible", "parent"))
    flags = target_flags(actor=actor, tasks=children)
    for child in children:
        child.target_flags = flags[child.pk]  # type: ignore[attr-defined]
    return children


@dataclass
class TaskRow:
    task: Task
    status: str
    children: int
    flags: list[TargetFlag] = field(default_factory=list)


@actor_scoped
def plan_tasks(*, actor: Actor, plan: Plan, today: dt.date | None = None) -> list[TaskRow]:
    """The tasks of a plan with their computed status, how many units made them concrete, and their target
    warnings (`target_flags`)."""
    today = today or timezone.localdate()
    tasks = list(
        Task.objects.filter(plan=plan)
        .select_related("responsible", "parent")
        .annotate(n_children=Count("children", distinct=True))
        .prefetch_related("milestones")
    )
    flags = target_flags(actor=actor, tasks=tasks)
    return [
        TaskRow(
            t,
            task_status(
                progress=t.progress,
                start=t.start,
                due=t.due,
                reported=t.last_reported_on is not None,
                today=today,
            ),
            t.n_children,
            flags[t.pk],
        )  # fmt: skip
        for t in tasks
    ]


@actor_scoped
def task_reports(*, actor: Actor, task: Task) -> QuerySet[ProgressReport]:
    """A task's reports, newest first."""
    return ProgressReport.objects.filter(task=task).select_related("created_by")


@dataclass
class SubunitRow:
    organization: Organization
    tasks: int
    concretised: int
    plan: Plan | None


@actor_scoped
def plan_subunits(*, actor: Actor, plan: Plan) -> list[SubunitRow]:
    """For each unit below that the plan gives tasks to: whether its own plan exists, its status, progress."""
    given = (
        Task.objects.filter(plan=plan).exclude(responsible=plan.organization)
        .values("responsible").annotate(n=Count("id"))
    )  # fmt: skip
    counts = {row["responsible"]: row["n"] for row in given}
    if not counts:
        return []
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=counts)}
    done = dict(
        Task.objects.filter(parent__plan=plan).values("responsible").annotate(n=Count("parent", distinct=True))
        .values_list("responsible", "n")
    )  # fmt: skip
    plans = {p.organization_id: p for p in Plan.objects.filter(parent_plan=plan, organization_id__in=counts)}
    rows = [
        SubunitRow(orgs[oid], n, done.get(oid, 0), plans.get(oid)) for oid, n in counts.items() if oid in orgs
    ]
    return sorted(rows, key=lambda r: r.organization.path)


@actor_scoped
def inbox(*, actor: Actor) -> QuerySet[Task]:
    """Tasks given from above to the units the actor holds a role on, and whether each was made concrete."""
    org_ids = [g.org_id for g in actor.grants if g.org_id]
    concretised = Task.objects.filter(parent=OuterRef("pk"))
    return (
        Task.objects.filter(responsible_id__in=org_ids)
        .exclude(plan__organization=F("responsible"))
        .filter(plan__status__in=["approved", "in_progress", "submitted"])
        .select_related("plan", "plan__organization", "responsible")
        .annotate(is_concretised=Exists(concretised))
        .order_by("due", "id")
    )


@actor_scoped
def calendar(*, actor: Actor, today: dt.date | None = None, days: int = 60) -> dict[str, list[Task]]:
    """Open tasks of the actor's subtree: overdue ones, and those due in the next `days` days."""
    today = today or timezone.localdate()
    open_tasks = Task.objects.filter(
        progress__lt=100, plan__status__in=["approved", "in_progress"]
    ).select_related("plan", "plan__organization", "responsible")
    return {
        "overdue": list(open_tasks.filter(due__lt=today).order_by("due", "id")[:200]),
        "upcoming": list(
            open_tasks.filter(due__gte=today, due__lte=today + dt.timedelta(days=days)).order_by("due", "id")[
                :200
            ]
        ),
    }


@dataclass
class MergedPlan:
    """A plan a closed unit keeps, shown under the unit it was merged into (ADR 0013)."""

    plan: Plan
    can_open: bool  # the reader's scope holds the closed unit (else title, status and progress only)


@dataclass
class TreeRow:
    organization: Organization
    plan: Plan | None
    has_children: bool
    can_plan: bool = False
    merged: list[MergedPlan] = field(default_factory=list)  # plans of the closed units merged into this one


@actor_scoped
def plan_tree(*, actor: Actor, parent: Organization | None, year: int) -> list[TreeRow]:
    """One level of the subtree table: each unit with its plan of `year` (status, progress)."""
    if parent is None:
        scope = actor.scope
        units = Organization.objects.filter(valid_to__isnull=True)
        units = units.filter(parent__isnull=True) if scope.is_global else units.filter(path__in=scope.paths)
    else:
        units = Organization.objects.filter(parent=parent, valid_to__isnull=True)
    units = units.annotate(n_children=Count("children", filter=Q(children__valid_to__isnull=True))).order_by(
        "path"
    )
    units = list(units)
    plans: dict[int, Plan] = {}
    for plan in Plan.objects.filter(
        organization__in=units, period_start__year__lte=year, period_end__year__gte=year
    ).order_by("period_start"):
        plans.setdefault(plan.organization_id, plan)
    # The successor's row shows its own plan; the plans the closed units merged into it keep go under it.
    closed = org_cross_scope.merged_into_in_year(ids=[u.pk for u in units], year=year)
    kept = cross_scope.plans_of_closed_units([o.pk for os in closed.values() for o in os], year)
    return [
        TreeRow(
            u,
            plans.get(u.pk),
            u.n_children > 0,
            OrganizationPlanningPermissions(actor, u).can_plan() is not None,
            [
                MergedPlan(p, actor.can_see(p.organization.path))
                for p in kept
                if p.organization_id in {o.pk for o in closed[u.pk]}
            ],
        )
        for u in units
    ]


@actor_scoped
def rollup_of(*, actor: Actor, organization: Organization, year: int) -> Decimal | None:
    """The progress of a unit in `year`: its plan's roll-up (None without a plan). In a year when closed units
    were merged into it, their plans count too (ADR 0013): the tasks of its own plan and of the plans they
    keep are pooled, as the tasks of one plan are (`rules.weighted_mean`); the plans are not rewritten."""
    plan = plan_list(actor=actor, year=year).filter(organization=organization).first()
    closed = org_cross_scope.merged_into_in_year(ids=[organization.pk], year=year)[organization.pk]
    kept = cross_scope.plans_of_closed_units([o.pk for o in closed], year) if closed else []
    if not kept:
        return plan.progress if plan else None
    rows = cross_scope.task_progress_of_plans(([plan.pk] if plan else []) + [p.pk for p in kept])
    if not rows:
        return plan.progress if plan else None
    return weighted_mean(rows)


@actor_scoped
def reminders_unread(*, actor: Actor) -> QuerySet:
    """The actor's reminders not yet read, newest first."""
    from .models import Reminder

    return Reminder.objects.filter(user_id=actor.user_id, read_at__isnull=True).select_related("task")


@actor_scoped
def tasks_from_above(*, actor: Actor, plan: Plan) -> list[Task]:
    """The tasks the plan above gave to this plan's unit, each marked when this plan made it concrete."""
    if plan.parent_plan_id is None:
        return []
    mine = set(Task.objects.filter(plan=plan, parent__isnull=False).values_list("parent_id", flat=True))
    given = list(
        Task.objects.filter(plan_id=plan.parent_plan_id, responsible=plan.organization).order_by(
            "order", "id"
        )
    )
    for task in given:
        task.done_here = task.pk in mine  # type: ignore[attr-defined]
    return given


@actor_scoped
def plan_above_for_actor(*, actor: Actor, pk: int | str, organization: Organization) -> Plan:
    """The plan of a unit above that gives `organization` tasks (a unit may not read that plan otherwise), or
    404 when `organization` is outside the actor's scope or the plan gives it nothing."""
    if not actor.can_see(organization.path):
        raise Http404
    try:
        return cross_scope.plan_giving_tasks_to(pk, organization)
    except (Plan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@actor_scoped
def report_for_actor(*, actor: Actor, pk: int | str) -> ProgressReport:
    """One progress report in the actor's scope (that of its task), or 404."""
    return get_or_404(ProgressReport.objects.all(), pk=pk)


@actor_scoped
def plans_to_approve(*, actor: Actor, organization: Organization) -> QuerySet[Plan]:
    """Submitted plans of the units strictly below `organization` (approved from the level above)."""
    return (
        Plan.objects.filter(status="submitted", organization__path__startswith=organization.path)
        .exclude(organization=organization)
        .select_related("organization")
        .order_by("organization__path", "id")
    )


@actor_scoped
def units_not_reporting(*, actor: Actor, plan: Plan, today: dt.date, stale_days: int) -> list[Organization]:
    """Units given an open, started task of `plan` that have not reported on it for `stale_days` days."""
    since = today - dt.timedelta(days=stale_days)
    ids = (
        Task.objects.filter(plan=plan, progress__lt=100, start__lte=today)
        .exclude(responsible=plan.organization)
        .filter(Q(last_reported_on__isnull=True) | Q(last_reported_on__lt=since))
        .values_list("responsible_id", flat=True)
        .distinct()
    )
    return list(Organization.objects.filter(pk__in=list(ids)).order_by("path"))


@actor_scoped
def overdue_tasks(*, actor: Actor, units: list[int], today: dt.date) -> QuerySet[Task]:
    """Open tasks in the charge of `units` whose due date has passed."""
    return Task.objects.filter(
        responsible_id__in=units,
        progress__lt=100,
        due__lt=today,
        plan__status__in=["approved", "in_progress"],
    ).order_by("due", "id")


@actor_scoped
def plan_export_rows(*, actor: Actor, year: int):  # type: ignore[no-untyped-def]
    """Every open unit of the actor's subtree with its plan of `year`, if any: the export lists the units
    without a plan too, since those are the ones to chase. Yields (unit, plan or None) in tree order."""
    plans: dict[int, Plan] = {}
    for plan in plan_list(actor=actor, year=year).order_by("period_start"):
        plans.setdefault(plan.organization_id, plan)
    units = (
        Organization.objects.filter(valid_to__isnull=True).only("id", "code", "name", "path").order_by("path")
    )
    for unit in units.iterator(chunk_size=2000):
        yield unit, plans.get(unit.pk)
