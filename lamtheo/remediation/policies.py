"""Who may raise, report on and verify a shortcoming's remedy."""

from __future__ import annotations

from lamtheo.core.actor import Actor, Grant

ADD = "remediation.add_remediationitem"
CHANGE = "remediation.change_remediationitem"
VERIFY = "remediation.verify_remediationitem"


def can_raise_item(actor: Actor, org_path: str) -> Grant | None:
    """Shortcomings are raised by holders of add_remediationitem over the organization that tracks them."""
    return actor.grant_for(ADD, org_path)


def can_report_item(actor: Actor, org_path: str, owner_id: int | None) -> Grant | None | bool:
    """The owner reports their own remedy; an officer holding change_remediationitem may report for them."""
    if owner_id is not None and actor.person_id == owner_id:
        return True
    return actor.grant_for(CHANGE, org_path)


def can_verify_item(actor: Actor, org_path: str, owner_id: int | None, person_id: int | None = None,
                    reported_by_id: int | None = None) -> Grant | None:  # fmt: skip
    """Verification needs verify_remediationitem over the tracking organization, and is never one's own:
    not the owner, not the person concerned, not whoever reported the remedy."""
    if actor.person_id is not None and actor.person_id in (owner_id, person_id):
        return None
    if reported_by_id is not None and actor.user_id == reported_by_id:
        return None
    return actor.grant_for(VERIFY, org_path)


READERS = (ADD, CHANGE, VERIFY, "commitments.review_commitmentplan")


def can_view_item(actor: Actor, item) -> bool:  # type: ignore[no-untyped-def]
    """The person concerned, the owner, or an officer who follows shortcomings over the tracking
    organization; fellow members of the same cell do not read each other's shortcomings."""
    if actor.is_system or (
        actor.person_id is not None and actor.person_id in (item.person_id, item.owner_id)
    ):
        return True
    return any(actor.grant_for(perm, item.organization.path) for perm in READERS)


def reader_paths(actor: Actor) -> list[str]:
    """The subtrees over which the actor follows shortcomings (beyond their own)."""
    return actor.paths_with(*READERS)
