"""Reads of import and export jobs (scoped to the organization each job belongs to)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from lamtheo.core import worklist
from lamtheo.core.actor import Actor
from lamtheo.core.permissions import actor_scoped, get_or_404
from lamtheo.core.worklist import WorkItem

from .models import ExportJob, ImportJob, ImportStatus
from .policies import ExportJobPermissions


@actor_scoped
def import_list(*, actor: Actor) -> QuerySet[ImportJob]:
    """Imports of the actor's organizations, newest first."""
    return ImportJob.objects.select_related("created_by", "organization").order_by("-created_at")


@actor_scoped
def import_for_actor(*, actor: Actor, public_id: str) -> ImportJob:
    """One import in scope (it belongs to the organization it was run for), or 404."""
    return get_or_404(ImportJob.objects.select_related("created_by", "organization"), public_id=public_id)


@actor_scoped
def export_for_actor(*, actor: Actor, public_id: str) -> ExportJob:
    """One export in scope and made by this actor, or 404 (an export holds that person's view of the list)."""
    job = get_or_404(ExportJob.objects.select_related("organization"), public_id=public_id)
    if ExportJobPermissions(actor, job).can_view() is None:
        raise Http404
    return job


@actor_scoped
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
