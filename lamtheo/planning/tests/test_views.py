"""Planning screens: the task form's milestones and co-operating units, evidence files behind scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lamtheo.core.scoping import Scope, activate
from lamtheo.planning import services
from lamtheo.planning.models import Milestone, Task

from .conftest import _approved_ward_plan

pytestmark = pytest.mark.django_db


def test_task_form_with_milestones_and_cooperating_units(client, world, people):  # type: ignore[no-untyped-def]
    ward = people["ward"]
    with activate(ward.scope):
        plan = services.plan_create(actor=ward, organization=world.a.committee, title="KH", period_start=dt.date(2026, 1, 1),
                                    period_end=dt.date(2026, 12, 31))  # fmt: skip
    client.force_login(world.a.secretary_user)
    client.cookies["django_language"] = "en"
    data = {"title": "Sơ kết", "responsible": world.a.committee.pk, "start": "2026-01-01", "due": "2026-06-30",
            "value_type": "percent_done", "cooperating": [world.a.agency.pk],
            "milestones-TOTAL_FORMS": "3", "milestones-INITIAL_FORMS": "0",
            "milestones-0-due": "31/03/2026", "milestones-0-title": "Sơ kết quý I",
            "milestones-1-due": "30/06/2026", "milestones-1-title": "Sơ kết 6 tháng"}  # fmt: skip
    bad = client.post(f"/plans/{plan.pk}/tasks/new/", {**data, "milestones-0-due": "hôm nay"})
    assert "Milestone 1 — Date: Enter a date as dd/mm/yyyy." in bad.content.decode()
    with activate(Scope.everything(reason="test")):
        assert not Task.objects.filter(plan=plan).exists()
    assert client.post(f"/plans/{plan.pk}/tasks/new/", data).status_code == 302
    with activate(Scope.everything(reason="test")):
        task = Task.objects.get(plan=plan)
        assert [m.title for m in Milestone.objects.filter(task=task)] == ["Sơ kết quý I", "Sơ kết 6 tháng"]
        assert list(task.cooperating.values_list("code", flat=True)) == ["WA-UB"]


def test_evidence_file_is_downloadable_only_in_scope(client, world, people):  # type: ignore[no-untyped-def]
    plan, t1, t2 = _approved_ward_plan(world, people)
    ward = people["ward"]
    with activate(ward.scope):
        report = services.report_create(actor=ward, task=t2, reported_on=dt.date(2026, 3, 1), achieved_value=20,
                                        evidence=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minutes"))  # fmt: skip
    client.force_login(world.a.secretary_user)
    response = client.get(f"/reports/{report.pk}/evidence/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    client.force_login(world.b.secretary_user)
    assert client.get(f"/reports/{report.pk}/evidence/").status_code == 404
