"""Writes on shortcomings to remedy: raise, report the remedy, verify or reopen. Policy-checked, audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError, NotFound, PermissionDenied
from lamtheo.core.text import clean

from . import policies
from .models import RemediationItem, Source, Status


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
    grant = policies.can_raise_item(actor, organization.path)
    if grant is None:
        raise PermissionDenied(_("You may not record shortcomings for this organization."))
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


def _fresh(item: RemediationItem) -> RemediationItem:
    return (
        RemediationItem.objects.unscoped(reason="re-read for a transition")
        .select_for_update()
        .get(pk=item.pk)
    )


def remediation_report(*, actor: Actor, item: RemediationItem, note: str) -> RemediationItem:
    """The owner (or an officer for them) reports what was done; a verifier then checks it."""
    allowed = policies.can_report_item(actor, item.organization.path, item.owner_id)
    if not allowed:
        raise PermissionDenied(_("Only the owner or an officer of the organization can report the remedy."))
    note = note.strip()
    if not note:
        raise DomainError(_("Say what was done to remedy it."), field="note")
    with (
        transaction.atomic(),
        audit.acting(actor, grant=allowed if allowed is not True else None, reason="report"),
    ):
        item = _fresh(item)
        if item.status != Status.OPEN:
            raise DomainError(_("Only an open shortcoming can be reported as remedied."))
        item.status, item.report_note, item.reported_at = Status.REPORTED, note, timezone.now()
        item.reported_by_id = actor.user_id
        item.save()
    return item


def _verifier(actor: Actor, item: RemediationItem):  # type: ignore[no-untyped-def]
    grant = policies.can_verify_item(
        actor, item.organization.path, item.owner_id, item.person_id, item.reported_by_id
    )
    if grant is None:
        raise PermissionDenied(
            _("You may not verify this remedy (nobody verifies their own or one they reported).")
        )
    return grant


def remediation_verify(*, actor: Actor, item: RemediationItem, note: str = "") -> RemediationItem:
    """Confirm the remedy: someone other than the owner, the person concerned or the reporter, holding
    verify over the tracking organization."""
    _verifier(actor, item)
    with transaction.atomic():
        item = _fresh(item)
        with audit.acting(actor, grant=_verifier(actor, item), reason="verify"):
            if item.status != Status.REPORTED:
                raise DomainError(_("Only a remedy that was reported can be verified."))
            item.status, item.verification_note = Status.VERIFIED, note.strip()
            item.verified_at, item.verified_by_id = timezone.now(), actor.user_id
            item.save()
    return item


def remediation_reopen(*, actor: Actor, item: RemediationItem, note: str) -> RemediationItem:
    """The verifier finds the remedy insufficient: the item is open again, with the reason."""
    _verifier(actor, item)
    note = note.strip()
    if not note:
        raise DomainError(_("Say why the remedy is not enough."), field="note")
    with transaction.atomic():
        item = _fresh(item)
        with audit.acting(actor, grant=_verifier(actor, item), reason="reopen"):
            if item.status != Status.REPORTED:
                raise DomainError(_("Only a remedy that was reported can be sent back."))
            item.status, item.verification_note = Status.OPEN, note
            item.save()
    return item
