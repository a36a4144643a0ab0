"""@actor_scoped matters: a selector reads through its actor's own scope, never a wider one the caller left
active (a command, a test or a job that activated the whole tree does not widen what a secretary sees)."""

from __future__ import annotations

from conftest import SYSTEM, actor_of
from lamtheo.commitments import selectors
from lamtheo.commitments.models import CommitmentPlan
from lamtheo.core import audit
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations.models import Person
from lamtheo.rulebook.selectors import commitment_template_for

from .conftest import approved_plan

ALL = Scope.everything(reason="test: a wide scope left active by the caller")


def _plan_in_ward_b(world) -> CommitmentPlan:  # type: ignore[no-untyped-def]
    with activate(ALL), audit.acting(SYSTEM):
        template = commitment_template_for(year=2026, for_heads=False)
        return CommitmentPlan.objects.create(
            person=world.b.member, year=2026, cell=world.b.cell, template=template
        )


def test_statistics_under_a_whole_tree_scope_count_only_the_secretarys_branch(world, cast):  # type: ignore[no-untyped-def]
    approved_plan(cast)  # Hoa's plan, in ward A
    _plan_in_ward_b(world)
    ward_b = actor_of(cast.b_secretary)
    with activate(ALL):
        everywhere = CommitmentPlan.objects.filter(year=2026).count()
        b_members = Person.objects.filter(
            is_party_member=True, party_cell__path__startswith=world.b.committee.path
        )
        expected_members = b_members.count()
        stats = selectors.statistics(actor=ward_b, organization=None, year=2026)
    assert everywhere == 2
    assert stats.registered == 1 and stats.members == expected_members  # ward B only, not the whole tree


def test_a_cockpit_opened_on_another_branch_under_a_whole_tree_scope_shows_nobody(world, cast):  # type: ignore[no-untyped-def]
    approved_plan(cast)
    ward_b = actor_of(cast.b_secretary)
    with activate(ALL):
        data = selectors.cockpit(actor=ward_b, organization=world.a.committee, year=2026)
        people = list(data.people)
        own = selectors.cockpit(
            actor=actor_of(cast.ward_secretary), organization=world.a.committee, year=2026
        )
    assert data.counts["members"] == 0 and people == [] and data.counts.get("approved", 0) == 0
    assert own.counts["members"] > 0 and own.counts["approved"] == 1  # ward A's secretary sees ward A
