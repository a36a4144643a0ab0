"""What the history pages say about shortcomings to remedy: the verb of each status, the services' reasons."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from lamtheo.core import history

from .models import RemediationItem, Status


def register() -> None:
    """Describe the shortcoming to core's history pages (called from the app's ready())."""
    history.describe(
        RemediationItem,
        status_verbs={
            Status.OPEN: pgettext_lazy("history", "set the shortcoming back to open"),
            Status.EXTENDED: pgettext_lazy("history", "extended the due date of the remedy"),
            Status.REPORTED: pgettext_lazy("history", "reported the remedy"),
            Status.VERIFIED: pgettext_lazy("history", "verified the remedy"),
        },
        # The change reasons the services write; None where the entry's verb already says it.
        reasons={
            "raise": pgettext_lazy("history reason", "shortcoming recorded"),
            "report": None,
            "verify": None,
            "reopen": pgettext_lazy("history reason", "the remedy was not enough"),
            "extend": None,
            "extension expired": pgettext_lazy("history reason", "the extension ran out"),
            "escalate": pgettext_lazy("history reason", "overdue: escalated to the level above"),
            "merge into *": pgettext_lazy("history reason", "merged into %(value)s"),
        },
    )
