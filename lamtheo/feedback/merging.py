"""What of citizens' reports follows a merged organization (ADR 0011, `lamtheo.core.merging`).

Open reports are work the successor takes over (with a new holding, so the time each unit held it stays
exact); answered, closed, rejected and merged reports stay with the unit that handled them: they are its
record (the transparency board counts them where they were handled). Routing rules and areas that named a
closed unit name the successor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from lamtheo.core.actor import Actor
from lamtheo.core.merging import move_rows, register_merge_hook
from lamtheo.organizations.models import Organization

from .models import OPEN, Area, Holding, Report, RoutingRule

STAYS = {
    "Report.organization": "answered, closed, rejected and merged reports (the unit's record)",
    "Report.escalated_to": "where an earlier report was escalated",
    "Report.subject_organization": "the unit a report concerned, as it was then",
    "Holding.organization": "the time each unit held a report",
    "Event.organization": "the timeline",
}


def feedback_merge(
    *, sources: Sequence[Organization], target: Organization, day: dt.date, actor: Actor
) -> None:
    """Move the open reports, routing rules and areas of `sources` to `target`."""
    ids = [s.pk for s in sources]
    now = timezone.now()
    with actor.reading():
        open_reports = Report.objects.filter(organization_id__in=ids, status__in=OPEN)
        report_ids = list(open_reports.values_list("pk", flat=True))
        Holding.objects.filter(report_id__in=report_ids, ended_at__isnull=True).update(
            ended_at=now, reason="merge"
        )
        Holding.objects.bulk_create(
            Holding(report_id=pk, organization=target, started_at=now) for pk in report_ids
        )
        move_rows(open_reports, "organization", target)
    RoutingRule.objects.filter(organization_id__in=ids).update(organization=target)
    Area.objects.filter(organization_id__in=ids).update(organization=target)


def register() -> None:
    """Called from FeedbackConfig.ready()."""
    register_merge_hook("feedback", feedback_merge)
