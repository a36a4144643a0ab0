"""Queue a roster's background step by its task's name: `jobs` imports the services, never the reverse."""

from __future__ import annotations

from django.utils.module_loading import import_string

PREVIEW_IMPORT = "lamtheo.roster.jobs.preview_import"
COMMIT_IMPORT = "lamtheo.roster.jobs.commit_import"
WRITE_EXPORT = "lamtheo.roster.jobs.write_export"


def enqueue(task_name: str, *args: object) -> None:
    """Queue the django-tasks task named `task_name` (the worker resolves tasks by this same dotted name)."""
    import_string(task_name).enqueue(*args)
