"""Scheduled work of the planning context (thin: the logic is in services)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_reminders() -> dict:
    """Daily: deadline reminders in the app and by e-mail."""
    from .services import reminders_send

    return reminders_send()
