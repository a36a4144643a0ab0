"""A member without an account hands in the paper form: the secretary of their cell enters the plan, its items
and the self-assessment on their behalf; the record says who entered it and from what (issue 11)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lamtheo.commitments import services
from lamtheo.commitments.models import CommitmentItem, CommitmentPlan, CultivationPlanStatus
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations.tests.factories import PersonFactory

from .conftest import fill_minimum

ALL = Scope.everything(reason="test")
PDF = b"%PDF-1.4 scanned form"


@pytest.fixture
def paper_member(world):  # type: ignore[no-untyped-def]
    """A party member of cell A1 with no login account (most members of a ward)."""
    with activate(ALL):
        return PersonFactory(party_cell=world.a.cell, full_name="Trần Văn Giấy")


def _plans(person) -> int:  # type: ignore[no-untyped-def]
    with activate(ALL):
        return CommitmentPlan.objects.filter(person=person).count()


def test_the_cell_secretary_enters_the_whole_year_of_a_member_without_account(  # type: ignore[no-untyped-def]
    cast, paper_member, as_actor
):
    with as_actor(cast.cell_secretary) as sec:
        plan = services.cultivation_plan_register(actor=sec, person=paper_member, year=2026)
        assert plan.entered_by_id == cast.cell_secretary.pk
        fill_minimum(sec, plan)
        services.cultivation_plan_submit(actor=sec, plan=plan)
        # Entering and approving are the same officer at a cell: allowed, and both are on the record.
        services.cultivation_plan_approve(actor=sec, plan=plan)
        results = {i.pk: services.ItemResult(result="done", evidence="Theo phiếu") for i in plan.items.all()}
        # The paper form of mid-year came in after its due date (15/07): entered with the reason.
        services.midyear_assessment_save(
            actor=sec, plan=plan, results=results, summary="Sơ kết", late_reason="Phiếu giấy nộp muộn"
        )
        services.yearend_assessment_save(
            actor=sec, plan=plan, results=results, self_grade="good", self_score=80
        )
        plan.refresh_from_db()
    assert plan.status == CultivationPlanStatus.APPROVED and plan.yearend_at and plan.self_grade == "good"
    assert plan.entered_by_id == plan.decided_by_id == cast.cell_secretary.pk
    assert plan.midyear_late_reason == "Phiếu giấy nộp muộn" and plan.yearend_late_reason == ""
    with activate(ALL):
        history = plan.history.all()
        assert {h.status for h in history} >= {"draft", "submitted", "approved"}
        # Every write was the officer's, in their role on the cell (never "self").
        assert {h.history_user_id for h in history} == {cast.cell_secretary.pk}
        assert "self" not in {h.actor_role for h in history}
        assert {h.history_change_reason for h in history} >= {
            "register", "submit", "approve", "self-assessment midyear", "self-assessment yearend",
        }  # fmt: skip
        item_history = CommitmentItem.history.filter(plan_id=plan.pk, history_change_reason="add item")
        assert item_history.exists() and {h.history_user_id for h in item_history} == {cast.cell_secretary.pk}


def test_an_officer_never_writes_the_plan_of_a_member_who_has_an_account(cast, as_actor):  # type: ignore[no-untyped-def]
    with as_actor(cast.cell_secretary) as sec, pytest.raises(PermissionDenied):
        services.cultivation_plan_register(actor=sec, person=cast.member, year=2026)
    assert _plans(cast.member) == 0
    with as_actor(cast.member_user) as member:
        plan = services.cultivation_plan_register(actor=member, person=cast.member, year=2026)
    items = CommitmentItem.objects.unscoped(reason="test").filter(plan=plan).count()
    with as_actor(cast.cell_secretary) as sec:
        for write in (
            lambda: services.commitment_item_add(actor=sec, plan=plan, section="ideology", content="Thay"),
            lambda: services.cultivation_plan_submit(actor=sec, plan=plan),
            lambda: services.cultivation_plan_paper_form_attach(
                actor=sec, plan=plan, file=SimpleUploadedFile("phieu.pdf", PDF)
            ),
        ):
            with pytest.raises(PermissionDenied):
                write()
    plan.refresh_from_db()
    assert plan.status == CultivationPlanStatus.DRAFT and plan.entered_by_id is None and not plan.paper_form
    assert CommitmentItem.objects.unscoped(reason="test").filter(plan=plan).count() == items


def test_the_member_writing_their_own_plan_is_not_entered_on_behalf(cast, as_actor):  # type: ignore[no-untyped-def]
    with as_actor(cast.member_user) as member:
        plan = services.cultivation_plan_register(actor=member, person=cast.member, year=2026)
        fill_minimum(member, plan)
    plan.refresh_from_db()
    assert plan.entered_by_id is None


def test_the_screens_of_entering_from_paper(client, world, cast, paper_member, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.cell_secretary)
    page = client.get(f"/commitments/cockpit/{world.a.cell.pk}/?year=2026").content.decode()
    # The action is offered on the row of the member without an account only.
    assert page.count('name="enter"') == 1 and f'value="{paper_member.pk}"' in page
    assert "Enter from the paper form" in page
    response = client.post(
        f"/commitments/cockpit/{world.a.cell.pk}/enter/?year=2026", {"enter": paper_member.pk}
    )
    with activate(ALL):
        plan = CommitmentPlan.objects.get(person=paper_member, year=2026)
    assert response.status_code == 302 and response["Location"] == f"/commitments/plans/{plan.pk}/"
    # Opening it again goes to the same plan, registers nothing new.
    again = client.post(
        f"/commitments/cockpit/{world.a.cell.pk}/enter/?year=2026", {"enter": paper_member.pk}
    )
    assert again["Location"] == response["Location"] and _plans(paper_member) == 1
    detail = client.get(f"/commitments/plans/{plan.pk}/").content.decode()
    assert "Entered by Bí thư A1 from the paper form" in detail and "Attach the scanned form" in detail

    scan = SimpleUploadedFile("phieu.pdf", PDF, content_type="application/pdf")
    assert client.post(f"/commitments/plans/{plan.pk}/", {"paper_form": scan}).status_code == 302
    plan.refresh_from_db()
    assert plan.paper_form.name.endswith(".pdf")
    assert b"".join(client.get(f"/commitments/plans/{plan.pk}/paper-form/").streaming_content) == PDF
    assert "Scanned form" in client.get(f"/commitments/plans/{plan.pk}/").content.decode()


@pytest.mark.parametrize(
    ("name", "size", "error"),
    [
        ("phieu.exe", 100, "The scanned form can be .pdf"),
        ("phieu.pdf", 10 * 1024 * 1024 + 1, "at most 10 MB"),
    ],
)
def test_a_bad_scan_is_refused_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    client, cast, paper_member, as_actor, settings, tmp_path, name, size, error
):
    settings.MEDIA_ROOT = tmp_path
    with as_actor(cast.cell_secretary) as sec:
        plan = services.cultivation_plan_register(actor=sec, person=paper_member, year=2026)
        with pytest.raises(DomainError, match=error):
            services.cultivation_plan_paper_form_attach(
                actor=sec, plan=plan, file=SimpleUploadedFile(name, b"x" * size)
            )
    client.force_login(cast.cell_secretary)
    response = client.post(
        f"/commitments/plans/{plan.pk}/", {"paper_form": SimpleUploadedFile(name, b"x" * size)}
    )
    assert response.status_code == 400 and error in response.content.decode()
    plan.refresh_from_db()
    assert not plan.paper_form and not any(tmp_path.rglob("*"))
    assert not plan.history.filter(history_change_reason="paper form").exists()


def test_a_ward_secretary_of_another_branch_gets_404(client, world, cast, paper_member, as_actor):  # type: ignore[no-untyped-def]
    with as_actor(cast.cell_secretary) as sec:
        plan = services.cultivation_plan_register(actor=sec, person=paper_member, year=2026)
    client.force_login(cast.b_secretary)
    scan = SimpleUploadedFile("phieu.pdf", PDF)
    assert client.post(f"/commitments/plans/{plan.pk}/", {"paper_form": scan}).status_code == 404
    assert client.get(f"/commitments/plans/{plan.pk}/paper-form/").status_code == 404
    assert (
        client.post(f"/commitments/cockpit/{world.a.cell.pk}/enter/", {"enter": paper_member.pk}).status_code
        == 404
    )
    with as_actor(cast.b_secretary) as b, pytest.raises(PermissionDenied):
        services.cultivation_plan_register(actor=b, person=paper_member, year=2027)
    assert _plans(paper_member) == 1


def test_the_member_with_an_account_is_refused_on_the_screens(client, cast, as_actor):  # type: ignore[no-untyped-def]
    with as_actor(cast.member_user) as member:
        plan = services.cultivation_plan_register(actor=member, person=cast.member, year=2026)
    client.force_login(cast.cell_secretary)
    page = client.get(f"/commitments/plans/{plan.pk}/").content.decode()
    assert "Attach the scanned form" not in page and "Add a commitment" not in page
    scan = SimpleUploadedFile("phieu.pdf", PDF)
    assert client.post(f"/commitments/plans/{plan.pk}/", {"paper_form": scan}).status_code == 404
    assert client.get(f"/commitments/plans/{plan.pk}/items/new/").status_code == 404
