"""Run the daily deadline reminders (schedule it once a day, e.g. with cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from lamtheo.planning.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send the deadline reminders of today (in the app and by e-mail); safe to run more than once a day."
    )

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        sent = reminders_send()
        self.stdout.write(f"due soon: {sent['due_soon']}; overdue: {sent['overdue']}")
