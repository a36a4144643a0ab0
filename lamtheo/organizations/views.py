"""Screens for the organization tree and people. Views are thin: selectors read, services write."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lamtheo.core.audit import history_entries
from lamtheo.core.errors import DomainError
from lamtheo.core.exports import csv_response
from lamtheo.core.paging import paginate

from . import selectors, services
from .forms import (
    MergeForm,
    MoveForm,
    OrganizationForm,
    OrgFilterForm,
    PersonFilterForm,
    PersonForm,
    PositionForm,
)
from .policies import OrganizationPermissions, PeoplePermissions, PersonPermissions


def _as_of(request: HttpRequest) -> dt.date | None:
    raw = request.GET.get("as_of") or ""
    day = parse_date(raw) if raw else None
    return day if day and day != timezone.localdate() else None


def _apply(form, fn, **kwargs):  # type: ignore[no-untyped-def]
    """Run a service; a DomainError becomes an error on the right field of `form` (None on success)."""
    try:
        return fn(**kwargs)
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return None


def org_tree(request: HttpRequest) -> HttpResponse:
    """The collapsible organization tree, today or as of a past date."""
    day = _as_of(request)
    roots = selectors.organization_roots(actor=request.actor, day=day)
    return render(
        request,
        "organizations/organization_tree.html",
        {
            "roots": roots,
            "as_of": day,
            "show_closed": request.GET.get("closed") == "1",
        },
    )


def org_children(request: HttpRequest, pk: int) -> HttpResponse:
    """The children of one tree node (htmx partial, loaded when a node is opened)."""
    org = selectors.organization_for_actor(actor=request.actor, pk=pk)
    day = _as_of(request)
    children = selectors.organization_children(
        actor=request.actor, organization=org, day=day, include_closed=request.GET.get("closed") == "1"
    )
    return render(
        request,
        "organizations/partials/_tree_children.html",
        {
            "children": children,
            "as_of": day,
            "show_closed": request.GET.get("closed") == "1",
        },
    )


def _org_query(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The filter form and the filtered, sorted organizations of the list screen (and its export)."""
    form = OrgFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.organization_list(
        actor=request.actor,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        include_closed=bool(filters.get("closed")),
        sort=request.GET.get("sort", "path"),
    )
    # A search the form refuses (e.g. longer than allowed) lists nothing and says why; never everyone.
    return form, qs.none() if form.is_bound and not form.is_valid() else qs


def org_list(request: HttpRequest) -> HttpResponse:
    """A searchable, sortable table of organizations in scope."""
    form, qs = _org_query(request)
    sort = request.GET.get("sort", "path")
    return render(
        request,
        "organizations/organization_list.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "sort": sort,
        },
    )


def org_export(request: HttpRequest) -> HttpResponse:
    """The organization list as CSV: same filters, same scope, streamed."""
    _form, qs = _org_query(request)
    return csv_response(
        filename=_("Organizations") + ".csv",
        header=selectors.organization_export_header(),
        rows=selectors.organization_export_rows(qs),
        scope=request.actor.scope,
    )


def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One organization: details, officers, sub-organizations, members, succession links."""
    actor = request.actor
    org = selectors.organization_for_actor(actor=actor, pk=pk)
    perms = OrganizationPermissions(actor, org)
    members = selectors.organization_members(actor=actor, organization=org)
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "org": org,
            "ancestors": selectors.organization_ancestors(actor=actor, organization=org),
            "children": selectors.organization_children(actor=actor, organization=org, include_closed=True),
            "officers": selectors.organization_officers(actor=actor, organization=org),
            "members_page": paginate(request, members),
            "counts": selectors.organization_counts(actor=actor, organization=org),
            "links": selectors.organization_successions(actor=actor, organization=org),
            "grants": selectors.organization_grants(actor=actor, organization=org),
            "can_change": perms.can_change() is not None,
            "can_add": perms.can_add_child() is not None and not org.is_closed,
            "can_move": perms.can_move() is not None and not org.is_closed and org.parent_id,
            "can_merge": perms.can_merge() is not None and not org.is_closed,
            "can_history": perms.can_view_history() is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def org_create(request: HttpRequest) -> HttpResponse:
    """Add a sub-organization."""
    initial = {"valid_from": timezone.localdate()}
    if request.GET.get("parent"):
        initial["parent"] = selectors.organization_for_actor(actor=request.actor, pk=request.GET["parent"])
    form = OrganizationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        org = _apply(form, services.organization_create, actor=request.actor, **form.cleaned_data)
        if org is not None:
            messages.success(request, _("Organization %(name)s was created.") % {"name": org.name})
            return redirect("organizations:org-detail", pk=org.pk)
    return render(
        request, "organizations/organization_form.html", {"form": form, "title": _("New organization")}
    )


@require_http_methods(["GET", "POST"])
def org_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an organization's details."""
    org = selectors.organization_for_actor(actor=request.actor, pk=pk)
    if OrganizationPermissions(request.actor, org).can_change() is None:
        raise Http404
    fields = ("code", "name", "short_name", "kind", "valid_from", "is_grassroots", "note")
    form = OrganizationForm(request.POST or None, initial={f: getattr(org, f) for f in fields}, editing=True)
    if request.method == "POST" and form.is_valid():
        if _apply(
            form, services.organization_update, actor=request.actor, organization=org, **form.cleaned_data
        ):
            messages.success(request, _("Changes saved."))
            return redirect("organizations:org-detail", pk=org.pk)
    return render(
        request,
        "organizations/organization_form.html",
        {
            "form": form,
            "org": org,
            "title": _("Edit %(name)s") % {"name": org.name},
        },
    )


@require_http_methods(["GET", "POST"])
def org_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an organization (with its whole subtree) under another parent."""
    org = selectors.organization_for_actor(actor=request.actor, pk=pk)
    if OrganizationPermissions(request.actor, org).can_move() is None:
        raise Http404
    form = MoveForm(request.POST or None, organization=org, initial={"effective": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = _apply(
            form,
            services.organization_move,
            actor=request.actor,
            organization=org,
            new_parent=form.cleaned_data["new_parent"],
            effective=form.cleaned_data["effective"],
        )
        if done is not None:
            messages.success(request, _("%(name)s was moved.") % {"name": org.name})
            return redirect("organizations:org-detail", pk=org.pk)
    return render(request, "organizations/organization_move.html", {"form": form, "org": org})


@require_http_methods(["GET", "POST"])
def org_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this organization into a successor (members and records move; this one closes)."""
    org = selectors.organization_for_actor(actor=request.actor, pk=pk)
    if OrganizationPermissions(request.actor, org).can_merge() is None:
        raise Http404
    form = MergeForm(request.POST or None, organization=org, initial={"effective": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        target = _apply(
            form,
            services.organization_merge,
            actor=request.actor,
            sources=[org],
            target=form.cleaned_data["target"],
            effective=form.cleaned_data["effective"],
            note=form.cleaned_data["note"],
        )
        if target is not None:
            messages.success(
                request, _("%(src)s was merged into %(dst)s.") % {"src": org.name, "dst": target.name}
            )
            return redirect("organizations:org-detail", pk=target.pk)
    return render(request, "organizations/organization_merge.html", {"form": form, "org": org})


def org_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit trail of one organization."""
    org = selectors.organization_for_actor(actor=request.actor, pk=pk)
    if OrganizationPermissions(request.actor, org).can_view_history() is None:
        raise Http404
    return render(
        request,
        "core/history.html",
        {
            "object": org,
            "entries": history_entries(org),
            "back_url": "organizations:org-detail",
        },
    )


def _person_filters(request: HttpRequest) -> tuple[PersonFilterForm, dict]:
    form = PersonFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    member = {"yes": True, "no": False}.get(data.get("member", ""))
    org = None
    if request.GET.get("org"):
        org = selectors.organization_for_actor(actor=request.actor, pk=request.GET["org"])
    refused = form.is_bound and not form.is_valid()  # e.g. a query longer than allowed: nothing, and why
    return form, {"q": data.get("q", ""), "party_members": member, "organization": org, "refused": refused}


def person_list(request: HttpRequest) -> HttpResponse:
    """The people directory: diacritics-insensitive search, filters, sorting, pages."""
    form, filters = _person_filters(request)
    sort = request.GET.get("sort", "name")
    refused = filters.pop("refused")
    qs = selectors.person_list(actor=request.actor, sort=sort, **filters)
    qs = qs.none() if refused else qs
    context = {
        "form": form, "page": paginate(request, qs), "sort": sort, "org": filters["organization"],
        "perms_import": PeoplePermissions(request.actor).can_add() is not None,
    }  # fmt: skip
    if request.htmx:
        return render(request, "organizations/partials/_person_table.html", context)
    return render(request, "organizations/person_list.html", context)


def person_export(request: HttpRequest) -> HttpResponse:
    """The people directory as CSV: same filters, same scope, streamed."""
    _form, filters = _person_filters(request)
    refused = filters.pop("refused")
    qs = selectors.person_list(actor=request.actor, sort=request.GET.get("sort", "name"), **filters)
    qs = qs.none() if refused else qs
    return csv_response(
        filename=_("People") + ".csv",
        header=selectors.person_export_header(),
        rows=selectors.person_export_rows(qs, text_dates=True),
        scope=request.actor.scope,
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: identity, party membership, organizations, positions."""
    actor = request.actor
    person = selectors.person_for_actor(actor=actor, pk=pk)
    perms = PersonPermissions(actor, person)
    return render(
        request,
        "organizations/person_detail.html",
        {
            "person": person,
            "positions": selectors.person_positions(actor=actor, person=person),
            "can_change": perms.can_change() is not None,
            "can_history": perms.can_view_history() is not None,
            "can_add_position": PeoplePermissions(actor).can_add_position() is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    """Add a person."""
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _apply(form, services.person_create, actor=request.actor, **form.cleaned_data)
        if person is not None:
            messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
            return redirect("organizations:person-detail", pk=person.pk)
    return render(request, "organizations/person_form.html", {"form": form, "title": _("New person")})


@require_http_methods(["GET", "POST"])
def person_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a person."""
    person = selectors.person_for_actor(actor=request.actor, pk=pk)
    if PersonPermissions(request.actor, person).can_change() is None:
        raise Http404
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _apply(form, services.person_update, actor=request.actor, person=person, **form.cleaned_data):
            messages.success(request, _("Changes saved."))
            return redirect("organizations:person-detail", pk=person.pk)
    return render(
        request,
        "organizations/person_form.html",
        {
            "form": form,
            "person": person,
            "title": _("Edit %(name)s") % {"name": person.full_name},
        },
    )


@require_http_methods(["GET", "POST"])
def position_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a position held by a person."""
    person = selectors.person_for_actor(actor=request.actor, pk=pk)
    form = PositionForm(request.POST or None, initial={"from_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if _apply(form, services.position_create, actor=request.actor, person=person, **form.cleaned_data):
            messages.success(request, _("Position recorded."))
            return redirect("organizations:person-detail", pk=person.pk)
    return render(request, "organizations/position_form.html", {"form": form, "person": person})


def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit trail of one person."""
    person = selectors.person_for_actor(actor=request.actor, pk=pk)
    if PersonPermissions(request.actor, person).can_view_history() is None:
        raise Http404
    return render(
        request,
        "core/history.html",
        {
            "object": person,
            "entries": history_entries(person),
            "back_url": "organizations:person-detail",
        },
    )


PICKER_LIMIT = 20


def picker_response(results: list[dict]) -> JsonResponse:
    """The JSON shape every picker reads (core/pickers.js); UTF-8 text as is, never cached."""
    response = JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


def _org_param(request: HttpRequest, key: str):  # type: ignore[no-untyped-def]
    raw = request.GET.get(key, "")
    return selectors.organization_for_actor(actor=request.actor, pk=raw) if raw else None


@require_GET
def person_picker(request: HttpRequest) -> HttpResponse:
    """People in scope by name (diacritics-insensitive) or code, with their cell, for a picker (JSON)."""
    people = selectors.person_pick(actor=request.actor, q=request.GET.get("q", "")[:100], limit=PICKER_LIMIT)
    results = []
    for p in people:
        # The first of their units the actor can see: a cell of another branch is never named.
        cell = next(
            (o for o in (p.party_cell, p.workplace, p.residence_cell) if o and request.actor.can_see(o.path)),
            None,
        )
        hint = f"{cell.name} · {p.code}" if cell else p.code
        results.append({"value": p.pk, "text": p.full_name, "hint": hint})
    return picker_response(results)


@require_GET
def org_picker(request: HttpRequest) -> HttpResponse:
    """Open organizations in scope by name or code, optionally of some kinds or under one, for a picker."""
    kinds = [k for k in request.GET.get("kind", "").split(",") if k]
    orgs = selectors.organization_pick(
        actor=request.actor, q=request.GET.get("q", "")[:100], kinds=kinds,
        under=_org_param(request, "under"), not_under=_org_param(request, "not_under"), limit=PICKER_LIMIT,
    )  # fmt: skip
    results = [
        {
            "value": o.pk,
            "text": f"{o.name} ({o.code})",
            "hint": o.parent.name if o.parent_id and request.actor.can_see(o.parent.path) else "",
        }
        for o in orgs
    ]
    return picker_response(results)
