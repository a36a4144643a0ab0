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
    """The grant an import runs under: the broadest one carrying the permission (the job belongs to its
    organization, so that those who see the job see the whole subtree the file may touch)."""
    perm = org_policies.ADD_PERSON if kind == "people" else org_policies.ADD_ORG
    if actor.is_system:
        return actor.grant_for(perm)
    candidates = [
        g
        for g in actor.grants
        if actor.has_perm(perm, g.org_path) and (perm in g.permissions or g.role_code == "system_admin")
    ]
    return min(candidates, key=lambda g: len(g.org_path), default=None)


def can_decide_import(actor: Actor, job) -> bool:  # type: ignore[no-untyped-def]
    """Confirming or cancelling an import is for the person who uploaded it, or for a holder of the
    import permission over the job's organization."""
    if job.created_by_id == actor.user_id:
        return True
    perm = org_policies.ADD_PERSON if job.kind == "people" else org_policies.ADD_ORG
    return actor.has_perm(perm, job.organization.path)
