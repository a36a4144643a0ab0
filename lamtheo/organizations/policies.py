"""Who may do what in the organization tree and the people directory: one permission class per kind of
record (scope is checked separately: a record outside the actor's scope is never read at all)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.permissions import Permissions

from .models import Organization, Person, Position

CHANGE_ORG = "organizations.change_organization"
ADD_ORG = "organizations.add_organization"
MOVE_ORG = "organizations.move_organization"
MERGE_ORG = "organizations.merge_organization"
ADD_PERSON = "organizations.add_person"
CHANGE_PERSON = "organizations.change_person"
ADD_POSITION = "organizations.add_position"
CHANGE_POSITION = "organizations.change_position"
VIEW_HISTORY = "organizations.view_history"
CHANGE_ROLE = "organizations.change_role"


class HistoryPermissions(Permissions):
    """Who may read the audit history of a record kept under the organization at `path` (every context's
    history page asks this: `HistoryPermissions(actor, plan.organization.path).can_view()`)."""

    def __init__(self, actor: Actor, path: str) -> None:
        super().__init__(actor, path)
        self.path = path

    def can_view(self) -> Grant | None:
        """The audit history is shown to holders of view_history over the record's organization."""
        return self.actor.grant_for(VIEW_HISTORY, self.path)


class TreePermissions(Permissions):
    """What may be done to the tree as a whole (record: None)."""

    messages = {
        "add_root": _("Only a system administrator can add a root organization."),
        "change_roles": _("Only a system administrator can change the roles."),
    }

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor, None)

    def can_add_root(self) -> Grant | None:
        """A new root is added by a whole-tree administrator only (a superuser's grant on "/", else the
        system administrator's grant on a root)."""
        if not self.actor.is_tree_admin:
            return None
        return self.actor.grant_for(ADD_ORG, "/") or next(
            (g for g in self.actor.grants if g.is_root_admin), None
        )

    def can_change_roles(self) -> Grant | None:
        """The role catalogue holds for the whole tree: a command or a whole-tree administrator loads it."""
        if not self.actor.is_tree_admin:
            return None
        return self.actor.widest_grant(CHANGE_ROLE)


class OrganizationPermissions(Permissions):
    """What an actor may do to one organization."""

    messages = {
        "change": _("You may not edit this organization."),
        "move": _("You may not move this organization there."),
        "merge": _("You may not merge these organizations."),
        "add_position": _("You may not record positions in this organization."),
    }

    def __init__(self, actor: Actor, organization: Organization) -> None:
        super().__init__(actor, organization)
        self.organization = organization

    def can_add_child(self) -> Grant | None:
        """A sub-organization is created under this one by a holder of add_organization over it."""
        return self.actor.grant_for(ADD_ORG, self.organization.path)

    def can_change(self) -> Grant | None:
        """Editing the organization's details needs change_organization over it."""
        return self.actor.grant_for(CHANGE_ORG, self.organization.path)

    def can_move(self) -> Grant | None:
        """The organization may be moved somewhere by a holder of move_organization over it."""
        return self.actor.grant_for(MOVE_ORG, self.organization.path)

    def can_move_to(self, new_parent: Organization) -> Grant | None:
        """Moving needs move_organization over both the organization and its new parent."""
        if self.actor.grant_for(MOVE_ORG, new_parent.path) is None:
            return None
        return self.can_move()

    def can_merge(self) -> Grant | None:
        """The organization may be merged into a successor by a holder of merge_organization over it."""
        return self.actor.grant_for(MERGE_ORG, self.organization.path)

    def can_add_position(self) -> Grant | None:
        """Positions in the organization are recorded by a holder of add_position over it."""
        return self.actor.grant_for(ADD_POSITION, self.organization.path)

    def can_view_history(self) -> Grant | None:
        """The organization's audit history (see HistoryPermissions)."""
        return HistoryPermissions(self.actor, self.organization.path).can_view()


class MergePermissions(Permissions):
    """Merging several organizations (record: the sources) into one successor."""

    messages = {"merge_into": OrganizationPermissions.messages["merge"]}

    def __init__(self, actor: Actor, sources: Sequence[Organization]) -> None:
        super().__init__(actor, list(sources))
        self.sources = list(sources)

    def can_merge_into(self, target: Organization) -> Grant | None:
        """Merging needs merge_organization over every merged organization and over the successor."""
        if any(OrganizationPermissions(self.actor, source).can_merge() is None for source in self.sources):
            return None
        return OrganizationPermissions(self.actor, target).can_merge()


class PositionPermissions(Permissions):
    """What an actor may do to one position held in an organization."""

    messages = {"end": _("You may not change positions in this organization.")}

    def __init__(self, actor: Actor, position: Position) -> None:
        super().__init__(actor, position)
        self.position = position

    def can_end(self) -> Grant | None:
        """A position is ended by a holder of change_position over its organization."""
        return self.actor.grant_for(CHANGE_POSITION, self.position.organization.path)


class PeoplePermissions(Permissions):
    """Adding people to organizations (record: the organizations the new person would belong to; none
    asks whether the actor may add people anywhere, e.g. to offer the import screen)."""

    messages = {"add": _("You may not add people to this organization.")}

    def __init__(self, actor: Actor, organizations: Sequence[Organization] = ()) -> None:
        super().__init__(actor, list(organizations))
        self.organizations = list(organizations)

    def can_add(self) -> Grant | None:
        """A person is added by a holder of add_person over their party cell or workplace."""
        if not self.organizations:
            return self.actor.grant_for(ADD_PERSON)
        for organization in self.organizations:
            grant = self.actor.grant_for(ADD_PERSON, organization.path)
            if grant is not None:
                return grant
        return None

    def can_add_position(self) -> Grant | None:
        """Whether the actor records positions anywhere (the button on a person's page; the organization
        chosen is checked by OrganizationPermissions.can_add_position)."""
        return self.actor.grant_for(ADD_POSITION)


class PersonPermissions(Permissions):
    """What an actor may do to one person's record."""

    messages = {
        "change": _("You may not edit this person."),
        "move": _("You may not move this person outside your organizations."),
    }

    def __init__(self, actor: Actor, person: Person) -> None:
        super().__init__(actor, person)
        self.person = person

    def _paths(self, *, residence: bool = False) -> list[str]:
        units = (
            self.person.party_cell,
            self.person.workplace,
            self.person.residence_cell if residence else None,
        )
        return [o.path for o in units if o is not None]

    def can_change(self) -> Grant | None:
        """A person's record is edited from their party cell or workplace (not from the residence cell)."""
        for path in self._paths():
            grant = self.actor.grant_for(CHANGE_PERSON, path)
            if grant is not None:
                return grant
        return None

    def can_view_history(self) -> Grant | None:
        """A person's history is shown from any of their organizations, the residence cell included."""
        for path in self._paths(residence=True):
            grant = HistoryPermissions(self.actor, path).can_view()
            if grant is not None:
                return grant
        return None
