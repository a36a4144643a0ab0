"""Handing a plan in, and the cell secretary's approval or return."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped

from ..models import CommitmentPlan, CultivationPlanStatus
from ..policies import CultivationPlanPermissions
from . import _common


@actor_scoped
def cultivation_plan_submit(*, actor: Actor, plan: CommitmentPlan) -> CommitmentPlan:
    """The member (or the officer, from the paper form of a member without an account) submits the plan to
    the cell's secretary; every section needs its minimum of items."""
    with transaction.atomic():
        plan, grant = _common.own_editable_plan(actor, plan)
        counts = dict(plan.items.values_list("section").annotate(n=Count("id")))
        missing = [
            section["title"]
            for section in plan.template.sections
            if counts.get(section["code"], 0)
            < section.get("min_items_for_heads" if plan.is_head else "min_items", 0)
        ]
        if missing:
            raise DomainError(
                _("Add at least one commitment to: %(s)s.") % {"s": "; ".join(missing)}, field="items"
            )
        with audit.acting(actor, grant=grant, reason="submit"):
            _common.note_entry(actor, plan)
            plan.status, plan.submitted_at = CultivationPlanStatus.SUBMITTED, timezone.now()
            plan.save()
    return plan


@actor_scoped
def cultivation_plan_approve(*, actor: Actor, plan: CommitmentPlan, comment: str = "") -> CommitmentPlan:
    """The cell's secretary approves a submitted plan."""
    return _review(actor, plan, approve=True, comment=comment)


@actor_scoped
def cultivation_plan_return(*, actor: Actor, plan: CommitmentPlan, comment: str) -> CommitmentPlan:
    """The cell's secretary returns a submitted plan with what to change."""
    return _review(actor, plan, approve=False, comment=comment)


def _review(actor: Actor, plan: CommitmentPlan, *, approve: bool, comment: str) -> CommitmentPlan:
    """Approve or return, deciding on the fresh row: its state, the year lock, then who reviews."""
    comment = comment.strip()
    if not approve and not comment:
        raise DomainError(_("Say what should change."), field="comment")
    with transaction.atomic():
        plan = _common.fresh_plan(plan)
        if plan.status != CultivationPlanStatus.SUBMITTED:
            raise DomainError(_("Only a submitted plan can be approved or returned."))
        grant = CultivationPlanPermissions(actor, plan).require("review")
        with audit.acting(actor, grant=grant, reason="approve" if approve else "return"):
            plan.status = CultivationPlanStatus.APPROVED if approve else CultivationPlanStatus.RETURNED
            plan.review_comment, plan.decided_at, plan.decided_by_id = comment, timezone.now(), actor.user_id
            plan.save()
    return plan


@actor_scoped
def cultivation_plans_bulk_approve(*, actor: Actor, plans: Iterable[CommitmentPlan]) -> tuple[int, list[str]]:
    """Approve each submitted plan the actor may approve; say why the others were skipped."""
    approved, skipped = 0, []
    for plan in plans:
        try:
            cultivation_plan_approve(actor=actor, plan=plan)
            approved += 1
        except DomainError as exc:
            skipped.append(f"{plan.person.full_name}: {exc.message}")
    return approved, skipped
