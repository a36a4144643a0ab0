"""Which levels' plans the level above approves is rulebook data: by the seed a party committee issues its own
plan; other units (a cell) still send theirs up; without a rule every plan is approved from above."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import SYSTEM
from lamtheo.core.errors import DomainError
from lamtheo.core.scoping import Scope, activate
from lamtheo.planning import selectors, services
from lamtheo.planning.models import PlanStatus
from lamtheo.rulebook.models import PlanApproval
from lamtheo.rulebook.services import DEFAULT_FILE, rulebook_load

D = dt.date
pytestmark = pytest.mark.django_db


def _plan_with_a_task(actor, organization, responsible):  # type: ignore[no-untyped-def]
    with activate(actor.scope):
        plan = services.plan_create(actor=actor, organization=organization, title="Kế hoạch năm 2026",
                                    period_start=D(2026, 1, 1), period_end=D(2026, 12, 31))  # fmt: skip
        services.task_create(actor=actor, plan=plan, title="Học tập chuyên đề", responsible=responsible,
                             start=D(2026, 1, 1), due=D(2026, 6, 30))  # fmt: skip
    return plan


@pytest.fixture
def seeded(world):  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")):
        rulebook_load(actor=SYSTEM)
    return world


def test_a_committee_issues_its_own_plan_and_a_cell_still_sends_it_up(seeded, people, client):  # type: ignore[no-untyped-def]
    world, ward, cell = seeded, people["ward"], people["cell"]
    plan = _plan_with_a_task(ward, world.a.committee, world.a.cell)
    client.force_login(world.a.secretary_user)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Ban hành kế hoạch" in page and "Trình duyệt" not in page
    with activate(ward.scope):
        services.plan_submit(actor=ward, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED  # issued: nobody above had to approve it
    last = plan.history.order_by("-history_date").first()
    assert (last.history_change_reason, last.actor_role) == ("issue", "secretary")
    history = client.get(f"/plans/{plan.pk}/history/").content.decode()
    assert "đơn vị tự ban hành" in history
    own = _plan_with_a_task(cell, world.a.cell, world.a.cell)
    with activate(cell.scope):
        services.plan_submit(actor=cell, plan=own)
    own.refresh_from_db()
    assert own.status == PlanStatus.SUBMITTED  # a cell's plan waits for the ward


def test_the_rule_is_data(seeded, people):  # type: ignore[no-untyped-def]
    world, ward = seeded, people["ward"]
    PlanApproval.objects.filter(kind="party_committee").update(needs_approval=True)
    plan = _plan_with_a_task(ward, world.a.committee, world.a.cell)
    with activate(ward.scope):
        services.plan_submit(actor=ward, plan=plan)
        plan = selectors.plan_for_actor(actor=ward, pk=plan.pk)
    assert plan.status == PlanStatus.SUBMITTED


def test_without_a_rule_every_plan_goes_up(world, people):  # type: ignore[no-untyped-def]
    assert not PlanApproval.objects.exists()
    plan = _plan_with_a_task(people["ward"], world.a.committee, world.a.cell)
    with activate(people["ward"].scope):
        services.plan_submit(actor=people["ward"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"kind": "district", "needs_approval": False, "source": "x"}], "unknown organization kind"),
        ([{"kind": "party_cell", "needs_approval": "no", "source": "x"}], "true or false"),
        ([{"kind": "party_cell", "needs_approval": True, "source": " "}], "source"),
        (
            [{"kind": "party_cell", "needs_approval": True, "source": "x"}] * 2,
            "one rule per organization kind",
        ),
    ],
)
def test_a_bad_rule_stops_the_load_and_writes_nothing(world, tmp_path, rows, message):  # type: ignore[no-untyped-def]
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    data["plan_approvals"] = rows
    path = tmp_path / "rulebook.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with activate(Scope.everything(reason="test")), pytest.raises(DomainError, match=message):
        rulebook_load(actor=SYSTEM, path=path)
    assert not PlanApproval.objects.exists()
