"""Screens of inspection and supervision: programmes, cases with their steps and findings, Party discipline,
the Fatherland Front's supervision. Every record is read through an access helper (404 for not-yours) and
every button comes from the permission classes."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lamtheo.core.audit import history_entries
from lamtheo.core.errors import DomainError
from lamtheo.core.exports import attachment
from lamtheo.core.paging import paginate
from lamtheo.organizations import selectors as org_selectors
from lamtheo.organizations.views import picker_response
from lamtheo.remediation import selectors as remediation_selectors

from . import exports, selectors, services
from .forms import (
    AdoptForm,
    CaseForm,
    FindingForm,
    MeasureForm,
    OpinionForm,
    ProgrammeForm,
    ProgrammeItemForm,
    RecommendationForm,
    StepForm,
    SupervisionForm,
)
from .models import CaseStatus, Kind, Mode, ProgrammeStatus, Step
from .policies import (
    ADD_CASE,
    ADD_MEASURE,
    ADD_PROGRAMME,
    ADD_SUPERVISION,
    VIEW_CASE,
    CasePermissions,
    OversightPermissions,
    ProgrammePermissions,
    SupervisionPermissions,
)


def _apply(form, fn, **kwargs):  # type: ignore[no-untyped-def]
    """Run a service; a refusal becomes an error beside its field (or at the top)."""
    try:
        return fn(**kwargs)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def _units_or_404(request: HttpRequest, perm: str):  # type: ignore[no-untyped-def]
    units = selectors.acting_units(actor=request.actor, perm=perm)
    if not units.exists():
        raise Http404
    return units


def _stored_file(field) -> HttpResponse:  # type: ignore[no-untyped-def]
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


# Cases ------------------------------------------------------------------------------------------------------


def case_list(request: HttpRequest) -> HttpResponse:
    """Cases in scope the person may read, filtered by status, kind and mode."""
    status, kind, mode = (request.GET.get(k, "") for k in ("status", "kind", "mode"))
    status = status if status in CaseStatus.values else ""
    kind = kind if kind in Kind.values else ""
    mode = mode if mode in Mode.values else ""
    qs = selectors.case_list(actor=request.actor, status=status, kind=kind, mode=mode)
    return render(request, "oversight/case_list.html", {
        "page": paginate(request, qs), "status": status, "kind": kind, "mode": mode,
        "statuses": CaseStatus.choices, "kinds": Kind.choices, "modes": Mode.choices,
        "can_open": bool(selectors.acting_units(actor=request.actor, perm=ADD_CASE)),
    })  # fmt: skip


def case_create(request: HttpRequest) -> HttpResponse:
    """Open a case ad hoc, or from an item of an adopted programme (`?item=`)."""
    actor = request.actor
    units = _units_or_404(request, ADD_CASE)
    item = None
    item_id = request.GET.get("item") or request.POST.get("item")
    if item_id:
        item = selectors.programme_item_for_actor(actor=actor, pk=item_id)
    initial = {}
    if item is not None:
        initial = {
            "organization": item.programme.organization_id, "kind": item.kind, "mode": item.mode,
            "subject_person": item.subject_person_id, "subject_organization": item.subject_organization_id,
            "title": item.content[:300], "year": item.programme.year,
        }  # fmt: skip
    form = CaseForm(request.POST or None, organizations=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        case = _apply(form, services.case_open, actor=actor, programme_item=item, **form.cleaned_data)
        if case is not None:
            messages.success(request, _("The case was opened. Record the decision forming the team first."))
            return redirect("oversight:case-detail", pk=case.pk)
    return render(request, "oversight/case_form.html", {"form": form, "item": item})


def _case_context(request: HttpRequest, case, step_form=None, finding_form=None) -> dict:  # type: ignore[no-untyped-def, type-arg]
    actor = request.actor
    documents = selectors.case_documents(actor=actor, case=case)
    nxt = selectors.case_next_step(actor=actor, case=case, documents=documents)
    can = CasePermissions(actor, case).allowed("record", "find", "read_access_log")
    findings = selectors.case_findings(actor=actor, case=case)
    remedies = remediation_selectors.remediation_by_refs(actor=actor, source_refs=[f.source_ref for f in findings])
    today = timezone.localdate()
    return {
        "case": case, "documents": documents, "next": nxt, "can_record": can["record"] and bool(nxt["steps"]),
        "can_find": can["find"], "findings": [(f, remedies[f.source_ref]) for f in findings], "today": today,
        "step_form": step_form or StepForm(steps=nxt["steps"]),
        "finding_form": finding_form or FindingForm(day=today),
        "access_log": selectors.case_access_log(actor=actor, case=case) if can["read_access_log"] else None,
        "next_labels": [Step(s).label for s in nxt["steps"]],
    }  # fmt: skip


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One case: its steps and documents, the next step to record, findings and the remedies they raised."""
    case = selectors.case_for_actor(actor=request.actor, pk=pk)
    return render(request, "oversight/case_detail.html", _case_context(request, case))


@require_POST
def case_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the next step of a case with its document."""
    actor = request.actor
    case = selectors.case_for_actor(actor=actor, pk=pk)
    if CasePermissions(actor, case).can_record() is None:
        raise Http404
    documents = selectors.case_documents(actor=actor, case=case)
    form = StepForm(request.POST, request.FILES, steps=selectors.case_next_step(actor=actor, case=case,
                                                                              documents=documents)["steps"])  # fmt: skip
    if form.is_valid():
        data = form.cleaned_data
        doc = _apply(
            form, services.case_record_step, actor=actor, case=case, step=data["step"], issued_on=data["issued_on"],
            number=data["number"], issuer=data["issuer"], summary=data["summary"], file=data["file"],
            leader=data.get("leader"), team=data.get("team") or (),
        )  # fmt: skip
        if doc is not None:
            messages.success(request, _("Recorded: %(step)s.") % {"step": doc.get_step_display()})
            return redirect("oversight:case-detail", pk=case.pk)
    case.refresh_from_db()  # as stored now (the refused step wrote nothing); read once, logged once
    return render(request, "oversight/case_detail.html", _case_context(request, case, step_form=form), status=400)


@require_POST
def case_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a finding of the team."""
    actor = request.actor
    case = selectors.case_for_actor(actor=actor, pk=pk)
    if CasePermissions(actor, case).can_find() is None:
        raise Http404
    form = FindingForm(request.POST, day=timezone.localdate())
    if form.is_valid() and _apply(form, services.finding_add, actor=actor, case=case, **form.cleaned_data):
        messages.success(request, _("Finding recorded."))
        return redirect("oversight:case-detail", pk=case.pk)
    return render(request, "oversight/case_detail.html", _case_context(request, case, finding_form=form), status=400)


def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who did what on the case, in words (for those who may read it; a confidential case's reading is
    logged like its page)."""
    case = selectors.case_for_actor(actor=request.actor, pk=pk)
    return render(request, "core/history.html", {
        "object": case, "entries": history_entries(case), "back_url": "oversight:case-detail",
    })  # fmt: skip


def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file of a case's document, for those who may read the case."""
    return _stored_file(selectors.case_document_for_actor(actor=request.actor, pk=pk).file)


# Programmes -------------------------------------------------------------------------------------------------


def programme_list(request: HttpRequest) -> HttpResponse:
    """The annual programmes in scope, with a form to start one where the person may."""
    units = selectors.acting_units(actor=request.actor, perm=ADD_PROGRAMME)
    form = ProgrammeForm(
        request.POST or None, organizations=units,
        initial={"year": timezone.localdate().year, "title": _("Inspection and supervision programme %(year)s")
                 % {"year": timezone.localdate().year}},
    )  # fmt: skip
    if request.method == "POST":
        if not units.exists():
            raise Http404
        if form.is_valid():
            programme = _apply(form, services.programme_create, actor=request.actor, **form.cleaned_data)
            if programme is not None:
                messages.success(request, _("Programme created: add its inspections and supervisions."))
                return redirect("oversight:programme-detail", pk=programme.pk)
    qs = selectors.programme_list(actor=request.actor)
    return render(request, "oversight/programme_list.html", {
        "page": paginate(request, qs), "form": form if units.exists() else None,
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme's items, the form to add one while it is a draft, adoption, and the cases started."""
    actor = request.actor
    programme = selectors.programme_for_actor(actor=actor, pk=pk)
    can = ProgrammePermissions(actor, programme).allowed("change", "adopt", "open_case")
    item_form, adopt_form = ProgrammeItemForm(), AdoptForm(initial={"adopted_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "item" and can["change"]:
            item_form = ProgrammeItemForm(request.POST)
            if item_form.is_valid() and _apply(
                item_form, services.programme_item_add, actor=actor, programme=programme, **item_form.cleaned_data
            ):  # fmt: skip
                messages.success(request, _("Item added."))
                return redirect("oversight:programme-detail", pk=programme.pk)
        elif action == "adopt" and can["adopt"]:
            adopt_form = AdoptForm(request.POST)
            if adopt_form.is_valid() and _apply(
                adopt_form, services.programme_adopt, actor=actor, programme=programme, **adopt_form.cleaned_data
            ):  # fmt: skip
                messages.success(request, _("The programme is adopted."))
                return redirect("oversight:programme-detail", pk=programme.pk)
        else:
            raise Http404
        status = 400
    return render(request, "oversight/programme_detail.html", {
        "programme": programme, "items": selectors.programme_items(actor=actor, programme=programme),
        "can_change": can["change"], "can_adopt": can["adopt"], "can_open_case": can["open_case"],
        "item_form": item_form, "adopt_form": adopt_form, "draft": programme.status == ProgrammeStatus.DRAFT,
    }, status=status)  # fmt: skip


# Discipline -------------------------------------------------------------------------------------------------


def measure_list(request: HttpRequest) -> HttpResponse:
    """Disciplinary measures the person may read (the inspection side)."""
    qs = selectors.measure_list(actor=request.actor)
    can_add = bool(selectors.acting_units(actor=request.actor, perm=ADD_MEASURE))
    return render(request, "oversight/measure_list.html", {"page": paginate(request, qs), "can_add": can_add})


def measure_create(request: HttpRequest) -> HttpResponse:
    """Record a disciplinary measure with its decision."""
    units = _units_or_404(request, ADD_MEASURE)
    form = MeasureForm(request.POST or None, organizations=units)
    if request.method == "POST" and form.is_valid():
        measure = _apply(form, services.measure_record, actor=request.actor, **form.cleaned_data)
        if measure is not None:
            messages.success(request, _("The measure is recorded."))
            return redirect("oversight:measure-detail", pk=measure.pk)
    return render(request, "oversight/measure_form.html", {"form": form}, status=400 if form.errors else 200)


def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One disciplinary measure (its reading is recorded)."""
    measure = selectors.measure_for_actor(actor=request.actor, pk=pk)
    return render(request, "oversight/measure_detail.html", {"measure": measure})


# Front supervision ------------------------------------------------------------------------------------------


def supervision_list(request: HttpRequest) -> HttpResponse:
    """Supervisions by the Front and mass organizations that the person may read."""
    qs = selectors.supervision_list(actor=request.actor)
    can_add = bool(selectors.acting_units(actor=request.actor, perm=ADD_SUPERVISION))
    return render(request, "oversight/supervision_list.html", {"page": paginate(request, qs), "can_add": can_add})


def supervision_create(request: HttpRequest) -> HttpResponse:
    """Open a supervision of a cadre or a unit."""
    units = _units_or_404(request, ADD_SUPERVISION)
    form = SupervisionForm(
        request.POST or None, organizations=units, people=selectors.supervisable_people(actor=request.actor),
        units=selectors.supervisable_units(actor=request.actor),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        supervision = _apply(form, services.supervision_open, actor=request.actor, **form.cleaned_data)
        if supervision is not None:
            messages.success(request, _("Supervision opened: record the opinions gathered and the recommendations."))
            return redirect("oversight:supervision-detail", pk=supervision.pk)
    return render(request, "oversight/supervision_form.html", {"form": form}, status=400 if form.errors else 200)


def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervision: opinions gathered, recommendations and the addressee's replies."""
    actor = request.actor
    supervision = selectors.supervision_for_actor(actor=actor, pk=pk)
    can_change = SupervisionPermissions(actor, supervision).can_change() is not None
    today = timezone.localdate()
    opinion_form = OpinionForm(initial={"gathered_on": today})
    rec_form = RecommendationForm(initial={"issued_on": today})
    status = 200
    if request.method == "POST":
        if not can_change:
            raise Http404
        action = request.POST.get("action")
        if action == "opinion":
            opinion_form = OpinionForm(request.POST)
            form, fn = opinion_form, services.opinion_add
        elif action == "recommendation":
            rec_form = RecommendationForm(request.POST)
            form, fn = rec_form, services.recommendation_issue
        else:
            raise Http404
        if form.is_valid() and _apply(form, fn, actor=actor, supervision=supervision, **form.cleaned_data):
            messages.success(request, _("Saved."))
            return redirect("oversight:supervision-detail", pk=supervision.pk)
        status = 400
    return render(request, "oversight/supervision_detail.html", {
        "supervision": supervision, "opinions": list(supervision.opinions.all()),
        "recommendations": remediation_selectors.remediation_by_ref(
            actor=actor, source_ref=f"oversight.supervision:{supervision.pk}"
        ),
        "can_change": can_change, "opinion_form": opinion_form, "rec_form": rec_form, "today": today,
    }, status=status)  # fmt: skip


@require_GET
def supervision_person_picker(request: HttpRequest) -> HttpResponse:
    """The people the person's Front committee may supervise, by name or code (JSON, for a picker)."""
    if not selectors.acting_units(actor=request.actor, perm=ADD_SUPERVISION).exists():
        raise Http404
    people = selectors.supervisable_people(actor=request.actor, q=request.GET.get("q", "")[:100])[:20]
    return picker_response([
        {"value": p.pk, "text": p.full_name, "hint": f"{p.party_cell.name} · {p.code}" if p.party_cell else p.code}
        for p in people
    ])  # fmt: skip


@require_GET
def supervision_unit_picker(request: HttpRequest) -> HttpResponse:
    """The units of the person's Front committee's community, by name or code (JSON, for a picker)."""
    if not selectors.acting_units(actor=request.actor, perm=ADD_SUPERVISION).exists():
        raise Http404
    units = selectors.supervisable_units(actor=request.actor, q=request.GET.get("q", "")[:100])[:20]
    return picker_response([{"value": o.pk, "text": f"{o.name} ({o.code})", "hint": ""} for o in units])


def _dashboard_data(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The root, source filter and figures of the dashboard (404 for a unit the person may not follow)."""
    actor = request.actor
    org_id = request.GET.get("org") or next((g.org_id for g in actor.grants if g.carries(VIEW_CASE)), None)
    if org_id is None:
        raise Http404
    root = org_selectors.organization_for_actor(actor=actor, pk=org_id)
    if OversightPermissions(actor, root).can_follow_up() is None:
        raise Http404
    source = request.GET.get("source", "")
    source = source if source in dict(remediation_selectors.SOURCE_CHOICES) else ""
    data = remediation_selectors.remediation_dashboard(actor=actor, root=root, today=timezone.localdate(), source=source)
    rows = sorted(  # the units with something to follow up, the most overdue first; the others are counted
        [
            (row, {k: row.total(k) for k in ("open", "overdue", "verified")},
             [(c.get("open", 0), c.get("overdue", 0))
              for c in (row.counts.get(code) or {} for code, _label in remediation_selectors.SEVERITY_COLUMNS)])
            for row in data["rows"] if row.counts
        ],
        key=lambda r: (-r[1]["overdue"], -r[1]["open"], r[0].name),
    )  # fmt: skip
    return root, source, data, rows


def dashboard(request: HttpRequest) -> HttpResponse:
    """The follow-up of what inspections, supervision and evaluations found, unit by unit under one
    organization (the person's own by default; `?org=` drills down): open, overdue and verified shortcomings
    by severity, the Fronts' on-time reply rate, and findings that repeat."""
    actor = request.actor
    root, source, data, rows = _dashboard_data(request)
    front = data["front"]
    return render(request, "oversight/dashboard.html", {
        "root": root, "totals": data["totals"], "source": source, "rows": rows,
        "quiet": sum(1 for row in data["rows"] if not row.counts),
        "sources": remediation_selectors.SOURCE_CHOICES, "severities": remediation_selectors.SEVERITY_COLUMNS,
        "front": front, "front_rate": round(100 * front["on_time"] / front["due"]) if front["due"] else None,
        "repeats": selectors.repeat_findings(actor=actor, root=root),
        "parent": root.parent
        if root.parent_id and OversightPermissions(actor, root.parent).can_follow_up() else None,
    })  # fmt: skip


def dashboard_export(request: HttpRequest) -> HttpResponse:
    """The dashboard's table as an Excel file: the same unit, filter and figures as the screen."""
    root, _source, data, rows = _dashboard_data(request)
    body = exports.dashboard_xlsx(root=root, rows=rows, totals=data["totals"],
                                  severities=remediation_selectors.SEVERITY_COLUMNS)  # fmt: skip
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return attachment(response, f"theo-doi-khac-phuc-{root.code}-{timezone.localdate():%Y%m%d}.xlsx")
