"""What the history pages say about cultivation plans: the verb of each status, the services' reasons."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from lamtheo.core import history

from .models import CommitmentPlan, CultivationPlanStatus


def register() -> None:
    """Describe the cultivation plan to core's history pages (called from the app's ready())."""
    history.describe(
        CommitmentPlan,
        status_verbs={
            CultivationPlanStatus.DRAFT: pgettext_lazy("history", "reopened the plan as a draft"),
            CultivationPlanStatus.SUBMITTED: pgettext_lazy("history", "submitted the plan for approval"),
            CultivationPlanStatus.APPROVED: pgettext_lazy("history", "approved the plan"),
            CultivationPlanStatus.RETURNED: pgettext_lazy("history", "returned the plan for changes"),
        },
        # The change reasons the services write; None where the entry's verb already says it.
        reasons={
            "register": None,
            "submit": None,
            "approve": None,
            "return": None,
            "add item": pgettext_lazy("history reason", "commitment added"),
            "update item": pgettext_lazy("history reason", "commitment changed"),
            "delete item": pgettext_lazy("history reason", "commitment removed"),
            "paper form": pgettext_lazy("history reason", "scanned paper form attached"),
            "self-assessment midyear": pgettext_lazy("history reason", "mid-year self-assessment"),
            "self-assessment yearend": pgettext_lazy("history reason", "year-end self-assessment"),
            "residence request": pgettext_lazy("history reason", "comment requested from the residence cell"),
            "residence comment": pgettext_lazy("history reason", "comment of the residence cell"),
            "evaluation propose": pgettext_lazy("history reason", "grade proposed by the party cell"),
            "evaluation decide": pgettext_lazy("history reason", "grade decided"),
            "publish": pgettext_lazy("history reason", "commitments published"),
            "unpublish": pgettext_lazy("history reason", "publication withdrawn"),
            "lock year": pgettext_lazy("history reason", "year locked"),
            "unlock year": pgettext_lazy("history reason", "year unlocked"),
            "remind": pgettext_lazy("history reason", "reminder sent"),
        },
    )
