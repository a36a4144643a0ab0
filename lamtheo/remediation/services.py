"""Writes on shortcomings to remedy: raise, report the remedy (with its evidence), verify or reopen, extend
the due date; and the daily follow-up (extensions that ran out, escalation of what is long overdue). One
transaction each, the policy checked once (on the row as stored now), audited with the grant that allowed
it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError, NotFound
from lamtheo.core.merging import save_with_history
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean
from lamtheo.rulebook.selectors import add_working_days, oversight_rules_for, working_days_between

from . import cross_scope
from .models import (
    EVIDENCE_EXTENSIONS,
    EVIDENCE_MAX_BYTES,
    TO_REMEDY,
    Extension,
    RemediationItem,
    Severity,
    Source,
    Status,
)
from .policies import VERIFY, RemediationItemPermissions, RemediationPermissions


def _check_raise(
    actor: Actor,
    organization,
    owner_organization,
    source: str,
    severity: str,
    due_date,
    year: int,  # type: ignore[no-untyped-def]
) -> None:
    """What a new shortcoming needs besides its description (refused before anything is written)."""
    if owner_organization is not None and not actor.can_see(owner_organization.path):
        raise NotFound(_("Unknown organization."), field="owner_organization")
    if source not in Source.values:
        raise DomainError(_("Unknown source."), field="source")
    if severity and severity not in Severity.values:
        raise DomainError(_("Choose a shortcoming or a violation."), field="severity")
    if due_date is None:
        raise DomainError(_("A shortcoming needs a due date for its remedy."), field="due_date")
    if due_date < dt.date(year, 1, 1):
        raise DomainError(_("The due date is before the year it was pointed out."), field="due_date")


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
    owner_organization=None,  # type: ignore[no-untyped-def]
    severity: str = "",
    source_ref: str = "",
    source_label: str = "",
    owner_vouched: bool = False,
) -> RemediationItem:
    """Record a shortcoming to remedy; the owner defaults to the person concerned, and a unit may own the
    remedy (`owner_organization`). Joins the caller's transaction (an evaluation raising its shortcomings
    writes all or nothing). `owner_vouched`: the caller read the owner unit through a rule of its own that
    reaches beyond the actor's scope (the Fatherland Front's community), so it is not looked up again."""
    if not actor.can_see(organization.path):
        raise NotFound(_("Unknown organization."), field="organization")
    grant = RemediationPermissions(actor, organization).require("raise")
    description = clean(description)
    if not description:
        raise DomainError(_("Describe the shortcoming."), field="description")
    _check_raise(actor, organization, None if owner_vouched else owner_organization, source, severity, due_date, year)
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="raise"):
        return RemediationItem.objects.create(
            organization=organization, person=person, owner=owner or person, source=source,
            owner_organization=owner_organization, severity=severity, source_ref=source_ref,
            source_label=clean(source_label), year=year, description=description, due_date=due_date,
            created_by_id=actor.user_id,
        )  # fmt: skip


def _check_evidence(evidence) -> None:  # type: ignore[no-untyped-def]
    """Refuse a file of another type (by its extension), an empty one, or one over the size limit."""
    name = (getattr(evidence, "name", "") or "").lower()
    if not name.endswith(EVIDENCE_EXTENSIONS):
        types = ", ".join(ext.lstrip(".").upper() for ext in EVIDENCE_EXTENSIONS)
        raise DomainError(
            _("The evidence must be a file of one of these types: %(types)s.") % {"types": types},
            field="evidence",
        )
    if not evidence.size:
        raise DomainError(_("The evidence file is empty."), field="evidence")
    if evidence.size > EVIDENCE_MAX_BYTES:
        raise DomainError(
            _("The evidence file is larger than %(mb)s MB: scan it at a lower resolution or split it.")
            % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)},
            field="evidence",
        )


@actor_scoped
def remediation_report(
    *,
    actor: Actor,
    item: RemediationItem,
    note: str,
    evidence=None,  # type: ignore[no-untyped-def]
) -> RemediationItem:
    """The owner (or an officer for them, or for the unit that remedies) reports what was done, with the
    evidence an inspection's or the Front's finding needs; a verifier then checks it."""
    note = note.strip()
    if not note:
        raise DomainError(_("Say what was done to remedy it."), field="note")
    if evidence:
        _check_evidence(evidence)
    with transaction.atomic():
        fresh = cross_scope.item_for_update(item.pk)
        if fresh.status not in TO_REMEDY:
            raise DomainError(_("Only an open shortcoming can be reported as remedied."))
        grant = RemediationItemPermissions(actor, fresh).require("report")
        if fresh.evidence_required and not evidence:
            raise DomainError(
                _("Attach the evidence of the remedy (a scan, a photo or a document)."), field="evidence"
            )
        with audit.acting(actor, grant=grant, reason="report"):
            fresh.status, fresh.report_note, fresh.reported_at = Status.REPORTED, note, timezone.now()
            fresh.reported_by_id = actor.user_id
            if evidence:
                fresh.evidence = evidence
            fresh.save()
    return fresh


@actor_scoped
def remediation_verify(*, actor: Actor, item: RemediationItem, note: str = "") -> RemediationItem:
    """Confirm the remedy: someone other than the owner, the person concerned, the unit that remedies or
    the reporter, holding verify over the tracking organization."""
    with transaction.atomic():
        fresh = cross_scope.item_for_update(item.pk)
        if fresh.status != Status.REPORTED:
            raise DomainError(_("Only a remedy that was reported can be verified."))
        grant = RemediationItemPermissions(actor, fresh).require("verify")
        if fresh.evidence_required and not fresh.evidence:
            raise DomainError(
                _("This remedy has no evidence attached: send it back to be reported with its evidence.")
            )
        with audit.acting(actor, grant=grant, reason="verify"):
            fresh.status, fresh.verification_note = Status.VERIFIED, note.strip()
            fresh.verified_at, fresh.verified_by_id = timezone.now(), actor.user_id
            fresh.save()
    return fresh


@actor_scoped
def remediation_reopen(*, actor: Actor, item: RemediationItem, note: str) -> RemediationItem:
    """The verifier finds the remedy insufficient: the item is open again (extended, while an extension
    still runs), with the reason."""
    note = note.strip()
    if not note:
        raise DomainError(_("Say why the remedy is not enough."), field="note")
    with transaction.atomic():
        fresh = cross_scope.item_for_update(item.pk)
        if fresh.status != Status.REPORTED:
            raise DomainError(_("Only a remedy that was reported can be sent back."))
        grant = RemediationItemPermissions(actor, fresh).require("reopen")
        running = fresh.extended_until is not None and fresh.extended_until >= timezone.localdate()
        with audit.acting(actor, grant=grant, reason="reopen"):
            fresh.status, fresh.verification_note = (Status.EXTENDED if running else Status.OPEN), note
            fresh.save()
    return fresh


def _check_extension(item: RemediationItem, until: dt.date) -> None:
    """The new due date comes after the one in force, and the year's rules allow one more extension for
    the item's severity (none when the rules of its year are not set)."""
    if until <= timezone.localdate():
        raise DomainError(_("The new due date must be in the future."), field="until")
    if until <= item.effective_due:
        raise DomainError(
            _("The new due date must be after the one in force (%(date)s).")
            % {"date": f"{item.effective_due:%d/%m/%Y}"},
            field="until",
        )
    rules = oversight_rules_for(item.year)
    if rules is None:
        raise DomainError(
            _("The periods of follow-up for %(year)s are not set, so no extension can be granted: ask an "
              "administrator.") % {"year": item.year}
        )  # fmt: skip
    allowed = rules.extensions_allowed(item.severity or Severity.SHORTCOMING)
    if allowed <= 0:
        raise DomainError(_("The rules allow no extension for this shortcoming."))
    if item.extension_count >= allowed:
        raise DomainError(
            ngettext(
                "The due date has already been extended the %(n)s time the rules allow.",
                "The due date has already been extended the %(n)s times the rules allow.",
                allowed,
            )
            % {"n": allowed}
        )


@actor_scoped
def remediation_extend(
    *, actor: Actor, item: RemediationItem, until: dt.date | None, reason: str
) -> RemediationItem:
    """The side that verifies grants more time to remedy an open item: a later due date, with the reason,
    as many times as the year's rules allow for its severity."""
    reason = clean(reason)
    if not reason:
        raise DomainError(_("Say why more time is given."), field="reason")
    if until is None:
        raise DomainError(_("Give the new due date."), field="until")
    with transaction.atomic():
        fresh = cross_scope.item_for_update(item.pk)
        if fresh.status not in TO_REMEDY:
            raise DomainError(_("Only a shortcoming still to remedy can be given more time."))
        grant = RemediationItemPermissions(actor, fresh).require("extend")
        _check_extension(fresh, until)
        with audit.acting(actor, grant=grant, reason="extend"):
            Extension.objects.create(
                item=fresh, previous_due=fresh.effective_due, until=until, reason=reason,
                granted_by_id=actor.user_id,
            )  # fmt: skip
            fresh.status, fresh.extended_until = Status.EXTENDED, until
            fresh.extension_count += 1
            fresh.escalated_at = None  # the new due date answers the escalation
            fresh.save()
    return fresh


def remediation_expire_extensions(*, today: dt.date | None = None) -> int:
    """Daily: every extension that ran out (its date is before `today`) puts the item back to open, and
    so overdue. Returns how many items."""
    today = today or timezone.localdate()
    system = Actor.system(reason="extensions of shortcomings that ran out")  # every organization's items
    with system.reading(), transaction.atomic():
        with audit.acting(system, grant=system.grant_for(VERIFY), reason="extension expired"):
            items = list(
                RemediationItem.objects.filter(status=Status.EXTENDED, extended_until__lt=today).order_by()
            )
            for item in items:
                item.status = Status.OPEN
            save_with_history(items, ["status"])
    return len(items)


def _escalation_cutoff(today: dt.date, days: int) -> dt.date:
    """The latest due date overdue on `today` by at least `days` working days (counted after the due date,
    today included)."""
    if days <= 0:
        return today - dt.timedelta(days=1)
    today_works = working_days_between(today - dt.timedelta(days=1), today) == 1
    nth = add_working_days(today, -(days - 1) if today_works else -days)  # counting back, today first
    return nth - dt.timedelta(days=1)


def remediation_escalate_overdue(*, today: dt.date | None = None) -> int:
    """Daily: an item still to remedy and overdue by the year's `escalate_after_days` working days is
    escalated (shown to the level above the tracking organization), once. Items of a year without rules
    are not. Returns how many items."""
    today = today or timezone.localdate()
    system = Actor.system(reason="escalation of overdue shortcomings")  # every organization's items
    escalated = 0
    with system.reading(), transaction.atomic():
        with audit.acting(system, grant=system.grant_for(VERIFY), reason="escalate"):
            pending = (
                RemediationItem.objects.filter(status__in=TO_REMEDY, escalated_at__isnull=True)
                .annotate(due_in_force=Coalesce("extended_until", "due_date"))
                .filter(due_in_force__lt=today)
                .order_by()
            )
            now = timezone.now()
            for year in sorted(set(pending.values_list("year", flat=True))):
                rules = oversight_rules_for(year)
                if rules is None:
                    continue
                cutoff = _escalation_cutoff(today, rules.escalate_after_days)
                items = list(pending.filter(year=year, due_in_force__lte=cutoff))
                for item in items:
                    item.escalated_at = now
                save_with_history(items, ["escalated_at"])
                escalated += len(items)
    return escalated


def remediation_daily(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily follow-up: extensions that ran out first (their items are then overdue), then escalation."""
    today = today or timezone.localdate()
    expired = remediation_expire_extensions(today=today)
    return {"expired": expired, "escalated": remediation_escalate_overdue(today=today)}
