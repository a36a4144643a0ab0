"""Reads of import and export jobs (scoped to the organization each job belongs to)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from lamtheo.core import worklist
from lamtheo.core.actor import Actor
from lamtheo.core.worklist import WorkItem

from .models import ExportJob, ImportJob, ImportStatus


def import_list(*, actor: Actor) -> QuerySet[ImportJob]:
    """Imports of the actor's organizations, newest first."""
    return ImportJob.objects.select_related("created_by", "organization").order_by("-created_at")


def import_get(*, actor: Actor, public_id: str) -> ImportJob:
    """One import in scope, or 404."""
    try:
        return ImportJob.objects.select_related("created_by", "organization").get(public_id=public_id)
    except (ImportJob.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def export_get(*, actor: Actor, public_id: str) -> ExportJob:
    """One export in scope and made by this actor, or 404 (an export holds that person's view of the list)."""
    try:
        return ExportJob.objects.get(public_id=public_id, created_by_id=actor.user_id)
    except (ExportJob.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def import_work(*, actor: Actor, today: dt.date) -> list[WorkItem]:
    """Home work list: the person's own checked imports that wait for confirmation (or cancellation)."""
    waiting = list(
        ImportJob.objects.filter(status=ImportStatus.PREVIEWED, created_by_id=actor.user_id)
        .select_related("organization")
        .order_by("created_at")[:5]
    )
    return [
        WorkItem(
            title=_("Import “%(file)s” is checked and waits for confirmation") % {"file": job.file_name},
            url=reverse("roster:import-detail", args=[job.public_id]),
            area=_("Roster import"),
            detail=job.organization.name,
            action=_("Review and confirm"),
            urgency=worklist.DUE_SOON,
        )
        for job in waiting
    ]
