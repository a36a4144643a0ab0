"""Who may change the rulebook: only system administrators (through the admin); everyone may read it."""

from __future__ import annotations

from lamtheo.core.actor import SYSTEM_ADMIN, Actor


def can_change_rulebook(actor: Actor) -> bool:
    """Rules are edited by system administrators only; every logged-in user reads them."""
    return actor.is_system or SYSTEM_ADMIN in actor.role_codes
