"""Scheduled work of the remediation context (thin: the logic is in services)."""

from __future__ import annotations

from django_tasks import task


@task()
def remediation_daily() -> dict:
    """Daily: extensions that ran out reopen their shortcomings; long-overdue ones are escalated."""
    from .services import remediation_daily as run

    return run()
