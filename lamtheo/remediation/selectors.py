"""Reads on shortcomings to remedy (every other context reads them through here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lamtheo.core import worklist
from lamtheo.core.actor import Actor
from lamtheo.core.evidence import EvidenceEntry
from lamtheo.core.permissions import actor_scoped, get_or_404
from lamtheo.core.worklist import WorkItem
from lamtheo.organizations.models import Organization

from . import cross_scope
from .models import OPEN_STATUSES, TO_REMEDY, Extension, RemediationItem, Severity, Source, Status
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
def remediation_by_refs(*, actor: Actor, source_refs: list[str]) -> dict[str, list[RemediationItem]]:
    """The items several records raised, in one query, by record (e.g. the findings of one case)."""
    out: dict[str, list[RemediationItem]] = {ref: [] for ref in source_refs}
    for item in _visible(actor, RemediationItem.objects.filter(source_ref__in=source_refs)).order_by("id"):
        out[item.source_ref].append(item)
    return out


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


@dataclass
class DashboardRow:
    """The shortcomings of one unit (and everything below it): open, overdue and verified, by severity."""

    unit_id: int
    name: str
    is_self: bool = False  # the unit's own items (those tracked or owned by the unit itself)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # severity → {"open", "overdue", ...}

    def total(self, key: str) -> int:
        return sum(c[key] for c in self.counts.values())


FIGURES = ("open", "overdue", "verified", "total")


def _child_prefix(path: str, depth: int) -> str:
    """The path of the unit directly below the dashboard's root that `path` lies in (or the root's own)."""
    parts = path.split("/")
    return "/".join(parts[: depth + 1]) + "/" if len(parts) > depth + 1 else path


@actor_scoped
def remediation_dashboard(*, actor: Actor, root: Organization, today: dt.date, source: str = "") -> dict:  # type: ignore[type-arg]
    """The follow-up of shortcomings under `root`, unit by unit (the units directly below it, each with
    everything beneath it; the root's own items on a row of their own), by severity: how many are still open,
    how many of those are overdue (against the due date in force), how many are verified. An item counts
    for the unit that remedies it (or, without one, the unit that tracks it). Counted in the database in
    one grouped query; the units are folded in memory. Also the Fronts' on-time reply rate."""
    units = dict(Organization.objects.filter(path__startswith=root.path).values_list("id", "path"))
    depth = root.path.count("/") - 1
    qs = _visible(actor, RemediationItem.objects.all()).filter(
        Q(owner_organization__path__startswith=root.path)
        | Q(owner_organization__isnull=True, organization__path__startswith=root.path)
    )
    if source:
        qs = qs.filter(source=source)
    grouped = _by_unit(qs, today)
    children = {
        o.path: DashboardRow(o.pk, o.name)
        for o in Organization.objects.filter(parent=root, valid_to__isnull=True).order_by("path")
    }
    own = DashboardRow(root.pk, root.name, is_self=True)
    # Each unit's row, once per unit (a closed unit directly below counts with the root's own).
    row_of = {
        unit: own if path == root.path else children.get(_child_prefix(path, depth + 1), own)
        for unit, path in units.items()
    }
    width = len(FIGURES)
    for unit, *figures in grouped:
        target = row_of.get(unit)
        if target is None:  # a unit outside the actor's scope (an owner below, tracked from above)
            continue
        for n, severity in enumerate(DASHBOARD_SEVERITIES):
            values = figures[n * width : (n + 1) * width]
            if values[-1]:  # the severity's total
                bucket = target.counts.setdefault(severity, dict.fromkeys(FIGURES, 0))
                for key, value in zip(FIGURES, values, strict=True):
                    bucket[key] += value
    rows = [r for r in [own, *children.values()] if r.counts or not r.is_self]
    totals = {key: sum(r.total(key) for r in rows) for key in FIGURES}
    return {"rows": rows, "totals": totals, "front": _front_replies(qs, today)}


DASHBOARD_SEVERITIES = ("violation", "shortcoming", "")


def _by_unit(qs: QuerySet[RemediationItem], today: dt.date):  # type: ignore[no-untyped-def]
    """One row per unit (the one that remedies, else the one that tracks): for each severity of
    DASHBOARD_SEVERITIES, open, overdue (against the due date in force), verified and total, as columns."""
    figures = {
        "open": Q(status__in=OPEN_STATUSES),
        "overdue": Q(status__in=TO_REMEDY, due__lt=today),
        "verified": Q(status=Status.VERIFIED),
        "total": Q(),
    }
    columns = {
        f"{severity or 'other'}_{key}": Count("id", filter=Q(severity=severity) & condition)
        for severity in DASHBOARD_SEVERITIES
        for key, condition in figures.items()
    }
    return (
        qs.annotate(unit=Coalesce("owner_organization_id", "organization_id"), due=_due_in_force())
        .values("unit")
        .annotate(**columns)
        .values_list("unit", *columns)
    )


def _front_replies(qs: QuerySet[RemediationItem], today: dt.date) -> dict[str, int]:
    """Recommendations of the Fronts whose reply was due or given: how many, and answered on time."""
    front = qs.filter(source="front").annotate(due_on=_due_in_force())
    figures = front.aggregate(
        replies_due=Count("id", filter=Q(reported_at__isnull=False) | Q(due_on__lt=today)),
        on_time=Count("id", filter=Q(reported_at__isnull=False, reported_at__date__lte=F("due_on"))),
    )
    return {"due": figures["replies_due"], "on_time": figures["on_time"]}


# For the dashboard's filters and columns (screens read choices through here, not the models).
SOURCE_CHOICES = tuple(Source.choices)
SEVERITY_COLUMNS = ((Severity.VIOLATION.value, Severity.VIOLATION.label),
                    (Severity.SHORTCOMING.value, Severity.SHORTCOMING.label), ("", _lazy("Other")))  # fmt: skip


@actor_scoped
def remediation_overdue_count(*, actor: Actor, organizations: QuerySet[Organization], source: str,
                              today: dt.date) -> dict:  # type: ignore[type-arg]  # fmt: skip
    """Items of `source` tracked by `organizations` still awaiting the remedy past their due date in force:
    how many, and the oldest due date."""
    qs = _visible(actor, RemediationItem.objects.filter(organization__in=organizations, source=source))
    qs = qs.annotate(due=_due_in_force()).filter(status__in=TO_REMEDY, due__lt=today)
    figures = qs.aggregate(count=Count("id"), oldest=Min("due"))
    return {"count": figures["count"], "oldest": figures["oldest"]}
