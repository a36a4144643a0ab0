"""Grades under two scheme versions: the 100-point bands of Quy định 366 (2025 on) and the pointless
scheme of Quy định 124 (2023–2024); the quota of excellent per grassroots organization; disqualifiers."""

from __future__ import annotations

import datetime as dt

import pytest

from lamtheo.commitments import rules, selectors, services
from lamtheo.commitments.models import Evaluation
from lamtheo.core.errors import DomainError
from lamtheo.core.scoping import activate
from lamtheo.rulebook.selectors import evaluation_scheme_for_year

from .conftest import approved_plan, graded_members, in_window, yearend

pytestmark = pytest.mark.django_db
D = dt.date


def _evaluations() -> int:
    return Evaluation.objects.unscoped(reason="test").count()


def test_the_scheme_follows_the_year(cast):  # type: ignore[no-untyped-def]
    assert evaluation_scheme_for_year(2024).code == "qd124-2023"
    assert evaluation_scheme_for_year(2025).code == "qd366-2025"
    assert evaluation_scheme_for_year(2031).code == "qd366-2025"
    assert evaluation_scheme_for_year(2019) is None  # no scheme entered for that year: a clear refusal later


@pytest.mark.parametrize(
    ("score", "best"),
    [(100, "excellent"), (90, "excellent"), (89.99, "good"), (70, "good"), (69.5, "completed"), (50, "completed"),
     (49.99, "not_completed"), (0, "not_completed")],
)  # fmt: skip
def test_366_bands(cast, score, best):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    assert rules.band_for(evaluation_scheme_for_year(2026), Decimal(str(score))) == best


def test_quota_under_366(world, cast):  # type: ignore[no-untyped-def]
    # Four members of ward A already rated good: with this one, five are good or better → one excellent.
    graded_members(world, cast, 2026, ["good", "good", "good", "good"])
    plan = approved_plan(cast)
    yearend(cast, plan, grade="excellent", score=95)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        ev = services.evaluation_propose(actor=sec, plan=plan, grade="excellent", score=95)
        quota = selectors.quota_status(grassroots=world.a.committee, year=2026, scheme=ev.scheme)
    assert (quota.count, quota.base, quota.limit, quota.ok) == (1, 5, 1, True)
    # A second excellent in the same ward would make 2 of 6: refused, nothing written.
    other = graded_members(world, cast, 2026, ["good"])[0]
    with activate(sec.scope):
        Evaluation.objects.unscoped(reason="test").filter(plan=other).update(grade="", decided_grade="")
        other.yearend_at = other.created_at
        other.save()
        with pytest.raises(DomainError, match="Quota: at most 1 of the 6"):
            services.evaluation_propose(actor=sec, plan=other, grade="excellent", score=92)
    assert Evaluation.objects.unscoped(reason="test").get(plan=other).grade == ""
    # Ward B is another grassroots organization: its quota is its own.
    assert selectors.quota_status(grassroots=world.b.committee, year=2026, scheme=ev.scheme).count == 0


def test_quota_under_124_without_points(world, cast):  # type: ignore[no-untyped-def]
    graded_members(world, cast, 2024, ["good", "good", "good"])
    plan = approved_plan(cast, year=2024)
    owner = cast.actor("member_user")
    with activate(owner.scope):
        with pytest.raises(DomainError, match="gives no points"):
            yearend(cast, plan, grade="good", score=80)
    yearend(cast, plan, grade="excellent", score=None)
    sec = cast.actor("cell_secretary")
    with in_window(2024, "grading"), activate(sec.scope):
        with pytest.raises(DomainError, match="gives no points"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score=75)
        # 1 excellent of 4 good-or-better: floor(0.2 × 4) = 0 → refused.
        with pytest.raises(DomainError, match="Quota"):
            services.evaluation_propose(actor=sec, plan=plan, grade="excellent")
        assert _evaluations() == 3
        ev = services.evaluation_propose(actor=sec, plan=plan, grade="good")
    assert ev.scheme.code == "qd124-2023" and ev.score is None


def test_discipline_in_the_year_rates_not_completed_under_124_and_366(world, cast):  # type: ignore[no-untyped-def]
    sec = cast.actor("cell_secretary")
    # 2024 (Quy định 124, Điều 12 khoản 4, 4.3 d): disciplined in the year → "not completed" (the data once
    # said "at most completed", which no version of the rules says).
    old = approved_plan(cast, year=2024)
    yearend(cast, old, grade="completed", score=None)
    with in_window(2024, "grading"), activate(sec.scope):
        with pytest.raises(DomainError, match="at most “Not completed .*because: Bị xử lý kỷ luật trong năm"):
            services.evaluation_propose(actor=sec, plan=old, grade="completed", disqualifiers=["discipline"])
        assert _evaluations() == 0
        ev = services.evaluation_propose(actor=sec, plan=old, grade="not_completed",
                                      disqualifiers=["discipline"])  # fmt: skip
    assert ev.disqualifiers == ["discipline"] and ev.grade == "not_completed"
    # 2026 (Quy định 366): the same measure forces "not completed", whatever the score.
    new = approved_plan(cast, year=2026)
    yearend(cast, new, grade="good", score=80)
    with activate(sec.scope):
        with pytest.raises(DomainError, match="at most “Not completed"):
            services.evaluation_propose(actor=sec, plan=new, grade="completed", score=80,
                                     disqualifiers=["discipline"])  # fmt: skip
        with pytest.raises(DomainError, match="Unknown disqualifier"):
            services.evaluation_propose(actor=sec, plan=new, grade="not_completed", score=80,
                                     disqualifiers=["bogus"])  # fmt: skip
        ev = services.evaluation_propose(actor=sec, plan=new, grade="not_completed", score=80,
                                      disqualifiers=["discipline"])  # fmt: skip
    assert ev.grade == "not_completed"


def test_evaluation_refusals_write_nothing(world, cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        with pytest.raises(DomainError, match="has not done the year-end self-assessment"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
    yearend(cast, plan)
    with activate(sec.scope):
        with pytest.raises(DomainError, match="between 0 and 100"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score=101)
        with pytest.raises(DomainError, match="allows at most"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score=69)
        with pytest.raises(DomainError, match="Choose a grade"):
            services.evaluation_propose(actor=sec, plan=plan, grade="", score=69)
        with pytest.raises(DomainError, match="has not proposed"):
            services.evaluation_decide(actor=cast.actor("ward_secretary"), plan=plan, grade="good",
                                     score=80)  # fmt: skip
        with pytest.raises(DomainError, match="needs a due date"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80,
                                     shortcomings=[services.Shortcoming("Thiếu", None)])  # fmt: skip
    assert _evaluations() == 0
