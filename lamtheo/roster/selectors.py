"""Reads of import and export jobs (scoped to the organization each job belongs to)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from lamtheo.core.actor import Actor

from .models import ExportJob, ImportJob


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
