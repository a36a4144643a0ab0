"""The task and plan forms: units, the person in charge and regulations picked by id (scope-checked),
milestones as repeating rows whose errors name their row; nothing is written on an error."""

from __future__ import annotations

import datetime as dt

import pytest

from lamtheo.core.actor import Actor
from lamtheo.core.scoping import Scope, activate
from lamtheo.planning import services
from lamtheo.planning.models import Milestone, Plan, Task
from lamtheo.rulebook.models import Regulation
from lamtheo.rulebook.services import rulebook_load

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int]:
    with activate(Scope.everything(reason="test")):
        return Task.objects.count(), Milestone.objects.count()


@pytest.fixture
def plan(world, people):  # type: ignore[no-untyped-def]
    ward = people["ward"]
    with activate(ward.scope):
        return services.plan_create(actor=ward, organization=world.a.committee, title="KH", period_start=dt.date(2026, 1, 1),
                                    period_end=dt.date(2026, 12, 31))  # fmt: skip


@pytest.fixture
def secretary(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.a.secretary_user)
    client.cookies["django_language"] = "en"
    return client


def _task(world, **extra):  # type: ignore[no-untyped-def]
    rows = {"milestones-TOTAL_FORMS": "3", "milestones-INITIAL_FORMS": "0"}
    return {"title": "Sơ kết", "responsible": world.a.cell.pk, "start": "01/01/2026", "due": "30/06/2026",
            "value_type": "percent_done", **rows, **extra}  # fmt: skip


def test_a_bad_date_in_row_two_names_that_row_and_writes_nothing(secretary, world, plan):  # type: ignore[no-untyped-def]
    before = _counts()
    data = _task(world, **{"milestones-0-due": "31/03/2026", "milestones-0-title": "Sơ kết quý I",
                           "milestones-1-due": "31/13/2026", "milestones-1-title": "Sơ kết 6 tháng"})  # fmt: skip
    response = secretary.post(f"/plans/{plan.pk}/tasks/new/", data)
    html = response.content.decode()
    assert response.status_code == 200 and _counts() == before
    assert '<a href="#id_milestones-1-due">Milestone 2 — Date: Enter a date as dd/mm/yyyy.</a>' in html
    assert "Milestone 1 —" not in html  # row 1 is fine
    # The rows come back as typed, the bad one marked, its error beside it.
    assert (
        'value="31/13/2026"' in html and 'value="Sơ kết quý I"' in html and 'value="Sơ kết 6 tháng"' in html
    )
    assert '<ul class="error" id="id_milestones-1-due_error">' in html


def test_a_row_with_a_date_but_nothing_due_is_refused(secretary, world, plan):  # type: ignore[no-untyped-def]
    before = _counts()
    response = secretary.post(
        f"/plans/{plan.pk}/tasks/new/", _task(world, **{"milestones-2-due": "01/03/2026"})
    )
    assert "Milestone 3 — What is due: Say what is due on this date." in response.content.decode()
    assert _counts() == before


def test_the_service_still_checks_the_milestone_dates(secretary, world, plan):  # type: ignore[no-untyped-def]
    before = _counts()
    data = _task(
        world, **{"milestones-0-due": "31/12/2026", "milestones-0-title": "Tổng kết"}
    )  # after the due date
    response = secretary.post(f"/plans/{plan.pk}/tasks/new/", data)
    assert "inside the task&#x27;s dates" in response.content.decode() and _counts() == before


def test_rows_removed_are_not_saved_and_rows_can_be_added(secretary, world, plan):  # type: ignore[no-untyped-def]
    data = _task(world, **{"milestones-TOTAL_FORMS": "4",
                           "milestones-0-due": "31/03/2026", "milestones-0-title": "Sơ kết quý I",
                           "milestones-1-due": "30/04/2026", "milestones-1-title": "Bỏ", "milestones-1-DELETE": "on",
                           "milestones-3-due": "30/06/2026", "milestones-3-title": "Sơ kết 6 tháng"})  # fmt: skip
    assert secretary.post(f"/plans/{plan.pk}/tasks/new/", data).status_code == 302
    with activate(Scope.everything(reason="test")):
        task = Task.objects.get(plan=plan)
        assert [(m.title, m.due) for m in Milestone.objects.filter(task=task).order_by("due")] == [
            ("Sơ kết quý I", dt.date(2026, 3, 31)), ("Sơ kết 6 tháng", dt.date(2026, 6, 30)),
        ]  # fmt: skip


def test_picked_units_and_person_in_charge_are_saved(secretary, world, plan):  # type: ignore[no-untyped-def]
    data = _task(world, cooperating=[world.a.agency.pk], owner=world.a.staff.pk)
    assert secretary.post(f"/plans/{plan.pk}/tasks/new/", data).status_code == 302
    with activate(Scope.everything(reason="test")):
        task = Task.objects.get(plan=plan)
        assert task.responsible_id == world.a.cell.pk and task.owner_id == world.a.staff.pk
        assert list(task.cooperating.values_list("pk", flat=True)) == [world.a.agency.pk]


@pytest.mark.parametrize("field", ["responsible", "cooperating", "owner"])
def test_an_out_of_scope_or_unknown_id_is_a_form_error(secretary, world, plan, field):  # type: ignore[no-untyped-def]
    before = _counts()
    foreign = {"responsible": world.b.cell.pk, "cooperating": world.b.agency.pk, "owner": world.b.staff.pk}[
        field
    ]
    for bad in (foreign, 999999):
        response = secretary.post(f"/plans/{plan.pk}/tasks/new/", _task(world, **{field: bad}))
        assert response.status_code == 200 and field in response.context["form"].errors
        assert f'<a href="#id_{field}">' in response.content.decode()
        assert _counts() == before
    # The sibling branch's names never come back in the page, not even as the chosen option.
    assert world.b.cell.name not in response.content.decode()


def test_a_unit_above_the_plan_is_not_a_responsible_unit(secretary, world, plan):  # type: ignore[no-untyped-def]
    before = _counts()
    response = secretary.post(f"/plans/{plan.pk}/tasks/new/", _task(world, responsible=world.root.pk))
    assert "responsible" in response.context["form"].errors and _counts() == before


def test_task_form_renders_pickers_and_rows(secretary, world, plan):  # type: ignore[no-untyped-def]
    html = secretary.get(f"/plans/{plan.pk}/tasks/new/").content.decode()
    assert f'data-picker="/pick/organizations/?under={world.a.committee.pk}"' in html
    assert 'data-picker="/pick/people/"' in html
    assert 'name="milestones-TOTAL_FORMS"' in html and "<template data-rows-template>" in html
    assert 'value="01/01/2026"' in html and 'type="date"' not in html
    assert "---------" not in html


def test_plan_form_takes_regulations_by_id(secretary, world, plan):  # type: ignore[no-untyped-def]
    rulebook_load(actor=Actor.system(reason="test"))
    directive = Regulation.objects.get(number="05", symbol="CT/TW")
    url = f"/plans/{plan.pk}/edit/"
    data = {"title": "KH 2026", "period_start": "01/01/2026", "period_end": "31/12/2026"}
    bad = secretary.post(url, {**data, "regulations": [directive.pk, 999999]})
    assert bad.status_code == 200 and "999999 was not found" in " ".join(
        bad.context["form"].errors["regulations"]
    )
    with activate(Scope.everything(reason="test")):
        assert Plan.objects.get(pk=plan.pk).title == "KH"
    assert secretary.post(url, {**data, "regulations": [directive.pk]}).status_code == 302
    with activate(Scope.everything(reason="test")):
        assert list(Plan.objects.get(pk=plan.pk).regulations.all()) == [directive]
    html = secretary.get(url).content.decode()
    assert 'data-picker="/rulebook/regulations/pick/"' in html and "05-CT/TW — Về đẩy mạnh" in html
