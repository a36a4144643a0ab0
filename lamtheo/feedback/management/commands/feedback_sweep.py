"""Run the sweep of citizens' reports (schedule it every hour, e.g. with cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from lamtheo.feedback.services import feedback_sweep


class Command(BaseCommand):
    help = (
        "Escalate the reports overdue by the rulebook's working hours to the parent of their holder, and close "
        "the resolved reports whose reopen window has passed; safe to run as often as you like."
    )

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        done = feedback_sweep()
        self.stdout.write(f"escalated: {done['escalated']}; closed: {done['closed']}")
