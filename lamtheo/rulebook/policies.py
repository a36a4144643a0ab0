"""Who may change the rulebook: only whole-tree administrators (through the admin); everyone may read it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.permissions import Permissions

CHANGE_REGULATION = "rulebook.change_regulation"


class RulebookPermissions(Permissions):
    """What an actor may do to the rulebook as a whole (record: None): rules hold for the whole tree."""

    messages = {"change": _("Only a system administrator can change the rulebook.")}

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor, None)

    def can_change(self) -> Grant | None:
        """Rules are changed by a command or job, or by a system administrator of the whole tree; every
        logged-in user reads them."""
        if not self.actor.is_tree_admin:
            return None
        return self.actor.widest_grant(CHANGE_REGULATION)
