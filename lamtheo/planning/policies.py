"""Who may plan, approve and report (the roles' Django permissions over the right organization)."""

from __future__ import annotations

from lamtheo.core.actor import Actor, Grant

ADD_PLAN = "planning.add_plan"
CHANGE_PLAN = "planning.change_plan"
APPROVE_PLAN = "planning.approve_plan"
ADD_REPORT = "planning.add_progressreport"


def can_change_plan(actor: Actor, org_path: str) -> Grant | None:
    """Plans (and their tasks) are written by holders of change_plan over the planning organization."""
    return actor.grant_for(CHANGE_PLAN, org_path)


def can_approve_plan(actor: Actor, parent_path: str | None, own_path: str = "") -> Grant | None:
    """A plan is approved from the level above: approve_plan over the parent organization. A root's plan
    (no parent) is approved by a system administrator of the whole tree."""
    if parent_path is None:
        return actor.grant_for(APPROVE_PLAN, own_path) if actor.scope.is_global else None
    return actor.grant_for(APPROVE_PLAN, parent_path)


def can_report(actor: Actor, responsible_path: str) -> Grant | None:
    """Progress is reported by the responsible unit, or by the unit just above it on its behalf
    (add_progressreport held on one of those two); levels further up read, they do not report."""
    parent_path = responsible_path[: responsible_path.rstrip("/").rfind("/") + 1]
    grant = actor.grant_for(ADD_REPORT, responsible_path)
    if grant is None or actor.is_system:
        return grant
    return grant if grant.org_path in (responsible_path, parent_path) else None
