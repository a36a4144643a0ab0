"""Merging organizations keeps the past as it was (ADR 0013): a year lock binds the subtree as it stood
when the lock was set, a grade keeps the grassroots organization whose quota it was counted in, and the
successor's cockpit reads the closed units through their Succession links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import SYSTEM, acting_as
from lamtheo.commitments import selectors, services
from lamtheo.commitments.models import CultivationPlanStatus, Evaluation, OrganizationRating, YearLock
from lamtheo.commitments.tests.factories import CultivationPlanFactory
from lamtheo.core.errors import DomainError
from lamtheo.organizations import services as org_services
from lamtheo.rulebook.selectors import commitment_template_for, evaluation_scheme_for_year
from lamtheo.rulebook.services import rulebook_load

D = dt.date
YEAR = 2026
MERGED_ON = D(2026, 11, 30)  # today in this suite (commitments/tests/conftest.py)


def _graded_plan(person, grassroots, *, decided: bool = False):  # type: ignore[no-untyped-def]
    """An approved plan of YEAR with its year-end self-assessment and a proposed (or decided) "good"."""
    scheme = evaluation_scheme_for_year(YEAR)
    plan = CultivationPlanFactory(
        person=person, year=YEAR, status=CultivationPlanStatus.APPROVED, yearend_at=timezone.now(),
        template=commitment_template_for(year=YEAR, for_heads=False),
    )  # fmt: skip
    Evaluation.objects.create(
        plan=plan, scheme=scheme, grassroots=grassroots, year=YEAR, proposed_grade="good", grade="good",
        decided_grade="good" if decided else "", decided_at=timezone.now() if decided else None,
        score=None if scheme.scale_max is None else 80,
    )  # fmt: skip
    return plan


def _cell_rated(cell, grassroots):  # type: ignore[no-untyped-def]
    """The cell's own rating of YEAR (its secretary, who heads it, is rated after it and not above it)."""
    OrganizationRating.objects.create(
        organization=cell, year=YEAR, scheme=evaluation_scheme_for_year(YEAR), decider=grassroots,
        proposed_grade="good", decided_grade="good", grade="good",
    )  # fmt: skip


def _new_ward(world):  # type: ignore[no-untyped-def]
    return org_services.organization_create(
        actor=SYSTEM, code="WC", name="Đảng bộ phường C", kind="party_committee", parent=world.root,
        valid_from=D(2025, 7, 1), is_grassroots=True,
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("into", ["one of them", "a new ward"])
def test_merging_two_locked_wards_keeps_each_lock_with_its_own_ward(world, into):  # type: ignore[no-untyped-def]
    with acting_as(SYSTEM):
        rulebook_load(actor=SYSTEM)
        plan_a = _graded_plan(world.a.member, world.a.committee, decided=True)
        plan_b = _graded_plan(world.b.member, world.b.committee, decided=True)
        lock_a = services.year_lock(actor=SYSTEM, organization=world.a.committee, year=YEAR)
        lock_b = services.year_lock(actor=SYSTEM, organization=world.b.committee, year=YEAR)
        target = world.b.committee if into == "one of them" else _new_ward(world)
        sources = [world.a.committee] if into == "one of them" else [world.a.committee, world.b.committee]

        org_services.organization_merge(actor=SYSTEM, sources=sources, target=target, effective=MERGED_ON)

        locks = YearLock.objects.order_by("pk")
        assert [(x.pk, x.organization_id) for x in locks] == [
            (lock_a.pk, world.a.committee.pk),
            (lock_b.pk, world.b.committee.pk),
        ]
        # Each cell, now under the successor, is still bound by the lock of the ward it was in that year.
        plan_a.refresh_from_db()
        assert plan_a.cell.path.startswith(target.path)
        assert selectors.locked(plan=plan_a) == lock_a
        assert selectors.locked(plan=plan_b) == lock_b
        with pytest.raises(DomainError, match=f"{YEAR} is locked by {world.a.committee.name}"):
            services.evaluation_decide(actor=SYSTEM, plan=plan_a, grade="excellent", score=95)
        assert Evaluation.objects.get(plan=plan_a).decided_grade == "good"


@pytest.mark.django_db
def test_a_locked_ward_absorbing_an_unlocked_one_does_not_lock_its_pending_grades(world):  # type: ignore[no-untyped-def]
    with acting_as(SYSTEM):
        rulebook_load(actor=SYSTEM)
        _graded_plan(world.a.member, world.a.committee, decided=True)
        pending = _graded_plan(world.b.member, world.b.committee)
        _cell_rated(world.b.cell, world.b.committee)
        lock_a = services.year_lock(actor=SYSTEM, organization=world.a.committee, year=YEAR)

        org_services.organization_merge(
            actor=SYSTEM, sources=[world.b.committee], target=world.a.committee, effective=MERGED_ON
        )

        pending.refresh_from_db()
        assert pending.cell.path.startswith(world.a.committee.path)
        assert selectors.locked(plan=pending) is None
        # The grade stays in the quota of the closed ward it was proposed in (the successor's is closed).
        assert Evaluation.objects.get(plan=pending).grassroots_id == world.b.committee.pk
        ev = services.evaluation_decide(actor=SYSTEM, plan=pending, grade="good", score=80)
        assert (ev.decided_grade, ev.grassroots_id) == ("good", world.b.committee.pk)
        # The successor's own year stays locked, its quota unchanged.
        assert selectors.lock_over(organization=world.a.committee, year=YEAR) == lock_a
        assert services.quota_counts(grassroots=world.a.committee, year=YEAR) == {"good": 1}


@pytest.mark.django_db
def test_the_successors_cockpit_reads_the_closed_wards_quota_of_the_merge_year(world, client):  # type: ignore[no-untyped-def]
    with acting_as(SYSTEM):
        rulebook_load(actor=SYSTEM)
        _graded_plan(world.a.member, world.a.committee, decided=True)
        org_services.organization_merge(
            actor=SYSTEM, sources=[world.a.committee], target=world.b.committee, effective=MERGED_ON
        )
    # Ward A's grade stays counted in ward A's quota, where it was given; ward B's secretary (whose scope
    # does not hold the closed ward) sees that quota beside B's own, and A's member in B's statistics.
    with acting_as(world.b.secretary_user) as actor:
        data = selectors.cockpit(actor=actor, organization=world.b.committee, year=YEAR)
        assert [(g.pk, q.base) for g, q in data.quotas] == [
            (world.b.committee.pk, 0),
            (world.a.committee.pk, 1),
        ]
        stats = selectors.statistics(actor=actor, organization=world.b.committee, year=YEAR)
        assert stats.by_grade == {"good": 1}
    assert Evaluation.objects.unscoped(reason="test").get().grassroots_id == world.a.committee.pk
    client.force_login(world.b.secretary_user)
    page = client.get(f"/commitments/cockpit/{world.b.committee.pk}/?year={YEAR}").content.decode()
    assert world.a.committee.name in page and "(closed, merged into this unit)" in page


@pytest.mark.django_db
def test_a_grade_first_proposed_after_a_merge_into_a_locked_ward_counts_where_the_cell_was(world):  # type: ignore[no-untyped-def]
    with acting_as(SYSTEM):
        rulebook_load(actor=SYSTEM)
        _graded_plan(world.a.member, world.a.committee, decided=True)
        lock_a = services.year_lock(actor=SYSTEM, organization=world.a.committee, year=YEAR)
        # Ward B's member has done the year-end self-assessment; no grade yet when B merges into locked A.
        _cell_rated(world.b.cell, world.b.committee)
        pending = CultivationPlanFactory(
            person=world.b.member, year=YEAR, status=CultivationPlanStatus.APPROVED, yearend_at=timezone.now(),
            template=commitment_template_for(year=YEAR, for_heads=False),
        )  # fmt: skip
        org_services.organization_merge(
            actor=SYSTEM, sources=[world.b.committee], target=world.a.committee, effective=MERGED_ON
        )
        ev = services.evaluation_propose(actor=SYSTEM, plan=pending, grade="good", score=80)
    # The grade counts in ward B's quota (where the cell was when A locked its year), not in A's locked one.
    assert ev.grassroots_id == world.b.committee.pk
    assert services.quota_counts(grassroots=world.a.committee, year=YEAR) == {"good": 1}
    assert YearLock.objects.unscoped(reason="test").get() == lock_a
