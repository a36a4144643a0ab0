"""The sweep, run every working hour (`feedback_sweep` command, also a django-tasks task): reports overdue by
the rulebook's hours are escalated to the parent of their holder; resolved reports whose reopen window has
passed are closed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lamtheo.core import audit
from lamtheo.core.actor import Actor

from .. import selectors
from ..models import OPEN, WAITING, BoardFigure, EventKind, Report, Status
from ._common import add_hours, event, rules_for


def board_refresh(*, year: int, now: dt.datetime | None = None) -> int:
    """Count the transparency board of `year` again and store it (replacing the year's rows at once)."""
    now = now or timezone.now()
    since, until = selectors.year_bounds(year)
    rows = selectors.board_counts(since=since, until=until, now=now)
    with transaction.atomic():
        BoardFigure.objects.filter(year=year).delete()
        BoardFigure.objects.bulk_create(BoardFigure(year=year, computed_at=now, **row) for row in rows)
    return len(rows)


def feedback_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Escalate what is overdue (once per holding), close what can no longer be reopened, count the year's
    transparency board again; counts done."""
    now = now or timezone.now()
    actor = Actor.system(reason="citizen reports sweep")
    counts = {"escalated": 0, "closed": 0}
    found = rules_for(now)
    with (
        actor.reading(),
        audit.acting(actor, grant=actor.grant_for("feedback.handle_report"), reason="sweep"),
    ):
        late = Q(status__in=WAITING, accept_due__lt=now) | Q(status__in=OPEN, resolve_due__lt=now)
        for report in Report.objects.filter(late, escalated_to__isnull=True).select_related(
            "organization__parent"
        ):
            due = (
                report.accept_due
                if report.status in WAITING and report.accept_due < now
                else report.resolve_due
            )
            parent = report.organization.parent
            if parent is None or add_hours(due, found.escalate_after_hours, found) > now:
                continue
            with transaction.atomic():
                Report.objects.filter(pk=report.pk).update(escalated_to=parent)
                report.escalated_to = parent
                event(report, EventKind.ESCALATION, text=parent.name, public=False, at=now)
                counts["escalated"] += 1
        window = dt.timedelta(days=found.reopen_days)
        for report in Report.objects.filter(status=Status.RESOLVED, resolved_at__lt=now - window):
            with transaction.atomic():
                report.status, report.closed_at = Status.CLOSED, now
                report.save(update_fields=["status", "closed_at"])
                event(report, EventKind.STATUS, at=now)
                counts["closed"] += 1
    board_refresh(year=timezone.localtime(now).year, now=now)
    return counts
