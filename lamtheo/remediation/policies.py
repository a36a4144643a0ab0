"""Who may raise, read, report on and verify a shortcoming's remedy: one permission class per kind of record
(core.permissions). Nothing else in the code base restates these rules.

A `can_<verb>()` answers for the item as it stands, the state the action needs included (an open item to
report on, a reported remedy to verify): the screens show exactly what it allows. Services check the state
first with its own message, then `require` the verb, which then refuses only for who is acting.

Remediation knows no other context: a context whose officers follow shortcomings too registers its
permission with `register_reader_permission` from its AppConfig.ready().
"""

from __future__ import annotations

from typing import ClassVar

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.permissions import Permissions
from lamtheo.organizations.models import Organization

from .models import RemediationItem, Status

ADD = "remediation.add_remediationitem"
CHANGE = "remediation.change_remediationitem"
VERIFY = "remediation.verify_remediationitem"

_registered_readers: list[str] = []


def register_reader_permission(perm: str) -> None:
    """Holders of `perm` (another context's permission, e.g. the reviewers of members' plans) follow the
    shortcomings of their subtree too. Called from that context's AppConfig.ready()."""
    if perm not in _registered_readers:
        _registered_readers.append(perm)


def reader_permissions() -> tuple[str, ...]:
    """The permissions whose holders follow shortcomings over their subtree: remediation's own, and the
    registered ones."""
    return (ADD, CHANGE, VERIFY, *_registered_readers)


class RemediationPermissions(Permissions):
    """What one actor may do about the shortcomings tracked by one organization."""

    messages: ClassVar = {"raise": _("You may not record shortcomings for this organization.")}

    def __init__(self, actor: Actor, organization: Organization) -> None:
        super().__init__(actor, organization)
        self.organization = organization

    def can_raise(self) -> Grant | None:
        """Shortcomings are raised by holders of add_remediationitem over the organization that tracks them."""
        return self.actor.grant_for(ADD, self.organization.path)

    def can_follow(self) -> Grant | None:
        """Officers who follow shortcomings over the organization read every item it tracks."""
        return self.actor.grant_for_any(reader_permissions(), self.organization.path)


class RemediationItemPermissions(Permissions):
    """What one actor may do to one shortcoming: its person concerned and owner read it and the owner reports
    the remedy; officers of the tracking organization follow it; nobody verifies their own."""

    messages: ClassVar = {
        "report": _("Only the owner or an officer of the organization can report the remedy."),
        "verify": _("You may not verify this remedy (nobody verifies their own or one they reported)."),
        "reopen": _("You may not verify this remedy (nobody verifies their own or one they reported)."),
    }

    def __init__(self, actor: Actor, item: RemediationItem) -> None:
        super().__init__(actor, item)
        self.item = item

    def _own_grant(self) -> Grant:
        """The grant a person acts under on their own shortcoming (no role: themself, for the audit row)."""
        org = self.item.organization
        return self.actor.own_grant(org_id=org.pk, org_path=org.path, org_name=org.name)

    @property
    def is_concerned(self) -> bool:
        """The actor is the person concerned or the owner of the item."""
        person_id = self.actor.person_id
        return person_id is not None and person_id in (self.item.person_id, self.item.owner_id)

    def can_view(self) -> Grant | None:
        """The person concerned, the owner, or an officer who follows shortcomings over the tracking
        organization; fellow members of the same cell do not read each other's shortcomings."""
        if self.is_concerned:
            return self._own_grant()
        return RemediationPermissions(self.actor, self.item.organization).can_follow()

    def can_report(self) -> Grant | None:
        """An open item's remedy is reported by its owner, or by an officer holding change_remediationitem
        over the tracking organization on their behalf."""
        if self.item.status != Status.OPEN:
            return None
        if self.actor.person_id is not None and self.actor.person_id == self.item.owner_id:
            return self._own_grant()
        return self.actor.grant_for(CHANGE, self.item.organization.path)

    def can_verify(self) -> Grant | None:
        """A reported remedy is verified by a holder of verify_remediationitem over the tracking
        organization, never one's own: not the owner, not the person concerned, not whoever reported it."""
        if self.item.status != Status.REPORTED or self.is_concerned:
            return None
        if self.item.reported_by_id is not None and self.actor.user_id == self.item.reported_by_id:
            return None
        return self.actor.grant_for(VERIFY, self.item.organization.path)

    def can_reopen(self) -> Grant | None:
        """Sending a reported remedy back is the verifier's decision (the same rule)."""
        return self.can_verify()

    @staticmethod
    def visible(actor: Actor) -> Q | None:
        """The rule of `can_view` as a filter on the items in the actor's scope (None: every item in scope):
        one's own, and those tracked in the subtrees one follows."""
        if actor.is_tree_admin:
            return None
        visible = Q(pk__in=[])
        if actor.person_id is not None:
            visible |= Q(person_id=actor.person_id) | Q(owner_id=actor.person_id)
        for path in actor.paths_with(*reader_permissions()):
            visible |= Q(organization__path__startswith=path)
        return visible

    @staticmethod
    def to_verify(actor: Actor) -> Q | None:
        """The rule of `can_verify` (state aside) as a filter: items tracked where the actor holds verify, not
        their own, not reported by them (None: the actor verifies nowhere)."""
        paths = actor.paths_with(VERIFY)
        if not paths:
            return None
        units = Q(pk__in=[])
        for path in paths:
            units |= Q(path__startswith=path)
        # The tracking units as ids (a scan of the organizations, then the indexed key of the items).
        where = Q(organization_id__in=Organization.objects.filter(units).values("id"))
        mine = Q(reported_by_id=actor.user_id)
        if actor.person_id is not None:
            mine |= Q(owner_id=actor.person_id) | Q(person_id=actor.person_id)
        return where & ~mine
