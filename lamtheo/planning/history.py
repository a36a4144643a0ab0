"""What the history pages say about implementation plans: the verb of each status, labels of coded values."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from lamtheo.core import history

from .models import ContentArea, Plan, PlanStatus


def register() -> None:
    """Describe the plan to core's history pages (called from the app's ready())."""
    history.describe(
        Plan,
        status_verbs={
            PlanStatus.SUBMITTED: pgettext_lazy("history", "submitted the plan for approval"),
            PlanStatus.APPROVED: pgettext_lazy("history", "approved the plan"),
            PlanStatus.RETURNED: pgettext_lazy("history", "returned the plan for changes"),
            PlanStatus.IN_PROGRESS: pgettext_lazy("history", "started carrying out the plan"),
            PlanStatus.CLOSED: pgettext_lazy("history", "closed the plan"),
        },
        value_labels={"content_areas": ContentArea.choices},
        # The change reasons the services write; None where the entry's verb already says it.
        reasons={
            "create": None,
            "update": None,
            "submit": None,
            "issue": pgettext_lazy(
                "history reason", "issued by the unit itself (no approval from above at this level)"
            ),
            "approve": None,
            "return": None,
            "close": None,
            "report": pgettext_lazy("history reason", "progress reported"),
        },
    )
