"""Background steps of imports and exports (django-tasks; the database backend's worker runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def preview_import(job_id: int) -> None:
    """Dry-run an uploaded roster."""
    from .services import import_preview

    import_preview(job_id=job_id)


@task()
def commit_import(job_id: int) -> None:
    """Commit a confirmed roster."""
    from .services import import_commit

    import_commit(job_id=job_id)


@task()
def write_export(job_id: int) -> None:
    """Write an .xlsx export."""
    from .exports import export_run

    export_run(job_id=job_id)
