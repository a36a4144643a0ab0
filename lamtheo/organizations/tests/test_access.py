"""The actor is the source of the scope: selectors read through the actor's own scope, whatever the caller
had active; access helpers answer 404 alike for missing, malformed and out-of-scope ids."""

from __future__ import annotations

import pytest
from django.http import Http404

from conftest import actor_of
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations import selectors
from lamtheo.organizations.policies import HistoryPermissions, OrganizationPermissions, PersonPermissions

pytestmark = pytest.mark.django_db


def test_organization_list_reads_the_actors_branch_under_a_whole_tree_scope(world):  # type: ignore[no-untyped-def]
    officer = actor_of(world.a.officer_user)
    with activate(Scope.everything(reason="test: a command left the whole tree active")):
        codes = {o.code for o in selectors.organization_list(actor=officer, include_closed=True)}
        people = {p.code for p in selectors.person_list(actor=officer)}
    assert codes == {"WA", "WA-C1", "WA-UB"}
    assert people == {"PA1", "PA2"}


def test_access_helpers_answer_404_for_missing_malformed_and_other_branch(world):  # type: ignore[no-untyped-def]
    officer = actor_of(world.a.officer_user)
    with activate(Scope.everything(reason="test")):
        assert selectors.organization_for_actor(actor=officer, pk=world.a.cell.pk) == world.a.cell
        assert selectors.person_for_actor(actor=officer, pk=str(world.a.member.pk)) == world.a.member
        for pk in (world.b.cell.pk, 999999, "abc"):
            with pytest.raises(Http404):
                selectors.organization_for_actor(actor=officer, pk=pk)
        with pytest.raises(Http404):
            selectors.person_for_actor(actor=officer, pk=world.b.member.pk)


def test_permission_classes_return_the_grant_that_allows(world):  # type: ignore[no-untyped-def]
    officer, secretary = actor_of(world.a.officer_user), actor_of(world.a.secretary_user)
    grant = OrganizationPermissions(officer, world.a.cell).can_change()
    assert grant is not None and grant.org_id == world.a.committee.pk
    assert OrganizationPermissions(officer, world.b.cell).can_change() is None
    assert OrganizationPermissions(officer, world.a.cell).can_move_to(world.b.committee) is None
    assert PersonPermissions(officer, world.a.member).can_change() is not None
    assert HistoryPermissions(officer, world.a.cell.path).can_view() is not None
    assert HistoryPermissions(officer, world.b.cell.path).can_view() is None
    # The secretary edits the units of the ward but does not reshape the tree (the templates show just that).
    assert OrganizationPermissions(secretary, world.a.cell).allowed("change", "move", "merge") == {
        "change": True, "move": False, "merge": False,
    }  # fmt: skip
