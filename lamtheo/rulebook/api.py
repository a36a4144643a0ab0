"""REST read API for the regulation register (reference data, any logged-in user)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from . import selectors

router = Router(tags=["rulebook"])


class RegulationOut(Schema):
    id: int
    number: str
    symbol: str
    issue_date: dt.date | None
    issuer: str
    kind: str
    title: str
    status: str
    is_uncertain: bool


@router.get("/regulations", response=list[RegulationOut])
@paginate(LimitOffsetPagination)
def list_regulations(request: HttpRequest, q: str = ""):  # type: ignore[no-untyped-def]
    """The regulation register."""
    return selectors.regulation_list(q=q)
