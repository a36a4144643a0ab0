"""Screens of citizens' reports. The public side (no login): the report form, the tracking page (rate,
reopen), the photos of a report and the transparency board. The staff side: the handler's list, the intake of
reports from other channels, a report's page with the actions its permission class allows, its history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from lamtheo.core.audit import history_entries
from lamtheo.core.errors import DomainError
from lamtheo.core.paging import paginate
from lamtheo.organizations.views import picker_response

from . import selectors, services
from .forms import (
    AcceptForm,
    DuplicateForm,
    IntakeForm,
    NoteForm,
    ProgressForm,
    RateForm,
    RejectForm,
    ReopenForm,
    ReportForm,
    ResolveForm,
    SubjectForm,
    TrackForm,
    TransferForm,
)
from .models import Category, Status
from .policies import ADD, HANDLE, ReportPermissions
from .services.citizen import reopen_until

ACTIONS = ("accept", "transfer", "progress", "resolve", "reject", "duplicate", "note", "link_subject")
# (heading, button) of each action's form on the report's page, in the order they show.
ACTION_LABELS = {
    "accept": (gettext_lazy("Accept the report"), gettext_lazy("Accept")),
    "resolve": (gettext_lazy("Answer the citizen"), gettext_lazy("Publish the answer")),
    "progress": (gettext_lazy("Post progress"), gettext_lazy("Post")),
    "transfer": (gettext_lazy("Transfer to another unit"), gettext_lazy("Transfer")),
    "reject": (gettext_lazy("Reject the report"), gettext_lazy("Reject")),
    "duplicate": (gettext_lazy("Merge into another report"), pgettext_lazy("report", "Merge")),
    "link_subject": (gettext_lazy("Cadre or unit concerned"), gettext_lazy("Save")),
    "note": (gettext_lazy("Internal note"), gettext_lazy("Add the note")),
}


def _apply(form, fn, **kwargs):  # type: ignore[no-untyped-def]
    """Run a service; a refusal becomes an error beside its field (or at the top)."""
    try:
        return fn(**kwargs)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def _limited(request: HttpRequest, group: str, rate: str) -> bool:
    """Whether this client has sent more than `rate` (per IP address; the cache shares the count)."""
    return is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/too_many.html", status=429)


def _input(data: dict) -> services.ReportInput:  # type: ignore[type-arg]
    return services.ReportInput(
        category=data.get("category"), area=data.get("area"), description=data.get("description", ""),
        address=data.get("address", ""), latitude=data.get("latitude"), longitude=data.get("longitude"),
        name=data.get("name", ""), phone=data.get("phone", ""), email=data.get("email", ""),
        anonymous=bool(data.get("anonymous")), subject_text=data.get("subject_text", ""), photos=data.get("photos") or [],
    )  # fmt: skip


# The public side -------------------------------------------------------------------------------------------


@login_not_required
def report_new(request: HttpRequest) -> HttpResponse:
    """The citizen's form: what, where, photos, who (or anonymous); the tracking code comes back."""
    form = ReportForm(request.POST or None, request.FILES or None)
    context = {
        "form": form,
        "deadlines": SimpleLazyObject(selectors.deadlines),
    }  # read only when a page is drawn
    if request.method == "POST":
        if _limited(request, "feedback-submit", settings.LAMTHEO_REPORT_RATE):
            return _too_many(request)
        if request.POST.get("website"):
            form.add_error(None, _("The report could not be sent. Please try again."))
        elif form.is_valid():
            report = _apply(form, services.report_submit, data=_input(form.cleaned_data))
            if report is not None:  # no session is written: the code in the address is the citizen's key
                return redirect(reverse("feedback:public-report", kwargs={"code": report.code}) + "?sent=1")
        return render(request, "feedback/public_new.html", context, status=400)
    return render(request, "feedback/public_new.html", context)


@login_not_required
def track(request: HttpRequest) -> HttpResponse:
    """Find a report by its tracking code."""
    form = TrackForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        report = selectors.report_by_code(form.cleaned_data["code"])
        if report is not None:
            return redirect("feedback:public-report", code=report.code)
        form.add_error("code", _("No report has this code. Check it and try again."))
    return render(request, "feedback/public_track.html", {"form": form}, status=404 if form.errors else 200)


def _public_context(report, **forms):  # type: ignore[no-untyped-def]
    until = reopen_until(report)
    # A refused follow-up keeps its form on the page, so the citizen reads why.
    can_reopen = (until is not None and timezone.now() <= until) or "reopen_form" in forms
    return {
        "report": report, "timeline": selectors.public_timeline(report),
        "can_rate": (report.status in (Status.RESOLVED, Status.CLOSED) and report.rating is None) or "rate_form" in forms,
        "can_reopen": can_reopen, "reopen_until": until,
        "citizen_photos": [p for p in selectors.public_photos(report) if p.kind == "citizen"],
        "rate_form": forms.get("rate_form") or RateForm(), "reopen_form": forms.get("reopen_form") or ReopenForm(),
    }  # fmt: skip


def _public_report(code: str):  # type: ignore[no-untyped-def]
    report = selectors.report_by_code(code)
    if report is None:
        raise Http404
    return report


@login_not_required
def report_public(request: HttpRequest, code: str) -> HttpResponse:
    """The tracking page: statuses, the unit responsible, the answer with its evidence; rate or reopen."""
    report = _public_report(code)
    context = _public_context(report)
    context["just_sent"] = request.GET.get("sent") == "1"
    return render(request, "feedback/public_report.html", context)


@login_not_required
@require_POST
def report_rate(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen rates the handling, 1 to 5 with a reason."""
    if _limited(request, "feedback-followup", settings.LAMTHEO_FOLLOWUP_RATE):
        return _too_many(request)
    report = _public_report(code)
    form = RateForm(request.POST)
    if form.is_valid() and _apply(form, services.report_rate, report=report, rating=form.cleaned_data["rating"],
                                  reason=form.cleaned_data["reason"]):  # fmt: skip
        messages.success(request, _("Thank you: your rating has been recorded."))
        return redirect("feedback:public-report", code=report.code)
    return render(request, "feedback/public_report.html", _public_context(report, rate_form=form), status=400)


@login_not_required
@require_POST
def report_reopen(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen reopens a resolved report that is not actually fixed."""
    if _limited(request, "feedback-followup", settings.LAMTHEO_FOLLOWUP_RATE):
        return _too_many(request)
    report = _public_report(code)
    form = ReopenForm(request.POST)
    if form.is_valid() and _apply(
        form, services.report_reopen, report=report, reason=form.cleaned_data["reason"]
    ):
        messages.success(request, _("The report has been reopened and sent back to the unit."))
        return redirect("feedback:public-report", code=report.code)
    return render(
        request, "feedback/public_report.html", _public_context(report, reopen_form=form), status=400
    )


def _photo_response(photo) -> HttpResponse:  # type: ignore[no-untyped-def]
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_not_required
@require_GET
def public_photo(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A photo of a report, for whoever holds its tracking code."""
    photo = selectors.public_photo(_public_report(code), pk)
    if photo is None:
        raise Http404
    return _photo_response(photo)


@login_not_required
@require_GET
def evidence_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence photo of a unit's answer (public with the answer; Open311 links it as media_url)."""
    photo = selectors.evidence_photo(pk)
    if photo is None:
        raise Http404
    return _photo_response(photo)


@login_not_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The transparency board: per ward and category, received, resolved, on time, rating, reopened."""
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year
    area = selectors.areas().filter(code=request.GET.get("area", "")).first()
    rows, as_of = selectors.board(year=year, area=area)
    return render(request, "feedback/public_board.html", {
        "rows": rows, "total": selectors.board_total(rows, _("All wards")) if rows else None, "year": year,
        "years": range(today.year, today.year - 5, -1), "area": area, "as_of": as_of,
        "areas": selectors.areas(), "deadlines": SimpleLazyObject(selectors.deadlines),
    })  # fmt: skip


# The staff side --------------------------------------------------------------------------------------------


def report_list(request: HttpRequest) -> HttpResponse:
    """The reports the person may read: waiting, handled, overdue, by category, by words or code."""
    actor = request.actor
    if not ReportPermissions.readable(actor):
        raise Http404
    status = request.GET.get("status", "")
    status = status if status in (*Status.values, "open", "waiting") else ""
    category = request.GET.get("category", "")
    flags = {k: request.GET.get(k) == "1" for k in ("overdue", "mine", "escalated")}
    q = request.GET.get("q", "")[:100]
    reports = selectors.report_list(actor=actor, status=status, q=q,
                                    category=int(category) if category.isdigit() else None, **flags)  # fmt: skip
    return render(request, "feedback/report_list.html", {
        "page": paginate(request, reports), "status": status, "q": q, "category": category, **flags,
        "statuses": Status.choices, "categories": Category.objects.filter(is_active=True),
        "counts": selectors.report_counts(actor=actor), "now": timezone.now(),
        "can_intake": bool(actor.paths_with(ADD)),
    })  # fmt: skip


def report_intake(request: HttpRequest) -> HttpResponse:
    """Enter a report heard on the hotline, at a reception day, in a meeting, from the Front or the press."""
    actor = request.actor
    units = selectors.intake_units(actor=actor)
    if not units.exists():
        raise Http404
    form = IntakeForm(request.POST or None, request.FILES or None, organizations=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received = data.get("received_on")
        received_at = None
        if received and received != timezone.localdate():
            received_at = dt.datetime.combine(received, dt.time(8, 0), tzinfo=timezone.get_current_timezone())
        report = _apply(form, services.report_intake, actor=actor, organization=data["organization"],
                        channel=data["channel"], data=_input(data), received_at=received_at,
                        severity=data.get("severity") or "")  # fmt: skip
        if report is not None:
            messages.success(request, _("Report %(code)s recorded and sent to %(unit)s.")
                             % {"code": report.code, "unit": report.organization.name})  # fmt: skip
            return redirect("feedback:report-detail", pk=report.pk)
    return render(request, "feedback/report_intake.html", {"form": form}, status=400 if form.errors else 200)


def _forms(actor, report, bound: dict | None = None):  # type: ignore[no-untyped-def]
    """One form per action the person may take on the report (the bound one keeps its errors)."""
    perms = ReportPermissions(actor, report)
    builders = {
        "accept": lambda: AcceptForm(initial={"severity": report.severity}),
        "transfer": lambda: TransferForm(targets=selectors.transfer_targets(actor=actor)),
        "progress": ProgressForm, "resolve": ResolveForm, "reject": RejectForm, "duplicate": DuplicateForm,
        "note": NoteForm, "link_subject": lambda: SubjectForm(initial={"person": report.subject_person_id,
                                                                        "unit": report.subject_organization_id}),
    }  # fmt: skip
    bound = bound or {}
    forms = {
        verb: bound.get(verb) or builders[verb]() for verb in ACTION_LABELS if perms.check(verb) is not None
    }
    return [
        {"verb": verb, "form": form, "title": ACTION_LABELS[verb][0], "button": ACTION_LABELS[verb][1],
         "primary": verb in ("accept", "resolve"),
         "url": reverse(f"feedback:report-{verb.replace('_', '-')}", args=[report.pk])}
        for verb, form in forms.items()
    ]  # fmt: skip


def _detail(request: HttpRequest, report, bound: dict | None = None, status: int = 200) -> HttpResponse:  # type: ignore[no-untyped-def]
    actor = request.actor
    perms = ReportPermissions(actor, report)
    return render(request, "feedback/report_detail.html", {
        "report": report, "actions": _forms(actor, report, bound), "see_reporter": perms.check("see_reporter") is not None,
        "timeline": selectors.report_timeline(actor=actor, report=report),
        "photos": selectors.report_photos(actor=actor, report=report),
        "holdings": selectors.report_holdings(actor=actor, report=report), "now": timezone.now(),
    }, status=status)  # fmt: skip


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One report: what the citizen said, the clocks, the timeline, and the actions the person may take."""
    return _detail(request, selectors.report_for_actor(actor=request.actor, pk=pk))


def _bind(action: str, request: HttpRequest, actor, report):  # type: ignore[no-untyped-def]
    data, files = request.POST, request.FILES
    if action == "transfer":
        return TransferForm(data, targets=selectors.transfer_targets(actor=actor))
    forms = {"accept": AcceptForm, "progress": ProgressForm, "resolve": ResolveForm, "reject": RejectForm,
             "duplicate": DuplicateForm, "note": NoteForm, "link_subject": SubjectForm}  # fmt: skip
    return forms[action](data, files) if action == "resolve" else forms[action](data)


def _run(action: str, form, actor, report):  # type: ignore[no-untyped-def]
    d = form.cleaned_data
    calls = {
        "accept": lambda: services.report_accept(actor=actor, report=report, severity=d["severity"]),
        "transfer": lambda: services.report_transfer(actor=actor, report=report, organization=d["organization"],
                                                     reason=d["reason"]),
        "progress": lambda: services.report_progress(actor=actor, report=report, text=d["text"],
                                                     committed_on=d.get("committed_on")),
        "resolve": lambda: services.report_resolve(actor=actor, report=report, response=d["response"],
                                                   photos=d.get("photos") or []),
        "reject": lambda: services.report_reject(actor=actor, report=report, template=d["template"], text=d["text"]),
        "duplicate": lambda: services.report_mark_duplicate(actor=actor, report=report,
                                                            original_code=d["original_code"]),
        "note": lambda: services.report_note(actor=actor, report=report, text=d["text"]),
        "link_subject": lambda: services.report_link_subject(actor=actor, report=report, person=d.get("person"),
                                                             organization=d.get("unit")),
    }  # fmt: skip
    return _apply(form, lambda: calls[action]())


DONE_MESSAGES = {
    "accept": gettext_lazy("Report accepted."), "transfer": gettext_lazy("Report transferred."), "progress": gettext_lazy("Progress posted."),
    "resolve": gettext_lazy("Answer published."), "reject": gettext_lazy("Report rejected."), "duplicate": gettext_lazy("Report merged."),
    "note": gettext_lazy("Note added."), "link_subject": gettext_lazy("Saved."),
}  # fmt: skip


@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Take one action on a report (404 to whoever may not take it)."""
    actor = request.actor
    report = selectors.report_for_actor(actor=actor, pk=pk)
    if action not in ACTIONS or ReportPermissions(actor, report).check(action) is None:
        raise Http404
    form = _bind(action, request, actor, report)
    if form.is_valid() and _run(action, form, actor, report) is not None:
        messages.success(request, str(DONE_MESSAGES[action]))
        return redirect("feedback:report-detail", pk=report.pk)
    report.refresh_from_db()
    return _detail(request, report, bound={action: form}, status=400)


def report_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who did what on the report, in words."""
    report = selectors.report_for_actor(actor=request.actor, pk=pk)
    return render(request, "core/history.html", {
        "object": report, "entries": history_entries(report), "back_url": "feedback:report-detail",
    })  # fmt: skip


@require_GET
def staff_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo of a report, for those who may read the report."""
    return _photo_response(selectors.report_photo_for_actor(actor=request.actor, pk=pk))


@require_GET
def unit_picker(request: HttpRequest) -> HttpResponse:
    """Units a handler may transfer a report to, by name or code (JSON, for a picker)."""
    if not request.actor.paths_with(HANDLE):
        raise Http404
    units = selectors.transfer_targets(actor=request.actor, q=request.GET.get("q", "")[:100])[:20]
    return picker_response([{"value": o.pk, "text": f"{o.name} ({o.code})", "hint": ""} for o in units])
