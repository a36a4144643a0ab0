"""Rules found by review: who may do what around the evaluation, locks, residence comments, shortcomings,
registration years, and inputs that must be refused without writing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from conftest import SYSTEM, actor_of
from lamtheo.commitments import selectors, services
from lamtheo.commitments.models import CommitmentPlan, Evaluation, ItemSource, YearLock
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations.models import Role, RoleGrant
from lamtheo.remediation import services as remediation_services
from lamtheo.remediation.models import RemediationItem

from .conftest import approved_plan, excuse_unrated, graded_members, in_window, yearend

pytestmark = pytest.mark.django_db
D = dt.date
ALL = Scope.everything(reason="test")


def _grant(user, role: str, org) -> None:  # type: ignore[no-untyped-def]
    with activate(ALL):
        RoleGrant.objects.create(user=user, role=Role.objects.get(code=role), organization=org)


def _proposed_and_decided(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    yearend(cast, plan, grade="good", score=85)
    sec, ward = cast.actor("cell_secretary"), cast.actor("ward_secretary")
    with activate(sec.scope):
        services.evaluation_propose(actor=sec, plan=plan, grade="good", score=85)
    with activate(ward.scope):
        services.evaluation_decide(actor=ward, plan=plan, grade="good", score=85)
    return plan


def test_the_cell_cannot_rewrite_a_decided_evaluation(cast):  # type: ignore[no-untyped-def]
    plan = _proposed_and_decided(cast)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        with pytest.raises(DomainError, match="only it can change it"):
            services.evaluation_propose(actor=sec, plan=plan, grade="not_completed", score=30,
                                     disqualifiers=["discipline"])  # fmt: skip
    ev = Evaluation.objects.unscoped(reason="test").get(plan=plan)
    assert (ev.grade, ev.score, ev.disqualifiers) == ("good", 85, [])


def test_self_assessment_is_frozen_once_the_cell_proposes(cast):  # type: ignore[no-untyped-def]
    plan = _proposed_and_decided(cast)
    with pytest.raises(DomainError, match="can no longer change"):
        yearend(cast, plan, grade="excellent", score=99)
    plan.refresh_from_db()
    assert plan.self_grade == "good"


def test_decide_needs_a_grant_strictly_above_the_cell(world, cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    yearend(cast, plan)
    # The ward secretary also holds a grant on the cell itself: the ward grant still counts.
    _grant(cast.ward_secretary, "secretary", world.a.cell)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
    ward = cast.actor("ward_secretary")
    with activate(ward.scope):
        services.evaluation_decide(actor=ward, plan=plan, grade="good", score=80)
    # A system administrator granted on the cell only is not "the committee above".
    users = get_user_model()
    with activate(ALL):
        cell_admin = users.objects.create_user("admin-a1", password="x-pass-123")
    _grant(cell_admin, "system_admin", world.a.cell)
    actor = actor_of(cell_admin)
    with activate(actor.scope):
        with pytest.raises(PermissionDenied):
            services.evaluation_decide(actor=actor, plan=plan, grade="completed", score=60)


def test_only_a_committee_locks_after_every_grade_is_decided_and_the_level_above_unlocks(world, cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    yearend(cast, plan)
    sec, ward = cast.actor("cell_secretary"), cast.actor("ward_secretary")
    with activate(sec.scope):
        with pytest.raises(PermissionDenied):
            services.year_lock(actor=sec, organization=world.a.cell, year=2026)
        services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
    with activate(ward.scope):
        with pytest.raises(DomainError, match="1 proposed grades are not decided"):
            services.year_lock(actor=ward, organization=world.a.committee, year=2026)
        with pytest.raises(DomainError, match="once it has started"):
            services.year_lock(actor=ward, organization=world.a.committee, year=2027)
        assert not YearLock.objects.unscoped(reason="test").exists()
        services.evaluation_decide(actor=ward, plan=plan, grade="good", score=80)
        excuse_unrated(world, 2026)
        lock = services.year_lock(actor=ward, organization=world.a.committee, year=2026)
        with pytest.raises(DomainError, match="already locked"):
            services.year_lock(actor=ward, organization=world.a.committee, year=2026)
        with pytest.raises(PermissionDenied):
            services.year_unlock(actor=ward, lock=lock)  # not from its own level
    with activate(ALL):
        services.year_unlock(actor=SYSTEM, lock=lock)
    assert not YearLock.objects.unscoped(reason="test").exists()
    assert YearLock.history.filter(history_type="-").count() == 1  # the unlock is in the audit trail


def test_nobody_handles_their_own_residence_comment(world, cast):  # type: ignore[no-untyped-def]
    head = cast.actor("ward_secretary")  # Nguyễn Văn Đức A, with the secretary role over the ward
    plan = approved_plan(cast, person=world.a.member, owner=head)
    with activate(head.scope):
        with pytest.raises(PermissionDenied):
            services.residence_comment_request(actor=head, plan=plan, exempt_reason="Tự miễn cho mình")
    # Hoa becomes secretary of her residence cell: she still cannot comment on herself.
    own = approved_plan(cast)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        comment = services.residence_comment_request(actor=sec, plan=own, due_date=D(2026, 12, 20))
    _grant(cast.member_user, "secretary", cast.residence_cell)
    hoa = cast.actor("member_user")
    with activate(hoa.scope):
        with pytest.raises(PermissionDenied):
            services.residence_comment_return(actor=hoa, comment=comment, ratings={"civic": "good", "ethics": "good",
                                      "trust": "good"}, text="", signed_by="Hoa")  # fmt: skip


def test_registration_years(cast):  # type: ignore[no-untyped-def]
    member = cast.actor("member_user")
    with activate(member.scope):
        with pytest.raises(DomainError, match="current or the coming year"):
            services.cultivation_plan_register(actor=member, person=cast.member, year=2023)
        services.cultivation_plan_register(actor=member, person=cast.member, year=2027)
    assert CommitmentPlan.objects.unscoped(reason="test").get().year == 2027


def test_shortcomings_tracked_elsewhere_are_carried_and_cannot_be_reworded(world, cast):  # type: ignore[no-untyped-def]
    ward = cast.actor("ward_secretary")
    with activate(ward.scope):
        item = remediation_services.remediation_raise(
            actor=ward, organization=world.a.committee, person=cast.member, source="inspection",
            description="Chậm báo cáo kê khai tài sản", due_date=D(2027, 3, 31), year=2026,
        )  # fmt: skip
    member = cast.actor("member_user")
    with activate(member.scope):
        plan = services.cultivation_plan_register(actor=member, person=cast.member, year=2027)
        carried = plan.items.get(source=ItemSource.REMEDIATION)
        assert carried.remediation_id == item.pk
        with pytest.raises(DomainError, match="cannot be reworded"):
            services.commitment_item_update(actor=member, item=carried, content="Không có gì")
        services.commitment_item_update(
            actor=member, item=carried, measures="Nộp bản kê khai trước 31/3", timeline="Quý I"
        )
    carried.refresh_from_db()
    assert (
        carried.content == "Chậm báo cáo kê khai tài sản" and carried.measures == "Nộp bản kê khai trước 31/3"
    )


def test_template_items_are_not_carried_twice(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast, year=2025)
    member = cast.actor("member_user")
    with activate(member.scope):
        results = {i.pk: services.ItemResult("partly") for i in plan.items.all()}
        with in_window(2025, "yearend"):
            services.yearend_assessment_save(actor=member, plan=plan, results=results, self_grade="good",
                                             self_score=75)  # fmt: skip
        nxt = services.cultivation_plan_register(actor=member, person=cast.member, year=2026)
        contents = list(nxt.items.values_list("content", flat=True))
    assert not [c for c in contents if "2025" in c]  # last year's template text is not copied
    assert len(contents) == len(set(contents))


def test_not_a_number_is_refused(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    with pytest.raises(DomainError, match="Enter a number"):
        yearend(cast, plan, score="NaN")
    plan.refresh_from_db()
    assert plan.yearend_at is None


def test_items_of_a_plan_approved_meanwhile_stay_unchanged(cast):  # type: ignore[no-untyped-def]
    member = cast.actor("member_user")
    with activate(member.scope):
        plan = services.cultivation_plan_register(actor=member, person=cast.member, year=2026)
        stale = plan.items.select_related("plan").first()  # loaded while the plan was a draft
    approved_plan_obj = CommitmentPlan.objects.unscoped(reason="test").get(pk=plan.pk)
    approved_plan_obj.status = "approved"
    approved_plan_obj.save()
    with activate(member.scope):
        with pytest.raises(DomainError, match="draft or a returned plan"):
            services.commitment_item_update(actor=member, item=stale, measures="sửa lén")
        with pytest.raises(DomainError, match="draft or a returned plan"):
            services.commitment_item_delete(actor=member, item=stale)


def test_a_forced_downgrade_is_recorded_and_the_overrun_blocks_the_lock(world, cast):  # type: ignore[no-untyped-def]
    # 1 excellent and 4 good: exactly at the quota (1 of 5).
    graded_members(world, cast, 2026, ["excellent", "good", "good", "good"])
    plan = approved_plan(cast)
    yearend(cast, plan, grade="good", score=85)
    sec, ward = cast.actor("cell_secretary"), cast.actor("ward_secretary")
    with activate(sec.scope):
        services.evaluation_propose(actor=sec, plan=plan, grade="good", score=85)
        # A disciplinary measure forces "not completed": never refused, even though the base shrinks to 4.
        services.evaluation_propose(actor=sec, plan=plan, grade="not_completed", score=85,
                                 disqualifiers=["discipline"])  # fmt: skip
    with activate(ward.scope):
        services.evaluation_decide(actor=ward, plan=plan, grade="not_completed", score=85,
                                 disqualifiers=["discipline"])  # fmt: skip
        quota = selectors.cockpit(actor=ward, organization=world.a.committee, year=2026).quotas[0][1]
        assert (quota.count, quota.limit, quota.ok) == (1, 0, False)  # shown as over the quota
        excuse_unrated(world, 2026)
        with pytest.raises(DomainError, match="over its quota"):
            services.year_lock(actor=ward, organization=world.a.committee, year=2026)
        # Another "excellent" is still refused.
        other = graded_members(world, cast, 2026, ["good"])[0]
        Evaluation.objects.unscoped(reason="test").filter(plan=other).update(
            grade="", decided_grade="", proposed_grade=""
        )
        other.yearend_at = other.created_at
        other.save()
        with pytest.raises(DomainError, match="Quota"):
            services.evaluation_propose(actor=ward, plan=other, grade="excellent", score=95)
    assert not YearLock.objects.unscoped(reason="test").exists()


def test_a_member_who_moved_counts_where_they_are_now(world, cast):  # type: ignore[no-untyped-def]
    from lamtheo.organizations import services as org_services

    plan = approved_plan(cast)  # Hoa, cell A1
    with activate(ALL):
        org_services.person_update(actor=SYSTEM, person=cast.member, party_cell=world.b.cell)
    with activate(ALL):
        a = selectors.cockpit(actor=SYSTEM, organization=world.a.committee, year=2026)
        b = selectors.cockpit(actor=SYSTEM, organization=world.b.committee, year=2026)
        b_approved = selectors.cockpit(
            actor=SYSTEM, organization=world.b.committee, year=2026, status="approved"
        )
        b_stats = selectors.statistics(actor=SYSTEM, organization=world.b.committee, year=2026)
        a_stats = selectors.statistics(actor=SYSTEM, organization=world.a.committee, year=2026)
    assert a.counts.get("approved", 0) == 0 and a.counts["none"] == a.counts["members"] == 1
    assert b.counts["approved"] == 1 and [p.pk for p in b_approved.people] == [cast.member.pk]
    assert b_stats.by_status == {"approved": 1} and a_stats.by_status == {}
    assert plan.cell_id == world.a.cell.pk  # the plan itself stays with the cell that approved it


def test_a_shortcoming_owned_by_someone_else_does_not_block_the_self_assessment(world, cast):  # type: ignore[no-untyped-def]
    ward = cast.actor("ward_secretary")
    with activate(ward.scope):
        item = remediation_services.remediation_raise(
            actor=ward, organization=world.a.committee, person=cast.member, owner=world.a.member,
            source="inspection", description="Hồ sơ chưa đầy đủ", due_date=D(2026, 12, 31), year=2026,
        )  # fmt: skip
    plan = approved_plan(cast)
    yearend(cast, plan)  # "done" on the carried item: its owner reports it, not the member
    item.refresh_from_db()
    assert item.status == "open"
    plan.refresh_from_db()
    assert plan.yearend_at is not None


def test_fellow_members_do_not_read_each_others_shortcomings(client, world, cast):  # type: ignore[no-untyped-def]
    ward = cast.actor("ward_secretary")
    with activate(ward.scope):
        item = remediation_services.remediation_raise(
            actor=ward, organization=world.a.cell, person=world.a.member, source="evaluation",
            description="Hạn chế của đồng chí Đức", due_date=D(2027, 1, 31), year=2026,
        )  # fmt: skip
    client.force_login(cast.member_user)  # Hoa, a member of the same cell
    assert client.get(f"/remediation/{item.pk}/").status_code == 404
    assert "Hạn chế của đồng chí Đức" not in client.get("/remediation/?status=").content.decode()
    client.force_login(cast.cell_secretary)
    assert client.get(f"/remediation/{item.pk}/").status_code == 200


def test_the_reporter_does_not_verify(world, cast):  # type: ignore[no-untyped-def]
    ward = cast.actor("ward_secretary")
    with activate(ward.scope):
        item = remediation_services.remediation_raise(
            actor=ward, organization=world.a.cell, person=cast.member, source="other",
            description="Chưa trả lời cử tri", due_date=D(2027, 1, 31), year=2026,
        )  # fmt: skip
        remediation_services.remediation_report(actor=ward, item=item, note="Đã trả lời thay")
        with pytest.raises(PermissionDenied):
            remediation_services.remediation_verify(actor=ward, item=item)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        remediation_services.remediation_verify(actor=sec, item=item, note="Đã kiểm tra")
    assert RemediationItem.objects.unscoped(reason="test").get(pk=item.pk).status == "verified"


def test_the_portal_does_not_publish_shortcomings(client, world, cast):  # type: ignore[no-untyped-def]
    ward = cast.actor("ward_secretary")
    with activate(ward.scope):
        remediation_services.remediation_raise(
            actor=ward, organization=world.a.committee, person=world.a.member, source="evaluation",
            description="Khuyết điểm nội bộ", due_date=D(2027, 1, 31), year=2026,
        )  # fmt: skip
    plan = approved_plan(cast, person=world.a.member, owner=ward)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        services.cultivation_plan_publish(
            actor=sec, plan=plan, on_notice_board=False, on_portal=True, on_residence=False
        )
        assert plan.items.filter(source=ItemSource.REMEDIATION).exists()
    page = client.get(f"/portal/commitments/{plan.pk}/").content.decode()
    assert "Khuyết điểm nội bộ" not in page and selectors.published_get(pk=plan.pk)


def test_cockpit_counts_every_state_and_lateness_in_the_database(world, cast):  # type: ignore[no-untyped-def]
    from unittest import mock

    plan = approved_plan(cast)  # Hoa: approved
    yearend(cast, plan)  # … and self-assessed
    graded_members(world, cast, 2026, ["good"])  # one more approved plan, no year-end yet
    ward = cast.actor("ward_secretary")
    for day, late in ((D(2026, 3, 1), 0), (D(2026, 4, 1), 1), (D(2026, 12, 1), 2)):
        with mock.patch("django.utils.timezone.localdate", return_value=day), activate(ward.scope):
            data = selectors.cockpit(actor=ward, organization=world.a.committee, year=2026)
            late_rows = selectors.cockpit_rows(
                actor=ward, people=selectors.cockpit(actor=ward, organization=world.a.committee, year=2026,
                                                     status="late").people, year=2026,
            )  # fmt: skip
        counts = {k: v for k, v in data.counts.items() if v}
        assert counts == {
            "members": 3,
            "none": 1,
            "approved": 1,
            "yearend": 1,
            **({"late": late} if late else {}),
        }
        assert len(late_rows) == late and all(r.late for r in late_rows)


def test_statistics_of_the_whole_tree_equal_the_sum_of_its_branches(world, cast):  # type: ignore[no-untyped-def]
    graded_members(world, cast, 2026, ["good", "excellent"])
    approved_plan(cast)
    with activate(ALL):
        whole = selectors.statistics(actor=SYSTEM, organization=world.root, year=2026)
        parts = [
            selectors.statistics(actor=SYSTEM, organization=b.committee, year=2026)
            for b in (world.a, world.b)
        ]
        assert selectors.is_whole_tree(world.root) and not selectors.is_whole_tree(world.a.committee)
    assert whole.members == sum(p.members for p in parts) == 5  # Đức A, Hoa, two graded, Đức B
    assert whole.by_status == {"approved": 3} and whole.by_grade == {"good": 1, "excellent": 1}
    assert whole.rate == 60.0
