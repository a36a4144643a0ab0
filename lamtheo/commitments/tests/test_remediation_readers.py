"""Reviewers of members' plans follow the shortcomings raised in their subtree: commitments registers its
review permission with remediation (remediation imports no context that raises items)."""

from __future__ import annotations

from lamtheo.organizations.tests.factories import OrganizationFactory, PersonFactory, UserFactory
from lamtheo.remediation import selectors as remediation_selectors
from lamtheo.remediation.policies import RemediationItemPermissions
from lamtheo.remediation.tests.factories import RemediationItemFactory


def test_a_propaganda_officer_reads_the_shortcomings_of_the_wards_cells(db, as_actor):  # type: ignore[no-untyped-def]
    ward = OrganizationFactory()
    cell = OrganizationFactory(cell=True, parent=ward)
    other_ward = OrganizationFactory()
    member = PersonFactory(party_cell=cell)
    item = RemediationItemFactory(organization=cell, person=member, owner=member)
    officer = UserFactory(roles=[("propaganda_officer", ward)])
    outsider = UserFactory(roles=[("propaganda_officer", other_ward)])
    # The Front's officer follows what the Front itself tracks, not the members' shortcomings of the ward.
    front = UserFactory(roles=[("front_officer", OrganizationFactory(parent=ward, kind="front"))])

    with as_actor(officer) as actor:
        grant = RemediationItemPermissions(actor, item).can_view()
        listed = list(remediation_selectors.remediation_list(actor=actor).values_list("pk", flat=True))
    assert grant is not None and grant.role_code == "propaganda_officer"
    assert listed == [item.pk]
    with as_actor(front) as actor:
        assert RemediationItemPermissions(actor, item).can_view() is None
    with as_actor(outsider) as actor:
        assert list(remediation_selectors.remediation_list(actor=actor)) == []
