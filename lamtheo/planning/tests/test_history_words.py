"""The history page of an implementation plan reads in Vietnamese words, after real transitions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import pgettext

from conftest import SYSTEM
from lamtheo.commitments.tests.test_history_words import RAW, entries_rows, entries_text
from lamtheo.core import audit
from lamtheo.core.scoping import Scope, activate
from lamtheo.planning import selectors, services
from lamtheo.planning.models import Plan
from lamtheo.rulebook.models import PlanApproval, Regulation
from lamtheo.rulebook.services import rulebook_load

D = dt.date
pytestmark = pytest.mark.django_db


def _label(name: str) -> str:
    with translation.override("vi"):
        return capfirst(str(Plan._meta.get_field(name).verbose_name))


@pytest.fixture
def reviewed_plan(world, people):  # type: ignore[no-untyped-def]
    """A ward plan created with content areas and a regulation, returned once by the city, then approved."""
    with activate(Scope.everything(reason="test fixture")), audit.acting(SYSTEM):
        rulebook_load(actor=SYSTEM)
        regulation = Regulation.objects.order_by("pk").first()
        # This city has its wards' plans approved from above (the seed lets a committee issue its own).
        PlanApproval.objects.filter(kind="party_committee").update(needs_approval=True)
    ward, city = people["ward"], people["city"]
    with activate(ward.scope):
        plan = services.plan_create(
            actor=ward, organization=world.a.committee, title="Kế hoạch học tập và làm theo năm 2026",
            period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), content_areas=["ideology", "style"],
            regulations=[regulation],
        )  # fmt: skip
        services.task_create(actor=ward, plan=plan, title="Học tập chuyên đề", responsible=world.a.cell,
                             start=D(2026, 1, 15), due=D(2026, 6, 30))  # fmt: skip
        services.plan_submit(actor=ward, plan=plan)
    with activate(city.scope):
        services.plan_return(actor=city, plan=selectors.plan_for_actor(actor=city, pk=plan.pk),
                             comment="Bổ sung chỉ tiêu định lượng")  # fmt: skip
    with activate(ward.scope):
        services.plan_submit(actor=ward, plan=selectors.plan_for_actor(actor=ward, pk=plan.pk))
    with activate(city.scope):
        services.plan_approve(actor=city, plan=selectors.plan_for_actor(actor=city, pk=plan.pk))
    return plan, regulation


def test_plan_history_names_roles_organizations_statuses_and_values(client, world, people, reviewed_plan):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    plan, regulation = reviewed_plan
    client.cookies["django_language"] = "vi"
    client.force_login(get_user_model().objects.get(username="tuyengiao-city"))
    body = client.get(f"/plans/{plan.pk}/history/").content.decode()
    entries, tables = entries_text(body), entries_rows(body)
    with translation.override("vi"):
        approved_verb = pgettext("history", "approved the plan")
        returned_verb = pgettext("history", "returned the plan for changes")

    approval = next(e for e in entries if approved_verb in e)
    assert approval.startswith("tuyengiao-city (Cán bộ Ban Tuyên giáo và Dân vận, Đảng bộ Thành phố Hà Nội) ")
    assert f"{_label('status')}: Đã trình duyệt → Đã phê duyệt" in approval

    i = next(n for n, e in enumerate(entries) if returned_verb in e)
    assert f"{_label('status')}: Đã trình duyệt → Trả lại để chỉnh sửa" in entries[i]
    assert tables[i][_label("review_comment")] == ["—", "Bổ sung chỉ tiêu định lượng"]

    created = tables[-1]
    # The ward secretary created it: role name and organization, not the role code.
    assert entries[-1].startswith("bithua (Bí thư, Đảng bộ phường A) "), entries[-1]
    assert created[_label("organization")] == ["Đảng bộ phường A"]  # a foreign key, by name
    assert created[_label("period_start")] == ["01/01/2026"]
    assert created[_label("period_end")] == ["31/12/2026"]
    assert created[_label("content_areas")] == ["Tư tưởng, Phong cách"]  # codes of a JSON list, as labels
    # The regulations are set right after the row is created: a change, by name (many-to-many).
    assert tables[-2] == {_label("regulations"): ["—", str(regulation)]}
    assert _label("progress") in created and created[_label("progress")] == ["0"]  # Decimal 0.00

    for entry in tables:
        for label, cells in entry.items():
            for cell in [label, *cells]:
                assert not RAW.search(cell), (label, cells)
                assert not re.search(r"\b(ideology|style)\b", cell), cell
