"""Planning's permission classes, access helpers and @actor_scoped entry points (ADR 0011)."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from django.http import Http404

from conftest import SYSTEM, actor_of
from lamtheo.core.scoping import Scope, activate
from lamtheo.planning import selectors, services
from lamtheo.planning.models import PlanStatus
from lamtheo.planning.policies import OrganizationPlanningPermissions, PlanPermissions, TaskPermissions

from .factories import PlanFactory, TaskFactory

D = dt.date
pytestmark = pytest.mark.django_db


def test_selectors_read_through_the_actors_own_scope_not_a_wider_active_one(world):  # type: ignore[no-untyped-def]
    mine = PlanFactory(organization=world.a.committee, status=PlanStatus.APPROVED)
    theirs = PlanFactory(organization=world.b.committee, status=PlanStatus.APPROVED)
    TaskFactory(plan=mine, due=D(2026, 1, 31))
    TaskFactory(plan=theirs, due=D(2026, 1, 31))
    officer = actor_of(world.a.secretary_user)
    # A command or a test may have the whole tree active: the selector still reads as the officer.
    with activate(Scope.everything(reason="test")):
        assert list(selectors.plan_list(actor=officer)) == [mine]
        assert inspect.unwrap(selectors.plan_list)(actor=officer).count() == 2  # undecorated: the wide scope
        overdue = selectors.calendar(actor=officer, today=D(2026, 3, 1))["overdue"]
        assert {t.plan_id for t in overdue} == {mine.pk}
        with pytest.raises(Http404):
            selectors.plan_for_actor(actor=officer, pk=theirs.pk)
        assert selectors.plan_list(actor=SYSTEM).count() == 2


def test_the_plan_is_approved_from_the_level_above_and_a_root_plan_by_a_tree_admin(world, people):  # type: ignore[no-untyped-def]
    plan = PlanFactory(organization=world.a.committee, status=PlanStatus.SUBMITTED)
    ward, city = PlanPermissions(people["ward"], plan), PlanPermissions(people["city"], plan)
    assert ward.can_approve() is None and ward.can_change() is None  # submitted: not editable, not its own
    assert city.require("approve").org_id == world.root.pk
    root_plan = PlanFactory(organization=world.root, status=PlanStatus.SUBMITTED)
    assert PlanPermissions(people["city"], root_plan).can_approve() is None  # nobody above the root
    assert PlanPermissions(actor_of(world.admin_user), root_plan).can_approve() is not None
    plan.status = PlanStatus.DRAFT
    assert ward.allowed("change", "submit", "approve", "close") == {
        "change": True, "submit": True, "approve": False, "close": False,
    }  # fmt: skip


def test_who_plans_concretises_and_reports(world, people):  # type: ignore[no-untyped-def]
    assert OrganizationPlanningPermissions(people["cell"], world.a.cell).can_plan() is not None
    assert OrganizationPlanningPermissions(people["cell"], world.a.committee).can_plan() is None
    plan = PlanFactory(organization=world.a.committee, status=PlanStatus.APPROVED)
    given = TaskFactory(plan=plan, responsible=world.a.cell)
    own = TaskFactory(plan=plan)
    assert TaskPermissions(people["cell"], given).can_concretise() is not None
    assert TaskPermissions(people["cell"], own).can_concretise() is None  # not given from above
    # The responsible unit reports, or the unit just above it; the city (two levels up) reads only.
    assert TaskPermissions(people["cell"], given).can_report().org_id == world.a.cell.pk
    assert TaskPermissions(people["ward"], given).can_report().org_id == world.a.committee.pk
    assert TaskPermissions(people["city"], given).can_report() is None
    plan.status = PlanStatus.CLOSED
    assert TaskPermissions(people["cell"], given).can_report() is None  # a closed plan takes no report


def test_the_unit_reads_the_plan_above_only_when_it_gives_the_unit_tasks(world, people):  # type: ignore[no-untyped-def]
    plan = PlanFactory(organization=world.a.committee, status=PlanStatus.APPROVED)
    other = PlanFactory(organization=world.a.committee, status=PlanStatus.APPROVED)
    TaskFactory(plan=plan, responsible=world.a.cell)
    cell = people["cell"]
    with activate(Scope.everything(reason="test")):
        with pytest.raises(Http404):
            selectors.plan_for_actor(actor=cell, pk=plan.pk)  # above the cell's scope
        assert selectors.plan_above_for_actor(actor=cell, pk=plan.pk, organization=world.a.cell) == plan
        for pk, unit in ((other.pk, world.a.cell), (plan.pk, world.b.cell), ("x", world.a.cell)):
            with pytest.raises(Http404):
                selectors.plan_above_for_actor(actor=cell, pk=pk, organization=unit)


def test_transitions_are_audited_with_the_grant_that_allowed_them(world, people):  # type: ignore[no-untyped-def]
    ward, city = people["ward"], people["city"]
    with activate(ward.scope):
        plan = services.plan_create(actor=ward, organization=world.a.committee, title="KH",
                                    period_start=D(2026, 1, 1), period_end=D(2026, 12, 31))  # fmt: skip
        services.task_create(actor=ward, plan=plan, title="Việc", responsible=world.a.committee,
                             start=D(2026, 1, 1), due=D(2026, 3, 1))  # fmt: skip
        services.plan_submit(actor=ward, plan=plan)
    services.plan_approve(actor=city, plan=plan)
    with activate(Scope.everything(reason="test")):
        last = plan.history.order_by("-history_date").first()
    assert last.status == PlanStatus.APPROVED and last.history_change_reason == "approve"
    assert (last.actor_role, last.actor_org) == ("propaganda_officer", world.root.name)
