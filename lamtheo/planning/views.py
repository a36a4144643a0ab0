"""Screens of themes, plans, tasks and reports. Views are thin: selectors read, services write."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lamtheo.core.audit import history_entries
from lamtheo.core.errors import DomainError
from lamtheo.core.exports import attachment
from lamtheo.core.paging import paginate
from lamtheo.core.xlsx import write_xlsx
from lamtheo.organizations import selectors as org_selectors

from . import selectors, services
from .forms import PlanForm, ReportForm, ReviewForm, TaskForm
from .models import ValueType
from .policies import (
    CHANGE_PLAN,
    OrganizationPlanningPermissions,
    PlanPermissions,
    TaskPermissions,
    role_units,
)
from .rules import ROLLUP_RULE, STATUS_RULE, TaskStatus, at_risk_margin


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _apply(form, fn, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return fn(**kwargs)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def plan_tree(request: HttpRequest) -> HttpResponse:
    """The subtree as a table: each unit with its plan of the year, status and progress; opens level by level."""
    year = _year(request)
    rows = selectors.plan_tree(actor=request.actor, parent=None, year=year)
    return render(request, "planning/plan_tree.html", {
        "rows": rows, "year": year, "years": range(year - 3, year + 2), "rollup_rule": ROLLUP_RULE,
    })  # fmt: skip


def plan_tree_children(request: HttpRequest, pk: int) -> HttpResponse:
    """One more level of the tree table (htmx)."""
    parent = org_selectors.organization_for_actor(actor=request.actor, pk=pk)
    rows = selectors.plan_tree(actor=request.actor, parent=parent, year=_year(request))
    return render(request, "planning/partials/_tree_rows.html", {
        "rows": rows, "year": _year(request), "level": parent.depth + 1,
    })  # fmt: skip


def plan_export(request: HttpRequest) -> HttpResponse:
    """The whole subtree's plans of the year as .xlsx (unit, plan, status, progress)."""
    year = _year(request)
    header = [
        _("Code"),
        _("Unit"),
        _("Plan"),
        _("Period from"),
        _("Period to"),
        _("Status"),
        _("Progress (%)"),
    ]
    none = _("No plan yet")
    rows = (
        (unit.code, unit.name, p.title, p.period_start, p.period_end, p.get_status_display(), float(p.progress))
        if p is not None else (unit.code, unit.name, "", None, None, none, None)
        for unit, p in selectors.plan_export_rows(actor=request.actor, year=year)
    )  # fmt: skip
    buffer = io.BytesIO()
    write_xlsx(buffer, header=header, rows=rows, sheet_name=f"{year}")
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return attachment(response, _("Implementation plans %(year)s") % {"year": year} + ".xlsx")


def plan_create(request: HttpRequest) -> HttpResponse:
    """A new plan for a unit (optionally concretising the plan of the unit above)."""
    actor = request.actor
    org_id = request.GET.get("org") or request.POST.get("org")
    if not org_id:  # the user's own unit where they may plan
        org_id = next((g.org_id for g in role_units(actor, CHANGE_PLAN)), 0)
    org = org_selectors.organization_for_actor(actor=actor, pk=org_id)
    if OrganizationPlanningPermissions(actor, org).can_plan() is None:
        raise Http404
    parent_plan = None
    if request.GET.get("parent"):
        parent_plan = selectors.plan_above_for_actor(actor=actor, pk=request.GET["parent"], organization=org)
    year = timezone.localdate().year
    initial = {"period_start": dt.date(year, 1, 1), "period_end": dt.date(year, 12, 31),
               "theme": selectors.theme_of_year(year=year, organization=org)}  # fmt: skip
    if parent_plan:
        initial.update(period_start=parent_plan.period_start, period_end=parent_plan.period_end, theme=parent_plan.theme,
                       title=f"{parent_plan.title} — {org.name}")  # fmt: skip
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = _apply(
            form,
            services.plan_create,
            actor=actor,
            organization=org,
            parent_plan=parent_plan,
            **form.cleaned_data,
        )
        if plan is not None:
            messages.success(request, _("The plan was created as a draft."))
            return redirect("planning:plan-detail", pk=plan.pk)
    return render(request, "planning/plan_form.html", {"form": form, "org": org, "parent_plan": parent_plan})


def plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or returned plan."""
    plan = selectors.plan_for_actor(actor=request.actor, pk=pk)
    if PlanPermissions(request.actor, plan).can_change() is None:
        raise Http404
    fields = ("title", "period_start", "period_end", "theme", "content_areas", "purpose", "content")
    initial = {f: getattr(plan, f) for f in fields} | {"regulations": list(plan.regulations.all())}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _apply(form, services.plan_update, actor=request.actor, plan=plan, **form.cleaned_data):
            messages.success(request, _("Changes saved."))
            return redirect("planning:plan-detail", pk=plan.pk)
    return render(request, "planning/plan_form.html", {"form": form, "org": plan.organization, "plan": plan})


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan: its tasks with status and progress, the units below and their own plans, the actions allowed."""
    actor = request.actor
    plan = selectors.plan_for_actor(actor=actor, pk=pk)
    can = PlanPermissions(actor, plan).allowed(
        "change", "submit", "issue", "approve", "close", "view_history"
    )
    return render(request, "planning/plan_detail.html", {
        "plan": plan,
        "tasks": selectors.plan_tasks(actor=actor, plan=plan),
        "subunits": selectors.plan_subunits(actor=actor, plan=plan),
        "from_above": selectors.tasks_from_above(actor=actor, plan=plan),
        "parent_visible": plan.parent_plan is not None and PlanPermissions(actor, plan.parent_plan).can_view() is not None,
        "can_edit": can["change"], "can_submit": can["submit"], "can_issue": can["issue"], "can_review": can["approve"],
        "can_close": can["close"], "can_history": can["view_history"],
        "review_form": ReviewForm(),
        "rollup_rule": ROLLUP_RULE,
        "status_rule": STATUS_RULE % {"margin": at_risk_margin()},
        "labels": TaskStatus.LABELS,
    })  # fmt: skip


@require_POST
def plan_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, approve, return or close a plan."""
    actor = request.actor
    plan = selectors.plan_for_actor(actor=actor, pk=pk)
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    actions = {
        "submit": lambda: services.plan_submit(actor=actor, plan=plan),
        "approve": lambda: services.plan_approve(actor=actor, plan=plan, comment=comment),
        "return": lambda: services.plan_return(actor=actor, plan=plan, comment=comment),
        "close": lambda: services.plan_close(actor=actor, plan=plan),
    }
    if action not in actions:
        raise Http404
    try:
        actions[action]()
        messages.success(request, _("The plan is now: %(status)s.") % {"status": plan.get_status_display()})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("planning:plan-detail", pk=plan.pk)


def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit trail of a plan."""
    plan = selectors.plan_for_actor(actor=request.actor, pk=pk)
    if PlanPermissions(request.actor, plan).can_view_history() is None:
        raise Http404
    return render(request, "core/history.html", {
        "object": plan, "entries": history_entries(plan), "back_url": "planning:plan-detail",
    })  # fmt: skip


def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a task to a plan (or make a task from above concrete: ?parent=<task>)."""
    actor = request.actor
    plan = selectors.plan_for_actor(actor=actor, pk=pk)
    if PlanPermissions(actor, plan).can_add_task() is None:
        raise Http404
    parent = (
        selectors.task_for_actor(actor=actor, pk=request.GET["parent"]) if request.GET.get("parent") else None
    )
    if parent is not None and TaskPermissions(actor, parent).can_concretise() is None:
        raise Http404
    initial = {"start": plan.period_start, "due": plan.period_end, "responsible": plan.organization,
               "value_type": ValueType.PERCENT_DONE}  # fmt: skip
    if parent is not None:
        initial.update(title=parent.title, start=max(parent.start, plan.period_start), due=min(parent.due, plan.period_end),
                       value_type=parent.value_type, indicator=parent.indicator, unit=parent.unit,
                       target_value=parent.target_value, description=parent.description)  # fmt: skip
    form = TaskForm(request.POST or None, initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        task = _apply(form, services.task_create, actor=actor, plan=plan, parent=parent, **form.cleaned_data)
        if task is not None:
            messages.success(request, _("Task added."))
            return redirect("planning:plan-detail", pk=plan.pk)
    return render(request, "planning/task_form.html", {"form": form, "plan": plan, "parent": parent})


def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A task: its reports, milestones, the tasks that make it concrete, and the report form."""
    actor = request.actor
    task = selectors.task_for_actor(actor=actor, pk=pk)
    can_report = TaskPermissions(actor, task).can_report() is not None
    services.reminders_mark_seen(actor=actor, task=task)
    form = ReportForm(
        request.POST or None, request.FILES or None, initial={"reported_on": timezone.localdate()}
    )
    if request.method == "POST":
        if not can_report:
            raise Http404
        if form.is_valid():
            report = _apply(form, services.report_create, actor=actor, task=task, **form.cleaned_data)
            if report is not None:
                messages.success(request, _("Progress reported."))
                return redirect("planning:task-detail", pk=task.pk)
    return render(request, "planning/task_detail.html", {
        "task": task, "reports": paginate(request, selectors.task_reports(actor=actor, task=task)),
        "plan_visible": PlanPermissions(actor, task.plan).can_view() is not None,
        "children": selectors.task_children(actor=actor, task=task), "form": form, "can_report": can_report,
        "target_flags": selectors.target_flags(actor=actor, tasks=[task])[task.pk], "rollup_rule": ROLLUP_RULE,
    })  # fmt: skip


def inbox(request: HttpRequest) -> HttpResponse:
    """Tasks given to the user's units from above, to make concrete in their own plans."""
    return render(request, "planning/inbox.html", {"tasks": selectors.inbox(actor=request.actor)})


def calendar(request: HttpRequest) -> HttpResponse:
    """Overdue and upcoming deadlines in the user's subtree, and the user's unread reminders."""
    context = selectors.calendar(actor=request.actor)
    context["reminders"] = list(selectors.reminders_unread(actor=request.actor)[:100])
    return render(request, "planning/calendar.html", context)


def theme_list(request: HttpRequest) -> HttpResponse:
    """The themes of each year, at every level."""
    year = request.GET.get("year", "")
    themes = selectors.theme_list(year=int(year) if year.isdigit() else None)
    return render(request, "planning/theme_list.html", {"themes": themes, "year": year})


def report_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence file of a report, for whoever may see the report (404 otherwise or without a file)."""
    from django.http import FileResponse

    report = selectors.report_for_actor(actor=request.actor, pk=pk)
    if not report.evidence:
        raise Http404
    return FileResponse(
        report.evidence.open("rb"), as_attachment=True, filename=report.evidence.name.rsplit("/", 1)[-1]
    )
