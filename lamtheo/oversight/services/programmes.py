"""The year's inspection and supervision programme: drawn up, filled with items, adopted."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError, NotFound
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean

from .. import cross_scope
from ..models import Kind, Mode, Programme, ProgrammeItem, ProgrammeStatus
from ..policies import OversightPermissions, ProgrammePermissions
from ._common import one_subject


@actor_scoped
def programme_create(*, actor: Actor, organization, year: int, title: str) -> Programme:  # type: ignore[no-untyped-def]
    """Start the year's programme of a committee or cell (one per organization and year)."""
    if not actor.can_see(organization.path):
        raise NotFound(_("Unknown organization."), field="organization")
    grant = OversightPermissions(actor, organization).require("plan")
    title = clean(title)
    if not title:
        raise DomainError(_("Give the programme a title."), field="title")
    try:
        with transaction.atomic(), audit.acting(actor, grant=grant, reason="create"):
            return Programme.objects.create(
                organization=organization, year=year, title=title, created_by_id=actor.user_id
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(org)s already has a programme for %(year)s.") % {"org": organization.name, "year": year},
            field="year",
        ) from exc


@actor_scoped
def programme_item_add(
    *, actor: Actor, programme: Programme, kind: str, mode: str, content: str, planned_from: dt.date,
    planned_to: dt.date, subject_person=None, subject_organization=None,  # type: ignore[no-untyped-def]
) -> ProgrammeItem:  # fmt: skip
    """Add a planned inspection or supervision to a draft programme."""
    if kind not in Kind.values:
        raise DomainError(_("Choose inspection or supervision."), field="kind")
    if mode not in Mode.values:
        raise DomainError(_("Choose the mode."), field="mode")
    if mode == Mode.VIOLATION:  # confidential, and never planned: opened as a case when the signs appear
        raise DomainError(
            _("Inspections on signs of violation are not planned in the programme: open a case when the signs "
              "appear."),
            field="mode",
        )  # fmt: skip
    one_subject(subject_person, subject_organization)
    content = clean(content)
    if not content:
        raise DomainError(_("Say what will be inspected or supervised."), field="content")
    if planned_to < planned_from:
        raise DomainError(_("The period ends before it starts."), field="planned_to")
    if planned_from.year != programme.year:
        raise DomainError(
            _("The item starts outside %(year)s, the programme's year.") % {"year": programme.year},
            field="planned_from",
        )
    with transaction.atomic():
        fresh = cross_scope.programme_for_update(programme.pk)
        if fresh.status != ProgrammeStatus.DRAFT:
            raise DomainError(_("The programme is adopted: items can no longer be added."))
        grant = ProgrammePermissions(actor, fresh).require("change")
        with audit.acting(actor, grant=grant, reason="add item"):
            return ProgrammeItem.objects.create(
                programme=fresh, kind=kind, mode=mode, content=content, planned_from=planned_from,
                planned_to=planned_to, subject_person=subject_person, subject_organization=subject_organization,
            )  # fmt: skip


@actor_scoped
def programme_adopt(*, actor: Actor, programme: Programme, adopted_on: dt.date) -> Programme:
    """The committee adopts the programme (a draft with at least one item)."""
    with transaction.atomic():
        fresh = cross_scope.programme_for_update(programme.pk)
        if fresh.status != ProgrammeStatus.DRAFT:
            raise DomainError(_("The programme is already adopted."))
        if not ProgrammeItem.objects.filter(programme=fresh).exists():
            raise DomainError(_("Add at least one inspection or supervision before adopting the programme."))
        if adopted_on.year not in (fresh.year - 1, fresh.year):
            raise DomainError(
                _("A programme for %(year)s is adopted at the end of the year before or during it.")
                % {"year": fresh.year},
                field="adopted_on",
            )
        grant = ProgrammePermissions(actor, fresh).require("adopt")
        with audit.acting(actor, grant=grant, reason="adopt"):
            fresh.status, fresh.adopted_on = ProgrammeStatus.ADOPTED, adopted_on
            fresh.save()
    return fresh
