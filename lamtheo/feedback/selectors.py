"""Reads of citizens' reports (every other context reads them through here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core.actor import Actor
from lamtheo.core.evidence import EvidenceEntry
from lamtheo.core.permissions import actor_scoped, get_or_404
from lamtheo.core.text import fold, search_q
from lamtheo.organizations import selectors as org_selectors

from . import cross_scope, rules
from .models import (
    HANDLING,
    OPEN,
    WAITING,
    Area,
    Category,
    Event,
    Holding,
    Photo,
    RejectionTemplate,
    Report,
    Status,
)
from .policies import ADD, HANDLE, ReportPermissions


def categories() -> QuerySet[Category]:
    """The categories a report can be filed under (public)."""
    return Category.objects.filter(is_active=True)


def areas() -> QuerySet[Area]:
    """The wards a citizen can report from (public)."""
    return Area.objects.filter(is_active=True).select_related("organization")


def rejection_templates() -> QuerySet[RejectionTemplate]:
    """The reasons a unit may give when it rejects a report."""
    return RejectionTemplate.objects.filter(is_active=True)


def route(*, category: Category, area: Area):  # type: ignore[no-untyped-def]
    """The organization that handles `category` in `area`: its rule, else the area's default rule, else the
    area's own organization."""
    rules_here = {r.category_id: r for r in area.rules.select_related("organization")}
    rule = rules_here.get(category.pk) or rules_here.get(None)
    return rule.organization if rule else area.organization


def deadlines() -> dict[str, str] | None:
    """The deadlines in force this year, in words for the public pages ("8 working hours", "5 working
    days"), read from the rulebook (None: not set)."""
    from django.utils.translation import ngettext

    from lamtheo.rulebook import selectors as rulebook_selectors

    found = rulebook_selectors.feedback_rules_for(timezone.localdate().year)
    if found is None:
        return None
    spans = rules.parse_spans(found.office_hours)

    def words(hours: int | None) -> str:
        if hours is None:
            return "—"
        n, unit = rules.hours_label(hours, spans=spans)
        if unit == "days":
            return ngettext("%(n)s working day", "%(n)s working days", n) % {"n": n}
        return ngettext("%(n)s working hour", "%(n)s working hours", n) % {"n": n}

    return {"accept": words(found.accept_hours), "reopen_days": str(found.reopen_days),
            **{severity: words(found.resolve_period(severity)) for severity in ("urgent", "normal", "complex")}}  # fmt: skip


def report_by_code(code: str) -> Report | None:
    """The report behind a citizen's tracking code (None: no such code)."""
    return cross_scope.report_by_code(rules.normalise_code(code))


def public_timeline(report: Report) -> list[Event]:
    """What the citizen sees of the handling: status changes, transfers (the unit's name), progress notes and
    the response, with evidence photos; never internal notes."""
    return _with_photos(list(cross_scope.public_events(report)), list(cross_scope.public_photos(report)))


def _with_photos(events: list[Event], photos: list[Photo]) -> list[Event]:
    """Each line carries the photos posted with it (`shown_photos`), read once for the report."""
    by_event: dict[int, list[Photo]] = {}
    for photo in photos:
        if photo.event_id:
            by_event.setdefault(photo.event_id, []).append(photo)
    for line in events:
        line.shown_photos = by_event.get(line.pk, [])  # type: ignore[attr-defined]
    return events


def public_report(pk: int) -> Report | None:
    """A report by its public number (Open311's service_request_id): public fields only leave it."""
    return cross_scope.all_reports().select_related("category", "organization").filter(pk=pk).first()


def evidence_photo(pk: int) -> Photo | None:
    """An evidence photo of an answered report (public, like the answer it comes with)."""
    return cross_scope.evidence_photo(pk)


def public_photos(report: Report) -> list[Photo]:
    """The photos shown on the tracking page of `report`."""
    return list(cross_scope.public_photos(report))


def public_photo(report: Report, pk: int) -> Photo | None:
    """A photo shown on the tracking page of `report`."""
    return cross_scope.public_photo(report, pk)


@actor_scoped
def report_for_actor(*, actor: Actor, pk: int | str) -> Report:
    """A report the actor may read, or 404."""
    report = get_or_404(Report.objects.select_related("category", "area__organization", "organization",
                                                      "escalated_to", "duplicate_of"), pk=pk)  # fmt: skip
    if ReportPermissions(actor, report).can_view() is None:
        raise Http404
    return report


def _overdue(now: dt.datetime) -> Q:
    """Open and past the deadline that runs: acceptance while waiting, resolution while handled."""
    return Q(status__in=WAITING, accept_due__lt=now) | Q(status__in=OPEN, resolve_due__lt=now)


@actor_scoped
def report_list(
    *, actor: Actor, status: str = "", category: int | None = None, q: str = "", overdue: bool = False,
    mine: bool = False, escalated: bool = False, now: dt.datetime | None = None,
) -> QuerySet[Report]:  # fmt: skip
    """Reports the actor may read, newest first; `mine`: held by a unit the actor handles for; `escalated`:
    escalated to a unit the actor handles for; status "open", "waiting" or one status."""
    qs = Report.objects.select_related("category", "area", "organization")
    visible = ReportPermissions.visible(actor)
    if visible is not None:
        qs = qs.filter(visible)
    if mine and not actor.is_tree_admin:
        handled = Q(pk__in=[])
        for path in actor.paths_with(HANDLE):
            handled |= Q(organization__path__startswith=path)
        qs = qs.filter(handled)
    if escalated:
        qs = qs.filter(escalated_to_id__in=_handled_units(actor), status__in=OPEN)
    if status == "open":
        qs = qs.filter(status__in=OPEN)
    elif status == "waiting":
        qs = qs.filter(status__in=WAITING)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category_id=category)
    if overdue:
        qs = qs.filter(_overdue(now or timezone.now()))
    if q:
        qs = qs.filter(search_q("search", q) | Q(code=rules.normalise_code(q)))
    return qs


@actor_scoped
def transfer_targets(*, actor: Actor, q: str = "") -> QuerySet:  # type: ignore[type-arg]
    """Units a handler may pass a report to: the open units of their own scope, and every open unit that
    handles reports somewhere (routing rules, areas), by path; `q`: words of the name or the code."""
    own = set(org_selectors.organization_choices().values_list("pk", flat=True))
    units = cross_scope.handling_units(also=own)
    if q:
        units = units.filter(search_q("search_name", q) | Q(code__iexact=q.strip()))
    return units


@actor_scoped
def intake_units(*, actor: Actor) -> QuerySet:  # type: ignore[type-arg]
    """The units the person enters reports for (where they hold add_report)."""
    ids = [g.org_id for g in actor.grants if g.org_id and g.carries(ADD)]
    return org_selectors.organization_choices().filter(pk__in=ids)


@actor_scoped
def report_holdings(*, actor: Actor, report: Report) -> list[Holding]:
    """Every unit's time holding the report, in order."""
    return list(Holding.objects.filter(report=report).select_related("organization"))


@actor_scoped
def report_timeline(*, actor: Actor, report: Report) -> list[Event]:
    """The whole timeline of a report for its readers: public lines and internal notes."""
    lines = list(Event.objects.filter(report=report).select_related("organization", "by"))
    return _with_photos(lines, list(Photo.objects.filter(report=report)))


@actor_scoped
def report_photos(*, actor: Actor, report: Report) -> list[Photo]:
    """Every photo of a report (the citizen's and the evidence)."""
    return list(Photo.objects.filter(report=report))


@actor_scoped
def report_photo_for_actor(*, actor: Actor, pk: int | str) -> Photo:
    """A photo of a report the actor may read, or 404."""
    photo = get_or_404(
        Photo.objects.select_related("report__organization", "report__area__organization"), pk=pk
    )
    if ReportPermissions(actor, photo.report).can_view() is None:
        raise Http404
    return photo


@actor_scoped
def report_counts(*, actor: Actor, now: dt.datetime | None = None) -> dict[str, int]:
    """Counts for the handler's list: waiting to accept, being handled, overdue — held by units they handle."""
    qs = report_list(actor=actor, mine=True)
    now = now or timezone.now()
    counts = qs.aggregate(
        waiting=Count("pk", filter=Q(status__in=WAITING)),
        handling=Count("pk", filter=Q(status__in=HANDLING)),
        overdue=Count("pk", filter=_overdue(now)),
    )
    counts["escalated"] = report_list(actor=actor, escalated=True).count()
    return counts


def _handled_units(actor: Actor) -> list[int]:
    """The units where the actor holds the handler's role (escalations land on a unit, not a subtree)."""
    return [g.org_id for g in actor.grants if g.org_id and g.carries(HANDLE)]


@dataclass
class BoardRow:
    """One line of the transparency board: a ward and a category (or a total)."""

    area: str
    category: str
    received: int
    resolved: int
    closed_on_time: int
    open_overdue: int
    rated: int
    average_rating: float | None
    reopened: int
    evidenced: int = 0

    @property
    def evidence_rate(self) -> float | None:
        return self.evidenced / self.resolved if self.resolved else None

    @property
    def on_time_rate(self) -> float | None:
        return rules.on_time_rate(closed_on_time=self.closed_on_time, closed=self.resolved,
                                  open_overdue=self.open_overdue)  # fmt: skip

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.resolved if self.resolved else None


def board(
    *, since: dt.datetime, until: dt.datetime, area: Area | None = None, now: dt.datetime | None = None
) -> list[BoardRow]:
    """The public transparency board: per ward and category, received, resolved, on-time rate
    (closed on time ÷ (closed + open overdue)), average rating and reopen rate, in one grouped query.
    Rejected reports and duplicates are received but neither closed nor late."""
    now = now or timezone.now()
    qs = cross_scope.all_reports().filter(received_at__gte=since, received_at__lt=until)
    if area is not None:
        qs = qs.filter(area=area)
    handled = Q(status__in=(Status.RESOLVED, Status.CLOSED))
    rows = (
        qs.values("area__name", "category__name")
        .annotate(
            received=Count("pk"),
            resolved=Count("pk", filter=handled),
            on_time=Count("pk", filter=handled & Q(on_time=True)),
            overdue=Count("pk", filter=Q(status__in=OPEN, resolve_due__lt=now)),
            rated=Count("rating"),
            avg=Avg("rating"),
            reopened=Count("pk", filter=handled & Q(was_reopened=True)),
            evidenced=Count("pk", filter=handled & Q(evidence_photos__gt=0)),
        )
        .order_by("area__name", "category__name")
    )
    return [BoardRow(r["area__name"], r["category__name"], r["received"], r["resolved"], r["on_time"],
                     r["overdue"], r["rated"], float(r["avg"]) if r["avg"] is not None else None, r["reopened"],
                     r["evidenced"])
            for r in rows]  # fmt: skip


def board_total(rows: list[BoardRow], label: str) -> BoardRow:
    """The sum of board rows (the average rating weighted by the number of ratings)."""
    rated = sum(r.rated for r in rows)
    stars = sum((r.average_rating or 0) * r.rated for r in rows)
    return BoardRow(label, "", sum(r.received for r in rows), sum(r.resolved for r in rows),
                    sum(r.closed_on_time for r in rows), sum(r.open_overdue for r in rows), rated,
                    stars / rated if rated else None, sum(r.reopened for r in rows),
                    sum(r.evidenced for r in rows))  # fmt: skip


def public_requests(*, since: dt.datetime | None = None, until: dt.datetime | None = None,
                    category_codes: list[str] | None = None, statuses: tuple[str, ...] | None = None,
                    ids: list[int] | None = None, limit: int = 1000) -> list[Report]:  # fmt: skip
    """Reports for the Open311 list (public fields only), newest first."""
    qs = cross_scope.all_reports().select_related("category", "organization")
    if ids:
        qs = qs.filter(pk__in=ids)
    if since:
        qs = qs.filter(received_at__gte=since)
    if until:
        qs = qs.filter(received_at__lte=until)
    if category_codes:
        qs = qs.filter(category__code__in=category_codes)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return list(qs.order_by("-received_at", "-id")[:limit])


@actor_scoped
def report_evidence(*, actor: Actor, person_id: int, year: int) -> list[EvidenceEntry]:
    """Evidence provider: the citizens' reports confirmed to concern the member in `year` (read in the
    evaluator's scope), with how each was handled."""
    reports = Report.objects.filter(subject_person_id=person_id, subject_confirmed=True,
                                    received_at__year=year).select_related("category")  # fmt: skip
    return [
        EvidenceEntry(
            title=_("Citizen report %(code)s: %(category)s") % {"code": r.code, "category": r.category.name},
            detail=r.description[:200],
            status=r.get_status_display(),
            date=timezone.localdate(r.received_at),
            flags=("open",) if r.status in OPEN else (),
        )
        for r in reports
    ]


def search_text(report: Report) -> str:
    """The folded text a report is found by (code, description, address, the reporter is not included)."""
    return fold(" ".join((report.code, report.description, report.address, report.subject_text)))
