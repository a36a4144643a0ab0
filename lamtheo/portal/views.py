"""The public site (no login): heads' published commitments. The portal only reads, through the
selectors of the contexts that own the records."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lamtheo.commitments import selectors
from lamtheo.core.paging import paginate


@login_not_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    """Published commitments of heads, searchable by name or organization, newest year first."""
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None
    q = request.GET.get("q", "")[:100]
    plans = selectors.published_list(year=year, q=q)
    return render(
        request, "portal/commitment_list.html", {"page": paginate(request, plans), "year": year, "q": q}
    )


@login_not_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published commitment with its items and, once published, its year-end result."""
    plan = selectors.published_get(pk=pk)
    return render(request, "portal/commitment_detail.html", {
        "plan": plan, "sections": selectors.published_items(plan=plan),
        "title": plan.template.title.replace("{year}", str(plan.year)),
        "result": selectors.published_result(plan=plan),
    })  # fmt: skip
