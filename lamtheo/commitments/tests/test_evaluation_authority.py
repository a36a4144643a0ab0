"""Who proposes and who decides a member's grade (issue 11): the cell proposes; the grassroots committee
decides for the cells under it and a grassroots cell (chi bộ cơ sở) for its own members; a đảng bộ bộ phận
reviews but does not decide, nor does a committee above the grassroots level; whoever proposed a grade never
decides it. The levels are the evaluation scheme's `authority` (rulebook data), read through the services."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lamtheo.commitments import selectors, services
from lamtheo.commitments.models import CultivationPlanStatus, Evaluation, ResidenceComment, ResidenceStatus
from lamtheo.commitments.tests.factories import CultivationPlanFactory
from lamtheo.core.errors import PermissionDenied
from lamtheo.organizations.tests.factories import OrganizationFactory, PersonFactory, UserFactory
from lamtheo.remediation.models import RemediationItem

pytestmark = pytest.mark.django_db


def _ready(person):  # type: ignore[no-untyped-def]
    """An approved plan of 2026 whose year-end self-assessment is done: ready to be graded."""
    plan = CultivationPlanFactory(
        person=person, status=CultivationPlanStatus.APPROVED, yearend_at=timezone.now()
    )
    if person.residence_cell_id not in (None, plan.cell_id):  # the residence cell's comment is in
        ResidenceComment.objects.unscoped(reason="test").create(
            plan=plan, residence=person.residence_cell, status=ResidenceStatus.RETURNED, returned_at=timezone.now()
        )
    return plan


def _written(plan) -> tuple:  # type: ignore[no-untyped-def]
    """What a grading step writes: the evaluation row as it stands, its history, remediation items."""
    rows = Evaluation.objects.unscoped(reason="test").filter(plan=plan)
    return (
        list(rows.values_list("proposed_grade", "decided_grade", "grade", "decided_by_id", "version")),
        Evaluation.history.filter(plan_id=plan.pk).count(),
        RemediationItem.objects.unscoped(reason="test").count(),
    )


def _refused_to_decide(as_actor, who, plan) -> None:  # type: ignore[no-untyped-def]
    """`who` may not decide the proposed grade, and the refusal writes nothing."""
    before = _written(plan)
    with as_actor(who) as actor, pytest.raises(PermissionDenied, match="never by whoever proposed"):
        services.evaluation_decide(
            actor=actor, plan=plan, grade="completed", score=60,
            shortcomings=[services.Shortcoming("Chưa gương mẫu", timezone.localdate())],
        )  # fmt: skip
    assert _written(plan) == before


def test_an_intermediate_committee_reviews_but_does_not_decide(world, cast, as_actor):  # type: ignore[no-untyped-def]
    # Ward A (grassroots) → đảng bộ bộ phận K1 → chi bộ K1-1.
    part = OrganizationFactory(parent=world.a.committee, name="Đảng bộ bộ phận Khu 1")
    cell = OrganizationFactory(cell=True, parent=part)
    plan = _ready(PersonFactory(party_cell=cell))
    part_secretary = UserFactory(roles=[("secretary", part)])
    with as_actor(UserFactory(roles=[("secretary", cell)])) as sec:
        services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
    # It reads the evaluation screen (it reviews), is offered nothing to decide, and may not decide.
    with as_actor(part_secretary) as actor:
        assert selectors.cultivation_plan_for_actor(actor=actor, pk=plan.pk, need="grade") == plan
        assert not selectors.grades_to_decide(actor=actor).exists()
    _refused_to_decide(as_actor, part_secretary, plan)
    # The grassroots committee above decides.
    with as_actor(world.a.secretary_user) as ward:
        assert list(selectors.grades_to_decide(actor=ward)) == [plan.evaluation]
        ev = services.evaluation_decide(actor=ward, plan=plan, grade="good", score=82)
    assert ev.decided_grade == "good" and ev.decided_by_id == world.a.secretary_user.pk


def test_a_committee_above_the_grassroots_does_not_decide(world, cast, as_actor):  # type: ignore[no-untyped-def]
    plan = _ready(cast.member)  # cell A1 of ward A (grassroots), under the city
    city_secretary = UserFactory(roles=[("secretary", world.root)])
    with as_actor(cast.cell_secretary) as sec:
        services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
    with as_actor(city_secretary) as city:
        assert not selectors.grades_to_decide(actor=city).exists()
    _refused_to_decide(as_actor, city_secretary, plan)
    with as_actor(cast.ward_secretary) as ward:
        assert (
            services.evaluation_decide(actor=ward, plan=plan, grade="good", score=80).decided_grade == "good"
        )


def test_a_grassroots_cell_decides_for_its_own_members(world, cast, as_actor):  # type: ignore[no-untyped-def]
    # A chi bộ cơ sở directly under the city: its committee proposes, its secretary decides.
    cell = OrganizationFactory(cell=True, parent=world.root, is_grassroots=True, name="Chi bộ cơ sở Trường A")
    plan = _ready(PersonFactory(party_cell=cell))
    secretary = UserFactory(roles=[("secretary", cell)])
    with as_actor(UserFactory(roles=[("organization_officer", cell)])) as officer:
        services.evaluation_propose(actor=officer, plan=plan, grade="good", score=85)
    _refused_to_decide(as_actor, UserFactory(roles=[("secretary", world.root)]), plan)
    with as_actor(secretary) as actor:
        assert list(selectors.grades_to_decide(actor=actor)) == [plan.evaluation]
        ev = services.evaluation_decide(actor=actor, plan=plan, grade="good", score=86)
    assert ev.decided_grade == "good" and ev.grade == "good" and ev.decided_by_id == secretary.pk
    assert ev.grassroots_id == cell.pk


def test_whoever_proposed_a_grade_never_decides_it(world, cast, as_actor):  # type: ignore[no-untyped-def]
    plan = _ready(cast.member)
    with as_actor(cast.ward_secretary) as ward:
        services.evaluation_propose(actor=ward, plan=plan, grade="good", score=80)
        assert not selectors.grades_to_decide(actor=ward).exists()
    _refused_to_decide(as_actor, cast.ward_secretary, plan)
    # Another officer of the grassroots committee decides.
    with as_actor(world.a.officer_user) as officer:
        ev = services.evaluation_decide(actor=officer, plan=plan, grade="good", score=80)
    assert ev.decided_by_id == world.a.officer_user.pk and ev.proposed_by_id == cast.ward_secretary.pk


def test_in_a_grassroots_cell_the_secretary_who_proposed_does_not_decide(world, cast, as_actor):  # type: ignore[no-untyped-def]
    cell = OrganizationFactory(cell=True, parent=world.root, is_grassroots=True)
    plan = _ready(PersonFactory(party_cell=cell))
    secretary = UserFactory(roles=[("secretary", cell)])
    with as_actor(secretary) as actor:
        services.evaluation_propose(actor=actor, plan=plan, grade="good", score=80)
    _refused_to_decide(as_actor, secretary, plan)


def test_the_deciding_level_is_the_schemes_data(world, cast, as_actor):  # type: ignore[no-untyped-def]
    # Were a scheme to say that the đảng bộ bộ phận decides, it would decide and the grassroots would not.
    from lamtheo.rulebook.models import EvaluationScheme

    EvaluationScheme.objects.filter(code="qd366-2025").update(
        authority={"propose": ["cell"], "decide": ["intermediate_committee"], "source": "test"}
    )
    part = OrganizationFactory(parent=world.a.committee)
    cell = OrganizationFactory(cell=True, parent=part)
    plan = _ready(PersonFactory(party_cell=cell))
    with as_actor(UserFactory(roles=[("secretary", cell)])) as sec:
        services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
    _refused_to_decide(as_actor, world.a.secretary_user, plan)
    with as_actor(UserFactory(roles=[("secretary", part)])) as actor:
        assert (
            services.evaluation_decide(actor=actor, plan=plan, grade="good", score=80).decided_grade == "good"
        )
