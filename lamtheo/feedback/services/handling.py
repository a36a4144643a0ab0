"""The handling unit's work on a report: accept it, pass it to the right unit, post progress (with a committed
date once the deadline cannot be met), answer it in public with evidence, reject it with a reason, merge a
duplicate, keep internal notes, confirm whom it concerns. Each writes a timeline line and the audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lamtheo.core import audit
from lamtheo.core.actor import Actor, Grant
from lamtheo.core.errors import DomainError, NotFound
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean

from .. import cross_scope, rules, selectors
from ..models import EventKind, Holding, PhotoKind, RejectionTemplate, Report, Severity, Status
from ..policies import HANDLE, ReportPermissions
from ._common import add_hours, check_photos, event, notify_citizen, resolve_due, rules_for, save_photos

STATE_MESSAGES = {
    "accept": gettext_lazy("Only a report waiting at your unit can be accepted."),
    "transfer": gettext_lazy("Only an open report can be transferred."),
    "progress": gettext_lazy("Accept the report before you post progress on it."),
    "resolve": gettext_lazy("Accept the report before you answer it."),
    "reject": gettext_lazy("Only an open report can be rejected."),
    "duplicate": gettext_lazy("Only an open report can be merged into another."),
}


@contextmanager
def _locked(actor: Actor, report: Report, verb: str, reason: str) -> Iterator[tuple[Report, Grant]]:
    """The report re-read under a row lock, its permission checked on the fresh row (a state message first,
    so a handler learns why rather than "not allowed"), inside one transaction with the audit context."""
    with transaction.atomic():
        fresh = cross_scope.report_for_update(report.pk)
        perms = ReportPermissions(actor, fresh)
        if perms.can_handle() is not None and perms.check(verb) is None and verb in STATE_MESSAGES:
            raise DomainError(str(STATE_MESSAGES[verb]))
        grant = perms.require(verb)
        with audit.acting(actor, grant=grant, reason=reason):
            yield fresh, grant


def _end_holding(report: Report, at: dt.datetime, reason: str = "") -> None:
    Holding.objects.filter(report=report, ended_at__isnull=True).update(ended_at=at, reason=reason)


@actor_scoped
def report_accept(*, actor: Actor, report: Report, severity: str = "") -> Report:
    """The holder accepts the report (optionally judging its severity, which sets the resolution deadline
    from the moment it was received — or reopened)."""
    with _locked(actor, report, "accept", "accept") as (fresh, _grant):
        now = timezone.now()
        if severity and severity not in Severity.values:
            raise DomainError(_("Choose the severity from the list."), field="severity")
        if severity and severity != fresh.severity:
            fresh.severity = severity
            start = fresh.received_at if not fresh.was_reopened else now
            fresh.resolve_due = resolve_due(start, severity, rules_for(start))
        fresh.status, fresh.accepted_at = Status.ACCEPTED, now
        fresh.save(update_fields=["severity", "resolve_due", "status", "accepted_at"])
        event(fresh, EventKind.STATUS, by=actor.user_id)
        return fresh


@actor_scoped
def report_transfer(*, actor: Actor, report: Report, organization, reason: str) -> Report:  # type: ignore[no-untyped-def]
    """Pass an open report to the unit that should handle it, with a reason the citizen sees. Never back to a
    unit that held it before ("no forwarding in circles"), unless the level above the holder decides it."""
    reason = clean(reason or "")
    if not reason:
        raise DomainError(_("Say why the report goes to another unit."), field="reason")
    with _locked(actor, report, "transfer", "transfer") as (fresh, _grant):
        if organization.pk == fresh.organization_id:
            raise DomainError(_("The report is already held by this unit."), field="organization")
        if not selectors.transfer_targets(actor=actor).filter(pk=organization.pk).exists():
            raise NotFound(_("Unknown organization."), field="organization")
        held_before = Holding.objects.filter(report=fresh, organization=organization).exists()
        if held_before and actor.grant_above(HANDLE, fresh.organization.path) is None:
            raise DomainError(_("This unit has held the report before: ask the level above to decide who handles it."),
                              field="organization")  # fmt: skip
        now = timezone.now()
        _end_holding(fresh, now, reason)
        found = rules_for(now)
        fresh.organization, fresh.status, fresh.accepted_at = organization, Status.TRANSFERRED, None
        fresh.accept_due, fresh.escalated_to = add_hours(now, found.accept_hours, found), None
        fresh.save(update_fields=["organization", "status", "accepted_at", "accept_due", "escalated_to"])
        Holding(report=fresh, organization=organization, started_at=now).save()
        event(fresh, EventKind.TRANSFER, by=actor.user_id, text=reason)
        return fresh


@actor_scoped
def report_progress(
    *, actor: Actor, report: Report, text: str, committed_on: dt.date | None = None
) -> Report:
    """A progress note the citizen sees. Past the deadline (or when it cannot be met) it must give the date
    the unit commits to, which is shown on the tracking page and the lists."""
    text = clean(text or "")
    if not text:
        raise DomainError(_("Say what has been done so far."), field="text")
    with _locked(actor, report, "progress", "progress") as (fresh, _grant):
        now = timezone.now()
        today = timezone.localdate(now)
        late = fresh.resolve_due is not None and fresh.resolve_due < now
        if late and committed_on is None:
            raise DomainError(_("The deadline has passed: give the date by which the unit commits to resolve it."),
                              field="committed_on")  # fmt: skip
        if committed_on is not None and committed_on < today:
            raise DomainError(_("The committed date cannot be in the past."), field="committed_on")
        fresh.status = Status.IN_PROGRESS
        if committed_on is not None:
            fresh.committed_on = committed_on
        fresh.save(update_fields=["status", "committed_on"])
        event(fresh, EventKind.PROGRESS, by=actor.user_id, text=text, committed_on=committed_on)
        return fresh


@actor_scoped
def report_resolve(*, actor: Actor, report: Report, response: str, photos: list | None = None) -> Report:  # type: ignore[type-arg]
    """Answer the report in public (required), with evidence photos (encouraged, counted); the resolution is
    on time when it comes before the resolution deadline."""
    response = clean(response or "")
    if not response:
        raise DomainError(_("Write the answer the citizen will read."), field="response")
    evidence = check_photos(photos or [])
    with _locked(actor, report, "resolve", "resolve") as (fresh, _grant):
        now = timezone.now()
        fresh.status, fresh.resolved_at, fresh.public_response = Status.RESOLVED, now, response
        fresh.on_time = fresh.resolve_due is None or now <= fresh.resolve_due
        fresh.evidence_photos = len(evidence)
        fresh.save(update_fields=["status", "resolved_at", "public_response", "on_time", "evidence_photos"])
        _end_holding(fresh, now)
        line = event(fresh, EventKind.RESPONSE, by=actor.user_id, text=response)
        save_photos(fresh, evidence, PhotoKind.EVIDENCE, line)
        notify_citizen(fresh)
        return fresh


@actor_scoped
def report_reject(
    *, actor: Actor, report: Report, template: RejectionTemplate | None, text: str = ""
) -> Report:
    """Reject an open report with a reason from the templates (and the unit's own words); the citizen reads it."""
    if template is None:
        raise DomainError(_("Choose the reason for the rejection."), field="template")
    reason = " ".join(part for part in (template.text, clean(text or "")) if part)
    with _locked(actor, report, "reject", "reject") as (fresh, _grant):
        now = timezone.now()
        fresh.status, fresh.rejection_reason, fresh.closed_at = Status.REJECTED, reason, now
        fresh.save(update_fields=["status", "rejection_reason", "closed_at"])
        _end_holding(fresh, now)
        event(fresh, EventKind.STATUS, by=actor.user_id, text=reason)
        notify_citizen(fresh)
        return fresh


@actor_scoped
def report_mark_duplicate(*, actor: Actor, report: Report, original_code: str) -> Report:
    """Merge an open report into the report of the same matter (named by its code); the citizen is pointed to
    the original's tracking page."""
    original = cross_scope.report_by_code_for_duplicate(rules.normalise_code(original_code))
    if original is None or original.pk == report.pk:
        raise DomainError(_("No other report has this code."), field="original_code")
    if original.duplicate_of_id:
        original = original.duplicate_of
    with _locked(actor, report, "duplicate", "duplicate") as (fresh, _grant):
        now = timezone.now()
        fresh.status, fresh.duplicate_of, fresh.closed_at = Status.DUPLICATE, original, now
        fresh.save(update_fields=["status", "duplicate_of", "closed_at"])
        _end_holding(fresh, now)
        event(fresh, EventKind.STATUS, by=actor.user_id)  # public: never the original's code (its citizen's key)
        notify_citizen(fresh)
        return fresh


@actor_scoped
def report_note(*, actor: Actor, report: Report, text: str) -> Report:
    """An internal note of the handlers (never shown to the citizen)."""
    text = clean(text or "")
    if not text:
        raise DomainError(_("Write the note."), field="text")
    with _locked(actor, report, "note", "note") as (fresh, _grant):
        event(fresh, EventKind.NOTE, by=actor.user_id, text=text, public=False)
        return fresh


@actor_scoped
def report_link_subject(*, actor: Actor, report: Report, person=None, organization=None,  # type: ignore[no-untyped-def]
                        confirmed: bool = True) -> Report:  # fmt: skip
    """Confirm (or clear) which cadre or unit the report concerns: once confirmed it is evidence in the
    person's yearly evaluation. The person or unit must be in the handler's scope."""
    if person is not None and organization is not None:
        raise DomainError(_("Choose either a cadre or a unit, not both."), field="person")
    for path in ([person.party_cell.path] if person is not None and person.party_cell_id else []) + (
        [organization.path] if organization is not None else []
    ):
        if not actor.can_see(path):
            raise NotFound(_("Unknown person or unit."), field="person")
    with _locked(actor, report, "link_subject", "link_subject") as (fresh, _grant):
        fresh.subject_person, fresh.subject_organization = person, organization
        fresh.subject_confirmed = bool(confirmed and (person is not None or organization is not None))
        fresh.save(update_fields=["subject_person", "subject_organization", "subject_confirmed"])
        label = (
            person.full_name
            if person is not None
            else (organization.name if organization is not None else "")
        )
        event(fresh, EventKind.NOTE, by=actor.user_id, public=False,
              text=_("Concerns: %(who)s") % {"who": label} if label else _("No cadre or unit concerned"))  # fmt: skip
        return fresh
