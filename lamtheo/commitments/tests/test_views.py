"""The screens through the test client: the member's journey, the secretary's cockpit, the evaluation
screen, the residence cell's form, documents opened back, and who sees what."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.contrib.auth import get_user_model

from lamtheo.commitments import services
from lamtheo.commitments.models import (
    CommitmentItem,
    CommitmentPlan,
    CultivationPlanStatus,
    Evaluation,
    GradingExemption,
    ResidenceComment,
    YearLock,
)
from lamtheo.core.scoping import Scope, activate
from lamtheo.remediation.models import RemediationItem

from .conftest import approved_plan, graded_members, yearend

pytestmark = pytest.mark.django_db
D = dt.date
ALL = Scope.everything(reason="test")


def _plan(pk: int) -> CommitmentPlan:
    return CommitmentPlan.objects.unscoped(reason="test").get(pk=pk)


def test_member_registers_writes_and_submits(client, cast):  # type: ignore[no-untyped-def]
    client.force_login(cast.member_user)
    page = client.get("/commitments/")
    assert page.status_code == 200 and "No plan yet" in page.content.decode()
    response = client.post("/commitments/", {"year": 2026, "copy_unfinished": "on", "copy_remediation": "on"})
    plan = CommitmentPlan.objects.unscoped(reason="test").get(person=cast.member, year=2026)
    assert response.status_code == 302 and response["Location"] == f"/commitments/plans/{plan.pk}/"
    detail = client.get(f"/commitments/plans/{plan.pk}/").content.decode()
    assert "Lê Thị Hoa A" in detail
    # A second registration for the same year: a clear error, nothing written.
    again = client.post("/commitments/", {"year": 2026})
    assert again.status_code == 200 and "already has a plan" in again.content.decode()
    assert CommitmentPlan.objects.unscoped(reason="test").count() == 1
    # An item without content: the form says so and writes nothing.
    items_before = CommitmentItem.objects.unscoped(reason="test").count()
    bad = client.post(f"/commitments/plans/{plan.pk}/items/new/", {"section": "duties", "content": " "})
    assert bad.status_code == 200 and "Write what you commit to" in bad.content.decode()
    assert CommitmentItem.objects.unscoped(reason="test").count() == items_before
    for section in ("duties", "following"):
        ok = client.post(f"/commitments/plans/{plan.pk}/items/new/", {
            "section": section, "content": f"Hoàn thành {section}", "measures": "Hằng tháng", "timeline": "Cả năm",
            "target": "100%",
        })  # fmt: skip
        assert ok.status_code == 302
    item = CommitmentItem.objects.unscoped(reason="test").get(plan=plan, section="duties")
    client.post(
        f"/commitments/items/{item.pk}/edit/", {"section": "duties", "content": "Hoàn thành 12/12 chỉ tiêu"}
    )
    item.refresh_from_db()
    assert item.content == "Hoàn thành 12/12 chỉ tiêu"
    client.post(f"/commitments/plans/{plan.pk}/submit/")
    assert _plan(plan.pk).status == CultivationPlanStatus.SUBMITTED
    # After submission the member can no longer edit: the plan says why and what to do.
    locked = client.get(f"/commitments/items/{item.pk}/edit/", follow=True)
    assert locked.redirect_chain[-1][0] == f"/commitments/plans/{plan.pk}/"
    assert "waits for approval, so it cannot be changed now" in locked.content.decode()


def test_fellow_members_and_other_branches_see_nothing(client, world, cast):  # type: ignore[no-untyped-def]
    from lamtheo.organizations.models import Role, RoleGrant

    plan = approved_plan(cast)
    users = get_user_model()
    from conftest import SYSTEM
    from lamtheo.organizations import services as org_services

    with activate(ALL):
        person = org_services.person_create(
            actor=SYSTEM, code="PA9", full_name="Đỗ Văn Tùng A", gender="male", date_of_birth=D(1990, 1, 1),
            is_party_member=True, admission_date=D(2015, 1, 1), official_date=D(2016, 1, 1), party_cell=world.a.cell,
        )  # fmt: skip
        fellow = users.objects.create_user("fellow", password="x-pass-123", person=person)
        RoleGrant.objects.create(user=fellow, role=Role.objects.get(code="member"), organization=world.a.cell)
    client.force_login(fellow)  # a member of the same cell (with the member role only)
    assert client.get(f"/commitments/plans/{plan.pk}/").status_code == 404
    assert client.get(f"/commitments/plans/{plan.pk}/document.docx").status_code == 404
    assert client.get(f"/commitments/cockpit/{world.a.cell.pk}/").status_code == 404
    client.force_login(cast.b_secretary)
    assert client.get(f"/commitments/plans/{plan.pk}/").status_code == 404
    assert client.post(f"/commitments/plans/{plan.pk}/approve/").status_code == 404


def test_documents_open_back(client, cast):  # type: ignore[no-untyped-def]
    import docx
    from pypdf import PdfReader

    plan = approved_plan(cast)
    yearend(cast, plan, grade="good", score=82)
    client.force_login(cast.member_user)
    response = client.get(f"/commitments/plans/{plan.pk}/document.docx?assessment=1")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Lê Thị Hoa A" in text and "BẢN TỰ KIỂM ĐIỂM" in text
    assert "Chi bộ Tổ dân phố A1".upper() in text.upper() and "82" in text
    pdf = client.get(f"/commitments/plans/{plan.pk}/document.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 1


def test_self_assessment_screen(client, cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    client.force_login(cast.member_user)
    with activate(ALL):
        items = list(plan.items.all())
    form = {f"result-{i.pk}": "done" for i in items}
    bad = client.post(
        f"/commitments/plans/{plan.pk}/assess/yearend/", {**form, "self_grade": "good", "self_score": "150"}
    )
    assert bad.status_code == 400 and "between 0 and 100" in bad.content.decode()
    assert _plan(plan.pk).yearend_at is None
    ok = client.post(
        f"/commitments/plans/{plan.pk}/assess/yearend/",
        {
            **form,
            f"evidence-{items[0].pk}": "Giấy khen",
            "self_grade": "good",
            "self_score": "81",
            "summary": "Tốt",
        },
    )
    assert ok.status_code == 302
    plan = _plan(plan.pk)
    assert plan.self_grade == "good" and plan.yearend_summary == "Tốt"


def test_residence_screen(client, cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    client.force_login(cast.cell_secretary)
    page = client.get(f"/commitments/plans/{plan.pk}/residence/").content.decode()
    assert 'value="WA-C2"' in page  # the member's residence cell on record is proposed
    unknown = client.post(
        f"/commitments/plans/{plan.pk}/residence/", {"residence_code": "NOPE", "due_date": "2026-12-20"}
    )
    assert unknown.status_code == 200 and "No open party cell has this code" in unknown.content.decode()
    assert not ResidenceComment.objects.unscoped(reason="test").exists()
    response = client.post(f"/commitments/plans/{plan.pk}/residence/", {
        "residence_code": "WA-C2", "due_date": "2026-12-20",
    })  # fmt: skip
    assert response.status_code == 302
    comment = ResidenceComment.objects.unscoped(reason="test").get(plan=plan)
    client.force_login(cast.residence_secretary)
    inbox = client.get("/commitments/residence/").content.decode()
    assert "Lê Thị Hoa A" in inbox
    bad = client.post(f"/commitments/residence/{comment.pk}/", {"rating-civic": "good", "signed_by": "Bình"})
    assert bad.status_code == 400 and "Rate every item" in bad.content.decode()
    ok = client.post(f"/commitments/residence/{comment.pk}/", {
        "rating-civic": "good", "rating-ethics": "good", "rating-trust": "good", "comment": "Tốt", "signed_by": "Bình",
    })  # fmt: skip
    assert ok.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "returned" and comment.signed_by == "Bình"
    # Returned: the form is read-only now.
    again = client.post(f"/commitments/residence/{comment.pk}/", {"signed_by": "X"})
    assert again.status_code == 404


def test_evaluation_screen_side_by_side_and_conflict(client, world, cast):  # type: ignore[no-untyped-def]
    graded_members(world, cast, 2026, ["good"] * 4)
    plan = approved_plan(cast)
    yearend(cast, plan, grade="good", score=84)
    client.force_login(cast.cell_secretary)
    page = client.get(f"/commitments/plans/{plan.pk}/evaluate/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đã thực hiện" in html  # the member's evidence, next to the residence comment and the system's
    assert "0 / 0" in html  # the quota before saving: no excellent yet, and 4 rated good allow none
    response = client.post(f"/commitments/plans/{plan.pk}/evaluate/", {
        "stage": "propose", "grade": "good", "score": "80", "version": "0",
        "shortcomings-TOTAL_FORMS": "3", "shortcomings-INITIAL_FORMS": "0",
        "shortcomings-0-description": "Chưa gương mẫu ở khu dân cư", "shortcomings-0-due_date": "30/06/2027",
    })  # fmt: skip
    assert response.status_code == 302
    assert RemediationItem.objects.unscoped(reason="test").get(person=cast.member).due_date == D(2027, 6, 30)
    stale = client.post(f"/commitments/plans/{plan.pk}/evaluate/", {
        "stage": "propose", "grade": "completed", "score": "60", "version": "0",
    })  # fmt: skip
    assert stale.status_code == 409 and "Someone else changed" in stale.content.decode()
    bad_line = client.post(f"/commitments/plans/{plan.pk}/evaluate/", {
        "stage": "propose", "grade": "good", "score": "80", "version": "1",
        "shortcomings-TOTAL_FORMS": "3", "shortcomings-INITIAL_FORMS": "0",
        "shortcomings-1-description": "sớm khắc phục",
    })  # fmt: skip
    assert (
        bad_line.status_code == 200
        and "Shortcoming 2 — Remedy due: Give the due date" in bad_line.content.decode()
    )
    assert Evaluation.objects.unscoped(reason="test").get(plan=plan).grade == "good"
    # The ward decides.
    client.force_login(cast.ward_secretary)
    response = client.post(f"/commitments/plans/{plan.pk}/evaluate/", {
        "stage": "decide", "grade": "good", "score": "80", "version": "1",
    })  # fmt: skip
    assert response.status_code == 302
    assert Evaluation.objects.unscoped(reason="test").get(plan=plan).decided_grade == "good"


def test_cockpit_counts_reminds_approves_and_locks(  # type: ignore[no-untyped-def]
    client, world, cast, mailoutbox, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    owner = cast.actor("member_user")
    with activate(owner.scope):
        plan = services.cultivation_plan_register(actor=owner, person=cast.member, year=2026)
        from .conftest import fill_minimum

        fill_minimum(owner, plan)
        services.cultivation_plan_submit(actor=owner, plan=plan)
    graded_members(world, cast, 2026, ["good", "excellent", "completed", "good", "good", "good"])
    client.force_login(cast.ward_secretary)
    # A fixed number whatever the members: the units below add five grouped queries to the ward's page, the
    # ratings of organizations four (the scheme, the cells, their ratings, who decides them).
    with django_assert_max_num_queries(40):
        page = client.get(f"/commitments/cockpit/{world.a.committee.pk}/?year=2026")
    html = page.content.decode()
    assert page.status_code == 200 and "Lê Thị Hoa A" in html and "Nguyễn Văn Đức A" in html
    cockpit = page.context["c"]
    assert cockpit.counts["members"] == 8 and cockpit.counts["submitted"] == 1 and cockpit.counts["none"] == 1
    assert {code: n for code, _label, n in cockpit.grades} == {
        "excellent": 1,
        "good": 4,
        "completed": 1,
        "not_completed": 0,
    }
    ((grassroots, quota),) = cockpit.quotas
    assert grassroots == world.a.committee and (quota.count, quota.base, quota.limit, quota.ok) == (
        1,
        5,
        1,
        True,
    )
    only_none = client.get(f"/commitments/cockpit/{world.a.committee.pk}/?year=2026&status=none").context[
        "rows"
    ]
    assert [r.person.pk for r in only_none] == [world.a.member.pk]
    submitted = client.get(
        f"/commitments/cockpit/{world.a.committee.pk}/?year=2026&status=submitted"
    ).context["rows"]
    assert [r.person.pk for r in submitted] == [cast.member.pk]
    # Bulk reminders: the member who has not submitted and the one who has not registered.
    with activate(ALL):
        world.a.member.user.email = "duc@example.vn"
        world.a.member.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/commitments/cockpit/{world.a.committee.pk}/remind/?year=2026",
                               {"person": [world.a.member.pk, cast.member.pk]})  # fmt: skip
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["duc@example.vn"]]  # Hoa's plan is submitted: nothing owed now
    # Bulk approval.
    client.post(f"/commitments/cockpit/{world.a.committee.pk}/approve/?year=2026", {"plan": [plan.pk]})
    assert _plan(plan.pk).status == CultivationPlanStatus.APPROVED
    # Lock: refused while members are neither rated nor excused, named in the message.
    refused = client.post(f"/commitments/cockpit/{world.a.committee.pk}/lock/", {"year": "2026"}, follow=True)
    assert "2 members are neither rated nor excused" in refused.content.decode()
    assert not YearLock.objects.unscoped(reason="test").exists()
    # The cockpit offers "not rated…" on their rows, never on one's own (the ward secretary is Đức);
    # a reason outside the rules' list is refused.
    cockpit_url = f"/commitments/cockpit/{world.a.committee.pk}/?year=2026"
    screen = f"/commitments/cockpit/{world.a.committee.pk}/not-rated/?year=2026"
    html = client.get(cockpit_url).content.decode()
    assert f"not-rated/?year=2026&amp;person={cast.member.pk}" in html
    assert f"person={world.a.member.pk}" not in html
    own = client.post(screen, {"person": world.a.member.pk, "reason": "exempt_from_activities"})
    assert own.status_code == 400
    bad = client.post(screen, {"person": cast.member.pk, "reason": "on_holiday", "note": ""})
    assert bad.status_code == 400 and not GradingExemption.objects.unscoped(reason="test").exists()
    page = client.get(f"{screen}&person={cast.member.pk}").content.decode()
    assert "Được miễn công tác và sinh hoạt đảng" in page and "Lê Thị Hoa A" in page
    ok = client.post(screen, {"person": cast.member.pk, "reason": "exempt_from_activities",
                              "note": "Quyết định số 15-QĐ/ĐU"})  # fmt: skip
    assert ok.status_code == 302
    row = GradingExemption.objects.unscoped(reason="test").get(person=cast.member)
    assert (row.reason, row.note, row.recorded_by_id) == (
        "exempt_from_activities", "Quyết định số 15-QĐ/ĐU", cast.ward_secretary.pk,
    )  # fmt: skip
    client.force_login(cast.cell_secretary)  # Đức's own cell records his
    ok = client.post(f"/commitments/cockpit/{world.a.cell.pk}/not-rated/?year=2026",
                     {"person": world.a.member.pk, "reason": "suspended"})  # fmt: skip
    assert ok.status_code == 302
    client.force_login(cast.ward_secretary)
    html = client.get(f"/commitments/cockpit/{world.a.committee.pk}/?year=2026").content.decode()
    assert "Được miễn công tác và sinh hoạt đảng" in html
    client.post(f"/commitments/cockpit/{world.a.committee.pk}/lock/", {"year": "2026"})
    page = client.get(f"/commitments/cockpit/{world.a.committee.pk}/?year=2026")
    assert page.context["c"].lock is not None and not page.context["can_lock"]
    client.force_login(cast.member_user)
    response = client.post(f"/commitments/plans/{plan.pk}/assess/midyear/", {})
    assert response.status_code == 400 and "locked" in response.content.decode()


def test_remediation_screens(client, world, cast):  # type: ignore[no-untyped-def]
    with activate(ALL):
        item = RemediationItem.objects.create(
            organization=world.a.cell, person=cast.member, owner=cast.member, source="inspection", year=2026,
            description="Chưa trả lời kiến nghị của cử tri", due_date=D(2026, 12, 31),
        )  # fmt: skip
    client.force_login(cast.member_user)
    assert "Chưa trả lời kiến nghị" in client.get(f"/remediation/{item.pk}/").content.decode()
    bad = client.post(f"/remediation/{item.pk}/report/", {"note": ""})
    assert bad.status_code == 400 and "Say what was done" in bad.content.decode()
    item.refresh_from_db()
    assert item.status == "open"
    from django.core.files.uploadedfile import SimpleUploadedFile

    no_file = client.post(f"/remediation/{item.pk}/report/", {"note": "Đã trả lời bằng văn bản"})
    assert "Attach the evidence" in no_file.content.decode()  # an inspection finding is answered with a file
    client.post(f"/remediation/{item.pk}/report/", {
        "note": "Đã trả lời bằng văn bản", "evidence": SimpleUploadedFile("tra-loi.pdf", b"%PDF-1.4 reply"),
    })  # fmt: skip
    client.post(f"/remediation/{item.pk}/verify/", {"note": "tự xác nhận"})  # nobody verifies their own
    item.refresh_from_db()
    assert item.status == "reported"
    client.force_login(cast.ward_secretary)
    listing = client.get("/remediation/?status=reported").content.decode()
    assert "Chưa trả lời kiến nghị" in listing
    client.post(f"/remediation/{item.pk}/verify/", {"note": "Đã kiểm tra"})
    item.refresh_from_db()
    assert item.status == "verified"


def test_cockpit_export_opens_back(client, world, cast):  # type: ignore[no-untyped-def]
    import openpyxl

    approved_plan(cast)
    client.force_login(cast.ward_secretary)
    response = client.get(f"/commitments/cockpit/{world.a.committee.pk}/export.xlsx?year=2026")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [r for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ("Person code", "Party member")
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Lê Thị Hoa A"][3] == "Approved" and by_name["Nguyễn Văn Đức A"][3] == "Not registered"
    assert "Nguyễn Văn Đức B" not in by_name


def test_statistics_api_is_scoped(client, world, cast):  # type: ignore[no-untyped-def]
    graded_members(world, cast, 2026, ["good", "excellent"])
    approved_plan(cast)
    client.force_login(cast.ward_secretary)
    body = client.get(f"/api/v1/commitments/statistics?organization={world.a.committee.pk}&year=2026").json()
    assert body["members"] == 4 and body["registered"] == 3 and body["by_status"] == {"approved": 3}
    assert body["by_grade"] == {"good": 1, "excellent": 1} and body["registration_rate"] == 75.0
    assert (
        client.get("/api/v1/commitments/statistics?year=2026").json()["organization_id"]
        == world.a.committee.pk
    )
    out = client.get(f"/api/v1/commitments/statistics?organization={world.b.committee.pk}")
    assert out.status_code == 404 and out.json() == {"detail": "Not found.", "field": None}
    client.force_login(cast.member_user)  # a member follows no cell
    assert client.get(f"/api/v1/commitments/statistics?organization={world.a.cell.pk}").status_code == 404


def test_a_refused_transition_keeps_what_was_typed(client, cast):  # type: ignore[no-untyped-def]
    from .conftest import fill_minimum

    member = cast.actor("member_user")
    with activate(member.scope):
        plan = services.cultivation_plan_register(actor=member, person=cast.member, year=2026)
        fill_minimum(member, plan)
        services.cultivation_plan_submit(actor=member, plan=plan)
    client.force_login(cast.cell_secretary)
    long = "Bổ sung chỉ tiêu. " * 400  # over the 5,000-character limit
    response = client.post(f"/commitments/plans/{plan.pk}/return/", {"comment": long})
    assert response.status_code == 400 and "Bổ sung chỉ tiêu." in response.content.decode()
    empty = client.post(f"/commitments/plans/{plan.pk}/return/", {"comment": ""})
    assert empty.status_code == 400 and "Say what should change" in empty.content.decode()
    assert _plan(plan.pk).status == CultivationPlanStatus.SUBMITTED


def test_history_is_for_the_member_and_holders_of_view_history(client, world, cast):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Permission

    from lamtheo.organizations.models import Role, RoleGrant

    plan = approved_plan(cast)
    client.force_login(cast.member_user)
    page = client.get(f"/commitments/plans/{plan.pk}/history/")
    assert page.status_code == 200 and "approved" in page.content.decode().lower()
    with activate(ALL):
        role = Role.objects.create(code="plan_reader", name="Reads plans", order=99)
        role.permissions.set([Permission.objects.get(codename="review_commitmentplan")])
        reader = get_user_model().objects.create_user("reader", password="x-pass-123")
        RoleGrant.objects.create(user=reader, role=role, organization=world.a.committee)
    client.force_login(reader)
    detail = client.get(f"/commitments/plans/{plan.pk}/")
    assert (
        detail.status_code == 200 and f"/commitments/plans/{plan.pk}/history/" not in detail.content.decode()
    )
    assert client.get(f"/commitments/plans/{plan.pk}/history/").status_code == 404


def test_a_late_self_assessment_screen_asks_for_the_reason(client, cast):  # type: ignore[no-untyped-def]
    from .conftest import on_day

    plan = approved_plan(cast)
    client.force_login(cast.member_user)
    with activate(ALL):
        items = list(plan.items.all())
    form = {f"result-{i.pk}": "done" for i in items}
    url = f"/commitments/plans/{plan.pk}/assess/midyear/"
    page = client.get(url).content.decode()
    assert 'name="late_reason"' in page and "15/07/2026" in page
    bad = client.post(url, form)
    assert bad.status_code == 400 and "give the reason it is entered late" in bad.content.decode()
    assert _plan(plan.pk).midyear_at is None
    assert client.post(url, {**form, "late_reason": "Nằm viện tháng 7"}).status_code == 302
    assert _plan(plan.pk).midyear_late_reason == "Nằm viện tháng 7"
    with on_day(dt.date(2026, 7, 1)), mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 7, 1)):
        assert 'name="late_reason"' not in client.get(url).content.decode()
