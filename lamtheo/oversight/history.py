"""What the history pages say about inspections: the verb of each status and the change reasons."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from lamtheo.core import history

from .models import Case, CaseStatus, Programme, ProgrammeStatus, Step


def register() -> None:
    """Describe the oversight records to core's history pages (called from the app's ready())."""
    steps = {step.value: pgettext_lazy("history reason", "step recorded: %s") % step.label for step in Step}
    history.describe(
        Case,
        status_verbs={
            CaseStatus.CONCLUDED: pgettext_lazy("history", "recorded the conclusion"),
            CaseStatus.CLOSED: pgettext_lazy("history", "notified the results"),
        },
        reasons={"open": None, "finding": pgettext_lazy("history reason", "finding recorded"), **steps},
    )
    history.describe(
        Programme,
        status_verbs={ProgrammeStatus.ADOPTED: pgettext_lazy("history", "adopted the programme")},
        reasons={"create": None, "add item": pgettext_lazy("history reason", "item added"), "adopt": None},
    )
