"""Who may plan, approve and report: one permission class per kind of record (core.permissions). Nothing else
in the code base restates these rules.

A `can_<verb>()` answers for the record as it stands, the state the action needs included (a draft to edit, a
submitted plan to approve, an approved plan to report on): the screens show exactly what it allows. Services
check the state first with its own message (a state error tells the person what to do), then `require` the
verb, which then refuses only for who is acting.
"""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.permissions import Permissions
from lamtheo.organizations.models import Organization
from lamtheo.organizations.policies import HistoryPermissions
from lamtheo.rulebook import selectors as rulebook_selectors

from .models import EDITABLE, REPORTABLE, Plan, PlanStatus, Task, takes_reports

ADD_PLAN = "planning.add_plan"
CHANGE_PLAN = "planning.change_plan"
APPROVE_PLAN = "planning.approve_plan"
ADD_REPORT = "planning.add_progressreport"
VIEW_PLAN = "planning.view_plan"


def reading_grant(actor: Actor, path: str) -> Grant | None:
    """The grant under which the actor reads records of the organization at `path`: plans are read by anyone
    whose scope holds the unit (any role), so it is the most specific grant covering it."""
    if actor.is_system:
        return actor.grant_for(VIEW_PLAN, path)
    covering = [g for g in actor.grants if g.covers(path) or g.is_root_admin]
    return max(covering, key=lambda g: len(g.org_path), default=None)


def role_units(actor: Actor, perm: str) -> list[Grant]:
    """The units where the actor's role itself carries `perm`: the plans they make and the tasks they report
    on (a system administrator's blanket grant makes no unit's plan their own job)."""
    return [g for g in actor.units_with(perm) if perm in g.permissions]


class OrganizationPlanningPermissions(Permissions):
    """What one actor may do about the plans of one organization (before any plan exists)."""

    messages: ClassVar = {"plan": _("You may not plan for this unit.")}

    def __init__(self, actor: Actor, organization: Organization) -> None:
        super().__init__(actor, organization)
        self.organization = organization

    def can_plan(self) -> Grant | None:
        """Plans (and their tasks) are written by holders of change_plan over the planning organization."""
        return self.actor.grant_for(CHANGE_PLAN, self.organization.path)


class PlanPermissions(Permissions):
    """What one actor may do to one implementation plan. The planning unit writes, submits and closes it;
    the level above approves or returns it (a root's plan: a whole-tree administrator)."""

    messages: ClassVar = {
        "change": _("You may not edit this plan."),
        "add_task": _("You may not edit this plan."),
        "submit": _("You may not submit this plan."),
        "issue": _("You may not issue this plan."),
        "approve": _("Plans are approved by the unit above."),
        "return": _("Plans are approved by the unit above."),
        "close": _("You may not close this plan."),
    }

    def __init__(self, actor: Actor, plan: Plan) -> None:
        super().__init__(actor, plan)
        self.plan = plan

    def _planner(self) -> Grant | None:
        """The planning unit's grant (change_plan over the plan's organization)."""
        return OrganizationPlanningPermissions(self.actor, self.plan.organization).can_plan()

    def _approver(self) -> Grant | None:
        """approve_plan over the parent organization; a root's plan by a whole-tree administrator."""
        organization = self.plan.organization
        if organization.parent_id is not None:
            return self.actor.grant_for(APPROVE_PLAN, organization.parent.path)
        return self.actor.grant_for(APPROVE_PLAN, organization.path) if self.actor.is_tree_admin else None

    def can_view(self) -> Grant | None:
        """Anyone whose scope holds the planning unit reads its plan."""
        return reading_grant(self.actor, self.plan.organization.path)

    def can_view_history(self) -> Grant | None:
        """The plan's audit history: holders of view_history over the planning unit."""
        return HistoryPermissions(self.actor, self.plan.organization.path).can_view()

    def can_change(self) -> Grant | None:
        """The planning unit edits a draft or returned plan."""
        return self._planner() if self.plan.status in EDITABLE else None

    def can_add_task(self) -> Grant | None:
        """Tasks are added (and tasks from above made concrete) while the plan is a draft or returned."""
        return self.can_change()

    @property
    def issued_by_its_unit(self) -> bool:
        """The rulebook says plans of this kind of organization need no approval from above (a committee
        issues its own plan): the unit issues it instead of submitting it."""
        return not rulebook_selectors.plan_needs_approval(kind=self.plan.organization.kind)

    def can_submit(self) -> Grant | None:
        """The planning unit sends a draft or returned plan up for approval (where the level above approves)."""
        return None if self.issued_by_its_unit else self.can_change()

    def can_issue(self) -> Grant | None:
        """The planning unit issues its draft plan itself where the rulebook needs no approval from above."""
        return self.can_change() if self.issued_by_its_unit else None

    def can_approve(self) -> Grant | None:
        """The level above approves a submitted plan (nobody approves their own unit's plan)."""
        return self._approver() if self.plan.status == PlanStatus.SUBMITTED else None

    def can_return(self) -> Grant | None:
        """The level above returns a submitted plan with what must change."""
        return self.can_approve()

    def can_close(self) -> Grant | None:
        """The planning unit closes an approved or running plan at the end of its period."""
        return self._planner() if self.plan.status in REPORTABLE else None


class TaskPermissions(Permissions):
    """What one actor may do with one task of a plan: make it concrete in their own plan, report on it.

    `plan`: the task's plan as just read (a service passes the row it read in its transaction; screens use
    `task.plan`)."""

    messages: ClassVar = {
        "report": _("Only the responsible unit reports on this task."),
        "concretise": _("You may not plan for this unit."),
    }

    def __init__(self, actor: Actor, task: Task, *, plan: Plan | None = None) -> None:
        super().__init__(actor, task)
        self.task = task
        self.plan = plan or task.plan

    def can_view(self) -> Grant | None:
        """The planning unit's scope or the responsible unit's scope (a cell reads the tasks given to it)."""
        return reading_grant(self.actor, self.task.responsible.path) or reading_grant(
            self.actor, self.plan.organization.path
        )

    def can_concretise(self) -> Grant | None:
        """A task given from above is made concrete by the responsible unit, in its own plan."""
        if self.task.responsible_id == self.plan.organization_id:
            return None
        return OrganizationPlanningPermissions(self.actor, self.task.responsible).can_plan()

    def can_report(self) -> Grant | None:
        """Progress is reported while the plan is approved or running (a task given to a unit below also while
        the plan waits for approval above: `takes_reports`), by the responsible unit or by the unit just above
        it on its behalf (add_progressreport held on one of those two); levels further up read, they do not
        report."""
        if not takes_reports(
            plan_status=self.plan.status, given_below=self.task.responsible_id != self.plan.organization_id
        ):
            return None
        path = self.task.responsible.path
        grant = self.actor.grant_for(ADD_REPORT, path)
        if grant is None or self.actor.is_system:
            return grant
        parent_path = path[: path.rstrip("/").rfind("/") + 1]
        return grant if grant.org_path in (path, parent_path) else None
