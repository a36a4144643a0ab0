"""Party discipline: the measures allowed for members and organizations, and a measure in the year capping
the member's grade by itself, the evaluation naming the decision that capped it."""

from __future__ import annotations

import datetime as dt

import pytest

from lamtheo.commitments import selectors as commitment_selectors
from lamtheo.commitments import services as commitment_services
from lamtheo.commitments.tests.conftest import _a_fixed_today, approved_plan, yearend  # noqa: F401
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.oversight import services
from lamtheo.oversight.models import DisciplinaryMeasure

pytestmark = pytest.mark.django_db
D = dt.date


def _measure(actor, world, **kw):  # type: ignore[no-untyped-def]
    args = dict(organization=world.a.committee, measure="reprimand", number=7, issuer="UBKTĐU",
                decided_on=D(2026, 6, 1), effective_from=D(2026, 6, 1), violation="Vi phạm quy tắc ứng xử")  # fmt: skip
    args.update(kw)
    return services.measure_record(actor=actor, **args)


def _count() -> int:
    with activate(Scope.everything(reason="test")):
        return DisciplinaryMeasure.objects.count()


def test_bad_measures_are_refused_and_write_nothing(world, team):  # type: ignore[no-untyped-def]
    inspector = team.actor("inspector")
    with pytest.raises(DomainError, match="“Dissolution” is not a measure for a party member"):
        _measure(inspector, world, person=team.peer, measure="dissolution")
    with pytest.raises(DomainError, match="“Expulsion from the Party” is not a measure for a party organization"):
        _measure(inspector, world, subject_organization=world.a.cell, measure="expulsion")
    with pytest.raises(DomainError, match="either a party member or an organization"):
        _measure(inspector, world)
    with pytest.raises(DomainError, match="takes effect before it was decided"):
        _measure(inspector, world, person=team.peer, effective_from=D(2026, 5, 1))
    with pytest.raises(DomainError, match="ends before it takes effect"):
        _measure(inspector, world, person=team.peer, effective_to=D(2026, 5, 1))
    with pytest.raises(DomainError, match="Say what the violation was"):
        _measure(inspector, world, person=team.peer, violation="  ")
    with pytest.raises(PermissionDenied):  # a cell secretary does not record discipline
        _measure(team.actor("cell_secretary"), world, organization=world.a.cell, person=team.peer)
    assert _count() == 0
    _measure(inspector, world, subject_organization=world.a.cell, measure="dissolution")
    assert _count() == 1


def test_a_measure_in_the_year_caps_the_grade_and_the_evaluation_names_it(world, team, cast, client):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast, year=2026)
    yearend(cast, plan, grade="good", score=85)
    measure = _measure(team.actor("inspector"), world, person=cast.member, number=21)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        # Nobody ticked the disqualifier: the measure applies it by itself.
        with pytest.raises(DomainError, match="at most “Not completed.*Bị thi hành kỷ luật"):
            commitment_services.evaluation_propose(actor=sec, plan=plan, grade="good", score=85)
        entries = commitment_selectors.forced_disqualifiers(actor=sec, plan=plan)
        assert [(e.caps, measure.symbol in e.title) for e in entries] == [("discipline", True)]
        ev = commitment_services.evaluation_propose(actor=sec, plan=plan, grade="not_completed", score=85)
    assert ev.disqualifiers == ["discipline"] and ev.grade == "not_completed"
    client.force_login(cast.cell_secretary)
    page = client.get(f"/commitments/plans/{plan.pk}/evaluate/").content.decode()
    assert "21-QĐ/UBKTĐU" in page and "caps the grade" in page


def test_a_measure_outside_the_year_does_not_cap(world, team, cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast, year=2026)
    yearend(cast, plan, grade="good", score=85)
    _measure(team.actor("inspector"), world, person=cast.member, decided_on=D(2024, 3, 1),
             effective_from=D(2024, 3, 1), effective_to=D(2025, 3, 1))  # fmt: skip
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        ev = commitment_services.evaluation_propose(actor=sec, plan=plan, grade="good", score=85)
    assert ev.disqualifiers == [] and ev.grade == "good"
