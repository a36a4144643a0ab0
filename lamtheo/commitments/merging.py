"""What of the cultivation plans follows a merged organization (ADR 0011, `lamtheo.core.merging`).

Open work follows the successor: plans not yet graded, grades proposed but not decided, residence comments
still requested, and their reminders. What was decided stays with the closed organization, as it was decided
(the evaluation-integrity rule): decided evaluations (a grassroots quota was counted on them), the plans they
grade, the plans of a year the organization locked, the year locks themselves, and residence comments
already returned or exempted. Open work of a year the successor has locked stays too: moving it would put it
under a closed year (ADR 0013). A lock binds the subtree as it stood when it was set (`cross_scope.lock_over`),
so cells that move with a merged committee stay bound by its locks, and cells joining a locked one are not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q

from lamtheo.core.actor import Actor
from lamtheo.core.merging import move_rows, register_merge_hook
from lamtheo.organizations.models import Organization

from . import selectors
from .models import CommitmentPlan, CommitmentReminder, Evaluation, ResidenceComment, ResidenceStatus

# What stays with the closed organization, by model and field (the rest follows the successor).
STAYS = {
    "CommitmentPlan.cell": "plans with a decided evaluation, plans of a year locked on either side",
    "Evaluation.grassroots": "decided evaluations, evaluations of a year locked on either side",
    "YearLock.organization": "every year lock",
    "ResidenceComment.residence": "comments returned or exempted",
    "CommitmentReminder.cell": "reminders of the plans that stay",
}


def _locked(
    sources: Sequence[Organization], target: Organization, years: set[int], organization_field: str
) -> Q:
    """Rows of a year locked on a merged organization or on a committee above it (nothing of a locked year
    changes, its place in the tree included), or locked over the successor (its closed year must not gain
    rows: they stay with the closed organization, counted where they were)."""
    condition = Q(pk__in=[])
    for year in years:
        target_locked = selectors.lock_over(organization=target, year=year) is not None
        for source in sources:
            if target_locked or selectors.lock_over(organization=source, year=year) is not None:
                condition |= Q(**{organization_field: source.pk, "year": year})
    return condition


def commitments_merge(
    *, sources: Sequence[Organization], target: Organization, day: dt.date, actor: Actor
) -> None:
    """Move the open cultivation work of `sources` to `target`; decided records stay where they were."""
    ids = [s.pk for s in sources]
    with actor.reading():
        years = set(CommitmentPlan.objects.filter(cell_id__in=ids).values_list("year", flat=True))
        years |= set(Evaluation.objects.filter(grassroots_id__in=ids).values_list("year", flat=True))
        plans = CommitmentPlan.objects.filter(cell_id__in=ids).exclude(
            Q(evaluation__decided_at__isnull=False) | _locked(sources, target, years, "cell_id")
        )
        moving = list(plans.values_list("pk", flat=True))
        reminders = CommitmentReminder.objects.filter(cell_id__in=ids).filter(
            Q(plan__isnull=True) | Q(plan_id__in=moving)
        )
        move_rows(reminders, "cell", target)
        move_rows(CommitmentPlan.objects.filter(pk__in=moving), "cell", target)
        evaluations = Evaluation.objects.filter(grassroots_id__in=ids, decided_at__isnull=True).exclude(
            _locked(sources, target, years, "grassroots_id")
        )
        move_rows(evaluations, "grassroots", target)
        requested = ResidenceComment.objects.filter(residence_id__in=ids, status=ResidenceStatus.REQUESTED)
        move_rows(requested, "residence", target)


def register() -> None:
    """Called from CommitmentsConfig.ready()."""
    register_merge_hook("commitments", commitments_merge)
