"""The year's calendar opens and closes each stage: no year-end self-assessment in February of the same year,
no grade before the grading opens; after a due date an entry needs the reason it is late, kept on the record."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SYSTEM
from lamtheo.commitments import services
from lamtheo.commitments.models import CommitmentItem, Evaluation
from lamtheo.core.errors import DomainError
from lamtheo.core.scoping import Scope, activate
from lamtheo.rulebook.models import CommitmentCalendar
from lamtheo.rulebook.services import rulebook_load

from .conftest import approved_plan, on_day, yearend

D = dt.date


def _results(plan):  # type: ignore[no-untyped-def]
    return {i.pk: services.ItemResult(result="done", evidence="Đã làm") for i in plan.items.all()}


def test_a_yearend_self_assessment_in_february_is_refused(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    member = cast.actor("member_user")
    with on_day(D(2026, 2, 10)), activate(member.scope):
        with pytest.raises(DomainError, match="year-end self-assessment of 2026 opens on 01/11/2026"):
            services.yearend_assessment_save(
                actor=member, plan=plan, results=_results(plan), self_grade="good", self_score=80
            )
        with pytest.raises(DomainError, match="mid-year self-assessment of 2026 opens on 01/06/2026"):
            services.midyear_assessment_save(actor=member, plan=plan, results=_results(plan))
    plan.refresh_from_db()
    assert plan.yearend_at is None and plan.midyear_at is None and plan.self_grade == ""
    assert not CommitmentItem.objects.unscoped(reason="test").filter(plan=plan).exclude(yearend_result="").exists()


def test_a_late_self_assessment_needs_its_reason_which_is_kept(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    member = cast.actor("member_user")
    with on_day(D(2026, 12, 5)), activate(member.scope):
        with pytest.raises(DomainError, match="was due by 30/11/2026: give the reason") as exc:
            services.yearend_assessment_save(
                actor=member, plan=plan, results=_results(plan), self_grade="good", self_score=80,
                late_reason="   ",
            )  # fmt: skip
        assert exc.value.field == "late_reason"
        plan.refresh_from_db()
        assert plan.yearend_at is None
        services.yearend_assessment_save(
            actor=member, plan=plan, results=_results(plan), self_grade="good", self_score=80,
            late_reason="Đi công tác dài ngày",
        )  # fmt: skip
    plan.refresh_from_db()
    assert plan.yearend_at is not None and plan.yearend_late_reason == "Đi công tác dài ngày"


def test_a_reason_given_on_time_is_not_kept(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    member = cast.actor("member_user")
    with on_day(D(2026, 11, 20)), activate(member.scope):
        services.yearend_assessment_save(
            actor=member, plan=plan, results=_results(plan), self_grade="good", self_score=80,
            late_reason="không cần",
        )  # fmt: skip
    plan.refresh_from_db()
    assert plan.yearend_late_reason == ""


def test_grades_open_with_the_grading_and_late_decisions_carry_their_reason(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    yearend(cast, plan)
    sec, ward = cast.actor("cell_secretary"), cast.actor("ward_secretary")
    with on_day(D(2026, 10, 30)), activate(sec.scope):
        with pytest.raises(DomainError, match="Proposing grades of 2026 opens on 01/11/2026"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
    assert not Evaluation.objects.unscoped(reason="test").exists()
    with on_day(D(2026, 12, 20)), activate(sec.scope):
        ev = services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
    assert ev.proposed_late_reason == ""
    with on_day(D(2027, 2, 3)), activate(ward.scope):
        with pytest.raises(DomainError, match="Deciding grades of 2026 was due by 31/01/2027"):
            services.evaluation_decide(actor=ward, plan=plan, grade="good", score=80)
        ev.refresh_from_db()
        assert ev.decided_grade == ""
        ev = services.evaluation_decide(
            actor=ward, plan=plan, grade="good", score=80, late_reason="Hội nghị đảng ủy họp muộn"
        )
    assert ev.decided_grade == "good" and ev.decided_late_reason == "Hội nghị đảng ủy họp muộn"
    assert ev.proposed_late_reason == ""


def test_a_year_without_a_calendar_is_refused(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    with activate(Scope.everything(reason="test")):
        CommitmentCalendar.objects.filter(year=2026).delete()
    member = cast.actor("member_user")
    with activate(member.scope):
        with pytest.raises(DomainError, match="calendar of 2026 is not set"):
            services.yearend_assessment_save(
                actor=member, plan=plan, results=_results(plan), self_grade="good", self_score=80
            )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"yearend_from": "2026-12-15"}, "yearend_from is after yearend_by"),
        ({"yearend_from": "2027-01-10", "yearend_by": "2027-01-20"}, "yearend_from must fall in 2026"),
        ({"proposal_by": "2027-02-28"}, "proposal_by is after decision_by"),
    ],
)
def test_the_loader_refuses_a_calendar_whose_windows_do_not_hold(cast, tmp_path, change, message):  # type: ignore[no-untyped-def]
    import json
    from pathlib import Path

    import lamtheo.rulebook

    data = json.loads((Path(lamtheo.rulebook.__file__).parent / "data" / "rulebook.json").read_text("utf-8"))
    row = next(r for r in data["commitment_calendars"] if r["year"] == 2026)
    row.update(change)
    path = tmp_path / "rulebook.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = CommitmentCalendar.objects.get(year=2026)
    with activate(Scope.everything(reason="test")), pytest.raises(DomainError, match=message):
        rulebook_load(actor=SYSTEM, path=path)
    after = CommitmentCalendar.objects.get(year=2026)
    assert (after.yearend_from, after.yearend_by, after.proposal_by) == (
        before.yearend_from, before.yearend_by, before.proposal_by,
    )  # fmt: skip
