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


def can_verify_item(actor: Actor, org_path: str, owner_id: int | None) -> Grant | None:
    """Verification needs verify_remediationitem over the tracking organization, and is never one's own."""
    if owner_id is not None and actor.person_id == owner_id:
        return None
    return actor.grant_for(VERIFY, org_path)
