"""The feedback context's reads across scopes (see tests/test_authorization_rules.py). Each function is
small and says why crossing the actor's scope is safe; nothing else in the context calls `unscoped()`."""

from __future__ import annotations

from django.db.models import QuerySet

from lamtheo.organizations.models import Organization

from .models import Event, Photo, PhotoKind, Report, RoutingRule


def report_by_code(code: str) -> Report | None:
    """The report a citizen follows: the tracking code is the citizen's key (random, unguessable), and the
    public pages show only the public parts of what it finds."""
    return (
        Report.objects.unscoped(reason="a citizen reads their own report by its tracking code")
        .select_related("category", "area", "organization", "duplicate_of")
        .filter(code=code)
        .first()
    )


def report_for_update(pk: int) -> Report:
    """The report as stored now, row-locked for the transaction: a service re-reads the report it was handed
    (read under the actor's scope, or by the citizen's code) and checks its rules on this fresh row."""
    return (
        Report.objects.unscoped(reason="re-read of a report the caller already holds")
        .select_for_update(of=("self",))
        .select_related("organization", "area__organization", "category")
        .get(pk=pk)
    )


def public_events(report: Report) -> QuerySet[Event]:
    """The public lines of a report's timeline, for the citizen who holds its code (never internal notes)."""
    return (
        Event.objects.unscoped(reason="the public timeline of a report read by its tracking code")
        .filter(report=report, is_public=True)
        .select_related("organization")
    )


def public_photos(report: Report) -> QuerySet[Photo]:
    """The photos of a report shown on its tracking page (the citizen's own and the unit's evidence)."""
    return Photo.objects.unscoped(reason="the photos of a report read by its tracking code").filter(
        report=report
    )


def evidence_photo(pk: int) -> Photo | None:
    """An evidence photo posted with a unit's public answer: published like the answer (Open311 media_url)."""
    return (
        Photo.objects.unscoped(reason="evidence photos are published with the answer")
        .filter(pk=pk, kind=PhotoKind.EVIDENCE)
        .first()
    )


def public_photo(report: Report, pk: int) -> Photo | None:
    """A photo of a report shown on its tracking page (the citizen's own and the unit's evidence)."""
    return (
        Photo.objects.unscoped(reason="a photo of a report read by its tracking code")
        .filter(report=report, pk=pk)
        .first()
    )


def all_reports() -> QuerySet[Report]:
    """Every report, for the public transparency board and the Open311 list: only counts and public fields
    leave this queryset (never the reporter's data, never internal notes)."""
    return Report.objects.unscoped(reason="public figures and public fields of every report")


def report_by_code_for_duplicate(code: str) -> Report | None:
    """The original a handler merges a report into: it may be held by another unit (the same pothole sent to
    two wards); only its code and status are shown to the handler."""
    return (
        Report.objects.unscoped(reason="the original of a duplicate, named by its code")
        .filter(code=code)
        .first()
    )


def handling_units(*, also: set[int] = frozenset()) -> QuerySet[Organization]:  # type: ignore[assignment]
    """The open units named by the routing rules to handle reports, and the units `also` (ids the caller read
    in its own scope): the routing rules are public by design (the tracking page names the unit in charge), so
    a handler may pass a report to a unit outside their own subtree (the police, another ward's office)."""
    ids = set(RoutingRule.objects.values_list("organization_id", flat=True)) | set(also)
    return (
        Organization.objects.unscoped(reason="the units that handle reports are public")
        .filter(pk__in=ids, valid_to__isnull=True)
        .order_by("path")
    )
