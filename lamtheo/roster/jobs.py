"""Background steps of imports and exports (django-tasks; the database backend's worker runs them).

Services queue them by name (`queue.enqueue(queue.PREVIEW_IMPORT, job.pk)`): the dependency runs one way,
from these steps to the services they run."""

from __future__ import annotations

from django_tasks import task

from .exports import export_run
from .services import import_commit, import_preview


@task()
def preview_import(job_id: int) -> None:
    """Dry-run an uploaded roster."""
    import_preview(job_id=job_id)


@task()
def commit_import(job_id: int) -> None:
    """Commit a confirmed roster."""
    import_commit(job_id=job_id)


@task()
def write_export(job_id: int) -> None:
    """Write an .xlsx export."""
    export_run(job_id=job_id)
