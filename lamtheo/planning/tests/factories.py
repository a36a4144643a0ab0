"""Test factories of the planning context: implementation plans and their tasks, written as rows.

    plan = PlanFactory(organization=ward)                       # a draft plan of `ward` for 2026
    task = TaskFactory(plan=plan, responsible=cell)             # a task `cell` must carry out (in its inbox)

They build rows directly, never through the planning services (so they do not move when a service does).
"""

from __future__ import annotations

import datetime as dt

import factory

from lamtheo.core.tests.factories import ScopedModelFactory
from lamtheo.organizations.tests.factories import OrganizationFactory, UserFactory
from lamtheo.planning.models import Plan, PlanStatus, Task


class PlanFactory(ScopedModelFactory):
    """A draft implementation plan of an organization for the year 2026."""

    class Meta:
        model = Plan

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Kế hoạch thực hiện Chỉ thị 05 số {n}")
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2026, 12, 31)
    status = PlanStatus.DRAFT
    created_by = factory.SubFactory(UserFactory)


class TaskFactory(ScopedModelFactory):
    """A task of a plan; the planning organization carries it out unless `responsible` says who does."""

    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")
    responsible = factory.SelfAttribute("plan.organization")
    start = factory.SelfAttribute("plan.period_start")
    due = factory.SelfAttribute("plan.period_end")
    order = factory.Sequence(lambda n: n)
