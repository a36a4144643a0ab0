"""Screens of the regulation register."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lamtheo.core.paging import paginate

from . import selectors
from .models import RegulationKind


def regulation_list(request: HttpRequest) -> HttpResponse:
    """The regulation register with search and a kind filter."""
    q = request.GET.get("q", "")[:100]
    kind = request.GET.get("kind", "")
    if kind not in RegulationKind.values:
        kind = ""
    qs = selectors.regulation_list(q=q, kind=kind)
    return render(request, "rulebook/regulation_list.html", {
        "page": paginate(request, qs, per_page=50), "q": q, "kind": kind, "kinds": RegulationKind.choices,
    })


def regulation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One regulation with its criteria sets."""
    regulation = selectors.regulation_get(pk=pk)
    return render(request, "rulebook/regulation_detail.html", {
        "regulation": regulation, "criteria_sets": selectors.criteria_set_list(regulation=regulation),
    })
