"""Reads on shortcomings to remedy (every other context reads them through here)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
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
from .models import OPEN_STATUSES, RemediationItem, Status
from .policies import RemediationItemPermissions


def _visible(actor: Actor, qs: QuerySet[RemediationItem]) -> QuerySet[RemediationItem]:
    """Within the scope, fellow members do not read each other's shortcomings: only one's own, or those of
    the subtrees one follows (`RemediationItemPermissions.visible`)."""
    visible = RemediationItemPermissions.visible(actor)
    return qs if visible is None else qs.filter(visible)


@actor_scoped
def remediation_list(
    *, actor: Actor, status: str = "", source: str = "", person_id: int | None = None
) -> QuerySet[RemediationItem]:
    """Shortcomings in the actor's scope, soonest due first."""
    qs = _visible(actor, RemediationItem.objects.select_related("organization", "person", "owner"))
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    return qs


@actor_scoped
def remediation_item_for_actor(*, actor: Actor, pk: int | str) -> RemediationItem:
    """One item in the actor's scope that they may read (their own, or one they follow), or 404 alike for
    missing and not theirs."""
    item = get_or_404(RemediationItem.objects.select_related("organization", "person", "owner"), pk=pk)
    if RemediationItemPermissions(actor, item).can_view() is None:
        raise Http404
    return item


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
            status=item.get_status_display(), date=item.due_date,
            url=reverse("remediation:item-detail", args=[item.pk]),
            flags=("overdue",) if item.is_open and item.due_date < today else (),
        )
        for item in rows.order_by("due_date")
    ]  # fmt: skip


@actor_scoped
def remediation_work(*, actor: Actor, today: dt.date) -> list[WorkItem]:
    """Home work list: shortcomings the person must remedy, and reported remedies they may verify."""
    work: list[WorkItem] = []
    area = _("Shortcomings to remedy")
    if actor.person_id is not None:
        own = list(
            RemediationItem.objects.filter(status=Status.OPEN)
            .filter(Q(owner_id=actor.person_id) | Q(owner__isnull=True, person_id=actor.person_id))
            .order_by("due_date", "id")[:5]
        )
        for item in own:
            work.append(WorkItem(
                title=_("Remedy: %(text)s") % {"text": Truncator(item.description).words(14)},
                url=reverse("remediation:item-detail", args=[item.pk]), area=area, due=item.due_date,
                detail=item.source_label, action=_("Report what was done"),
                urgency=worklist.urgency_of(item.due_date, today),
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
    return work
