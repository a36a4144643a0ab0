"""Planning fixtures: a ward planner, a cell planner, a city approver; an approved ward plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from conftest import actor_of
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations.models import Role, RoleGrant
from lamtheo.planning import selectors, services

D = dt.date


@pytest.fixture
def people(world):  # type: ignore[no-untyped-def]
    """The ward secretary (plans the ward), a cell secretary, and a city propaganda officer (approves)."""
    users = get_user_model()
    with activate(Scope.everything(reason="test")):
        cell_user = users.objects.create_user("bithu-cell-a1", password="x-pass-123")
        city_user = users.objects.create_user("tuyengiao-city", password="x-pass-123")
        RoleGrant.objects.create(
            user=cell_user, role=Role.objects.get(code="secretary"), organization=world.a.cell
        )
        RoleGrant.objects.create(
            user=city_user, role=Role.objects.get(code="propaganda_officer"), organization=world.root
        )
    return {
        "ward": actor_of(world.a.secretary_user),
        "cell": actor_of(cell_user),
        "city": actor_of(city_user),
    }


def _approved_ward_plan(world, people, *, weights=(None, None)):  # type: ignore[no-untyped-def]
    ward = people["ward"]
    with activate(ward.scope):
        plan = services.plan_create(actor=ward, organization=world.a.committee, title="Kế hoạch thực hiện Chỉ thị 05 năm 2026",
                                    period_start=D(2026, 1, 1), period_end=D(2026, 12, 31))  # fmt: skip
        t1 = services.task_create(actor=ward, plan=plan, title="Tổ chức học tập chuyên đề năm 2026", responsible=world.a.cell,
                                  start=D(2026, 1, 15), due=D(2026, 6, 30), weight=weights[0])  # fmt: skip
        t2 = services.task_create(actor=ward, plan=plan, title="Đăng ký làm theo", responsible=world.a.committee,
                                  start=D(2026, 1, 1), due=D(2026, 12, 31), value_type="number", target_value=200,
                                  indicator="Số đảng viên đăng ký", unit="người", weight=weights[1])  # fmt: skip
        services.plan_submit(actor=ward, plan=plan)
    with activate(people["city"].scope):
        plan = selectors.plan_for_actor(actor=people["city"], pk=plan.pk)
        services.plan_approve(actor=people["city"], plan=plan)
    return plan, t1, t2
