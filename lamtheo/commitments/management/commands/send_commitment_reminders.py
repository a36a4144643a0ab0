"""Run the daily reminders of the cultivation-plan calendar (schedule it once a day, e.g. with cron)."""

from django.core.management.base import BaseCommand

from lamtheo.commitments.services import deadline_reminders_send


class Command(BaseCommand):
    help = (
        "Remind members with an account of the year's registration and year-end deadlines; safe to run again."
    )

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        sent = deadline_reminders_send()
        self.stdout.write(
            f"register: {sent['register']}; submit: {sent['submit']}; year end: {sent['yearend']}"
        )
