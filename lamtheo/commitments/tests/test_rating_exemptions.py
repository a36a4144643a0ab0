"""A year is signed only when every member is rated or excused with a reason from the rules' list; a grade is
proposed only with the residence cell's comment in or a recorded exemption from it."""

from __future__ import annotations

import pytest

from conftest import SYSTEM
from lamtheo.commitments import services
from lamtheo.commitments.models import Evaluation, GradingExemption, YearLock
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations.tests.factories import PersonFactory
from lamtheo.rulebook.selectors import evaluation_scheme_for_year, rule_version_uses

from .conftest import approved_plan, yearend

ALL = Scope.everything(reason="test")


def _exemptions() -> int:
    return GradingExemption.objects.unscoped(reason="test").count()


def test_a_reason_outside_the_rules_list_and_other_bad_records_are_refused(world, cast):  # type: ignore[no-untyped-def]
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        with pytest.raises(DomainError, match="Choose a reason from the list") as exc:
            services.grading_exemption_record(actor=sec, person=world.a.member, year=2026, reason="on_holiday")
        assert exc.value.field == "reason"
        with pytest.raises(DomainError, match="Only a party member"):
            services.grading_exemption_record(
                actor=sec, person=world.a.staff, year=2026, reason="exempt_from_activities"
            )
    member = cast.actor("member_user")
    with activate(member.scope), pytest.raises(PermissionDenied, match="never about oneself"):
        services.grading_exemption_record(
            actor=member, person=cast.member, year=2026, reason="exempt_from_activities"
        )
    b = cast.actor("b_secretary")  # another ward: not the member's cell
    with activate(b.scope), pytest.raises(PermissionDenied):
        services.grading_exemption_record(
            actor=b, person=world.a.member, year=2026, reason="exempt_from_activities"
        )
    assert _exemptions() == 0
    with activate(sec.scope):
        services.grading_exemption_record(actor=sec, person=world.a.member, year=2026, reason="suspended")
        with pytest.raises(DomainError, match="already excused from rating in 2026"):
            services.grading_exemption_record(
                actor=sec, person=world.a.member, year=2026, reason="exempt_from_activities"
            )
    assert _exemptions() == 1


def test_a_graded_member_is_not_excused_and_an_excused_member_is_not_graded(world, cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    yearend(cast, plan)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        exemption = services.grading_exemption_record(
            actor=sec, person=cast.member, year=2026, reason="admitted_under_6_months", note="Kết nạp 01/9"
        )
        with pytest.raises(DomainError, match="is excused from rating in 2026 .Mới kết nạp chưa đủ 6 tháng"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
        assert not Evaluation.objects.unscoped(reason="test").exists()
        services.grading_exemption_withdraw(actor=sec, exemption=exemption)
        services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
        with pytest.raises(DomainError, match="already has a grade for 2026"):
            services.grading_exemption_record(
                actor=sec, person=cast.member, year=2026, reason="exempt_from_activities"
            )
    assert _exemptions() == 0
    assert GradingExemption.history.filter(history_type="-").count() == 1  # the withdrawal is audited


def test_the_lock_names_who_is_neither_rated_nor_excused(world, cast):  # type: ignore[no-untyped-def]
    ward, sec = cast.actor("ward_secretary"), cast.actor("cell_secretary")
    extra = PersonFactory(party_cell=world.a.cell, full_name="Trần Văn Mới")
    with activate(ward.scope), pytest.raises(DomainError, match="3 members are neither rated nor excused") as exc:
        services.year_lock(actor=ward, organization=world.a.committee, year=2026)
    assert "Trần Văn Mới" in exc.value.message and "Lê Thị Hoa A" in exc.value.message
    assert not YearLock.objects.unscoped(reason="test").exists()
    with activate(sec.scope):
        for person in (world.a.member, cast.member, extra):
            services.grading_exemption_record(
                actor=sec, person=person, year=2026, reason="exempt_from_activities"
            )
    # Ward B's members are not ward A's business.
    with activate(ward.scope):
        assert services.year_lock(actor=ward, organization=world.a.committee, year=2026)
        with pytest.raises(DomainError, match="locked"):
            services.grading_exemption_record(
                actor=SYSTEM, person=world.a.member, year=2026, reason="suspended"
            )


def test_an_exemption_freezes_the_scheme_whose_list_it_used(world, cast):  # type: ignore[no-untyped-def]
    scheme = evaluation_scheme_for_year(2026)
    assert rule_version_uses(scheme) == 0
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        services.grading_exemption_record(
            actor=sec, person=world.a.member, year=2026, reason="exempt_from_activities"
        )
    assert rule_version_uses(scheme) == 1


def test_a_proposal_needs_the_residence_comment_or_an_exemption_from_it(world, cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    yearend(cast, plan, residence=False)  # Hoa belongs to cell A1 and lives in cell A2's area
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        with pytest.raises(DomainError, match="Request the comment of the cell where the member lives"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
        services.residence_comment_request(actor=sec, plan=plan)
        with pytest.raises(DomainError, match="is awaited"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
        assert not Evaluation.objects.unscoped(reason="test").exists()
        # Hướng dẫn 33: e.g. a member studying away from home gets no yearly residence comment.
        services.residence_comment_request(actor=sec, plan=plan, exempt_reason="Đi học dài hạn xa nơi cư trú")
        ev = services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
    assert ev.proposed_grade == "good"


def test_a_member_living_where_their_cell_is_needs_no_residence_comment(world, cast):  # type: ignore[no-untyped-def]
    with activate(ALL):
        cast.member.residence_cell = world.a.cell
        cast.member.save()
    plan = approved_plan(cast)
    yearend(cast, plan)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        assert services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80).proposed_grade == "good"
