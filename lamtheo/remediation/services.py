"""Writes on shortcomings to remedy: raise, report the remedy, verify or reopen. One transaction each, the
policy checked once (on the row as stored now), audited with the grant that allowed it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError, NotFound
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean

from . import cross_scope
from .models import RemediationItem, Source, Status
from .policies import RemediationItemPermissions, RemediationPermissions


@actor_scoped
def remediation_raise(
    *,
    actor: Actor,
    organization,  # type: ignore[no-untyped-def]
    source: str,
    description: str,
    due_date: dt.date | None,
    year: int,
    person=None,  # type: ignore[no-untyped-def]
    owner=None,  # type: ignore[no-untyped-def]
    source_ref: str = "",
    source_label: str = "",
) -> RemediationItem:
    """Record a shortcoming to remedy; the owner defaults to the person concerned. Joins the caller's
    transaction (an evaluation raising its shortcomings writes all or nothing)."""
    if not actor.can_see(organization.path):
        raise NotFound(_("Unknown organization."), field="organization")
    grant = RemediationPermissions(actor, organization).require("raise")
    description = clean(description)
    if not description:
        raise DomainError(_("Describe the shortcoming."), field="description")
    if source not in Source.values:
        raise DomainError(_("Unknown source."), field="source")
    if due_date is None:
        raise DomainError(_("A shortcoming needs a due date for its remedy."), field="due_date")
    if due_date < dt.date(year, 1, 1):
        raise DomainError(_("The due date is before the year it was pointed out."), field="due_date")
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="raise"):
        return RemediationItem.objects.create(
            organization=organization, person=person, owner=owner or person, source=source,
            source_ref=source_ref, source_label=clean(source_label), year=year, description=description,
            due_date=due_date, created_by_id=actor.user_id,
        )  # fmt: skip


@actor_scoped
def remediation_report(*, actor: Actor, item: RemediationItem, note: str) -> RemediationItem:
    """The owner (or an officer for them) reports what was done; a verifier then checks it."""
    note = note.strip()
    if not note:
        raise DomainError(_("Say what was done to remedy it."), field="note")
    with transaction.atomic():
        fresh = cross_scope.item_for_update(item.pk)
        if fresh.status != Status.OPEN:
            raise DomainError(_("Only an open shortcoming can be reported as remedied."))
        grant = RemediationItemPermissions(actor, fresh).require("report")
        with audit.acting(actor, grant=grant, reason="report"):
            fresh.status, fresh.report_note, fresh.reported_at = Status.REPORTED, note, timezone.now()
            fresh.reported_by_id = actor.user_id
            fresh.save()
    return fresh


@actor_scoped
def remediation_verify(*, actor: Actor, item: RemediationItem, note: str = "") -> RemediationItem:
    """Confirm the remedy: someone other than the owner, the person concerned or the reporter, holding
    verify over the tracking organization."""
    with transaction.atomic():
        fresh = cross_scope.item_for_update(item.pk)
        if fresh.status != Status.REPORTED:
            raise DomainError(_("Only a remedy that was reported can be verified."))
        grant = RemediationItemPermissions(actor, fresh).require("verify")
        with audit.acting(actor, grant=grant, reason="verify"):
            fresh.status, fresh.verification_note = Status.VERIFIED, note.strip()
            fresh.verified_at, fresh.verified_by_id = timezone.now(), actor.user_id
            fresh.save()
    return fresh


@actor_scoped
def remediation_reopen(*, actor: Actor, item: RemediationItem, note: str) -> RemediationItem:
    """The verifier finds the remedy insufficient: the item is open again, with the reason."""
    note = note.strip()
    if not note:
        raise DomainError(_("Say why the remedy is not enough."), field="note")
    with transaction.atomic():
        fresh = cross_scope.item_for_update(item.pk)
        if fresh.status != Status.REPORTED:
            raise DomainError(_("Only a remedy that was reported can be sent back."))
        grant = RemediationItemPermissions(actor, fresh).require("reopen")
        with audit.acting(actor, grant=grant, reason="reopen"):
            fresh.status, fresh.verification_note = Status.OPEN, note
            fresh.save()
    return fresh
