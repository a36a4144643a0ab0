"""Who may write, approve, comment on, evaluate, publish and lock cultivation plans."""

from __future__ import annotations

from lamtheo.core.actor import Actor, Grant

REVIEW = "commitments.review_commitmentplan"
EVALUATE = "commitments.evaluate_commitmentplan"
DECIDE = "commitments.decide_evaluation"
PUBLISH = "commitments.publish_commitmentplan"
LOCK = "commitments.lock_commitmentyear"
READERS = (REVIEW, EVALUATE, DECIDE, PUBLISH)


def is_owner(actor: Actor, plan) -> bool:  # type: ignore[no-untyped-def]
    """The member whose plan it is (their account is linked to the person)."""
    return actor.person_id is not None and actor.person_id == plan.person_id


def can_view_plan(actor: Actor, plan) -> bool:  # type: ignore[no-untyped-def]
    """The member, or an officer of the cell's subtree who follows plans; fellow members see nothing."""
    if is_owner(actor, plan):
        return True
    return any(actor.grant_for(perm, plan.cell.path) for perm in READERS)


def can_review_plan(actor: Actor, plan) -> Grant | None:  # type: ignore[no-untyped-def]
    """Approve or return: the secretary of the cell (or above); never one's own plan."""
    if is_owner(actor, plan) and not actor.is_system:
        return None
    return actor.grant_for(REVIEW, plan.cell.path)


def can_follow_cell(actor: Actor, cell_path: str) -> Grant | None:
    """The cockpit, reminders and bulk approval of a cell or committee."""
    return actor.grant_for(REVIEW, cell_path)


def can_request_residence(actor: Actor, plan) -> Grant | None:  # type: ignore[no-untyped-def]
    """The workplace cell requests the residence cell's comment (or marks the member exempt); never the
    member about themself."""
    if is_owner(actor, plan) and not actor.is_system:
        return None
    return actor.grant_for(REVIEW, plan.cell.path)


def can_comment_residence(actor: Actor, residence_path: str, plan=None) -> Grant | None:  # type: ignore[no-untyped-def]
    """The residence cell's secretary fills the comment in (not on themself)."""
    if plan is not None and is_owner(actor, plan) and not actor.is_system:
        return None
    return actor.grant_for(REVIEW, residence_path)


def can_propose_grade(actor: Actor, plan) -> Grant | None:  # type: ignore[no-untyped-def]
    """The cell proposes the grade (not for one's own plan)."""
    if is_owner(actor, plan) and not actor.is_system:
        return None
    return actor.grant_for(EVALUATE, plan.cell.path)


def can_decide_grade(actor: Actor, plan) -> Grant | None:  # type: ignore[no-untyped-def]
    """The committee above the cell decides: decide_evaluation held on an organization strictly above the
    cell (any of the actor's grants may be that one); never one's own grade."""
    if actor.is_system:
        return actor.grant_for(DECIDE, plan.cell.path)
    if is_owner(actor, plan):
        return None
    above = [
        g for g in actor.grants
        if (DECIDE in g.permissions or g.role_code == "system_admin")
        and plan.cell.path.startswith(g.org_path) and len(g.org_path) < len(plan.cell.path)
    ]  # fmt: skip
    return max(above, key=lambda g: len(g.org_path), default=None)


def can_publish_plan(actor: Actor, plan) -> Grant | None:  # type: ignore[no-untyped-def]
    """Heads' commitments are published by holders of publish_commitmentplan over the cell."""
    return actor.grant_for(PUBLISH, plan.cell.path)


def can_lock_year(actor: Actor, organization) -> Grant | None:  # type: ignore[no-untyped-def]
    """A grassroots committee (or one above) locks a year for its subtree; a cell never does."""
    if organization.kind == "party_cell" and not actor.is_system:
        return None
    return actor.grant_for(LOCK, organization.path)


def can_unlock_year(actor: Actor, organization) -> Grant | None:  # type: ignore[no-untyped-def]
    """A lock is lifted from above: lock_commitmentyear held strictly above the locked organization."""
    if actor.is_system or actor.scope.is_global:  # a whole-tree administrator lifts any lock, even the root's
        return actor.grant_for(LOCK, organization.path)
    above = [
        g for g in actor.grants
        if (LOCK in g.permissions or g.role_code == "system_admin")
        and organization.path.startswith(g.org_path) and len(g.org_path) < len(organization.path)
    ]  # fmt: skip
    return max(above, key=lambda g: len(g.org_path), default=None)
