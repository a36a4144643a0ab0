"""What implementation plans add to each person's home page: the plan to make or finish, sub-units'
plans to approve, units that have not reported, overdue tasks, and the progress of the unit and below."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lamtheo.core import worklist
from lamtheo.core.actor import Actor
from lamtheo.core.worklist import Bar, Chart, Figure, FigureGroup, WorkItem
from lamtheo.organizations import selectors as org_selectors

from . import selectors
from .models import EDITABLE, REPORTABLE
from .policies import ADD_REPORT, APPROVE_PLAN, CHANGE_PLAN, role_units

# The sub-units a home chart shows (the least advanced first); the plan tree has them all.
CHART_UNITS = 10


def _unit_work(actor: Actor, today: dt.date, org, area) -> list[WorkItem]:  # type: ignore[no-untyped-def]
    """The unit's own plan of the year: to make, to finish, or to chase reports on."""
    year = today.year
    plan = selectors.plan_list(actor=actor, year=year).filter(organization=org).first()
    if plan is None:
        return [WorkItem(
            title=_("Make the implementation plan of %(year)s") % {"year": year},
            url=reverse("planning:plan-create") + f"?org={org.pk}", area=area, detail=org.name,
            action=_("Make the plan"), urgency=worklist.DUE_SOON,
        )]  # fmt: skip
    url = reverse("planning:plan-detail", args=[plan.pk])
    if plan.status in EDITABLE:
        return [WorkItem(
            title=_("Finish the implementation plan and submit it"), url=url, area=area, detail=org.name,
            action=_("Continue"), urgency=worklist.OVERDUE if plan.status == "returned" else worklist.DUE_SOON,
        )]  # fmt: skip
    if plan.status not in REPORTABLE:
        return []
    stale = settings.LAMTHEO_REPORT_STALE_DAYS
    silent = selectors.units_not_reporting(actor=actor, plan=plan, today=today, stale_days=stale)
    if not silent:
        return []
    names = ", ".join(u.name for u in silent[:3]) + ("…" if len(silent) > 3 else "")
    return [WorkItem(
        title=ngettext(
            "%(n)s unit has not reported progress for %(days)s days",
            "%(n)s units have not reported progress for %(days)s days", len(silent),
        ) % {"n": worklist.number(len(silent)), "days": stale},
        url=url, area=area, detail=names, count=len(silent), action=_("Follow up"), urgency=worklist.DUE_SOON,
    )]  # fmt: skip


def plan_work(*, actor: Actor, today: dt.date) -> list[WorkItem]:
    """Home work list: own plans, sub-units' plans to approve, overdue tasks of the person's units."""
    area = _("Implementation plans")
    work: list[WorkItem] = []
    # Each unit the person plans for (a ward secretary who is also a cell's secretary has both plans to make).
    for org_id in dict.fromkeys(g.org_id for g in role_units(actor, CHANGE_PLAN)):
        org = org_selectors.organization_for_actor(actor=actor, pk=org_id)
        work.extend(_unit_work(actor, today, org, area))
    for grant in worklist.top_grants(actor, (APPROVE_PLAN,)):
        org = org_selectors.organization_for_actor(actor=actor, pk=grant.org_id)
        waiting = selectors.plans_to_approve(actor=actor, organization=org)
        count = waiting.count()
        if count:
            first = list(waiting[:3])
            work.append(WorkItem(
                title=ngettext("%(n)s unit plan waits for approval", "%(n)s unit plans wait for approval",
                               count) % {"n": worklist.number(count)},
                url=reverse("planning:plan-detail", args=[first[0].pk]) if count == 1 else reverse("planning:plan-tree"),
                area=area, detail=", ".join(p.organization.name for p in first) + ("…" if count > 3 else ""),
                count=count, action=_("Review"), urgency=worklist.DUE_SOON,
            ))  # fmt: skip
    units = [g.org_id for g in role_units(actor, ADD_REPORT)]
    if units:
        overdue = selectors.overdue_tasks(actor=actor, units=units, today=today)
        count = overdue.count()
        if count:
            first = overdue.first()
            assert first is not None
            work.append(WorkItem(
                title=ngettext("%(n)s task in your unit's charge is overdue",
                               "%(n)s tasks in your unit's charge are overdue", count) % {"n": worklist.number(count)},
                url=reverse("planning:task-detail", args=[first.pk]) if count == 1 else reverse("planning:calendar"),
                area=area, count=count, due=first.due, action=_("Report progress"), urgency=worklist.OVERDUE,
            ))  # fmt: skip
    return work


def plan_figures(*, actor: Actor, year: int) -> list[FigureGroup]:
    """Home figures: the progress of the person's highest unit against last year, and of the units below."""
    grants = worklist.top_grants(actor)
    if not grants:
        return []
    org = org_selectors.organization_for_actor(actor=actor, pk=grants[0].org_id)
    now = selectors.rollup_of(actor=actor, organization=org, year=year)
    before = selectors.rollup_of(actor=actor, organization=org, year=year - 1)
    rows = [r for r in selectors.plan_tree(actor=actor, parent=org, year=year) if r.plan is not None]
    if now is None and not rows:
        return []
    figures = [Figure(_("Progress of the plan"), float(now) if now is not None else None,
                      float(before) if before is not None else None, "%")]  # fmt: skip
    charts = []
    if rows:
        rows.sort(key=lambda r: (r.plan.progress, r.organization.path))  # type: ignore[union-attr]
        charts.append(Chart(
            title=_("Progress of the units below"),
            bars=[Bar(r.organization.name, float(r.plan.progress), 100,  # type: ignore[union-attr]
                      tone="ok" if r.plan.progress >= 100 else "") for r in rows[:CHART_UNITS]],  # type: ignore[union-attr]
            caption=_("The least advanced first; the plan tree shows every unit.") if len(rows) > CHART_UNITS else "",
        ))  # fmt: skip
    return [
        FigureGroup(_("Implementation plans"), org.name, year, figures, charts, reverse("planning:plan-tree"))
    ]
