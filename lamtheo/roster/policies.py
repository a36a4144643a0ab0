"""Who may import and export rosters."""

from __future__ import annotations

from lamtheo.core.actor import Actor
from lamtheo.organizations import policies as org_policies


def can_import_roster(actor: Actor, kind: str) -> bool:
    """People are imported by holders of add_person, organizations by holders of add_organization (each
    row is checked again against the organization it names)."""
    perm = org_policies.ADD_PERSON if kind == "people" else org_policies.ADD_ORG
    return actor.has_perm(perm)


def import_grant(actor: Actor, kind: str):  # type: ignore[no-untyped-def]
    """The grant an import runs under (its organization scopes the job record)."""
    perm = org_policies.ADD_PERSON if kind == "people" else org_policies.ADD_ORG
    return actor.grant_for(perm)
