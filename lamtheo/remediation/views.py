"""Screens of shortcomings to remedy: the list in scope, one item with its report / extend / verify / reopen
actions, and the download of its evidence."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lamtheo.core.errors import DomainError
from lamtheo.core.paging import paginate

from . import selectors, services
from .forms import ExtendForm, NoteForm, ReportForm
from .models import Severity, Source, Status
from .policies import RemediationItemPermissions


def item_list(request: HttpRequest) -> HttpResponse:
    """Shortcomings in scope, filtered by status, source, severity, and escalation."""
    status, source = request.GET.get("status", "open"), request.GET.get("source", "")
    severity, escalated = request.GET.get("severity", ""), request.GET.get("escalated", "") == "1"
    if status not in ("", "open", *Status.values):
        status = "open"
    if source not in ("", *Source.values):
        source = ""
    if severity not in ("", *Severity.values):
        severity = ""
    qs = selectors.remediation_list(
        actor=request.actor, status=status, source=source, severity=severity, escalated=escalated
    )
    return render(request, "remediation/item_list.html", {
        "page": paginate(request, qs), "status": status, "source": source, "statuses": Status.choices,
        "sources": Source.choices, "severity": severity, "severities": Severity.choices,
        "escalated": escalated, "today": timezone.localdate(),
    })  # fmt: skip


def _detail(  # type: ignore[no-untyped-def]
    request: HttpRequest, item, status: int = 200, error: str = "", **forms
) -> HttpResponse:
    """The item's page; `forms` replaces the blank form of the action that was refused (kept as typed)."""
    can = RemediationItemPermissions(request.actor, item).allowed("report", "verify", "extend")
    return render(request, "remediation/item_detail.html", {
        "item": item, "error": error, "can_report": can["report"], "can_verify": can["verify"],
        "can_extend": can["extend"], "today": timezone.localdate(),
        "extensions": selectors.remediation_extensions(actor=request.actor, item=item),
        "report_form": forms.get("report") or ReportForm(), "form": forms.get("verify") or NoteForm(),
        "extend_form": forms.get("extend") or ExtendForm(),
    }, status=status)  # fmt: skip


Call = Callable[[], object]  # the service call of an action, made once its form is valid


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One shortcoming with its remedy, its extensions and its verification."""
    return _detail(request, selectors.remediation_item_for_actor(actor=request.actor, pk=pk))


def _report(request: HttpRequest, item) -> tuple[ReportForm, Call]:  # type: ignore[no-untyped-def]
    form = ReportForm(request.POST, request.FILES)
    return form, lambda: services.remediation_report(
        actor=request.actor, item=item, note=form.cleaned_data["note"],
        evidence=form.cleaned_data["evidence"] or None,
    )  # fmt: skip


def _extend(request: HttpRequest, item) -> tuple[ExtendForm, Call]:  # type: ignore[no-untyped-def]
    form = ExtendForm(request.POST)
    return form, lambda: services.remediation_extend(
        actor=request.actor, item=item, until=form.cleaned_data["until"], reason=form.cleaned_data["reason"]
    )


def _note(service):  # type: ignore[no-untyped-def]
    def build(request: HttpRequest, item) -> tuple[NoteForm, Call]:  # type: ignore[no-untyped-def]
        form = NoteForm(request.POST)
        return form, lambda: service(actor=request.actor, item=item, note=form.cleaned_data["note"])

    return build


# action → (the form on the page it comes from, how to build the form and the call of the service)
ACTIONS = {
    "report": ("report", _report),
    "extend": ("extend", _extend),
    "verify": ("verify", _note(services.remediation_verify)),
    "reopen": ("verify", _note(services.remediation_reopen)),
}
DONE = {"extend": gettext_lazy("The due date is extended.")}


@require_POST
def item_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Report the remedy (with its evidence), extend the due date, verify the remedy or send it back."""
    item = selectors.remediation_item_for_actor(actor=request.actor, pk=pk)
    if action not in ACTIONS:
        raise Http404
    key, build = ACTIONS[action]
    form, call = build(request, item)
    if not form.is_valid():  # keep what was typed and say why
        return _detail(request, item, 400, **{key: form})
    try:
        call()
    except DomainError as exc:
        error = exc.message
        if exc.field in form.fields:  # beside the field it concerns
            form.add_error(exc.field, exc.message)
            error = ""
        item = selectors.remediation_item_for_actor(actor=request.actor, pk=pk)
        return _detail(request, item, 400, error, **{key: form})
    messages.success(request, str(DONE.get(action, _("Saved."))))
    return redirect("remediation:item-detail", pk=item.pk)


def item_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the evidence of the remedy, for whoever may read the item (404 otherwise or without one)."""
    evidence = selectors.remediation_item_for_actor(actor=request.actor, pk=pk).evidence
    if not evidence:
        raise Http404
    try:
        handle = evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=evidence.name.rsplit("/", 1)[-1])
