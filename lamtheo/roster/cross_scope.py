"""The roster context's reads and writes across scopes (tests/test_authorization_rules.py): each says why
crossing the scope is safe there."""

from __future__ import annotations

from django.utils import timezone

from .models import ExportJob, ImportJob, ImportStatus


def import_job(*, job_id: int) -> ImportJob:
    """A background step's own import: the worker has no scope yet, and builds the actor of the job's creator
    from it, under whose scope every row of the file is then read and checked."""
    return (
        ImportJob.objects.unscoped(reason="background job of its own creator")
        .select_related("created_by", "organization")
        .get(pk=job_id)
    )


def export_job(*, job_id: int) -> ExportJob:
    """A background step's own export: the worker builds the actor of its creator from it, and writes the
    list under that actor's scope."""
    return (
        ExportJob.objects.unscoped(reason="background job of its own creator")
        .select_related("created_by", "organization")
        .get(pk=job_id)
    )


def mark_import_failed(*, job_id: int, message: str) -> None:
    """A step that crashed says so on its own job (its status and message only), whatever scope was active."""
    ImportJob.objects.unscoped(reason="marking a crashed job").filter(pk=job_id).update(
        status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
    )
