"""Writes on themes, plans, tasks and progress reports. One service = one transaction, the policy checked once
(policies.py), audited with the grant that allowed it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError, NotFound, PermissionDenied
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean
from lamtheo.organizations.models import Organization

from . import cross_scope
from .models import (
    EDITABLE,
    REPORTABLE,
    ContentArea,
    Milestone,
    Plan,
    PlanStatus,
    ProgressReport,
    Task,
    ValueType,
    takes_reports,
)
from .policies import OrganizationPlanningPermissions, PlanPermissions, TaskPermissions
from .rules import HUNDRED, quantize


def _today() -> dt.date:
    return timezone.localdate()


def _areas(values: Iterable[str]) -> list[str]:
    areas = list(dict.fromkeys(values))
    unknown = [a for a in areas if a not in ContentArea.values]
    if unknown:
        raise DomainError(_("Unknown content area: %(a)s") % {"a": ", ".join(unknown)}, field="content_areas")
    return areas


@actor_scoped
def plan_create(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    purpose: str = "",
    content: str = "",
    theme=None,  # type: ignore[no-untyped-def]
    regulations: Iterable = (),
    content_areas: Iterable[str] = (),
    parent_plan: Plan | None = None,
) -> Plan:
    """A new draft plan of `organization` (concretising `parent_plan` of a unit above, when given)."""
    if not actor.can_see(organization.path):
        raise NotFound(_("Unknown organization."), field="organization")
    grant = OrganizationPlanningPermissions(actor, organization).require("plan")
    title = clean(title)
    if not title:
        raise DomainError(_("The title is required."), field="title")
    if period_end < period_start:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    if organization.is_closed:
        raise DomainError(_("%(org)s is closed.") % {"org": organization.name}, field="organization")
    if parent_plan is not None and (
        not organization.path.startswith(parent_plan.organization.path)
        or parent_plan.organization_id == organization.pk
    ):
        raise DomainError(_("A plan can only concretise the plan of a unit above it."), field="parent_plan")
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="create"):
        plan = Plan.objects.create(
            organization=organization, title=title, period_start=period_start, period_end=period_end,
            purpose=purpose.strip(), content=content.strip(), theme=theme, content_areas=_areas(content_areas),
            parent_plan=parent_plan, created_by_id=actor.user_id,
        )  # fmt: skip
        if regulations:
            plan.regulations.set(list(regulations))
    return plan


PLAN_FIELDS = {
    "title",
    "period_start",
    "period_end",
    "purpose",
    "content",
    "theme",
    "content_areas",
    "regulations",
}


@actor_scoped
def plan_update(*, actor: Actor, plan: Plan, **fields) -> Plan:  # type: ignore[no-untyped-def]
    """Edit a draft or returned plan."""
    if plan.status not in EDITABLE:
        raise DomainError(_("Only a draft or a returned plan can be edited."))
    grant = PlanPermissions(actor, plan).require("change")
    if set(fields) - PLAN_FIELDS:
        raise DomainError(
            _("These fields cannot be changed here: %(f)s")
            % {"f": ", ".join(sorted(set(fields) - PLAN_FIELDS))}
        )
    start, end = fields.get("period_start", plan.period_start), fields.get("period_end", plan.period_end)
    if end < start:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    if plan.tasks.filter(Q(start__lt=start) | Q(due__gt=end)).exists():
        raise DomainError(
            _("Some tasks would fall outside the new period: change them first."), field="period_start"
        )
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="update"):
        regulations = fields.pop("regulations", None)
        if "content_areas" in fields:
            fields["content_areas"] = _areas(fields["content_areas"])
        if "title" in fields:
            fields["title"] = clean(fields["title"])
        for key, value in fields.items():
            setattr(plan, key, value)
        plan.save()
        if regulations is not None:
            plan.regulations.set(list(regulations))
    return plan


def _decimal(value: object, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError(_("Enter a number."), field=field) from exc


def _check_measure(value_type: str, target: Decimal | None) -> None:
    if value_type not in ValueType.values:
        raise DomainError(_("Unknown way of measuring."), field="value_type")
    if value_type in (ValueType.NUMBER, ValueType.PERCENT):
        if target is None or target <= 0:
            raise DomainError(_("A quantified task needs a target above zero."), field="target_value")
        if value_type == ValueType.PERCENT and target > HUNDRED:
            raise DomainError(_("A percentage target cannot exceed 100."), field="target_value")
    elif target is not None:
        raise DomainError(_("Only a number or a percentage has a target."), field="target_value")


def _owner(actor: Actor, code: str):  # type: ignore[no-untyped-def]
    """The person in charge of a task, by their person code, among the people the actor can see."""
    from lamtheo.organizations.selectors import person_by_code

    code = clean(code)
    if not code:
        return None
    person = person_by_code(actor=actor, code=code)
    if person is None:
        raise DomainError(
            _("No person with the code %(c)s in your organizations.") % {"c": code}, field="owner_code"
        )
    return person


def _check_responsible(actor: Actor, plan: Plan, responsible: Organization) -> None:
    """The responsible unit is the planning unit or an open unit below it, in the actor's scope."""
    if not actor.can_see(responsible.path) or not responsible.path.startswith(plan.organization.path):
        raise DomainError(_("A task can only be given to this unit or a unit below it."), field="responsible")
    if responsible.is_closed:
        raise DomainError(_("%(org)s is closed.") % {"org": responsible.name}, field="responsible")


def _check_dates(plan: Plan, start: dt.date, due: dt.date) -> None:
    """A task's dates are in order and inside the plan's period."""
    if due < start:
        raise DomainError(_("The due date is before the start."), field="due")
    if start < plan.period_start or due > plan.period_end:
        raise DomainError(
            _("The task's dates must fall inside the plan's period (%(a)s – %(b)s).")
            % {"a": f"{plan.period_start:%d/%m/%Y}", "b": f"{plan.period_end:%d/%m/%Y}"},
            field="start" if start < plan.period_start else "due",
        )


def _check_links(actor: Actor, plan: Plan, cooperating: list[Organization], parent: Task | None) -> None:
    """Co-operating units in the actor's scope; a parent task only when it was given to this plan's unit."""
    for org in cooperating:
        if not actor.can_see(org.path):
            raise DomainError(_("Unknown organization."), field="cooperating")
    if parent is not None and parent.responsible_id != plan.organization_id:
        raise DomainError(
            _("Only a task given to this unit can be made concrete in its plan."), field="parent"
        )


def _milestones(milestones: Iterable[tuple[str, dt.date]], start: dt.date, due: dt.date) -> list:  # type: ignore[type-arg]
    rows = list(milestones)
    for name, day in rows:
        if not clean(name) or not (start <= day <= due):
            raise DomainError(
                _("Each milestone needs a name and a date inside the task's dates."), field="milestones"
            )
    return rows


@actor_scoped
def task_create(
    *,
    actor: Actor,
    plan: Plan,
    title: str,
    responsible: Organization,
    start: dt.date,
    due: dt.date,
    value_type: str = ValueType.PERCENT_DONE,
    indicator: str = "",
    unit: str = "",
    target_value: object = None,
    weight: object = None,
    description: str = "",
    cooperating: Iterable[Organization] = (),
    parent: Task | None = None,
    milestones: Iterable[tuple[str, dt.date]] = (),
    owner_code: str = "",
) -> Task:
    """Add a task to an editable plan; the responsible unit is the planning unit or one below it."""
    if plan.status not in EDITABLE:
        raise DomainError(_("Tasks can be added only while the plan is a draft or returned."))
    grant = PlanPermissions(actor, plan).require("add_task")
    title = clean(title)
    if not title:
        raise DomainError(_("The task needs a title."), field="title")
    _check_responsible(actor, plan, responsible)
    _check_dates(plan, start, due)
    target, weight_value = _decimal(target_value, "target_value"), _decimal(weight, "weight")
    _check_measure(value_type, target)
    if weight_value is not None and weight_value <= 0:
        raise DomainError(_("A weight must be above zero."), field="weight")
    cooperating = list(cooperating)
    _check_links(actor, plan, cooperating, parent)
    owner = _owner(actor, owner_code)
    milestones = _milestones(milestones, start, due)
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="create"):
        task = Task.objects.create(
            plan=plan, parent=parent, title=title, description=description.strip(), responsible=responsible,
            start=start, due=due, value_type=value_type, indicator=clean(indicator), unit=clean(unit),
            target_value=target, weight=weight_value, order=plan.tasks.count() + 1, owner=owner,
        )  # fmt: skip
        if cooperating:
            task.cooperating.set(cooperating)
        for name, day in milestones:
            Milestone.objects.create(task=task, title=clean(name), due=day)
        if parent is not None:
            cross_scope.rollup_from(parent)
    return task


@actor_scoped
def task_concretise(*, actor: Actor, parent_task: Task, plan: Plan, **overrides) -> Task:  # type: ignore[no-untyped-def]
    """Make a task given from above concrete in this unit's own plan (the new task links to it; task_create
    checks who may)."""
    if parent_task.responsible_id != plan.organization_id:
        raise DomainError(
            _("Only a task given to this unit can be made concrete in its plan."), field="parent"
        )
    values = {
        "title": parent_task.title, "responsible": plan.organization, "start": max(parent_task.start, plan.period_start),
        "due": min(parent_task.due, plan.period_end), "value_type": parent_task.value_type,
        "indicator": parent_task.indicator, "unit": parent_task.unit, "target_value": parent_task.target_value,
        "description": parent_task.description,
    }  # fmt: skip
    values.update(overrides)
    return task_create(actor=actor, plan=plan, parent=parent_task, **values)


def _plan_for_update(plan: Plan, verb: str) -> Plan:
    """The plan as stored now, row-locked, read under the actor's scope (one who cannot read it may not act)."""
    fresh = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("organization", "organization__parent")
        .filter(pk=plan.pk)
        .first()
    )
    if fresh is None:
        raise PermissionDenied(str(PlanPermissions.messages[verb]))
    return fresh


def _transition(
    actor: Actor, plan: Plan, *, verb: str, allowed_from: tuple[str, ...], to: str, comment: str = ""
) -> Plan:
    """Move the plan to `to`. The row as stored now decides (two reviewers may act on the same page at once):
    its state first, then who may (the policy, once, on that row)."""
    with transaction.atomic():
        fresh = _plan_for_update(plan, verb)
        if fresh.status not in allowed_from:
            raise DomainError(
                _("A plan that is “%(status)s” cannot be moved to “%(to)s”.")
                % {"status": fresh.get_status_display(), "to": PlanStatus(to).label}
            )
        grant = PlanPermissions(actor, fresh).require(verb)
        with audit.acting(actor, grant=grant, reason=verb):
            fresh.status = to
            if comment or to == PlanStatus.APPROVED:
                fresh.review_comment = comment
            fresh.save(update_fields=["status", "review_comment"])
    plan.status, plan.review_comment = fresh.status, fresh.review_comment
    return plan


@actor_scoped
def plan_submit(*, actor: Actor, plan: Plan) -> Plan:
    """Send a draft (or a corrected returned plan) up for approval; where the rulebook needs no approval from
    above for the unit's kind (a committee, by default), the unit issues it: approved at once."""
    if not plan.tasks.exists():
        raise DomainError(_("A plan needs at least one task before it is submitted."))
    if PlanPermissions(actor, plan).issued_by_its_unit:
        return _transition(actor, plan, verb="issue", allowed_from=EDITABLE, to=PlanStatus.APPROVED)
    return _transition(actor, plan, verb="submit", allowed_from=EDITABLE, to=PlanStatus.SUBMITTED)


@actor_scoped
def plan_approve(*, actor: Actor, plan: Plan, comment: str = "") -> Plan:
    """The unit above approves a submitted plan."""
    return _transition(actor, plan, verb="approve", allowed_from=(PlanStatus.SUBMITTED,), to=PlanStatus.APPROVED,
                       comment=comment.strip())  # fmt: skip


@actor_scoped
def plan_return(*, actor: Actor, plan: Plan, comment: str) -> Plan:
    """The unit above returns a submitted plan with what must change."""
    if not comment.strip():
        raise DomainError(_("Say what must change when returning a plan."), field="comment")
    return _transition(actor, plan, verb="return", allowed_from=(PlanStatus.SUBMITTED,), to=PlanStatus.RETURNED,
                       comment=comment.strip())  # fmt: skip


@actor_scoped
def plan_close(*, actor: Actor, plan: Plan) -> Plan:
    """Close a plan at the end of its period (no more reports)."""
    return _transition(actor, plan, verb="close", allowed_from=REPORTABLE, to=PlanStatus.CLOSED)


@actor_scoped
def report_create(
    *,
    actor: Actor,
    task: Task,
    reported_on: dt.date,
    achieved_value: object = None,
    period: str = "ad_hoc",
    narrative: str = "",
    evidence=None,  # type: ignore[no-untyped-def]
) -> ProgressReport:
    """The responsible unit reports on a task; the value must match how the task is measured."""
    with transaction.atomic():
        # The plan may lie above the reporter's scope; its state as stored now decides, then who may.
        plan = cross_scope.plan_of_task_for_update(task)
        if not takes_reports(
            plan_status=plan.status, given_below=task.responsible_id != plan.organization_id
        ):
            raise DomainError(_("Progress is reported once the plan is approved and until it is closed."))
        grant = TaskPermissions(actor, task, plan=plan).require("report")
        if reported_on > _today():
            raise DomainError(_("A report cannot be dated in the future."), field="reported_on")
        if reported_on < task.start:
            raise DomainError(_("A report cannot be dated before the task starts."), field="reported_on")
        value = _decimal(achieved_value, "achieved_value")
        percent = _percent(task, value)
        with audit.acting(actor, grant=grant, reason="report"):
            report = ProgressReport.objects.create(
                task=task, period=period, reported_on=reported_on, achieved_value=value, percent_done=percent,
                narrative=narrative.strip(), evidence=evidence or "", created_by_id=actor.user_id,
            )  # fmt: skip
            if plan.status == PlanStatus.APPROVED:
                plan.status = PlanStatus.IN_PROGRESS
                plan.save(update_fields=["status"])
            cross_scope.rollup_from(task)
    return report


def _percent(task: Task, value: Decimal | None) -> Decimal:
    """The percent done a reported value means for this task (refusing values of the wrong type)."""
    kind = task.value_type
    if value is None:
        raise DomainError(_("Enter the value reached."), field="achieved_value")
    if value < 0:
        raise DomainError(_("The value cannot be negative."), field="achieved_value")
    if kind == ValueType.YES_NO:
        if value not in (0, 1):
            raise DomainError(
                _("This task is measured as yes / no: enter 1 (done) or 0 (not done)."),
                field="achieved_value",
            )
        return HUNDRED if value == 1 else Decimal(0)
    if kind in (ValueType.PERCENT, ValueType.PERCENT_DONE) and value > HUNDRED:
        raise DomainError(_("A percentage cannot exceed 100."), field="achieved_value")
    if kind == ValueType.PERCENT_DONE:
        return quantize(value)
    return quantize(min(HUNDRED, value * HUNDRED / task.target_value))  # type: ignore[operator]


THEMES_FILE = __import__("pathlib").Path(__file__).resolve().parent / "data" / "themes.json"


def _theme_defaults(row: dict) -> dict:  # type: ignore[type-arg]
    """A catalogue row's fields: its source regulation and issuing committee when the database holds them
    (read under the loading actor's scope: a system actor reads the whole tree)."""
    from lamtheo.rulebook.models import Regulation

    source = None
    if row.get("source"):
        ref = row["source"]
        source = Regulation.objects.filter(
            number=ref["number"], symbol=ref["symbol"], issue_date=ref["issue_date"], issuer=ref["issuer"]
        ).first()
    defaults = {"end_year": row.get("end_year"), "issuer": row["issuer"], "source": source,
                "content_areas": _areas(row["content_areas"]), "is_uncertain": row["is_uncertain"]}  # fmt: skip
    if row.get("organization"):  # the issuing committee, once the tree holds it
        issuer = Organization.objects.filter(code=row["organization"]).first()
        if issuer is not None:
            defaults["organization"] = issuer
    return defaults


@actor_scoped
def theme_catalogue_load(*, actor: Actor) -> int:
    """Upsert the known themes of 2016–2026 (the rest are entered by administrators)."""
    import json

    from .models import Theme

    data = json.loads(THEMES_FILE.read_text(encoding="utf-8"))
    with transaction.atomic(), audit.acting(actor, reason="theme catalogue load"):
        for row in data["themes"]:
            Theme.objects.update_or_create(
                year=row["year"], kind=row["kind"], title=clean(row["title"]), defaults=_theme_defaults(row)
            )
    return len(data["themes"])


Mail = tuple[str, str, str]


def reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily reminder job: for every open task of an approved plan, remind the people who report on it
    `LAMTHEO_REMINDER_WORKING_DAYS` working days (or fewer) before it is due, and once when it is overdue.
    Each kind is sent once per task and person, in the app and by e-mail (after the transaction commits)."""
    from django.conf import settings

    from lamtheo.rulebook.selectors import add_working_days

    today = today or _today()
    window_end = add_working_days(today, settings.LAMTHEO_REMINDER_WORKING_DAYS)
    sent = {"due_soon": 0, "overdue": 0}
    system = Actor.system(reason="deadline reminders of plan tasks")  # the job runs for every organization
    with system.reading(), transaction.atomic():
        mails = _remind(today, window_end, sent)
        transaction.on_commit(lambda: _mail(mails))
    return sent


def _reporters(org_id: int) -> list:  # type: ignore[type-arg]
    """The active users whose role on the unit reports its progress (under the job's whole-tree scope)."""
    from lamtheo.organizations.models import RoleGrant

    grants = RoleGrant.objects.filter(
        organization_id=org_id, role__permissions__codename="add_progressreport", user__is_active=True
    ).select_related("user")
    return list({g.user_id: g.user for g in grants}.values())


def _remind(today: dt.date, window_end: dt.date, sent: dict[str, int]) -> list[Mail]:
    """One reminder per open task due by `window_end`, person and kind not yet sent; the mails to send."""
    from .models import Reminder

    tasks = Task.objects.filter(progress__lt=100, plan__status__in=REPORTABLE, due__lte=window_end)
    reporters: dict[int, list] = {}  # type: ignore[type-arg]
    mails: list[Mail] = []
    for task in tasks.select_related("responsible").iterator(chunk_size=2000):
        kind = Reminder.Kind.OVERDUE if task.due < today else Reminder.Kind.DUE_SOON
        if task.responsible_id not in reporters:
            reporters[task.responsible_id] = _reporters(task.responsible_id)
        for user in reporters[task.responsible_id]:
            _reminder, created = Reminder.objects.get_or_create(
                task=task, user=user, kind=kind, defaults={"sent_on": today}
            )
            if not created:
                continue
            sent[kind] += 1
            if user.email:
                mails.append((*_mail_text(task, kind), user.email))
    return mails


def _mail_text(task: Task, kind: str) -> tuple[str, str]:
    from .models import Reminder

    subject = (
        _("Overdue: %(task)s") if kind == Reminder.Kind.OVERDUE else _("Due on %(date)s: %(task)s")
    ) % {
        "task": task.title,
        "date": f"{task.due:%d/%m/%Y}",
    }
    body = _("%(unit)s is responsible for “%(task)s”, due on %(date)s; progress so far: %(p)s%%.") % {
        "unit": task.responsible.name, "task": task.title, "date": f"{task.due:%d/%m/%Y}",
        "p": f"{task.progress:.0f}",
    }  # fmt: skip
    return subject, body


def _mail(mails: list[Mail]) -> None:
    from django.core.mail import send_mail

    for subject, body, to in mails:
        send_mail(subject, body, None, [to], fail_silently=True)


@actor_scoped
def reminders_mark_seen(*, actor: Actor, task: Task) -> int:
    """Opening a task marks the actor's reminders about it as read."""
    from .models import Reminder

    return Reminder.objects.filter(task=task, user_id=actor.user_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
