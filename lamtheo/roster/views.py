"""Screens of roster imports (upload, check, confirm, progress, report) and background exports."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lamtheo.core.errors import DomainError
from lamtheo.core.exports import attachment
from lamtheo.core.paging import paginate

from . import exports, selectors, services
from .forms import UploadForm
from .models import RosterKind
from .policies import ImportJobPermissions, ImportPermissions
from .progress import progress_get
from .templates_xlsx import template_bytes


def import_list(request: HttpRequest) -> HttpResponse:
    """Upload form, templates, and the imports of the user's organizations."""
    actor = request.actor
    allowed = [k for k in RosterKind.values if ImportPermissions(actor, k).can_import() is not None]
    form = UploadForm(request.POST or None, request.FILES or None)
    form.fields["kind"].choices = [(k, label) for k, label in RosterKind.choices if k in allowed]
    if request.method == "POST" and allowed and form.is_valid():
        try:
            job = services.import_create(
                actor=actor, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            form.add_error("file" if exc.field in (None, "file") else None, exc.message)
        else:
            return redirect("roster:import-detail", public_id=job.public_id)
    return render(request, "roster/import_list.html", {
        "form": form, "can_import": bool(allowed), "page": paginate(request, selectors.import_list(actor=actor)),
    })  # fmt: skip


def import_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One import: progress while it runs, then its report (counts and every problem)."""
    job = selectors.import_for_actor(actor=request.actor, public_id=public_id)
    can_decide = ImportJobPermissions(request.actor, job).can_decide() is not None
    context = {"job": job, "progress": progress_get(job.public_id), "can_decide": can_decide}
    if request.htmx:
        return render(request, "roster/partials/_import_status.html", context)
    return render(request, "roster/import_detail.html", context)


@require_POST
def import_confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    """Confirm a clean dry run."""
    job = selectors.import_for_actor(actor=request.actor, public_id=public_id)
    try:
        services.import_confirm(actor=request.actor, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("roster:import-detail", public_id=job.public_id)


@require_POST
def import_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    """Drop a checked file."""
    job = selectors.import_for_actor(actor=request.actor, public_id=public_id)
    try:
        services.import_cancel(actor=request.actor, job=job)
        messages.success(request, _("The import was cancelled; nothing was written."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("roster:import-detail", public_id=job.public_id)


def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    """The .xlsx template of a roster kind."""
    if kind not in RosterKind.values:
        raise Http404
    response = HttpResponse(
        template_bytes(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = _("Template of people") if kind == RosterKind.PEOPLE else _("Template of organizations")
    return attachment(response, f"{name}.xlsx")


@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    """Queue an .xlsx export of a list with the filters it was showing."""
    kind = request.POST.get("kind", "")
    try:
        job = exports.export_create(actor=request.actor, kind=kind, params=request.POST.dict())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("core:home")
    return redirect("roster:export-detail", public_id=job.public_id)


def export_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """An export's progress, then its download link."""
    job = selectors.export_for_actor(actor=request.actor, public_id=public_id)
    context = {"job": job, "progress": progress_get(job.public_id)}
    if request.htmx:
        return render(request, "roster/partials/_export_status.html", context)
    return render(request, "roster/export_detail.html", context)


def export_download(request: HttpRequest, public_id: str) -> HttpResponse:
    """The finished .xlsx file."""
    job = selectors.export_for_actor(actor=request.actor, public_id=public_id)
    if not job.file_path or not Path(job.file_path).exists():
        raise Http404
    return FileResponse(Path(job.file_path).open("rb"), as_attachment=True, filename=job.file_name)
