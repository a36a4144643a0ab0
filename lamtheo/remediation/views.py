"""Screens of shortcomings to remedy: the list in scope and one item with its report / verify actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lamtheo.core.errors import DomainError
from lamtheo.core.paging import paginate

from . import selectors, services
from .forms import NoteForm
from .models import Source, Status
from .policies import RemediationItemPermissions


def item_list(request: HttpRequest) -> HttpResponse:
    """Shortcomings in scope, filtered by status and source."""
    status, source = request.GET.get("status", "open"), request.GET.get("source", "")
    if status not in ("", "open", *Status.values):
        status = "open"
    if source not in ("", *Source.values):
        source = ""
    qs = selectors.remediation_list(actor=request.actor, status=status, source=source)
    return render(request, "remediation/item_list.html", {
        "page": paginate(request, qs), "status": status, "source": source, "statuses": Status.choices,
        "sources": Source.choices, "today": timezone.localdate(),
    })  # fmt: skip


def _detail(request: HttpRequest, item, form: NoteForm, status: int = 200, error: str = "") -> HttpResponse:  # type: ignore[no-untyped-def]
    can = RemediationItemPermissions(request.actor, item).allowed("report", "verify")
    return render(request, "remediation/item_detail.html", {
        "item": item, "form": form, "error": error, "can_report": can["report"], "can_verify": can["verify"],
        "today": timezone.localdate(),
    }, status=status)  # fmt: skip


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One shortcoming with its remedy and verification."""
    return _detail(request, selectors.remediation_item_for_actor(actor=request.actor, pk=pk), NoteForm())


ACTIONS = {
    "report": services.remediation_report,
    "verify": services.remediation_verify,
    "reopen": services.remediation_reopen,
}


@require_POST
def item_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Report the remedy, verify it, or send it back."""
    item = selectors.remediation_item_for_actor(actor=request.actor, pk=pk)
    if action not in ACTIONS:
        raise Http404
    form = NoteForm(request.POST)
    if not form.is_valid():  # keep what was typed and say why
        return _detail(request, item, form, status=400)
    try:
        ACTIONS[action](actor=request.actor, item=item, note=form.cleaned_data["note"])
    except DomainError as exc:
        return _detail(
            request, selectors.remediation_item_for_actor(actor=request.actor, pk=pk), form, 400, exc.message
        )
    messages.success(request, _("Saved."))
    return redirect("remediation:item-detail", pk=item.pk)
