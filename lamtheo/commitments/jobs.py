"""Scheduled work of the commitments context (thin: the logic is in services)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_commitment_reminders() -> dict:
    """Daily: reminders of the cultivation-plan calendar, in the app and by e-mail."""
    from .services import deadline_reminders_send

    return deadline_reminders_send()
