"""Who may raise, read, report on and verify a shortcoming's remedy: one permission class per kind of record
(core.permissions). Nothing else in the code base restates these rules.

A `can_<verb>()` answers for the item as it stands, the state the action needs included (an open item to
report on, a reported remedy to verify): the screens show exactly what it allows. Services check the state
first with its own message, then `require` the verb, which then refuses only for who is acting.

Two sides, kept apart: the side that remedies (the person concerned, the owner, and the officers of the unit
that remedies, `owner_organization`) reads and reports; the side that found the shortcoming (holders of
verify over the tracking organization, answering for none of the above) verifies, reopens and extends.

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

from .models import TO_REMEDY, RemediationItem, Source, Status

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
        """Shortcomings are raised by holders of add_remediationitem over the organization tracking them."""
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
        "extend": _(
            "Only the organization that tracks this shortcoming can extend its due date, and not for its own."
        ),
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

    @property
    def answers_for_unit(self) -> bool:
        """The actor answers for the unit that remedies: a role following shortcomings on that unit itself,
        or on a unit above it that is not above the tracking organization (the remedying side)."""
        unit = self.item.owner_organization
        if unit is None:
            return False
        tracking = self.item.organization.path
        return any(
            g.org_id and g.covers(unit.path) and (g.org_id == unit.pk or not g.covers(tracking))
            for g in self.actor.units_with(*reader_permissions())
        )

    def can_view(self) -> Grant | None:
        """The person concerned, the owner, or an officer who follows shortcomings over the tracking
        organization or over the unit that remedies; fellow members of the same cell do not read each
        other's shortcomings."""
        if self.is_concerned:
            return self._own_grant()
        grant = RemediationPermissions(self.actor, self.item.organization).can_follow()
        if grant is None and self.item.owner_organization is not None:
            grant = RemediationPermissions(self.actor, self.item.owner_organization).can_follow()
        return grant

    def can_report(self) -> Grant | None:
        """An open (or extended) item's remedy is reported by its owner, or by an officer holding
        change_remediationitem over the tracking organization or over the unit that remedies (a cell's
        secretary answers for the cell)."""
        if self.item.status not in TO_REMEDY:
            return None
        if self.actor.person_id is not None and self.actor.person_id == self.item.owner_id:
            return self._own_grant()
        grant = self.actor.grant_for(CHANGE, self.item.organization.path)
        if grant is None and self.item.owner_organization is not None:
            grant = self.actor.grant_for(CHANGE, self.item.owner_organization.path)
        return grant

    def _finder_grant(self) -> Grant | None:
        """Verify over the tracking organization, held by someone on neither side of the remedy: not the
        owner, not the person concerned, not an officer answering for the unit that remedies."""
        if self.is_concerned or self.answers_for_unit:
            return None
        grant = self.actor.grant_for(VERIFY, self.item.organization.path)
        if grant is not None and self.item.source == Source.FRONT and not grant.org_path.startswith(
            self.item.organization.path
        ):  # the Front judges the answers to its own recommendations, not the Party committee above it
            return None
        return grant

    def can_verify(self) -> Grant | None:
        """A reported remedy is verified by a holder of verify_remediationitem over the tracking
        organization, never one's own: not the owner, not the person concerned, not an officer of the unit
        that remedies, not whoever reported it."""
        if self.item.status != Status.REPORTED:
            return None
        if self.item.reported_by_id is not None and self.actor.user_id == self.item.reported_by_id:
            return None
        return self._finder_grant()

    def can_extend(self) -> Grant | None:
        """More time to remedy an open (or extended) item is granted by the side that verifies it: verify
        over the tracking organization, not concerned by the item."""
        if self.item.status not in TO_REMEDY:
            return None
        return self._finder_grant()

    def can_reopen(self) -> Grant | None:
        """Sending a reported remedy back is the verifier's decision (the same rule)."""
        return self.can_verify()

    @staticmethod
    def visible(actor: Actor) -> Q | None:
        """The rule of `can_view` as a filter on the items in the actor's scope (None: every item in scope):
        one's own, and those tracked or to be remedied in the subtrees one follows."""
        if actor.is_tree_admin:
            return None
        visible = Q(pk__in=[])
        if actor.person_id is not None:
            visible |= Q(person_id=actor.person_id) | Q(owner_id=actor.person_id)
        for path in actor.paths_with(*reader_permissions()):
            visible |= Q(organization__path__startswith=path) | Q(owner_organization__path__startswith=path)
        return visible

    @staticmethod
    def _unit_side(actor: Actor, perms: tuple[str, ...]) -> Q:
        """The rule of `answers_for_unit` as a filter: items whose remedying unit the actor answers for
        through a grant carrying one of `perms`."""
        side = Q(pk__in=[])
        for grant in actor.units_with(*perms):
            under = Organization.objects.filter(path__startswith=grant.org_path).values("id")
            side |= Q(owner_organization_id__in=under) & (
                Q(owner_organization_id=grant.org_id) | ~Q(organization_id__in=under)
            )
        return side

    @staticmethod
    def to_remedy_for_units(actor: Actor) -> Q | None:
        """Items a unit the actor reports for must remedy (None: the actor reports for no unit)."""
        if not actor.units_with(CHANGE):
            return None
        return RemediationItemPermissions._unit_side(actor, (CHANGE,))

    @staticmethod
    def escalated_to(actor: Actor) -> Q | None:
        """Escalated items tracked by a unit directly below one where the actor verifies: an overdue
        shortcoming goes up one level, to the parent of the unit that let it run overdue (None: the actor
        verifies nowhere). The levels further up read it in their lists, not as work."""
        grants = [g.org_id for g in actor.grants if g.carries(VERIFY)]
        if not grants:
            return None
        units = Organization.objects.filter(parent_id__in=grants).values("id")
        return Q(organization_id__in=units, escalated_at__isnull=False)

    @staticmethod
    def to_verify(actor: Actor) -> Q | None:
        """The rule of `can_verify` (state aside) as a filter: items tracked where the actor holds verify, not
        their own, not their unit's to remedy, not reported by them (None: the actor verifies nowhere)."""
        paths = actor.paths_with(VERIFY)
        if not paths:
            return None
        units = Q(pk__in=[])
        for path in paths:
            units |= Q(path__startswith=path)
        # The tracking units as ids (a scan of the organizations, then the indexed key of the items).
        where = Q(organization_id__in=Organization.objects.filter(units).values("id"))
        unit_side = RemediationItemPermissions._unit_side(actor, reader_permissions())
        mine = Q(reported_by_id=actor.user_id) | unit_side
        if actor.person_id is not None:
            mine |= Q(owner_id=actor.person_id) | Q(person_id=actor.person_id)
        # A Front's recommendations: only by a verifier of that Front itself (as `_finder_grant`).
        fronts = [g.org_id for g in actor.grants if g.carries(VERIFY)]
        front_rule = ~Q(source=Source.FRONT) | Q(organization_id__in=fronts)
        return where & front_rule & ~mine
