"""Reads on shortcomings to remedy (every other context reads them through here)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from lamtheo.core import worklist
from lamtheo.core.actor import Actor
from lamtheo.core.evidence import EvidenceEntry
from lamtheo.core.permissions import actor_scoped, get_or_404
from lamtheo.core.worklist import WorkItem

from . import cross_scope
from .models import OPEN_STATUSES, TO_REMEDY, Extension, RemediationItem, Status
from .policies import RemediationItemPermissions


def _visible(actor: Actor, qs: QuerySet[RemediationItem]) -> QuerySet[RemediationItem]:
    """Within the scope, fellow members do not read each other's shortcomings: only one's own, or those of
    the subtrees one follows (`RemediationItemPermissions.visible`)."""
    visible = RemediationItemPermissions.visible(actor)
    return qs if visible is None else qs.filter(visible)


RELATED = ("organization", "owner_organization", "person", "owner")


def _due_in_force() -> Coalesce:
    """The due date in force as an expression: the last extension granted, or the original due date."""
    return Coalesce("extended_until", "due_date")


@actor_scoped
def remediation_list(
    *,
    actor: Actor,
    status: str = "",
    source: str = "",
    person_id: int | None = None,
    severity: str = "",
    escalated: bool = False,
) -> QuerySet[RemediationItem]:
    """Shortcomings in the actor's scope, soonest due (in force) first. `escalated`: those still to remedy
    that were escalated, from the units below the actor's when the actor verifies somewhere."""
    qs = _visible(actor, RemediationItem.objects.select_related(*RELATED))
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    if severity:
        qs = qs.filter(severity=severity)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if escalated:
        below = RemediationItemPermissions.escalated_to(actor)
        qs = qs.filter(status__in=TO_REMEDY, escalated_at__isnull=False)
        qs = qs if below is None else qs.filter(below)
    return qs.annotate(due_in_force=_due_in_force()).order_by("due_in_force", "id")


@actor_scoped
def remediation_item_for_actor(*, actor: Actor, pk: int | str) -> RemediationItem:
    """One item in the actor's scope that they may read (their own, one they follow, or one their unit
    remedies), or 404 alike for missing and not theirs."""
    item = get_or_404(RemediationItem.objects.select_related(*RELATED), pk=pk)
    if RemediationItemPermissions(actor, item).can_view() is None:
        raise Http404
    return item


@actor_scoped
def remediation_extensions(*, actor: Actor, item: RemediationItem) -> list[Extension]:
    """The extensions granted on an item the actor reads, oldest first, with who granted them."""
    return list(
        Extension.objects.filter(item_id=item.pk).select_related("granted_by__person").order_by("created_at")
    )


@actor_scoped
def remediation_open_for_person(*, actor: Actor, person_id: int) -> list[RemediationItem]:
    """Every shortcoming of the person not yet verified, whoever tracks it (carried into their next plan)."""
    return cross_scope.open_items_of_person(person_id)


@actor_scoped
def remediation_by_ref(*, actor: Actor, source_ref: str) -> list[RemediationItem]:
    """The items a record raised (e.g. one evaluation's shortcomings)."""
    return list(_visible(actor, RemediationItem.objects.filter(source_ref=source_ref)).order_by("id"))


@actor_scoped
def remediation_evidence(*, actor: Actor, person_id: int, year: int) -> list[EvidenceEntry]:
    """Evidence provider: the person's shortcomings pointed out in `year`, or still open from before."""
    today = timezone.localdate()
    rows = _visible(actor, RemediationItem.objects.filter(person_id=person_id)).filter(
        Q(year=year) | Q(status__in=OPEN_STATUSES, year__lt=year)
    )
    return [
        EvidenceEntry(
            title=item.description, detail=item.source_label or item.get_source_display(),
            status=item.get_status_display(), date=item.effective_due,
            url=reverse("remediation:item-detail", args=[item.pk]),
            flags=("overdue",) if item.is_overdue(today) else (),
        )
        for item in rows.annotate(due_in_force=_due_in_force()).order_by("due_in_force", "id")
    ]  # fmt: skip


@actor_scoped
def remediation_work(*, actor: Actor, today: dt.date) -> list[WorkItem]:
    """Home work list: shortcomings the person must remedy, and reported remedies they may verify."""
    work: list[WorkItem] = []
    area = _("Shortcomings to remedy")
    for item in _own_to_remedy(actor):
        work.append(WorkItem(
            title=_("Remedy: %(text)s") % {"text": Truncator(item.description).words(14)},
            url=reverse("remediation:item-detail", args=[item.pk]), area=area, due=item.effective_due,
            detail=item.source_label, action=_("Report what was done"),
            urgency=worklist.urgency_of(item.effective_due, today),
        ))  # fmt: skip
    to_verify = RemediationItemPermissions.to_verify(actor)
    if to_verify is not None:
        count = RemediationItem.objects.filter(to_verify, status=Status.REPORTED).count()
        if count:
            work.append(WorkItem(
                title=_("Remedies reported, waiting for your verification"), count=count,
                url=reverse("remediation:item-list") + "?status=reported", area=area, action=_("Verify"),
                urgency=worklist.DUE_SOON,
            ))  # fmt: skip
    escalated = RemediationItemPermissions.escalated_to(actor)
    if escalated is not None:
        rows = RemediationItem.objects.filter(escalated, status__in=TO_REMEDY)
        found = rows.aggregate(count=Count("id"), oldest=Min(_due_in_force()))
        if found["count"]:
            work.append(WorkItem(
                title=_("Overdue shortcomings escalated from the units below"), count=found["count"],
                url=reverse("remediation:item-list") + "?escalated=1", area=area, due=found["oldest"],
                action=_("Follow up"), urgency=worklist.urgency_of(found["oldest"], today),
            ))  # fmt: skip
    return work


def _own_to_remedy(actor: Actor) -> list[RemediationItem]:
    """The (at most five) items the actor must remedy, soonest due first: their own, and their units'."""
    mine = Q(pk__in=[])
    if actor.person_id is not None:
        mine |= Q(owner_id=actor.person_id) | Q(owner__isnull=True, person_id=actor.person_id)
    units = RemediationItemPermissions.to_remedy_for_units(actor)
    if units is not None:
        mine |= units
    if actor.person_id is None and units is None:
        return []
    return list(
        RemediationItem.objects.filter(mine, status__in=TO_REMEDY)
        .annotate(due_in_force=_due_in_force())
        .order_by("due_in_force", "id")[:5]
    )
