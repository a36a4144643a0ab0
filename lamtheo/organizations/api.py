"""REST read API for organizations and people (scoped exactly like the screens)."""

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from . import selectors

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    path: str
    valid_from: dt.date
    valid_to: dt.date | None


class PersonOut(Schema):
    id: int
    code: str
    full_name: str
    gender: str
    date_of_birth: dt.date | None
    is_party_member: bool
    party_cell_id: int | None
    workplace_id: int | None
    residence_cell_id: int | None


class OrgFilters(Schema):
    q: str = ""
    kind: str = ""
    include_closed: bool = False


class PersonFilters(Schema):
    q: str = ""
    party_member: bool | None = None


@router.get("/organizations", response=list[OrganizationOut])
@paginate(LimitOffsetPagination)
def list_organizations(request: HttpRequest, filters: Query[OrgFilters]):  # type: ignore[no-untyped-def]
    """Organizations in the caller's scope."""
    return selectors.organization_list(
        actor=request.actor, q=filters.q, kind=filters.kind, include_closed=filters.include_closed
    )


@router.get("/organizations/{org_id}", response=OrganizationOut)
def get_organization(request: HttpRequest, org_id: str):  # type: ignore[no-untyped-def]
    """One organization (404 when missing, out of scope, or the id is not a whole number: "1.0" is not 1)."""
    return selectors.organization_for_actor(actor=request.actor, pk=_whole(org_id))


@router.get("/people", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def list_people(request: HttpRequest, filters: Query[PersonFilters]):  # type: ignore[no-untyped-def]
    """People in the caller's scope; `q` is diacritics-insensitive."""
    return selectors.person_list(actor=request.actor, q=filters.q, party_members=filters.party_member)


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: str):  # type: ignore[no-untyped-def]
    """One person (404 when missing, out of scope, or the id is not a whole number)."""
    return selectors.person_for_actor(actor=request.actor, pk=_whole(person_id))


def _whole(raw: str) -> int:
    """An id as typed in the path: digits only (the API's one 404 otherwise, not a parser's 422)."""
    if not raw.isascii() or not raw.isdigit():
        raise Http404
    return int(raw)
