"""Who may do what: each policy answers for one actor on one record (scope is checked separately)."""

from __future__ import annotations

from lamtheo.core.actor import Actor, Grant

from .models import Organization, Person

CHANGE_ORG = "organizations.change_organization"
ADD_ORG = "organizations.add_organization"
MOVE_ORG = "organizations.move_organization"
MERGE_ORG = "organizations.merge_organization"
ADD_PERSON = "organizations.add_person"
CHANGE_PERSON = "organizations.change_person"
ADD_POSITION = "organizations.add_position"
CHANGE_POSITION = "organizations.change_position"
VIEW_HISTORY = "organizations.view_history"


def can_add_organization(actor: Actor, parent: Organization) -> Grant | None:
    """A sub-organization may be created under `parent` by a holder of add_organization over it."""
    return actor.grant_for(ADD_ORG, parent.path)


def can_change_organization(actor: Actor, organization: Organization) -> Grant | None:
    """Editing an organization's details needs change_organization over it."""
    return actor.grant_for(CHANGE_ORG, organization.path)


def can_move_organization(actor: Actor, organization: Organization, new_parent: Organization) -> Grant | None:
    """Moving needs move_organization over both the organization and its new parent."""
    if actor.grant_for(MOVE_ORG, new_parent.path) is None:
        return None
    return actor.grant_for(MOVE_ORG, organization.path)


def can_merge_organization(actor: Actor, sources: list[Organization], target: Organization) -> Grant | None:
    """Merging needs merge_organization over every merged organization and the successor."""
    if any(actor.grant_for(MERGE_ORG, o.path) is None for o in sources):
        return None
    return actor.grant_for(MERGE_ORG, target.path)


def _person_paths(person: Person) -> list[str]:
    return [o.path for o in (person.party_cell, person.workplace) if o is not None]


def can_add_person(actor: Actor, organizations: list[Organization]) -> Grant | None:
    """A person may be added by a holder of add_person over their party cell or workplace."""
    for org in organizations:
        grant = actor.grant_for(ADD_PERSON, org.path)
        if grant is not None:
            return grant
    return None


def can_change_person(actor: Actor, person: Person) -> Grant | None:
    """A person's record is edited from their party cell or workplace (not from the residence cell)."""
    for path in _person_paths(person):
        grant = actor.grant_for(CHANGE_PERSON, path)
        if grant is not None:
            return grant
    return None


def can_add_position(actor: Actor, organization: Organization) -> Grant | None:
    """Positions in an organization are recorded by a holder of add_position over it."""
    return actor.grant_for(ADD_POSITION, organization.path)


def can_view_history(actor: Actor, path: str) -> bool:
    """The audit history of a record is shown to holders of view_history over its organization."""
    return actor.has_perm(VIEW_HISTORY, path)
