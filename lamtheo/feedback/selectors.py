"""Reads of citizens' reports (every other context reads them through here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core.actor import Actor
from lamtheo.core.evidence import EvidenceEntry
from lamtheo.core.permissions import actor_scoped, get_or_404
from lamtheo.core.scoping import Scope
from lamtheo.core.text import fold, search_q
from lamtheo.organizations import selectors as org_selectors

from . import cross_scope, rules
from .models import (
    HANDLING,
    OPEN,
    WAITING,
    Area,
    BoardFigure,
    Category,
    Event,
    Holding,
    Photo,
    RejectionTemplate,
    Report,
    Status,
)
from .policies import ADD, HANDLE, READERS, ReportPermissions


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


def _readable(actor: Actor, qs: QuerySet[Report]) -> QuerySet[Report]:
    """Keep the reports the actor may read (`ReportPermissions.can_view`), by ids: the scope already keeps
    exactly these when every grant of the actor reads reports (the usual case), else the readers' units."""
    if actor.is_tree_admin:
        return qs
    paths = actor.paths_with(*READERS)
    if set(Scope.of(paths).paths) == set(actor.scope.paths):
        return qs
    units = org_selectors.organization_ids_under(paths)
    return qs.filter(
        Q(organization_id__in=units)
        | Q(area_id__in=Area.objects.filter(organization_id__in=units).values("pk"))
    )


@actor_scoped
def report_list(
    *, actor: Actor, status: str = "", category: int | None = None, q: str = "", overdue: bool = False,
    mine: bool = False, escalated: bool = False, now: dt.datetime | None = None,
) -> QuerySet[Report]:  # fmt: skip
    """Reports the actor may read, newest first; `mine`: held by a unit the actor handles for; `escalated`:
    escalated to a unit the actor handles for; status "open", "waiting" or one status."""
    qs = _readable(actor, Report.objects.select_related("category", "area", "organization"))
    if mine and not actor.is_tree_admin:
        qs = qs.filter(organization_id__in=org_selectors.organization_ids_under(actor.paths_with(HANDLE)))
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
    rating_sum: int
    reopened: int
    evidenced: int = 0

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.rated if self.rated else None

    @property
    def on_time_rate(self) -> float | None:
        return rules.on_time_rate(closed_on_time=self.closed_on_time, closed=self.resolved,
                                  open_overdue=self.open_overdue)  # fmt: skip

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.resolved if self.resolved else None

    @property
    def evidence_rate(self) -> float | None:
        return self.evidenced / self.resolved if self.resolved else None


FIGURES = ("received", "resolved", "on_time", "open_overdue", "rated", "rating_sum", "reopened", "evidenced")


def board_counts(
    *, since: dt.datetime, until: dt.datetime, now: dt.datetime, area: Area | None = None
) -> list[dict]:  # type: ignore[type-arg]
    """The board's figures counted from the reports, per (area id, category id), in one grouped query.
    Resolved: resolved or closed; on time: resolved before the deadline; open overdue: open past the
    resolution deadline. Rejected reports and duplicates are received but neither resolved nor late."""
    qs = cross_scope.all_reports().filter(received_at__gte=since, received_at__lt=until)
    if area is not None:
        qs = qs.filter(area=area)
    handled = Q(status__in=(Status.RESOLVED, Status.CLOSED))
    return list(
        qs.values("area_id", "category_id")
        .annotate(
            received=Count("pk"), resolved=Count("pk", filter=handled),
            on_time=Count("pk", filter=handled & Q(on_time=True)),
            open_overdue=Count("pk", filter=Q(status__in=OPEN, resolve_due__lt=now)),
            rated=Count("rating"), rating_sum=Coalesce(Sum("rating"), 0),
            reopened=Count("pk", filter=handled & Q(was_reopened=True)),
            evidenced=Count("pk", filter=handled & Q(evidence_photos__gt=0)),
        )
        .order_by()
    )  # fmt: skip


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of `year` and of the next, in Vietnam's time."""
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def board(*, year: int, area: Area | None = None) -> tuple[list[BoardRow], dt.datetime | None]:
    """The public transparency board of `year`, by ward and category, and when it was counted: the sweep's
    stored figures when there are any (a city's year is too large to count on every visit), else counted now
    (None)."""
    stored = BoardFigure.objects.filter(year=year)
    if area is not None:
        stored = stored.filter(area=area)
    rows = list(stored.values("area_id", "category_id", "computed_at", *FIGURES))
    as_of = max((r["computed_at"] for r in rows), default=None)
    if not rows and not BoardFigure.objects.filter(year=year).exists():
        since, until = year_bounds(year)
        rows = board_counts(since=since, until=until, now=timezone.now(), area=area)
    names = dict(Area.objects.values_list("pk", "name"))
    categories = dict(Category.objects.values_list("pk", "name"))
    out = [BoardRow(names[r["area_id"]], categories[r["category_id"]], r["received"], r["resolved"], r["on_time"],
                    r["open_overdue"], r["rated"], r["rating_sum"], r["reopened"], r["evidenced"])
           for r in rows]  # fmt: skip
    return sorted(out, key=lambda r: (fold(r.area), fold(r.category))), as_of


def board_total(rows: list[BoardRow], label: str) -> BoardRow:
    """The sum of board rows."""
    return BoardRow(
        label,
        "",
        *(
            sum(getattr(r, f) for r in rows)
            for f in (
                "received",
                "resolved",
                "closed_on_time",
                "open_overdue",
                "rated",
                "rating_sum",
                "reopened",
                "evidenced",
            )
        ),
    )


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
