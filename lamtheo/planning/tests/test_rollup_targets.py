"""Number targets split between units: the roll-up adds what they reached (sum reached over sum of targets),
targets beyond what was assigned are flagged (never refused), and a plan waiting for approval above never
holds up the units below (making its tasks concrete, reporting on the tasks given to them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lamtheo.core.errors import DomainError
from lamtheo.core.scoping import Scope, activate
from lamtheo.planning import selectors, services
from lamtheo.planning.models import Plan, PlanStatus, ProgressReport, Task, takes_reports
from lamtheo.planning.policies import TaskPermissions
from lamtheo.planning.rules import Part, rollup, target_excess

from .factories import PlanFactory, TaskFactory

D = dt.date
N = Decimal
pytestmark = pytest.mark.django_db


def number(target: int, *, progress: int = 0, reached: int | None = None, unit: str = "người") -> Part:
    return Part(N(progress), value_type="number", unit=unit, target=N(target),
                reached=None if reached is None else N(reached))  # fmt: skip


# --- the pure rule -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts,expected",
    [
        # The example: targets 120 and 80, reached 60 and 80: 140 of 200 = 70%, not the 75% mean.
        ([number(120, progress=50, reached=60), number(80, progress=100, reached=80)], (N(70), N(140))),
        # A unit beyond its target counts what it reached (its own progress stops at 100%).
        ([number(100, progress=100, reached=150), number(100, progress=40, reached=40)], (N(95), N(190))),
        # The sum never makes more than 100%.
        ([number(100, progress=100, reached=300), number(100)], (N(100), N(300))),
        # Nothing reported yet: 0 of the targets.
        ([number(120), number(80)], (N(0), N(0))),
        # The same unit written differently is the same unit.
        ([number(100, progress=50, reached=50, unit=" Người "), number(100)], (N(25), N(50))),
        # A sub-task without its own count (mixed below it) reached its share of its target: 50% of 100.
        ([number(100, progress=50), number(100, progress=100, reached=100)], (N(75), N(150))),
    ],
)
def test_a_number_split_between_units_adds_what_they_reached(parts, expected):  # type: ignore[no-untyped-def]
    assert rollup(value_type="number", unit="người", parts=parts) == expected


@pytest.mark.parametrize(
    "value_type,parts,expected",
    [
        # Sub-tasks counted differently keep the weighted mean of their progress: another unit of measure …
        ("number", [number(120, progress=50, reached=60), number(80, progress=100, reached=80, unit="buổi")],
         N(75)),
        # … a sub-task measured as percent done …
        ("number", [number(120, progress=50, reached=60), Part(N(100), N(3))], N("87.50")),
        # … and a task that is not itself a number, whatever its sub-tasks are.
        ("percent_done", [number(120, progress=50, reached=60), number(80, progress=100, reached=80)], N(75)),
        ("percent_done", [], N(0)),
    ],
)  # fmt: skip
def test_sub_tasks_counted_differently_keep_the_weighted_mean(value_type, parts, expected):  # type: ignore[no-untyped-def]
    assert rollup(value_type=value_type, unit="người", parts=parts) == (expected, None)


def test_target_excess_is_what_goes_beyond_the_assignment():  # type: ignore[no-untyped-def]
    assert target_excess(assigned=N(200), targets=[N(150), N(100)]) == 50
    assert target_excess(assigned=N(200), targets=[N(120), N(80)]) is None  # exactly what was assigned
    assert target_excess(assigned=N(200), targets=[N(250)]) == 50
    assert target_excess(assigned=None, targets=[N(250)]) is None  # nothing assigned as a number


# --- through the services ----------------------------------------------------------------------------------


def _three_levels(world):  # type: ignore[no-untyped-def]
    """City → ward → cell, all plans approved: the city gives the ward 300 registrations; the ward gives the cell
    200 of them (W1) and keeps 100 (W2); the cell splits its 200 into 120 and 80."""
    number_task = {"value_type": "number", "unit": "người", "indicator": "Số đảng viên đăng ký làm theo"}
    city = PlanFactory(organization=world.root, status=PlanStatus.APPROVED)
    ward = PlanFactory(organization=world.a.committee, status=PlanStatus.APPROVED, parent_plan=city)
    cell = PlanFactory(organization=world.a.cell, status=PlanStatus.APPROVED, parent_plan=ward)
    c = TaskFactory(plan=city, responsible=world.a.committee, target_value=300, **number_task)
    w1 = TaskFactory(plan=ward, parent=c, responsible=world.a.cell, target_value=200, **number_task)
    w2 = TaskFactory(plan=ward, parent=c, target_value=100, **number_task)
    a = TaskFactory(plan=cell, parent=w1, target_value=120, **number_task)
    b = TaskFactory(plan=cell, parent=w1, target_value=80, **number_task)
    return {"city": city, "ward": ward, "cell": cell, "c": c, "w1": w1, "w2": w2, "a": a, "b": b}


def _fresh(model, pk):  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")):
        return model.objects.get(pk=pk)


def test_reports_roll_a_split_number_up_as_the_sum_reached_over_the_sum_of_targets(world, people, as_actor):  # type: ignore[no-untyped-def]
    rows = _three_levels(world)
    with as_actor(people["cell"]) as cell:
        services.report_create(actor=cell, task=rows["a"], reported_on=D(2026, 3, 1), achieved_value=60)
        services.report_create(actor=cell, task=rows["b"], reported_on=D(2026, 3, 1), achieved_value=80)
    w1 = _fresh(Task, rows["w1"].pk)
    assert (w1.progress, w1.reached_value) == (70, 140)  # 140 of 200, not the 75% mean of 50% and 100%
    with as_actor(people["ward"]) as ward:
        services.report_create(actor=ward, task=rows["w2"], reported_on=D(2026, 3, 1), achieved_value=100)
    c = _fresh(Task, rows["c"].pk)
    assert (c.progress, c.reached_value) == (
        80,
        240,
    )  # (140 + 100) of 300, not the 87.5% mean of 75% and 100%
    assert _fresh(Plan, rows["city"].pk).progress == 80
    assert _fresh(Plan, rows["ward"].pk).progress == Decimal("85.00")  # the plan: mean over its own tasks


def test_a_unit_beyond_its_target_counts_what_it_reached(world, people, as_actor):  # type: ignore[no-untyped-def]
    rows = _three_levels(world)
    with as_actor(people["cell"]) as cell:
        services.report_create(actor=cell, task=rows["a"], reported_on=D(2026, 3, 1), achieved_value=30)
        services.report_create(actor=cell, task=rows["b"], reported_on=D(2026, 3, 1), achieved_value=120)
    assert _fresh(Task, rows["b"].pk).progress == 100
    w1 = _fresh(Task, rows["w1"].pk)
    assert (w1.progress, w1.reached_value) == (75, 150)  # 150 of 200; the mean of 25% and 100% is 62.5%


# --- targets beyond what was assigned ------------------------------------------------------------------------


def test_targets_beyond_the_assignment_are_flagged_not_refused(world, people, as_actor):  # type: ignore[no-untyped-def]
    ward_plan = PlanFactory(organization=world.a.committee, status=PlanStatus.APPROVED)
    given = TaskFactory(plan=ward_plan, responsible=world.a.cell, value_type="number", unit="người",
                        target_value=200)  # fmt: skip
    with as_actor(people["cell"]) as cell:
        own = services.plan_create(actor=cell, organization=world.a.cell, title="Kế hoạch của chi bộ",
                                   period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), parent_plan=ward_plan)  # fmt: skip
        parent = selectors.task_for_actor(actor=cell, pk=given.pk)
        higher = services.task_concretise(
            actor=cell, parent_task=parent, plan=own, target_value=250
        )  # written
        within = services.task_concretise(actor=cell, parent_task=parent, plan=own, target_value=50)
        rows = {r.task.pk: r.flags for r in selectors.plan_tasks(actor=cell, plan=own)}
    assert [(f.kind, f.target, f.assigned) for f in rows[higher.pk]] == [("above_assigned", 250, 200)]
    assert rows[within.pk] == []
    assert rows[higher.pk][0].message == "The target 250 người is above the 200 người assigned from above."
    with as_actor(people["ward"]) as ward:
        rows = {r.task.pk: r.flags for r in selectors.plan_tasks(actor=ward, plan=ward_plan)}
    assert [(f.kind, f.target, f.assigned) for f in rows[given.pk]] == [("units_above", 300, 200)]
    assert rows[given.pk][0].message == (
        "The units' targets add up to 300 người, above the 200 người of this task."
    )


def test_targets_within_the_assignment_or_counted_otherwise_are_not_flagged(world, people, as_actor):  # type: ignore[no-untyped-def]
    ward_plan = PlanFactory(organization=world.a.committee, status=PlanStatus.APPROVED)
    given = TaskFactory(plan=ward_plan, responsible=world.a.cell, value_type="number", unit="người",
                        target_value=200)  # fmt: skip
    cell_plan = PlanFactory(organization=world.a.cell, parent_plan=ward_plan)
    TaskFactory(plan=cell_plan, parent=given, value_type="number", unit="người", target_value=120)
    TaskFactory(plan=cell_plan, parent=given, value_type="number", unit="người", target_value=80)
    TaskFactory(
        plan=cell_plan, parent=given, value_type="number", unit="buổi", target_value=400
    )  # another unit
    with as_actor(people["ward"]) as ward:
        assert selectors.target_flags(actor=ward, tasks=[given]) == {given.pk: []}
        flagged = TaskFactory(plan=cell_plan, parent=given, value_type="number", unit="Người", target_value=1)
        assert [f.kind for f in selectors.target_flags(actor=ward, tasks=[given])[given.pk]] == [
            "units_above"
        ]
        assert [f.kind for f in selectors.target_flags(actor=ward, tasks=[flagged])[flagged.pk]] == []


def test_the_warning_is_shown_on_the_plan_and_task_screens(client, world, people, as_actor):  # type: ignore[no-untyped-def]
    ward_plan = PlanFactory(organization=world.a.committee, status=PlanStatus.APPROVED)
    given = TaskFactory(plan=ward_plan, responsible=world.a.cell, value_type="number", unit="người",
                        target_value=200)  # fmt: skip
    cell_plan = PlanFactory(organization=world.a.cell, parent_plan=ward_plan)
    higher = TaskFactory(plan=cell_plan, parent=given, value_type="number", unit="người", target_value=250)
    client.force_login(world.a.secretary_user)
    client.cookies["django_language"] = "en"
    units_above = "The units&#x27; targets add up to 250 người, above the 200 người of this task."
    assert units_above in client.get(f"/plans/{ward_plan.pk}/").content.decode()
    page = client.get(f"/tasks/{given.pk}/").content.decode()
    assert units_above in page
    assert "The target 250 người is above the 200 người assigned from above." in page  # beside the sub-task
    page = client.get(f"/tasks/{higher.pk}/").content.decode()
    assert "The target 250 người is above the 200 người assigned from above." in page


# --- a plan waiting for approval above ---------------------------------------------------------------------


def test_a_plan_waiting_for_approval_lets_the_units_below_make_its_tasks_concrete(world, people, as_actor):  # type: ignore[no-untyped-def]
    # Passes on the code before this change too: nothing in plan_create / task_create looks at the plan above.
    ward_plan = PlanFactory(organization=world.a.committee, status=PlanStatus.SUBMITTED)
    given = TaskFactory(plan=ward_plan, responsible=world.a.cell, value_type="number", unit="người",
                        target_value=200)  # fmt: skip
    with as_actor(people["cell"]) as cell:
        assert [t.pk for t in selectors.inbox(actor=cell)] == [given.pk]
        assert TaskPermissions(cell, given).can_concretise() is not None
        own = services.plan_create(actor=cell, organization=world.a.cell, title="Kế hoạch của chi bộ",
                                   period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), parent_plan=ward_plan)  # fmt: skip
        concrete = services.task_concretise(actor=cell, parent_task=given, plan=own, target_value=200)
        services.plan_submit(actor=cell, plan=own)
    with as_actor(people["ward"]) as ward:  # the ward approves its cell's plan while its own still waits
        services.plan_approve(actor=ward, plan=selectors.plan_for_actor(actor=ward, pk=own.pk))
    with as_actor(people["cell"]) as cell:
        services.report_create(actor=cell, task=concrete, reported_on=D(2026, 3, 1), achieved_value=50)
    assert _fresh(Task, given.pk).progress == 25
    assert _fresh(Plan, ward_plan.pk).status == PlanStatus.SUBMITTED  # still waiting, untouched by the report


def test_a_plan_waiting_for_approval_takes_reports_on_the_tasks_given_below(world, people, as_actor):  # type: ignore[no-untyped-def]
    ward_plan = PlanFactory(organization=world.a.committee, status=PlanStatus.SUBMITTED)
    given = TaskFactory(plan=ward_plan, responsible=world.a.cell, value_type="number", unit="người",
                        target_value=200)  # fmt: skip
    own = TaskFactory(plan=ward_plan)  # the ward's own task: its plan is not approved yet
    with as_actor(people["cell"]) as cell:
        assert TaskPermissions(cell, given).can_report().org_id == world.a.cell.pk
        services.report_create(actor=cell, task=given, reported_on=D(2026, 3, 1), achieved_value=50)
    assert _fresh(Task, given.pk).progress == 25
    assert _fresh(Plan, ward_plan.pk).status == PlanStatus.SUBMITTED  # a report does not approve the plan
    with as_actor(people["ward"]) as ward:
        assert TaskPermissions(ward, own).can_report() is None
        with pytest.raises(DomainError, match="once the plan is approved"):
            services.report_create(actor=ward, task=own, reported_on=D(2026, 3, 1), achieved_value=50)
    with activate(Scope.everything(reason="test")):
        assert not ProgressReport.objects.filter(task=own).exists()


@pytest.mark.parametrize(
    "status,given_below,expected",
    [
        (PlanStatus.SUBMITTED, True, True),
        (PlanStatus.SUBMITTED, False, False),
        (PlanStatus.APPROVED, False, True),
        (PlanStatus.IN_PROGRESS, True, True),
        (PlanStatus.DRAFT, True, False),
        (PlanStatus.RETURNED, True, False),
        (PlanStatus.CLOSED, True, False),
    ],
)
def test_which_plans_take_reports(status, given_below, expected):  # type: ignore[no-untyped-def]
    assert takes_reports(plan_status=status, given_below=given_below) is expected
