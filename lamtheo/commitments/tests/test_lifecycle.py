"""The whole year of a cultivation plan through the services: register → approve → mid-year → year end →
residence comment → evaluate → lock; and every refusal writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from lamtheo.commitments import selectors, services
from lamtheo.commitments.models import (
    CommitmentItem,
    CommitmentPlan,
    CultivationPlanStatus,
    Evaluation,
    ItemSource,
    ResidenceComment,
    ResidenceStatus,
)
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.remediation.models import RemediationItem

from .conftest import approved_plan, fill_minimum, in_window, residence_returned, yearend

pytestmark = pytest.mark.django_db
D = dt.date
ALL = Scope.everything(reason="test")


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return model.objects.unscoped(reason="test").count()


def test_full_lifecycle(world, cast, mailoutbox):  # type: ignore[no-untyped-def]
    member = cast.actor("member_user")
    with activate(member.scope):
        plan = services.cultivation_plan_register(actor=member, person=cast.member, year=2026)
        assert plan.template.code == "member-2023" and not plan.is_head
        assert (
            plan.theme is not None and plan.theme.year <= 2026
        )  # the theme of the year, when planning has one
        items = list(plan.items.order_by("order"))
        assert items and all(i.source == ItemSource.TEMPLATE for i in items)
        assert any("2026" in i.content for i in items)  # {year} filled in
        # Self-assessment before approval is refused.
        with pytest.raises(DomainError, match="approved before"):
            services.midyear_assessment_save(actor=member, plan=plan, results={})
        # A section without its minimum: refused, the plan stays a draft.
        with pytest.raises(DomainError, match="Add at least one commitment to"):
            services.cultivation_plan_submit(actor=member, plan=plan)
        assert CommitmentPlan.objects.get(pk=plan.pk).status == CultivationPlanStatus.DRAFT
        fill_minimum(member, plan)
        services.commitment_item_add(actor=member, plan=plan, section="morality", content="Không uống rượu bia trong giờ làm việc",
                          standards=["3", "5"], target="100% ngày làm việc")  # fmt: skip
        services.cultivation_plan_submit(actor=member, plan=plan)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        plan = selectors.cultivation_plan_for_actor(actor=sec, pk=plan.pk)
        with pytest.raises(DomainError, match="Say what should change"):
            services.cultivation_plan_return(actor=sec, plan=plan, comment="  ")
        services.cultivation_plan_return(actor=sec, plan=plan, comment="Bổ sung chỉ tiêu cụ thể")
    with activate(member.scope):
        plan.refresh_from_db()
        assert (
            plan.status == CultivationPlanStatus.RETURNED and plan.review_comment == "Bổ sung chỉ tiêu cụ thể"
        )
        services.cultivation_plan_submit(actor=member, plan=plan)
    with activate(sec.scope):
        services.cultivation_plan_approve(actor=sec, plan=plan)
    plan.refresh_from_db()
    assert plan.status == CultivationPlanStatus.APPROVED and plan.decided_by_id == cast.cell_secretary.pk

    # Mid-year: partial results are fine.
    with in_window(2026, "midyear"), activate(member.scope):
        first = plan.items.order_by("order").first()
        services.midyear_assessment_save(
            actor=member, plan=plan, results={first.pk: services.ItemResult("partly", "Đã học 2/4 chuyên đề")}, summary="Giữa năm",
        )  # fmt: skip
        plan.refresh_from_db()
        assert plan.midyear_at is not None and plan.midyear_summary == "Giữa năm"
    yearend(cast, plan, grade="good", score=82, residence=False)
    plan.refresh_from_db()
    assert plan.self_grade == "good" and plan.self_score == 82
    # The member lives in cell A2's area: no grade before A2's comment is requested …
    with activate(sec.scope), pytest.raises(DomainError, match="Request the comment of the cell where"):
        services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)

    # Residence comment: requested by the workplace cell, returned by the residence cell's secretary.
    with activate(sec.scope):
        comment = services.residence_comment_request(actor=sec, plan=plan, due_date=D(2026, 12, 20))
        # … nor while it is awaited.
        with pytest.raises(DomainError, match="is awaited"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
    assert comment.residence == cast.residence_cell and comment.status == ResidenceStatus.REQUESTED
    assert not Evaluation.objects.unscoped(reason="test").filter(plan=plan).exists()
    res = cast.actor("residence_secretary")
    with activate(res.scope):
        inbox = selectors.residence_inbox(actor=res)
        assert [c.pk for c in inbox] == [comment.pk]
        with pytest.raises(DomainError, match="Rate every item"):
            services.residence_comment_return(
                actor=res, comment=comment, ratings={"civic": "good"}, text="", signed_by="X"
            )
        services.residence_comment_return(
            actor=res, comment=comment, ratings={"civic": "good", "ethics": "good", "trust": "average"},
            text="Gương mẫu ở khu dân cư", signed_by="Phạm Văn Bình",
        )  # fmt: skip
    comment.refresh_from_db()
    assert comment.status == ResidenceStatus.RETURNED and comment.ratings["trust"] == "average"

    # Evaluation: the cell proposes, the ward decides, a shortcoming becomes a remediation item.
    with activate(sec.scope):
        with pytest.raises(PermissionDenied):
            services.evaluation_decide(actor=sec, plan=plan, grade="good", score=80)
        ev = services.evaluation_propose(
            actor=sec, plan=plan, grade="good", score=80,
            shortcomings=[services.Shortcoming("Chưa tham gia đủ sinh hoạt tổ dân phố", D(2027, 6, 30))],
            version=0,
        )  # fmt: skip
    assert ev.grade == "good" and ev.proposed_grade == "good" and ev.scheme.code == "qd366-2025"
    ward = cast.actor("ward_secretary")
    with activate(ward.scope):
        ev = services.evaluation_decide(actor=ward, plan=plan, grade="good", score=81, version=ev.version)
    assert ev.decided_grade == "good" and ev.grade == "good" and ev.decided_by_id == cast.ward_secretary.pk
    item = RemediationItem.objects.unscoped(reason="test").get(person=cast.member)
    assert item.source == "evaluation" and item.owner_id == cast.member.pk and item.year == 2026
    # Evidence from other modules reaches the evaluation screen through the providers.
    with activate(ward.scope):
        groups = {g.key: g for g in selectors.evidence_of(actor=ward, plan=plan)}
    assert [e.title for e in groups["remediation"].entries] == ["Chưa tham gia đủ sinh hoạt tổ dân phố"]
    assert "planning" in groups

    # Lock: every member is rated or excused with a reason from the scheme's list first.
    with activate(ward.scope):
        with pytest.raises(DomainError, match="1 members are neither rated nor excused .*Nguyễn Văn Đức A"):
            services.year_lock(actor=ward, organization=world.a.committee, year=2026)
    with activate(sec.scope):
        services.grading_exemption_record(
            actor=sec, person=world.a.member, year=2026, reason="exempt_from_activities", note="QĐ số 12 của Đảng ủy"
        )  # fmt: skip
    # Nothing changes any more.
    with activate(ward.scope):
        services.year_lock(actor=ward, organization=world.a.committee, year=2026)
        with pytest.raises(DomainError, match="locked"):
            services.evaluation_decide(actor=ward, plan=plan, grade="completed", score=60)
    with activate(member.scope):
        with pytest.raises(DomainError, match="locked"):
            yearend(cast, plan, grade="excellent", score=95)
    ev.refresh_from_db()
    assert ev.grade == "good"
    # Every write left a history row with the actor.
    history = plan.history.order_by("history_date")
    assert {h.status for h in history} >= {"draft", "submitted", "returned", "approved"}
    assert history.filter(history_user=cast.cell_secretary).exists()


def test_bad_items_write_nothing(cast):  # type: ignore[no-untyped-def]
    member = cast.actor("member_user")
    with activate(member.scope):
        plan = services.cultivation_plan_register(actor=member, person=cast.member, year=2026)
        before = _count(CommitmentItem)
        with pytest.raises(DomainError, match="Write what you commit to"):
            services.commitment_item_add(actor=member, plan=plan, section="ideology", content="   ")
        with pytest.raises(DomainError, match="Choose a section"):
            services.commitment_item_add(actor=member, plan=plan, section="nope", content="X")
        with pytest.raises(DomainError, match="not tagged with these standards"):
            services.commitment_item_add(
                actor=member, plan=plan, section="morality", content="X", standards=["9"]
            )
        with pytest.raises(DomainError, match="already has a plan"):
            services.cultivation_plan_register(actor=member, person=cast.member, year=2026)
        assert _count(CommitmentItem) == before
        assert _count(CommitmentPlan) == 1


def test_only_the_member_writes_and_only_their_secretary_approves(world, cast):  # type: ignore[no-untyped-def]
    from conftest import actor_of

    member = cast.actor("member_user")
    with activate(member.scope):
        plan = services.cultivation_plan_register(actor=member, person=cast.member, year=2026)
        fill_minimum(member, plan)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        with pytest.raises(PermissionDenied):
            services.commitment_item_add(actor=sec, plan=plan, section="ideology", content="Viết hộ")
        with pytest.raises(DomainError, match="Only a submitted plan"):
            services.cultivation_plan_approve(actor=sec, plan=plan)
    with activate(member.scope):
        services.cultivation_plan_submit(actor=member, plan=plan)
        with pytest.raises(PermissionDenied):
            services.cultivation_plan_approve(
                actor=member, plan=plan
            )  # a member never approves, least of all their own
    b = actor_of(cast.b_secretary)
    with activate(ALL):
        with pytest.raises(PermissionDenied):
            services.cultivation_plan_approve(actor=b, plan=plan)  # a secretary outside the subtree
        with pytest.raises(PermissionDenied):
            services.residence_comment_request(actor=b, plan=plan, due_date=D(2026, 12, 30))
    plan.refresh_from_db()
    assert plan.status == CultivationPlanStatus.SUBMITTED and _count(ResidenceComment) == 0


def test_a_head_needs_the_exemplary_items_and_gets_the_head_template(world, cast):  # type: ignore[no-untyped-def]
    head = cast.actor("ward_secretary")  # linked to Nguyễn Văn Đức A, head of cell A1
    with activate(head.scope):
        plan = services.cultivation_plan_register(actor=head, person=world.a.member, year=2026)
        assert plan.is_head and plan.template.for_heads and plan.position_title == "Bí thư Chi bộ"
        assert plan.items.filter(section="discipline").exists()  # the head template brings an exemplary item
        plan.items.filter(section="discipline").delete()
        fill_minimum(head, plan)
        assert plan.items.filter(section="discipline").count() == 1


def test_self_assessment_rules(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    member = cast.actor("member_user")
    with activate(member.scope):
        items = list(plan.items.all())
        done = {i.pk: services.ItemResult("done") for i in items}
        with pytest.raises(DomainError, match="Give a result for every item"):
            services.yearend_assessment_save(actor=member, plan=plan, results={items[0].pk: done[items[0].pk]},
                                     self_grade="good", self_score=80)  # fmt: skip
        with pytest.raises(DomainError, match="between 0 and 100"):
            services.yearend_assessment_save(actor=member, plan=plan, results=done, self_grade="good",
                                     self_score=120)  # fmt: skip
        with pytest.raises(DomainError, match="allows at most"):
            services.yearend_assessment_save(actor=member, plan=plan, results=done, self_grade="excellent",
                                     self_score=75)  # fmt: skip
        with pytest.raises(DomainError, match="Enter the score"):
            services.yearend_assessment_save(actor=member, plan=plan, results=done, self_grade="good")
        with pytest.raises(DomainError, match="done, partly done or not done"):
            services.midyear_assessment_save(actor=member, plan=plan, results={items[0].pk: services.ItemResult("maybe")})  # fmt: skip
    plan.refresh_from_db()
    assert plan.yearend_at is None and plan.midyear_at is None and plan.self_grade == ""
    assert not CommitmentItem.objects.unscoped(reason="test").exclude(yearend_result="").exists()


def test_evidence_files_are_checked(cast):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = approved_plan(cast)
    member = cast.actor("member_user")
    with in_window(2026, "midyear"), activate(member.scope):
        item = plan.items.first()
        bad = SimpleUploadedFile("virus.exe", b"MZ")
        with pytest.raises(DomainError, match="Evidence files can be"):
            services.midyear_assessment_save(actor=member, plan=plan, results={item.pk: services.ItemResult("done", file=bad)})  # fmt: skip
        good = SimpleUploadedFile("giay-khen.pdf", b"%PDF-1.4 test")
        services.midyear_assessment_save(actor=member, plan=plan, results={item.pk: services.ItemResult("done", file=good)})  # fmt: skip
    item.refresh_from_db()
    assert item.evidence_file.name.endswith(".pdf") and item.evidence_file.read() == b"%PDF-1.4 test"


def test_residence_exemption_and_refusals(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        with pytest.raises(DomainError, match="due date has passed"):
            services.residence_comment_request(actor=sec, plan=plan, due_date=D(2020, 1, 1))
        assert _count(ResidenceComment) == 0
        comment = services.residence_comment_request(
            actor=sec, plan=plan, exempt_reason="Học tập trung 12 tháng"
        )
    assert comment.status == ResidenceStatus.EXEMPT and comment.residence is None
    res = cast.actor("residence_secretary")
    with activate(res.scope):
        assert selectors.residence_inbox(actor=res) == []  # an exempt member is not asked about
        with pytest.raises(DomainError, match="No comment was requested"):
            services.residence_comment_return(actor=res, comment=comment, ratings={}, text="", signed_by="X")


def test_residence_overdue_shows_in_the_cockpit(world, cast, settings):  # type: ignore[no-untyped-def]
    from unittest import mock

    plan = approved_plan(cast)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        services.residence_comment_request(actor=sec, plan=plan, due_date=D(2026, 12, 5))
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 12, 10)):
        with activate(sec.scope):
            data = selectors.cockpit(actor=sec, organization=world.a.cell, year=2026)
            rows = selectors.cockpit_rows(actor=sec, people=data.people, year=2026)
    row = next(r for r in rows if r.person.pk == cast.member.pk)
    assert row.residence == "overdue"


def test_remediation_and_unfinished_items_carry_into_next_year(world, cast):  # type: ignore[no-untyped-def]
    from lamtheo.remediation import services as remediation_services

    plan = approved_plan(cast, year=2025)
    member = cast.actor("member_user")
    with activate(member.scope):
        items = list(plan.items.order_by("order"))
        own = next(i for i in items if i.source == ItemSource.OWN)  # template items come back by themselves
        results = {i.pk: services.ItemResult("done") for i in items}
        results[own.pk] = services.ItemResult("partly", "Còn dở")
        with in_window(2025, "yearend"):
            services.yearend_assessment_save(actor=member, plan=plan, results=results, self_grade="good",
                                             self_score=78)  # fmt: skip
    residence_returned(cast, plan)
    sec = cast.actor("cell_secretary")
    with in_window(2025, "grading"), activate(sec.scope):
        services.evaluation_propose(actor=sec, plan=plan, grade="good", score=78, shortcomings=[
            services.Shortcoming("Chậm nộp đảng phí", D(2026, 3, 31))])  # fmt: skip
    with activate(member.scope):
        nxt = services.cultivation_plan_register(actor=member, person=cast.member, year=2026)
        carried = list(nxt.items.filter(source=ItemSource.CARRIED))
        remedy = nxt.items.get(source=ItemSource.REMEDIATION)
    assert [c.carried_from_id for c in carried] == [own.pk]
    assert remedy.content == "Chậm nộp đảng phí" and remedy.section == "remedy"
    # The member cannot drop a shortcoming still to remedy from the plan.
    with activate(member.scope):
        with pytest.raises(DomainError, match="cannot be removed"):
            services.commitment_item_delete(actor=member, item=remedy)
        fill_minimum(member, nxt)
        services.cultivation_plan_submit(actor=member, plan=nxt)
    with activate(sec.scope):
        services.cultivation_plan_approve(actor=sec, plan=nxt)
    nxt.refresh_from_db()
    # Year end: done → the remedy is reported; the ward verifies it; it is no longer carried.
    with activate(member.scope):
        services.yearend_assessment_save(
            actor=member, plan=nxt, results={i.pk: services.ItemResult("done", "Đã nộp đủ") for i in nxt.items.all()},
            self_grade="good", self_score=85,
        )  # fmt: skip
    item = RemediationItem.objects.unscoped(reason="test").get(pk=remedy.remediation_id)
    assert item.status == "reported" and item.report_note == "Đã nộp đủ"
    ward = cast.actor("ward_secretary")
    with activate(ward.scope):
        with pytest.raises(DomainError):
            remediation_services.remediation_reopen(actor=ward, item=item, note="")
        remediation_services.remediation_verify(actor=ward, item=item, note="Đã kiểm tra sổ đảng phí")
    item.refresh_from_db()
    assert item.status == "verified" and item.verified_by_id == cast.ward_secretary.pk
    with activate(member.scope):
        later = services.cultivation_plan_register(actor=member, person=cast.member, year=2027)
        assert not later.items.filter(source=ItemSource.REMEDIATION).exists()


def test_optimistic_lock_detects_a_concurrent_edit(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    yearend(cast, plan)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        first = services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80, version=0)
        # A second officer opened the form at version 0 too and saves after the first one.
        with pytest.raises(services.Conflict, match="Someone else changed"):
            services.evaluation_propose(actor=sec, plan=plan, grade="completed", score=60, version=0,
                                     shortcomings=[services.Shortcoming("X", D(2027, 1, 1))])  # fmt: skip
    ev = Evaluation.objects.unscoped(reason="test").get(plan=plan)
    assert ev.grade == "good" and ev.version == first.version
    assert not RemediationItem.objects.unscoped(reason="test").exists()  # nothing of the refused save remains


def test_publication(world, cast, client):  # type: ignore[no-untyped-def]
    head = cast.actor("ward_secretary")
    plan = approved_plan(cast, person=world.a.member, owner=head)
    member_plan = approved_plan(cast)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        with pytest.raises(DomainError, match="Only the commitments of heads"):
            services.cultivation_plan_publish(
                actor=sec, plan=member_plan, on_notice_board=True, on_portal=True, on_residence=False
            )
        with pytest.raises(DomainError, match="Choose where"):
            services.cultivation_plan_publish(
                actor=sec, plan=plan, on_notice_board=False, on_portal=False, on_residence=False
            )
        with pytest.raises(DomainError, match="once the grade is decided"):
            services.cultivation_plan_publish(actor=sec, plan=plan, on_notice_board=True, on_portal=True, on_residence=False,
                                  result_published=True)  # fmt: skip
    # Nothing is on the portal yet.
    assert client.get("/portal/commitments/").content.decode().count(world.a.member.full_name) == 0
    assert client.get(f"/portal/commitments/{plan.pk}/").status_code == 404
    with activate(sec.scope):
        services.cultivation_plan_publish(
            actor=sec, plan=plan, on_notice_board=True, on_portal=False, on_residence=True
        )
    assert client.get(f"/portal/commitments/{plan.pk}/").status_code == 404  # notice board only
    with activate(sec.scope):
        services.cultivation_plan_publish(
            actor=sec, plan=plan, on_notice_board=True, on_portal=True, on_residence=True
        )
    page = client.get("/portal/commitments/").content.decode()
    assert world.a.member.full_name in page and cast.member.full_name not in page
    detail = client.get(f"/portal/commitments/{plan.pk}/")
    assert detail.status_code == 200 and "Gương mẫu nêu gương" in detail.content.decode()
    assert client.get(f"/portal/commitments/{member_plan.pk}/").status_code == 404
    with activate(sec.scope):
        services.cultivation_plan_unpublish(actor=sec, plan=plan)
    assert client.get(f"/portal/commitments/{plan.pk}/").status_code == 404
