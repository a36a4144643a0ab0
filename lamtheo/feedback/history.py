"""What the history pages say about citizens' reports: the verb of each status and the change reasons."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from lamtheo.core import history

from .models import Report, Status


def register() -> None:
    """Describe the report records to core's history pages (called from the app's ready())."""
    history.describe(
        Report,
        status_verbs={
            Status.ACCEPTED: pgettext_lazy("history", "accepted the report"),
            Status.TRANSFERRED: pgettext_lazy("history", "transferred the report"),
            Status.IN_PROGRESS: pgettext_lazy("history", "posted progress"),
            Status.RESOLVED: pgettext_lazy("history", "answered the report"),
            Status.CLOSED: pgettext_lazy("history", "closed the report"),
            Status.REJECTED: pgettext_lazy("history", "rejected the report"),
            Status.DUPLICATE: pgettext_lazy("history", "merged the report into another"),
            Status.REOPENED: pgettext_lazy("history", "reopened the report"),
        },
        reasons={
            "submit": None,
            "intake": None,
            "accept": None,
            "transfer": None,
            "progress": None,
            "resolve": None,
            "reject": None,
            "duplicate": None,
            "note": None,
            "reopen": None,
            "sweep": None,
            "rate": pgettext_lazy("history reason", "rated by the citizen"),
            "link_subject": pgettext_lazy("history reason", "person or unit concerned confirmed"),
        },
        hidden=("search", "attributes"),
    )
