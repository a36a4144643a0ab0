"""The follow-up dashboard: shortcomings by unit and severity (open, overdue against the due date in force,
verified), the Fronts' on-time reply rate, findings that repeat; the same figures counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import SYSTEM, actor_of
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations import services as org_services
from lamtheo.oversight import selectors, services
from lamtheo.oversight.models import Step
from lamtheo.remediation import selectors as remediation_selectors
from lamtheo.remediation import services as remediation_services
from lamtheo.remediation.models import RemediationItem
from lamtheo.rulebook.models import Criterion

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 30)


def _concluded(officer, world, team, subject, findings, day):  # type: ignore[no-untyped-def]
    case = services.case_open(actor=officer, organization=world.a.committee, kind="inspection", mode="thematic",
                              year=2026, title="Kiểm tra", subject_organization=subject)  # fmt: skip
    for n, step in enumerate((Step.DECISION, Step.PLAN, Step.NOTIFICATION)):
        services.case_record_step(actor=officer, case=case, step=step, issued_on=day + dt.timedelta(days=n),
                                  number=n + 1, issuer="ĐU", leader=world.a.member, team=[team.peer])  # fmt: skip
    services.case_record_step(actor=officer, case=case, step=Step.SELF_REPORT, issued_on=day + dt.timedelta(days=3),
                              summary="BC")  # fmt: skip
    for severity, criterion in findings:
        services.finding_add(actor=officer, case=case, condition="Phát hiện", severity=severity, criterion=criterion,
                             recommendation="Khắc phục")  # fmt: skip
    services.case_record_step(actor=officer, case=case, step=Step.SESSION, issued_on=day + dt.timedelta(days=4),
                              summary="BB")  # fmt: skip
    services.case_record_step(actor=officer, case=case, step=Step.RESULTS_REPORT, issued_on=day + dt.timedelta(days=5),
                              number=9, issuer="ĐU")  # fmt: skip
    services.case_record_step(actor=officer, case=case, step=Step.CONCLUSION, issued_on=day + dt.timedelta(days=6),
                              number=10, issuer="ĐU")  # fmt: skip
    return case


def test_the_dashboard_counts_by_unit_and_severity_as_by_hand(world, team):  # type: ignore[no-untyped-def]
    officer = team.actor("inspector")
    with activate(Scope.everything(reason="test")):
        cell2 = org_services.organization_create(actor=SYSTEM, code="WA-C2", name="Chi bộ A2", kind="party_cell",
                                                 parent=world.a.committee, valid_from=D(2025, 7, 1))  # fmt: skip
        crit = Criterion.objects.order_by("id").first()
    # Cell A1: inspected twice on the same criterion (a repeat); cell A2 once.
    _concluded(officer, world, team, world.a.cell, [("violation", crit), ("shortcoming", None)], D(2026, 1, 5))
    _concluded(officer, world, team, world.a.cell, [("shortcoming", crit), ("strength", crit)], D(2026, 9, 1))
    _concluded(officer, world, team, cell2, [("shortcoming", None)], D(2026, 10, 1))
    with activate(Scope.everything(reason="test")):
        items = list(RemediationItem.objects.order_by("id"))
    # Verify one: the A1 violation (due 10/02, overdue otherwise).
    sec = actor_of(world.a.secretary_user)
    remediation_services.remediation_report(actor=sec, item=items[0], note="Đã kiểm điểm",
                                            evidence=SimpleUploadedFile("bb.pdf", b"%PDF-1.4 x"))  # fmt: skip
    remediation_services.remediation_verify(actor=officer, item=items[0], note="Đạt")
    data = remediation_selectors.remediation_dashboard(actor=officer, root=world.a.committee, today=TODAY)
    rows = {r.name: r for r in data["rows"]}
    a1, a2 = rows[world.a.cell.name], rows["Chi bộ A2"]
    # By hand: A1 has a verified violation, an overdue shortcoming (due 11/04) and one due 07/12 (not yet).
    assert a1.counts["violation"] == {"open": 0, "overdue": 0, "verified": 1, "total": 1}
    assert a1.counts["shortcoming"] == {"open": 2, "overdue": 1, "verified": 0, "total": 2}
    assert a2.counts["shortcoming"] == {"open": 1, "overdue": 0, "verified": 0, "total": 1}  # due 05/01/2027
    assert data["totals"] == {"open": 3, "overdue": 1, "verified": 1, "total": 4}
    # An extension moves the due date in force: the overdue A1 shortcoming is no longer overdue.
    remediation_services.remediation_extend(actor=officer, item=items[1], until=D(2026, 12, 31),
                                            reason="Chờ kết quả hội nghị chi bộ")  # fmt: skip
    data = remediation_selectors.remediation_dashboard(actor=officer, root=world.a.committee, today=TODAY)
    assert data["totals"]["overdue"] == 0
    repeats = selectors.repeat_findings(actor=officer, root=world.a.committee)
    assert [(r["unit"], r["criterion"].pk, r["cases"]) for r in repeats] == [(world.a.cell.name, crit.pk, 2)]
    # Ward B sees none of it; drilling into the cell shows the cell's own row only.
    assert remediation_selectors.remediation_dashboard(actor=actor_of(world.b.officer_user), root=world.b.committee,
                                                       today=TODAY)["totals"]["total"] == 0  # fmt: skip
    cell_view = remediation_selectors.remediation_dashboard(actor=officer, root=world.a.cell, today=TODAY)
    assert [(r.name, r.is_self, r.total("total")) for r in cell_view["rows"]] == [(world.a.cell.name, True, 3)]


def test_the_front_reply_rate(world, team):  # type: ignore[no-untyped-def]
    front = team.actor("front_officer")
    sup = services.supervision_open(actor=front, organization=team.front, subject_person=world.a.member,
                                    topic="Cam kết", opened_on=D(2026, 3, 1))  # fmt: skip
    recs = [services.recommendation_issue(actor=front, supervision=sup, text=f"Kiến nghị {n}", issued_on=D(2026, 3, 10),
                                          reply_by=due) for n, due in enumerate((D(2026, 4, 1), D(2026, 12, 31), D(2026, 4, 1)))]  # fmt: skip
    addressee = actor_of(world.a.secretary_user)
    remediation_services.remediation_report(actor=addressee, item=recs[1], note="Đã trả lời",
                                            evidence=SimpleUploadedFile("tl.pdf", b"%PDF-1.4 x"))  # fmt: skip
    # Reply 0 is late and unanswered, reply 1 answered in time, reply 2 late: 1 of 3 due or answered.
    data = remediation_selectors.remediation_dashboard(actor=actor_of(world.a.officer_user), root=world.a.committee,
                                                       today=TODAY)  # fmt: skip
    assert data["front"] == {"due": 3, "on_time": 1}
    late = selectors.front_recommendations_late(actor=front, today=TODAY)
    assert late == {"count": 2, "oldest": D(2026, 4, 1)}


def test_the_dashboard_page_and_its_excel_file(client, world, team):  # type: ignore[no-untyped-def]
    import io

    import openpyxl

    officer = team.actor("inspector")
    _concluded(officer, world, team, world.a.cell, [("violation", None), ("shortcoming", None)], D(2026, 1, 5))
    client.force_login(team.inspector)
    page = client.get("/oversight/dashboard/")
    assert page.status_code == 200 and "Follow-up dashboard" in page.content.decode()
    assert client.get(f"/oversight/dashboard/?org={world.b.committee.pk}").status_code == 404
    assert client.get(f"/oversight/dashboard/export.xlsx?org={world.b.committee.pk}").status_code == 404
    with __import__("unittest").mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        response = client.get(f"/oversight/dashboard/export.xlsx?org={world.a.committee.pk}")
    assert response.status_code == 200 and 'filename="theo-doi-khac-phuc-WA-20261130.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["Unit", "Not yet verified", "Overdue", "Verified"]
    assert rows[0][4:6] == ["Violation: not yet verified", "Violation: overdue"]
    # Both remedies (due 10/02 and 11/04) are overdue on 30/11: the cell's row, then the total.
    assert rows[1][:6] == [world.a.cell.name, 2, 2, 0, 1, 1] and rows[-1][:4] == ["Total", 2, 2, 0]
    client.force_login(team.peer_user)
    assert client.get("/oversight/dashboard/").status_code == 404
