"""Plans: cascade, roll-up (with and without weights), status at the boundaries, approval, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import actor_of
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.planning import selectors, services
from lamtheo.planning.models import Plan, PlanStatus, ProgressReport, Task
from lamtheo.planning.rules import TaskStatus, task_status, weighted_mean

from .conftest import _approved_ward_plan

D = dt.date
pytestmark = pytest.mark.django_db


def test_cascade_and_rollup_through_two_levels(world, people):  # type: ignore[no-untyped-def]
    plan, t1, t2 = _approved_ward_plan(world, people)
    cell = people["cell"]
    with activate(cell.scope):
        inbox = list(selectors.inbox(actor=cell))
        assert [t.pk for t in inbox] == [t1.pk] and not inbox[0].is_concretised
        own = services.plan_create(actor=cell, organization=world.a.cell, title="Kế hoạch của chi bộ",
                                   period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), parent_plan=plan)  # fmt: skip
        parent = selectors.task_for_actor(actor=cell, pk=t1.pk)
        a = services.task_concretise(actor=cell, parent_task=parent, plan=own, title="Học chuyên đề quý I",
                                     due=D(2026, 3, 31))  # fmt: skip
        b = services.task_concretise(actor=cell, parent_task=parent, plan=own, title="Học chuyên đề quý II",
                                     start=D(2026, 4, 1))  # fmt: skip
        assert selectors.inbox(actor=cell).get().is_concretised
        services.plan_submit(actor=cell, plan=own)
    ward = people["ward"]
    with activate(ward.scope):
        services.plan_approve(actor=ward, plan=selectors.plan_for_actor(actor=ward, pk=own.pk))
        rows = selectors.plan_subunits(actor=ward, plan=plan)
        assert [(r.organization.code, r.tasks, r.concretised, r.plan.status) for r in rows] == [
            ("WA-C1", 1, 1, "approved")
        ]
    with activate(cell.scope):
        services.report_create(actor=cell, task=a, reported_on=D(2026, 3, 31), achieved_value=100)
        services.report_create(actor=cell, task=b, reported_on=D(2026, 5, 1), achieved_value=40)
    with activate(Scope.everything(reason="test")):
        assert Task.objects.get(pk=a.pk).progress == 100
        assert Task.objects.get(pk=t1.pk).progress == 70  # plain mean of the two concrete tasks
        assert (
            Plan.objects.get(pk=own.pk).progress == 70
            and Plan.objects.get(pk=own.pk).status == PlanStatus.IN_PROGRESS
        )
        assert (
            Plan.objects.get(pk=plan.pk).progress == 35
        )  # (70 + 0) / 2: the ward's own task has no report yet
    with activate(ward.scope):
        services.report_create(actor=ward, task=selectors.task_for_actor(actor=ward, pk=t2.pk), reported_on=D(2026, 6, 1),
                               achieved_value=150)  # fmt: skip
    with activate(Scope.everything(reason="test")):
        assert Task.objects.get(pk=t2.pk).progress == 75  # 150 of a target of 200
        assert Plan.objects.get(pk=plan.pk).progress == Decimal("72.50")


def test_weights_change_the_rollup(world, people):  # type: ignore[no-untyped-def]
    plan, t1, t2 = _approved_ward_plan(world, people, weights=(3, 1))
    ward = people["ward"]
    with activate(ward.scope):
        services.report_create(actor=ward, task=t1, reported_on=D(2026, 3, 1), achieved_value=100)
    with activate(Scope.everything(reason="test")):
        assert Plan.objects.get(pk=plan.pk).progress == 75  # (100×3 + 0×1) / 4


def test_weighted_mean_rules():  # type: ignore[no-untyped-def]
    assert weighted_mean([]) == 0
    assert weighted_mean([(Decimal(100), None), (Decimal(0), None)]) == 50
    assert weighted_mean([(Decimal(100), Decimal(3)), (Decimal(0), None)]) == 75  # a missing weight counts 1
    assert weighted_mean(
        [(Decimal(10), Decimal(1)), (Decimal(20), Decimal(1)), (Decimal(30), Decimal(2))]
    ) == Decimal("22.50")


@pytest.mark.parametrize(
    "progress,today,reported,expected",
    [
        (Decimal(100), D(2026, 12, 31), True, TaskStatus.DONE),
        (Decimal(99), D(2026, 6, 30), True, TaskStatus.ON_TRACK),  # the due day itself is not late
        (Decimal(99), D(2026, 7, 1), True, TaskStatus.OVERDUE),  # the day after is
        (Decimal(0), D(2026, 2, 1), False, TaskStatus.NOT_STARTED),
        (Decimal(0), D(2026, 7, 1), False, TaskStatus.OVERDUE),
        (
            Decimal(40),
            D(2026, 4, 1),
            True,
            TaskStatus.ON_TRACK,
        ),  # 50% of the time, 40% done: inside the margin
        (Decimal(39), D(2026, 4, 1), True, TaskStatus.AT_RISK),  # 11 points behind
        (Decimal(0), D(2026, 1, 1), True, TaskStatus.ON_TRACK),  # reported on day one
    ],
)
def test_status_at_the_boundaries(progress, today, reported, expected):  # type: ignore[no-untyped-def]
    # start 1/1, due 30/6/2026: 1 April is 90 of 180 days, i.e. 50% of the time elapsed.
    assert task_status(progress=progress, start=D(2026, 1, 1), due=D(2026, 6, 29) + dt.timedelta(days=1),
                       reported=reported, today=today) == expected  # fmt: skip


def test_approval_transitions_and_who_may(world, people):  # type: ignore[no-untyped-def]
    ward, city = people["ward"], people["city"]
    with activate(ward.scope):
        plan = services.plan_create(actor=ward, organization=world.a.committee, title="KH", period_start=D(2026, 1, 1),
                                    period_end=D(2026, 12, 31))  # fmt: skip
        with pytest.raises(DomainError, match="at least one task"):
            services.plan_submit(actor=ward, plan=plan)
        services.task_create(actor=ward, plan=plan, title="Việc 1", responsible=world.a.committee,
                             start=D(2026, 1, 1), due=D(2026, 3, 1))  # fmt: skip
        services.plan_submit(actor=ward, plan=plan)
        with pytest.raises(PermissionDenied, match="approved by the unit above"):
            services.plan_approve(actor=ward, plan=plan)  # nobody approves their own plan
        with pytest.raises(DomainError, match="only while the plan is a draft"):
            services.task_create(actor=ward, plan=plan, title="Việc 2", responsible=world.a.committee,
                                 start=D(2026, 1, 1), due=D(2026, 3, 1))  # fmt: skip
    with activate(city.scope):
        plan = selectors.plan_for_actor(actor=city, pk=plan.pk)
        with pytest.raises(DomainError, match="Say what must change"):
            services.plan_return(actor=city, plan=plan, comment=" ")
        services.plan_return(actor=city, plan=plan, comment="Bổ sung chỉ tiêu định lượng")
        assert plan.status == PlanStatus.RETURNED and plan.review_comment == "Bổ sung chỉ tiêu định lượng"
    with activate(ward.scope):
        services.plan_submit(actor=ward, plan=selectors.plan_for_actor(actor=ward, pk=plan.pk))
    with activate(city.scope):
        plan = services.plan_approve(actor=city, plan=selectors.plan_for_actor(actor=city, pk=plan.pk))
        with pytest.raises(DomainError, match="cannot be moved"):
            services.plan_approve(actor=city, plan=plan)
    with activate(ward.scope):
        services.plan_close(actor=ward, plan=selectors.plan_for_actor(actor=ward, pk=plan.pk))
    assert [h.status for h in plan.history.order_by("history_date")][-6:] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "approved",
        "closed",
    ]


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"start": D(2025, 12, 31)}, "inside the plan's period"),
        ({"due": D(2027, 1, 1)}, "inside the plan's period"),
        ({"due": D(2025, 1, 1), "start": D(2026, 2, 1)}, "due date is before the start"),
        ({"responsible": "b"}, "this unit or a unit below it"),
        ({"value_type": "number"}, "needs a target above zero"),
        ({"value_type": "percent", "target_value": 120}, "cannot exceed 100"),
        ({"value_type": "yes_no", "target_value": 1}, "Only a number or a percentage has a target"),
        ({"weight": 0}, "above zero"),
        ({"title": "  "}, "needs a title"),
    ],
)
def test_task_refusals_write_nothing(world, people, changes, message):  # type: ignore[no-untyped-def]
    ward = people["ward"]
    with activate(ward.scope):
        plan = services.plan_create(actor=ward, organization=world.a.committee, title="KH", period_start=D(2026, 1, 1),
                                    period_end=D(2026, 12, 31))  # fmt: skip
        values = {
            "title": "Việc",
            "responsible": world.a.cell,
            "start": D(2026, 1, 1),
            "due": D(2026, 3, 1),
            **changes,
        }
        if values["responsible"] == "b":
            values["responsible"] = world.b.cell
        before = Task.objects.count()
        with pytest.raises(DomainError, match=message):
            services.task_create(actor=ward, plan=plan, **values)
        assert Task.objects.count() == before


@pytest.mark.parametrize(
    "value_type,target,value,message",
    [
        ("number", 200, "abc", "Enter a number"),
        ("number", 200, -1, "cannot be negative"),
        ("yes_no", None, 2, r"enter 1 \(done\) or 0"),
        ("percent", 80, 101, "cannot exceed 100"),
        ("percent_done", None, None, "Enter the value reached"),
    ],
)
def test_report_value_must_match_the_indicator(world, people, value_type, target, value, message):  # type: ignore[no-untyped-def]
    ward, city = people["ward"], people["city"]
    with activate(ward.scope):
        plan = services.plan_create(actor=ward, organization=world.a.committee, title="KH", period_start=D(2026, 1, 1),
                                    period_end=D(2026, 12, 31))  # fmt: skip
        task = services.task_create(actor=ward, plan=plan, title="Việc", responsible=world.a.committee,
                                    start=D(2026, 1, 1), due=D(2026, 3, 1), value_type=value_type, target_value=target)  # fmt: skip
        services.plan_submit(actor=ward, plan=plan)
    with activate(city.scope):
        services.plan_approve(actor=city, plan=selectors.plan_for_actor(actor=city, pk=plan.pk))
    with activate(ward.scope):
        with pytest.raises(DomainError, match=message):
            services.report_create(actor=ward, task=task, reported_on=D(2026, 2, 1), achieved_value=value)
        assert ProgressReport.objects.count() == 0
        with pytest.raises(DomainError, match="in the future"):
            services.report_create(actor=ward, task=task, reported_on=D(2099, 1, 1), achieved_value=1)


def test_reports_only_by_the_responsible_unit_and_only_on_approved_plans(world, people):  # type: ignore[no-untyped-def]
    plan, t1, t2 = _approved_ward_plan(world, people)
    with activate(people["city"].scope), pytest.raises(PermissionDenied, match="responsible unit"):
        services.report_create(actor=people["city"], task=t1, reported_on=D(2026, 2, 1), achieved_value=10)
    member = actor_of(world.b.officer_user)
    with activate(member.scope), pytest.raises(Exception) as exc:
        selectors.task_for_actor(actor=member, pk=t1.pk)
    assert exc.typename == "Http404"
