"""Screens of the regulation register."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lamtheo.core.paging import paginate

from . import selectors
from .forms import RegulationFilterForm
from .policies import RulebookPermissions


def regulation_list(request: HttpRequest) -> HttpResponse:
    """The regulation register with search and a kind filter."""
    form = RegulationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.regulation_list(q=data.get("q", ""), kind=data.get("kind", ""))
    return render(
        request,
        "rulebook/regulation_list.html",
        {
            "page": paginate(request, qs, per_page=50),
            "form": form,
            "can_change": RulebookPermissions(request.actor).can_change() is not None,
        },
    )


def regulation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One regulation with its criteria sets."""
    regulation = selectors.regulation_for_actor(actor=request.actor, pk=pk)
    return render(
        request,
        "rulebook/regulation_detail.html",
        {
            "regulation": regulation,
            "criteria_sets": selectors.criteria_set_list(regulation=regulation),
        },
    )


@require_GET
def regulation_picker(request: HttpRequest) -> HttpResponse:
    """Regulations by number, symbol and title, for a picker (JSON; public reference data)."""
    regulations = selectors.regulation_pick(q=request.GET.get("q", "")[:100], limit=20)
    results = [{"value": r.pk, "text": f"{r.key} — {r.title}", "hint": r.issuer} for r in regulations]
    response = JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response
