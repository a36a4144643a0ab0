"""The citizen's follow-up, by tracking code (no login): rate the handling of a resolved report, or reopen it
within the rulebook's window when it is not actually fixed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.text import clean

from .. import cross_scope
from ..models import EventKind, Holding, Report, Status
from ._common import add_hours, event, resolve_due, rules_for


def reopen_until(report: Report) -> dt.datetime | None:
    """The last moment the citizen may reopen a resolved report (None: it cannot be reopened)."""
    if report.status != Status.RESOLVED or report.resolved_at is None:
        return None
    return report.resolved_at + dt.timedelta(days=rules_for(report.resolved_at).reopen_days)


def report_rate(*, report: Report, rating: int | str | None, reason: str = "") -> Report:
    """The citizen rates a resolved (or closed) report, 1 to 5 with a reason, once per resolution."""
    try:
        stars = int(rating)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise DomainError(_("Choose a rating from 1 to 5."), field="rating")
    reason = clean(reason or "")[:2000]
    if stars <= 2 and not reason:
        raise DomainError(_("Tell the unit what was not satisfactory."), field="reason")
    with transaction.atomic(), audit.acting(Actor.anonymous(), reason="rate"):
        fresh = cross_scope.report_for_update(report.pk)
        if fresh.status not in (Status.RESOLVED, Status.CLOSED):
            raise DomainError(_("A report can be rated once it has been resolved."), field="rating")
        if fresh.rating is not None:
            raise DomainError(_("This resolution has already been rated."), field="rating")
        fresh.rating, fresh.rating_reason = stars, reason
        fresh.save(update_fields=["rating", "rating_reason"])
        event(fresh, EventKind.RATING, text=f"{stars}/5" + (f" — {reason}" if reason else ""))
        return fresh


def report_reopen(*, report: Report, reason: str) -> Report:
    """The citizen reopens a resolved report that is not actually fixed, within the window: it goes back to
    the unit that answered it, with new deadlines from now."""
    reason = clean(reason or "")[:2000]
    if not reason:
        raise DomainError(_("Say what is still not fixed."), field="reason")
    with transaction.atomic(), audit.acting(Actor.anonymous(), reason="reopen"):
        fresh = cross_scope.report_for_update(report.pk)
        until = reopen_until(fresh)
        now = timezone.now()
        if until is None:
            raise DomainError(_("Only a resolved report can be reopened."), field="reason")
        if now > until:
            raise DomainError(_("The time to reopen this report ended on %(date)s.")
                              % {"date": timezone.localtime(until).strftime("%d/%m/%Y %H:%M")}, field="reason")  # fmt: skip
        found = rules_for(now)
        fresh.status, fresh.reopen_count, fresh.was_reopened = Status.REOPENED, fresh.reopen_count + 1, True
        fresh.accept_due, fresh.accepted_at = add_hours(now, found.accept_hours, found), None
        fresh.resolve_due = resolve_due(now, fresh.severity, found)
        fresh.resolved_at, fresh.on_time, fresh.rating, fresh.rating_reason = None, None, None, ""
        fresh.committed_on = None
        fresh.save()
        Holding(report=fresh, organization=fresh.organization, started_at=now, reason=reason).save()
        event(fresh, EventKind.STATUS, text=reason)
        return fresh
