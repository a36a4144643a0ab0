"""REST read API of cultivation-plan statistics (for dashboards and reviews), scoped like the cockpit."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from . import selectors
from .policies import CockpitPermissions

router = Router(tags=["commitments"])


class StatisticsIn(Schema):
    organization: int | None = None
    year: int | None = None


class StatisticsOut(Schema):
    organization_id: int
    year: int
    members: int
    registered: int
    registration_rate: float
    by_status: dict[str, int]
    by_grade: dict[str, int]


@router.get("/statistics", response=StatisticsOut)
def commitment_statistics(request: HttpRequest, filters: Query[StatisticsIn]):  # type: ignore[no-untyped-def]
    """Members, plans by status and grades by level for an organization's subtree in a year (default: the
    first organization whose plans the user follows, this year)."""
    actor = request.actor  # type: ignore[attr-defined]
    year = filters.year or timezone.localdate().year
    org_id = filters.organization
    if org_id is None:
        units = CockpitPermissions.followed_units(actor)
        if not units:
            raise Http404
        org_id = units[0].org_id
    org = selectors.followed_organization_for_actor(actor=actor, pk=org_id)
    stats = selectors.statistics(actor=actor, organization=org, year=year)
    return {
        "organization_id": org.pk, "year": year, "members": stats.members, "registered": stats.registered,
        "registration_rate": stats.rate, "by_status": stats.by_status, "by_grade": stats.by_grade,
    }  # fmt: skip
