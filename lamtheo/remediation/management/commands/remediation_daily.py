"""Run the daily follow-up of shortcomings (schedule it once a day, e.g. with cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from lamtheo.remediation.services import remediation_daily


class Command(BaseCommand):
    help = (
        "Reopen the shortcomings whose extension ran out and escalate those overdue by the rulebook's "
        "working days; safe to run more than once a day."
    )

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        done = remediation_daily()
        self.stdout.write(f"extensions expired: {done['expired']}; escalated: {done['escalated']}")
