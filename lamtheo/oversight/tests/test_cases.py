"""A case from the decision forming the team to the notice of results: steps in order with their documents,
findings, the conclusion raising shortcomings to remedy, and every refusal writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import actor_of
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.oversight import selectors, services
from lamtheo.oversight.models import Case, CaseDocument, CaseStatus, Finding, Mode, Step
from lamtheo.remediation.models import RemediationItem, Source

pytestmark = pytest.mark.django_db
D = dt.date


def _open(actor, world, team, mode=Mode.THEMATIC):  # type: ignore[no-untyped-def]
    return services.case_open(
        actor=actor, organization=world.a.committee, kind="inspection", mode=mode, year=2026,
        title="Kiểm tra việc thực hiện Chỉ thị 05 của Chi bộ A1", subject_organization=world.a.cell,
    )  # fmt: skip


def _docs(case) -> int:  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")):
        return CaseDocument.objects.filter(case=case).count()


def _step(actor, case, step, day, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("number", 1 if step not in (Step.SELF_REPORT, Step.SESSION) else None)
    kw.setdefault("issuer", "ĐU")
    return services.case_record_step(actor=actor, case=case, step=step, issued_on=day, **kw)


def test_the_full_case_flow_ends_in_remedies_due_by_severity(world, team):  # type: ignore[no-untyped-def]
    officer = team.actor("inspector")
    case = _open(officer, world, team)
    with pytest.raises(DomainError, match="cannot be recorded now: the next step is Decision forming the team"):
        _step(officer, case, Step.CONCLUSION, D(2026, 3, 1))
    doc = _step(officer, case, Step.DECISION, D(2026, 3, 2), number=12, issuer="ĐUP",
                leader=world.a.member, team=[team.peer])  # fmt: skip
    assert doc.symbol == "12-QĐ/ĐUP"
    _step(officer, case, Step.PLAN, D(2026, 3, 3))
    with pytest.raises(DomainError, match="once the subject's self-report is in"):
        services.finding_add(actor=officer, case=case, condition="x", severity="strength")
    _step(officer, case, Step.NOTIFICATION, D(2026, 3, 4))
    _step(officer, case, Step.SELF_REPORT, D(2026, 3, 10), summary="Báo cáo tự kiểm tra của chi bộ")
    strength = services.finding_add(actor=officer, case=case, condition="Sinh hoạt chuyên đề đều", severity="strength")
    weak = services.finding_add(
        actor=officer, case=case, condition="Chưa cụ thể hóa kế hoạch năm 2026", severity="shortcoming",
        recommendation="Bổ sung kế hoạch cụ thể hóa", cause="Chưa quan tâm",
    )  # fmt: skip
    bad = services.finding_add(
        actor=officer, case=case, condition="Đảng viên vi phạm quy tắc ứng xử", severity="violation",
        recommendation="Kiểm điểm trước chi bộ", owner_person=team.peer,
    )  # fmt: skip
    assert weak.owner_organization == world.a.cell and weak.owner_person is None  # the subject by default
    _step(officer, case, Step.SESSION, D(2026, 3, 12), summary="Làm việc với chi ủy")
    _step(officer, case, Step.SESSION, D(2026, 3, 13), summary="Làm việc lần 2")  # a session may repeat
    with pytest.raises(DomainError, match="next step is Working session or Results report of the team"):
        _step(officer, case, Step.CONCLUSION, D(2026, 3, 20))
    _step(officer, case, Step.RESULTS_REPORT, D(2026, 3, 20))
    _step(officer, case, Step.CONCLUSION, D(2026, 4, 1), number=30, issuer="ĐUP")
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED and case.notified_on == D(2026, 3, 4)
    with pytest.raises(DomainError, match="concluded: findings can no longer be added"):
        services.finding_add(actor=officer, case=case, condition="x", severity="strength")
    with activate(Scope.everything(reason="test")):
        items = {i.source_ref: i for i in RemediationItem.objects.filter(source=Source.INSPECTION)}
    assert strength.source_ref not in items  # a strength raises nothing
    # Due by the seed's periods: 90 days for a shortcoming, 30 for a violation, from the conclusion.
    assert items[weak.source_ref].due_date == D(2026, 6, 30)
    assert items[weak.source_ref].owner_organization_id == world.a.cell.pk
    assert items[bad.source_ref].due_date == D(2026, 5, 1) and items[bad.source_ref].owner_id == team.peer.pk
    assert items[bad.source_ref].owner_organization_id == world.a.cell.pk  # the member's cell follows it too
    assert items[bad.source_ref].severity == "violation" and "30-KL/ĐUP" in items[bad.source_ref].source_label
    _step(officer, case, Step.NOTICE, D(2026, 4, 5))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    with pytest.raises(DomainError, match="nothing: the case is closed"):
        _step(officer, case, Step.NOTICE, D(2026, 4, 6))
    with activate(Scope.everything(reason="test")):
        reasons = list(Case.history.filter(id=case.pk).order_by("history_date").values_list(
            "history_change_reason", "actor_role"))  # fmt: skip
    assert reasons[0] == ("open", "inspection_officer") and reasons[-1] == ("notice", "inspection_officer")


def test_a_step_without_what_it_needs_is_refused_and_writes_nothing(world, team):  # type: ignore[no-untyped-def]
    officer = team.actor("inspector")
    case = _open(officer, world, team)
    with pytest.raises(DomainError, match="Name the team's leader and members"):
        _step(officer, case, Step.DECISION, D(2026, 3, 2))
    with pytest.raises(DomainError, match="Give the document's number"):
        _step(officer, case, Step.DECISION, D(2026, 3, 2), number=None, leader=world.a.member, team=[team.peer])
    bad_file = SimpleUploadedFile("virus.exe", b"MZ")
    with pytest.raises(DomainError, match="Attach a PDF"):
        _step(officer, case, Step.DECISION, D(2026, 3, 2), leader=world.a.member, team=[team.peer], file=bad_file)
    assert _docs(case) == 0
    _step(officer, case, Step.DECISION, D(2026, 3, 2), leader=world.a.member, team=[team.peer],
          file=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 test"))  # fmt: skip
    with pytest.raises(DomainError, match="before the step before it"):
        _step(officer, case, Step.PLAN, D(2026, 3, 1))
    with pytest.raises(DomainError, match="The date is in the future"):  # a notice dated ahead would open it
        _step(officer, case, Step.PLAN, dt.date.today() + dt.timedelta(days=30))
    _step(officer, case, Step.PLAN, D(2026, 3, 3))
    _step(officer, case, Step.NOTIFICATION, D(2026, 3, 4))
    with pytest.raises(DomainError, match="Upload the self-report or write it in"):
        _step(officer, case, Step.SELF_REPORT, D(2026, 3, 5))
    with pytest.raises(DomainError, match="Say what is recommended"):
        services.finding_add(actor=officer, case=case, condition="x", severity="violation")
    assert _docs(case) == 3
    with activate(Scope.everything(reason="test")):
        assert Finding.objects.count() == 0
        case.refresh_from_db()
        assert case.step == Step.NOTIFICATION and case.team.count() == 2 and case.leader == world.a.member


def test_a_conclusion_without_periods_for_the_year_is_refused(world, team):  # type: ignore[no-untyped-def]
    from lamtheo.rulebook.models import OversightRules

    officer = team.actor("inspector")
    case = _open(officer, world, team)
    for step, day in [(Step.DECISION, 2), (Step.PLAN, 3), (Step.NOTIFICATION, 4)]:
        _step(officer, case, step, D(2026, 3, day), leader=world.a.member, team=[team.peer])
    _step(officer, case, Step.SELF_REPORT, D(2026, 3, 5), summary="BC")
    services.finding_add(actor=officer, case=case, condition="x", severity="shortcoming", recommendation="y")
    _step(officer, case, Step.SESSION, D(2026, 3, 6), summary="BB")
    _step(officer, case, Step.RESULTS_REPORT, D(2026, 3, 7))
    OversightRules.objects.update(year_to=2025)
    with pytest.raises(DomainError, match="periods of inspection and supervision for 2026 are not set"):
        _step(officer, case, Step.CONCLUSION, D(2026, 3, 8))
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and _docs(case) == 6


def test_who_may_open_and_record(world, team):  # type: ignore[no-untyped-def]
    member = team.actor("peer_user")
    with pytest.raises(PermissionDenied):
        services.case_open(actor=member, organization=world.a.cell, kind="inspection", mode="regular",
                           year=2026, title="x", subject_person=team.peer)  # fmt: skip
    with pytest.raises(DomainError, match="Unknown organization"):  # ward B's officer does not see ward A
        services.case_open(actor=actor_of(world.b.officer_user), organization=world.a.committee,
                           kind="inspection", mode="regular", year=2026, title="x",
                           subject_organization=world.a.cell)  # fmt: skip
    secretary = team.actor("cell_secretary")  # may inspect its cell's members, not on signs of violation
    case = services.case_open(actor=secretary, organization=world.a.cell, kind="supervision", mode="regular",
                              year=2026, title="Giám sát đảng viên", subject_person=team.peer)  # fmt: skip
    assert case.organization == world.a.cell
    with pytest.raises(PermissionDenied, match="Only the inspection side"):
        services.case_open(actor=secretary, organization=world.a.cell, kind="inspection", mode=Mode.VIOLATION,
                           year=2026, title="x", subject_person=team.peer)  # fmt: skip
    with pytest.raises(DomainError, match="either a party member or an organization"):
        services.case_open(actor=secretary, organization=world.a.cell, kind="inspection", mode="regular",
                           year=2026, title="x")  # fmt: skip
    assert selectors.case_list(actor=secretary).count() == 1


def test_a_violation_case_keeps_its_title_off_its_remedies_and_out_of_programmes(world, team):  # type: ignore[no-untyped-def]
    officer = team.actor("inspector")
    case = services.case_open(actor=officer, organization=world.a.committee, kind="inspection",
                              mode=Mode.VIOLATION, year=2026, title="Dấu hiệu vi phạm của đảng viên Bình",
                              subject_person=team.peer)  # fmt: skip
    for n, step in enumerate((Step.DECISION, Step.PLAN, Step.NOTIFICATION)):
        _step(officer, case, step, D(2026, 3, 2 + n), leader=world.a.member, team=[team.peer])
    _step(officer, case, Step.SELF_REPORT, D(2026, 3, 6), summary="BC")
    services.finding_add(actor=officer, case=case, condition="Vi phạm", severity="violation", recommendation="Kiểm điểm")
    _step(officer, case, Step.SESSION, D(2026, 3, 7), summary="BB")
    _step(officer, case, Step.RESULTS_REPORT, D(2026, 3, 8))
    _step(officer, case, Step.CONCLUSION, D(2026, 3, 9), number=8, issuer="UBKT")
    with activate(Scope.everything(reason="test")):
        item = RemediationItem.objects.get(source=Source.INSPECTION)
    assert item.source_label == "Conclusion 8-KL/UBKT" and "Bình" not in item.source_label
    assert item.owner_id == team.peer.pk and item.owner_organization_id is None  # not shown to the cell
    programme = services.programme_create(actor=officer, organization=world.a.committee, year=2026, title="CT")
    with pytest.raises(DomainError, match="not planned in the programme"):
        services.programme_item_add(actor=officer, programme=programme, kind="inspection", mode=Mode.VIOLATION,
                                    content="x", planned_from=D(2026, 5, 1), planned_to=D(2026, 6, 1),
                                    subject_person=team.peer)  # fmt: skip
