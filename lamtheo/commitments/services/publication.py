"""Publishing heads' commitments where residents supervise them (notice board, portal, residential area)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped

from .. import cross_scope
from ..models import CommitmentPlan, CultivationPlanStatus
from ..policies import CultivationPlanPermissions
from . import _common


@actor_scoped
def cultivation_plan_publish(
    *,
    actor: Actor,
    plan: CommitmentPlan,
    on_notice_board: bool,
    on_portal: bool,
    on_residence: bool,
    published_on: dt.date | None = None,
    result_published: bool = False,
) -> CommitmentPlan:
    """Publish a head's approved plan (and, after the decision, its result) where residents supervise it."""
    if not (on_notice_board or on_portal or on_residence):
        raise DomainError(_("Choose where to publish it."), field="on_portal")
    published_on = published_on or _common.today()
    if published_on > _common.today():
        raise DomainError(_("The publication date cannot be in the future."), field="published_on")
    with transaction.atomic():
        plan = _common.fresh_plan(plan, check_lock=False)  # publication goes on after the year is locked
        if not plan.is_head:
            raise DomainError(_("Only the commitments of heads are published."))
        if plan.status != CultivationPlanStatus.APPROVED:
            raise DomainError(_("Only an approved plan can be published."))
        grant = CultivationPlanPermissions(actor, plan).require("publish")
        if result_published:
            ev = cross_scope.evaluation_of_plan(plan)
            if ev is None or not ev.decided_grade:
                raise DomainError(_("The year-end result can be published once the grade is decided."))
        with audit.acting(actor, grant=grant, reason="publish"):
            plan.on_notice_board, plan.on_portal, plan.on_residence = on_notice_board, on_portal, on_residence
            plan.published_on, plan.result_published = published_on, result_published
            plan.save()
    return plan


@actor_scoped
def cultivation_plan_unpublish(*, actor: Actor, plan: CommitmentPlan) -> CommitmentPlan:
    """Withdraw a published plan from every place."""
    with transaction.atomic():
        plan = _common.fresh_plan(plan, check_lock=False)
        grant = CultivationPlanPermissions(actor, plan).require("publish")
        with audit.acting(actor, grant=grant, reason="unpublish"):
            plan.on_notice_board = plan.on_portal = plan.on_residence = plan.result_published = False
            plan.published_on = None
            plan.save()
    return plan
