"""Scheduled work of citizens' reports (thin: the logic is in services)."""

from __future__ import annotations

from django_tasks import task


@task()
def feedback_sweep() -> dict:  # type: ignore[type-arg]
    """Every working hour: escalate what is overdue, close what can no longer be reopened."""
    from .services import feedback_sweep as run

    return run()
