"""Pagination and sorting helpers shared by every list screen."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 25


def paginate(request: HttpRequest, items, *, per_page: int = PER_PAGE) -> Page:  # type: ignore[no-untyped-def]
    """The requested page of `items` (bad or out-of-range page numbers give the nearest page)."""
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))
