"""Screens of cultivation plans: the member's own plans, a plan with its items, self-assessment, the
residence cell's comment, evaluation side by side, publication, the secretary's cockpit, documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lamtheo.core.audit import history_entries
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.exports import attachment
from lamtheo.organizations import selectors as org_selectors
from lamtheo.rulebook import selectors as rulebook_selectors

from . import rules, selectors, services
from .forms import (
    RESULT_CHOICES,
    CommentForm,
    EvaluationForm,
    ExemptionForm,
    FrontOpinionForm,
    ItemForm,
    OrganizationRatingForm,
    PaperFormForm,
    PublishForm,
    RegisterForm,
    ResidenceCommentFormView,
    ResidenceRequestForm,
)
from .home import grade_chart
from .models import CULTIVATION_EDITABLE, CultivationPlanStatus, ResidenceStatus
from .policies import CockpitPermissions, CultivationPlanPermissions, ResidenceCommentPermissions


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _apply(form, fn, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return fn(**kwargs)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def my_plans(request: HttpRequest) -> HttpResponse:
    """The member's plans by year, with a form to register this year's."""
    actor = request.actor
    plans = list(selectors.my_plans(actor=actor))
    this_year = timezone.localdate().year
    form = RegisterForm(request.POST or None, initial={"year": this_year})
    if request.method == "POST":
        if actor.person_id is None:
            raise Http404
        person = org_selectors.person_for_actor(actor=actor, pk=actor.person_id)
        if form.is_valid():
            plan = _apply(
                form, services.cultivation_plan_register, actor=actor, person=person, **form.cleaned_data
            )
            if plan is not None:
                messages.success(request, _("Your plan for %(year)s is started: review the items and submit it.")
                                 % {"year": plan.year})  # fmt: skip
                return redirect("commitments:plan-detail", pk=plan.pk)
    following = CockpitPermissions.followed_units(actor)
    return render(request, "commitments/my_plans.html", {
        "plans": plans, "form": form, "has_person": actor.person_id is not None,
        "has_this_year": any(p.year == this_year for p in plans), "following": following,
        "reminders": selectors.my_reminders(actor=actor),
    })  # fmt: skip


def _plan_context(request: HttpRequest, plan) -> dict:  # type: ignore[no-untyped-def, type-arg]
    lock = selectors.locked(plan=plan)
    perms = CultivationPlanPermissions(request.actor, plan, locked=lock is not None)
    flags = perms.allowed(
        "edit", "assess", "review", "request_residence", "evaluate", "publish", "view_history",
        "attach_paper_form",
    )  # fmt: skip
    return {
        "plan": plan, "sections": selectors.cultivation_plan_sections(plan=plan), "lock": lock,
        "residence": selectors.residence_comment_of(plan=plan), "evaluation": selectors.evaluation_of(plan=plan),
        **{f"can_{verb}": allowed for verb, allowed in flags.items()}, "can_history": flags["view_history"],
        # The residence cell comments on a year's conduct, and only an approved plan is published.
        "can_request_residence": flags["request_residence"] and plan.status == CultivationPlanStatus.APPROVED,
        "can_publish": flags["publish"] and plan.status == CultivationPlanStatus.APPROVED,
        "review_form": CommentForm(), "is_owner": perms.is_owner, "paper_form": PaperFormForm(),
    }  # fmt: skip


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan by sections, with its status, review, residence comment, grade and publication; the officer
    entering it from the paper form posts the scanned form here."""
    need = "attach_paper_form" if request.method == "POST" else "view"
    plan = selectors.cultivation_plan_for_actor(actor=request.actor, pk=pk, need=need)
    if request.method == "POST":
        form = PaperFormForm(request.POST, request.FILES)
        if form.is_valid() and _apply(
            form, services.cultivation_plan_paper_form_attach, actor=request.actor, plan=plan,
            file=form.cleaned_data["paper_form"],
        ):  # fmt: skip
            messages.success(request, _("Scanned form attached."))
            return redirect("commitments:plan-detail", pk=plan.pk)
        context = _plan_context(request, plan)
        context["paper_form"] = form
        return render(request, "commitments/plan_detail.html", context, status=400)
    return render(request, "commitments/plan_detail.html", _plan_context(request, plan))


def plan_paper_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the scanned paper form the plan was entered from (for those who may read the plan)."""
    return _stored_file(selectors.cultivation_plan_for_actor(actor=request.actor, pk=pk).paper_form)


def _stored_file(field) -> HttpResponse:  # type: ignore[no-untyped-def]
    """A stored upload as a download, or 404 when there is none (or it is gone from the disk)."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Before/after of every change to the plan."""
    plan = selectors.cultivation_plan_for_actor(actor=request.actor, pk=pk, need="view_history")
    return render(request, "core/history.html", {
        "object": plan, "entries": history_entries(plan), "back_url": "commitments:plan-detail",
    })  # fmt: skip


def _item_form(request, plan, item=None):  # type: ignore[no-untyped-def]
    sections = selectors.cultivation_plan_sections(plan=plan)
    initial = None
    if item is not None:
        initial = {
            f: getattr(item, f) for f in ("section", "content", "measures", "timeline", "target", "standards")
        }
    else:
        initial = {"section": request.GET.get("section", "")}
    return ItemForm(request.POST or None, plan=plan, sections=sections, initial=initial)


def _not_editable(request: HttpRequest, plan) -> HttpResponse:  # type: ignore[no-untyped-def]
    """The member opened a change to a plan that can no longer change: say why and what to do, on the plan."""
    if plan.status == CultivationPlanStatus.SUBMITTED:
        messages.warning(request, _(
            "Your plan has been sent to the cell and waits for approval, so it cannot be changed now. If it must "
            "change, ask the cell's secretary to return it for changes."
        ))  # fmt: skip
    else:
        messages.warning(request, _(
            "Your plan has been approved and can no longer be changed. Record what you did in the self-assessment; "
            "if a commitment itself must change, ask the cell's secretary."
        ))  # fmt: skip
    return redirect("commitments:plan-detail", pk=plan.pk)


def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a commitment to one's own draft or returned plan."""
    plan = selectors.cultivation_plan_for_actor(actor=request.actor, pk=pk, need="write")
    if plan.status not in CULTIVATION_EDITABLE:
        return _not_editable(request, plan)
    form = _item_form(request, plan)
    if request.method == "POST" and form.is_valid():
        if _apply(form, services.commitment_item_add, actor=request.actor, plan=plan, **form.cleaned_data):
            messages.success(request, _("Commitment added."))
            return redirect("commitments:plan-detail", pk=plan.pk)
    return render(request, "commitments/item_form.html", {"plan": plan, "form": form, "item": None})


def item_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a commitment of one's own draft or returned plan."""
    item = selectors.commitment_item_for_actor(actor=request.actor, pk=pk, need="write")
    plan = item.plan
    if plan.status not in CULTIVATION_EDITABLE:
        return _not_editable(request, plan)
    form = _item_form(request, plan, item)
    if request.method == "POST" and form.is_valid():
        if _apply(form, services.commitment_item_update, actor=request.actor, item=item, **form.cleaned_data):
            messages.success(request, _("Saved."))
            return redirect("commitments:plan-detail", pk=plan.pk)
    return render(request, "commitments/item_form.html", {"plan": plan, "form": form, "item": item})


@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a commitment from one's own draft or returned plan."""
    item = selectors.commitment_item_for_actor(actor=request.actor, pk=pk, need="write")
    plan = item.plan
    try:
        services.commitment_item_delete(actor=request.actor, item=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Commitment removed."))
    return redirect("commitments:plan-detail", pk=plan.pk)


def item_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Download an item's evidence file (only for those who may read the plan)."""
    return _stored_file(selectors.commitment_item_for_actor(actor=request.actor, pk=pk).evidence_file)


TRANSITIONS = {
    "submit": lambda actor, plan, comment: services.cultivation_plan_submit(actor=actor, plan=plan),
    "approve": lambda actor, plan, comment: services.cultivation_plan_approve(
        actor=actor, plan=plan, comment=comment
    ),
    "return": lambda actor, plan, comment: services.cultivation_plan_return(
        actor=actor, plan=plan, comment=comment
    ),
    "unpublish": lambda actor, plan, comment: services.cultivation_plan_unpublish(actor=actor, plan=plan),
}
DONE = {
    "submit": gettext_lazy("Submitted to the secretary of your party cell."),
    "approve": gettext_lazy("Plan approved."),
    "return": gettext_lazy("Plan returned with your comment."),
    "unpublish": gettext_lazy("Withdrawn from publication."),
}


@require_POST
def plan_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, approve, return or withdraw from publication."""
    plan = selectors.cultivation_plan_for_actor(actor=request.actor, pk=pk)
    if action not in TRANSITIONS:
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():  # e.g. a comment over the length limit: keep what was typed, say why
        context = _plan_context(request, plan)
        context["review_form"] = form
        return render(request, "commitments/plan_detail.html", context, status=400)
    try:
        TRANSITIONS[action](request.actor, plan, form.cleaned_data["comment"])
    except DomainError as exc:
        context = _plan_context(request, selectors.cultivation_plan_for_actor(actor=request.actor, pk=pk))
        context.update(review_form=form, transition_error=exc.message)
        return render(request, "commitments/plan_detail.html", context, status=400)
    messages.success(request, str(DONE[action]))
    return redirect("commitments:plan-detail", pk=plan.pk)


def plan_assess(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """The member's mid-year or year-end self-assessment, item by item."""
    if stage not in ("midyear", "yearend"):
        raise Http404
    plan = selectors.cultivation_plan_for_actor(actor=request.actor, pk=pk, need="write")
    scheme = selectors.scheme_of(plan=plan)
    sections = selectors.cultivation_plan_sections(plan=plan)
    error, field = "", ""
    data = request.POST
    if request.method == "POST":
        results = {
            item.pk: services.ItemResult(
                result=data.get(f"result-{item.pk}", ""), evidence=data.get(f"evidence-{item.pk}", "")[:5000],
                link=data.get(f"link-{item.pk}", "")[:300], file=request.FILES.get(f"file-{item.pk}"),
            )
            for section in sections for item in section.items
        }  # fmt: skip
        summary = data.get("summary", "")[:10000]
        try:
            late_reason = data.get("late_reason", "")[:500]
            if stage == "midyear":
                services.midyear_assessment_save(
                    actor=request.actor, plan=plan, results=results, summary=summary, late_reason=late_reason
                )
            else:
                services.yearend_assessment_save(
                    actor=request.actor, plan=plan, results=results, summary=summary,
                    self_grade=data.get("self_grade", ""), self_score=data.get("self_score", ""),
                    late_reason=late_reason,
                )  # fmt: skip
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, _("Self-assessment saved."))
            plan.refresh_from_db()
            if stage == "yearend" and (warning := selectors.self_grade_warning(plan=plan)):
                messages.warning(request, warning)
            return redirect("commitments:plan-detail", pk=plan.pk)
    rows = []
    for section in sections:
        for item in section.items:
            result, evidence = (
                (item.midyear_result, item.midyear_evidence) if stage == "midyear"
                else (item.yearend_result, item.yearend_evidence)
            )  # fmt: skip
            rows.append({
                "section": section.title, "item": item,
                "result": data.get(f"result-{item.pk}", result), "evidence": data.get(f"evidence-{item.pk}", evidence),
                "link": data.get(f"link-{item.pk}", item.evidence_link),
            })  # fmt: skip
    return render(request, "commitments/plan_assess.html", {
        "plan": plan, "stage": stage, "rows": rows, "results": RESULT_CHOICES, "grades": rulebook_selectors.grade_choices(),
        "scheme": scheme, "error": error, "error_field": field,
        "summary": data.get("summary", plan.midyear_summary if stage == "midyear" else plan.yearend_summary),
        "self_grade": data.get("self_grade", plan.self_grade),
        "self_score": data.get("self_score", plan.self_score if plan.self_score is not None else ""),
        "window": selectors.stage_window(year=plan.year, stage=stage), "late_reason": data.get("late_reason", ""),
    }, status=400 if error else 200)  # fmt: skip


def plan_residence_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The workplace cell requests the residence cell's comment, or marks the member exempt."""
    plan = selectors.cultivation_plan_for_actor(actor=request.actor, pk=pk, need="request_residence")
    residence = plan.person.residence_cell
    form = ResidenceRequestForm(
        request.POST or None,
        initial={
            "residence": residence.pk if residence else None,
            "residence_code": residence.code if residence else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        cell = None
        if cd["residence_code"] and not cd["exempt_reason"]:
            cell = org_selectors.open_party_cell_by_code(code=cd["residence_code"].strip())
            if cell is None:
                form.add_error("residence_code", _("No open party cell has this code."))
        if form.is_valid() and _apply(
            form, services.residence_comment_request, actor=request.actor, plan=plan, residence=cell,
            due_date=cd["due_date"], exempt_reason=cd["exempt_reason"],
        ):  # fmt: skip
            messages.success(request, _("Saved."))
            return redirect("commitments:plan-detail", pk=plan.pk)
    return render(request, "commitments/residence_request.html", {"plan": plan, "form": form})


def residence_inbox(request: HttpRequest) -> HttpResponse:
    """Comments the actor's residence cells are asked for: awaited, overdue, returned."""
    status = request.GET.get("status", "")
    comments = selectors.residence_inbox(actor=request.actor, status=status)
    return render(request, "commitments/residence_inbox.html", {
        "comments": comments, "today": timezone.localdate(), "status": status, "statuses": ResidenceStatus.choices,
    })  # fmt: skip


def residence_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """The residence cell's secretary fills in the comment on a working member; the Front's officer where the
    member lives writes the Front's part."""
    front_post = request.method == "POST" and request.POST.get("part") == "front"
    need = ("front" if front_post else "return") if request.method == "POST" else "view"
    comment = selectors.residence_comment_for_actor(actor=request.actor, pk=pk, need=need)
    items = comment.form.items if comment.form else []
    perms = ResidenceCommentPermissions(request.actor, comment)
    can_fill, can_front = perms.can_return() is not None, perms.can_front() is not None
    initial = {f"rating-{k}": v for k, v in comment.ratings.items()}
    form = ResidenceCommentFormView(
        request.POST if request.method == "POST" and not front_post else None, items=items, initial=initial
    )
    front_form = FrontOpinionForm(
        request.POST if front_post else None,
        initial={"front_opinion": comment.front_opinion, "front_head": comment.front_head},
    )
    if front_post:
        if front_form.is_valid() and _apply(
            front_form, services.residence_front_opinion, actor=request.actor, comment=comment,
            opinion=front_form.cleaned_data["front_opinion"], signed_by=front_form.cleaned_data["front_head"],
        ):  # fmt: skip
            messages.success(request, _("The Front's opinion is saved with the comment."))
            return redirect("commitments:residence-inbox")
    elif request.method == "POST":
        if form.is_valid():
            cd = form.cleaned_data
            ratings = {i["code"]: cd.get(f"rating-{i['code']}", "") for i in items}
            if _apply(form, services.residence_comment_return, actor=request.actor, comment=comment, ratings=ratings,
                      text=cd["comment"], signed_by=cd["signed_by"]):  # fmt: skip
                messages.success(request, _("Comment returned to the member's party cell."))
                return redirect("commitments:residence-inbox")
    levels = {i["code"]: {lvl["code"]: lvl["title"] for lvl in i["levels"]} for i in items}
    given = [(i["title"], levels[i["code"]].get(comment.ratings.get(i["code"], ""), "—")) for i in items]
    return render(request, "commitments/residence_comment.html", {
        "comment": comment, "form": form, "can_fill": can_fill, "given": given, "today": timezone.localdate(),
        "front_form": front_form, "can_front": can_front,
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


def plan_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """Side by side: the self-assessment, the residence comment, evidence from every module; the cell
    proposes the grade, the committee above decides it, with the quota shown before saving."""
    actor = request.actor
    plan = selectors.cultivation_plan_for_actor(actor=actor, pk=pk, need="grade")
    scheme = selectors.scheme_of(plan=plan)
    if scheme is None:
        messages.error(
            request, _("No evaluation scheme covers %(year)s: ask an administrator.") % {"year": plan.year}
        )
        return redirect("commitments:plan-detail", pk=plan.pk)
    evaluation = selectors.evaluation_of(plan=plan)
    grassroots = (
        evaluation.grassroots
        if evaluation
        else selectors.grading_grassroots(plan=plan)
    )
    authority = selectors.grading_authority(
        plan=plan, evaluation=evaluation, scheme=scheme, grassroots=grassroots
    )
    flags = CultivationPlanPermissions(actor, plan, grading=authority).allowed(
        "propose_grade", "decide_grade"
    )
    can_propose, can_decide = flags["propose_grade"], flags["decide_grade"]
    initial = {"version": evaluation.version if evaluation else 0}
    if evaluation:
        initial.update(grade=evaluation.grade, score=evaluation.score, disqualifiers=evaluation.disqualifiers,
                       comment=evaluation.comment)  # fmt: skip
    windows = {stage: selectors.stage_window(year=plan.year, stage=stage) for stage in ("propose", "decide")}
    form = EvaluationForm(
        request.POST or None, scheme=scheme, initial=initial,
        late=(can_propose and windows["propose"].late) or (can_decide and windows["decide"].late),
    )  # fmt: skip
    status = 200
    if request.method == "POST" and form.is_valid():
        decide = request.POST.get("stage") == "decide"
        cd = form.cleaned_data
        save = services.evaluation_decide if decide else services.evaluation_propose
        try:
            save(
                actor=actor, plan=plan, grade=cd["grade"], score=cd.get("score"),
                disqualifiers=cd["disqualifiers"], comment=cd["comment"],
                shortcomings=[services.Shortcoming(text, due) for text, due in cd["shortcomings"]],
                version=cd["version"], late_reason=cd.get("late_reason", ""),
            )  # fmt: skip
        except services.Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = 400
        else:
            messages.success(request, _("Grade decided.") if decide else _("Grade proposed."))
            return redirect("commitments:plan-evaluate", pk=plan.pk)
    residence = selectors.residence_comment_of(plan=plan)
    residence_rows = []
    if residence and residence.form:
        for i in residence.form.items:
            levels = {lvl["code"]: lvl["title"] for lvl in i["levels"]}
            residence_rows.append((i["title"], levels.get(residence.ratings.get(i["code"], ""), "—")))
    return render(request, "commitments/plan_evaluate.html", {
        "self_grade_warning": selectors.self_grade_warning(plan=plan),
        "plan": plan, "form": form, "scheme": scheme, "evaluation": evaluation,
        "sections": selectors.cultivation_plan_sections(plan=plan), "residence": residence, "residence_rows": residence_rows,
        "evidence": selectors.evidence_of(actor=actor, plan=plan), "grassroots": grassroots,
        "quota": selectors.quota_status(grassroots=grassroots, year=plan.year, scheme=scheme),
        "can_propose": can_propose, "can_decide": can_decide and bool(evaluation and evaluation.proposed_grade),
        "lock": selectors.locked(plan=plan), "grade_label": rules.grade_label,
        "shortcomings": selectors.shortcomings_of(actor=actor, evaluation=evaluation),
        "today": timezone.localdate(), "windows": windows,
    }, status=status)  # fmt: skip


def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a head's approved plan on the notice board, the portal or in the residential area."""
    plan = selectors.cultivation_plan_for_actor(actor=request.actor, pk=pk, need="publish")
    initial = {
        "on_notice_board": plan.on_notice_board, "on_portal": plan.on_portal, "on_residence": plan.on_residence,
        "published_on": plan.published_on or timezone.localdate(), "result_published": plan.result_published,
    }  # fmt: skip
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _apply(
            form, services.cultivation_plan_publish, actor=request.actor, plan=plan, **form.cleaned_data
        ):
            messages.success(request, _("Published."))
            return redirect("commitments:plan-detail", pk=plan.pk)
    return render(request, "commitments/plan_publish.html", {"plan": plan, "form": form})


def _document(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    plan = selectors.cultivation_plan_for_actor(actor=request.actor, pk=pk)
    doc = selectors.cultivation_plan_document(
        actor=request.actor, plan=plan, with_assessment="assessment" in request.GET
    )
    name = (
        _("Self-assessment %(year)s %(name)s")
        if doc.with_assessment
        else _("Cultivation plan %(year)s %(name)s")
    )
    return doc, name % {"year": plan.year, "name": doc.person_name}


def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan (with ?assessment: and its self-assessment) as a Word document in the Party layout."""
    from . import documents  # WeasyPrint and python-docx load only when a document is asked for

    doc, name = _document(request, pk)
    response = HttpResponse(
        documents.plan_docx(doc),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    return attachment(response, f"{name}.docx")


def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same document as PDF."""
    from . import documents

    doc, name = _document(request, pk)
    try:
        data = documents.plan_pdf(doc)
    except OSError:  # WeasyPrint loads pango at first use: a server without it still serves the .docx
        messages.error(
            request, _("PDF is not available on this server (system libraries missing): use the Word file.")
        )
        return redirect("commitments:plan-detail", pk=pk)
    response = HttpResponse(data, content_type="application/pdf")
    attachment(response, f"{name}.pdf")
    return response


# --- cockpit ------------------------------------------------------------------------------------------


def cockpit_home(request: HttpRequest) -> HttpResponse:
    """Open the cockpit of the first organization the actor follows plans for."""
    units = CockpitPermissions.followed_units(request.actor)
    if not units:
        return render(request, "commitments/cockpit_none.html")
    return cockpit(request, units[0].org_id)


def _followed(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return selectors.followed_organization_for_actor(actor=request.actor, pk=pk)


def _cockpit_page(request: HttpRequest, data: selectors.Cockpit) -> Page:
    """The requested page of the cockpit's members, 100 a page (as `core.paging.paginate` gives it).
    Unfiltered, they are the members the headline figure has counted: the paginator takes that count instead
    of running the same COUNT again."""
    paginator = Paginator(data.people, 100)
    if data.people_count is not None:
        paginator.count = data.people_count  # a cached property: set, it is not computed
    return paginator.get_page(request.GET.get("page"))


def cockpit(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's cockpit: who has not registered, who is late, grades and the quota."""
    org = _followed(request, pk)
    year = _year(request)
    status = request.GET.get("status", "")
    data = selectors.cockpit(actor=request.actor, organization=org, year=year, status=status)
    children = org_selectors.organization_children(actor=request.actor, organization=org)
    # The units below first (drill down to a cell's members), only those that hold party members.
    units = [u for u in selectors.unit_summary(actor=request.actor, organization=org, units=children, year=year)
             if u.members] if children else []  # fmt: skip
    page = _cockpit_page(request, data)
    return render(request, "commitments/cockpit.html", {
        "c": data, "org": org, "page": page,
        "rows": selectors.cockpit_rows(actor=request.actor, people=page.object_list, year=year, locked=data.lock is not None), "year": year, "years": range(year - 3, year + 2), "status": status,
        "children": children, "units": units, "today": timezone.localdate(),
        "ratings": selectors.organization_ratings(
            actor=request.actor, organization=org, year=year, locked=data.lock is not None
        ),
        "grade_chart": grade_chart(
            year=year, by_grade={code: n for code, _label, n in data.grades},
            quota=data.quotas[0][1] if len(data.quotas) == 1 else None,
        ),
        "can_lock": data.lock is None and CockpitPermissions(request.actor, org).can_lock() is not None,
        "can_unlock": data.lock is not None
        and CockpitPermissions(request.actor, data.lock.organization).can_unlock() is not None,
        "statuses": [
            ("none", _("Not registered")), ("draft", _("Draft")), ("returned", _("Returned for changes")),
            ("submitted", _("Submitted")), ("approved", _("Approved")), ("yearend", _("Self-assessed")),
            ("late", _("Late")),
        ],
    })  # fmt: skip


@require_POST
def cockpit_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """From a cockpit row: open the plan of a member without an account to enter it from the paper form,
    registering the year's plan first when there is none."""
    org = _followed(request, pk)
    year = _year(request)
    raw = request.POST.get("enter", "")
    people = (
        org_selectors.people_by_ids(actor=request.actor, ids=[int(raw)], under=org) if raw.isdigit() else []
    )
    if not people:
        messages.error(request, _("Choose a member of this organization."))
        return redirect(f"{reverse('commitments:cockpit', args=[org.pk])}?year={year}")
    person = people[0]
    plan = selectors.cultivation_plan_of(actor=request.actor, person=person, year=year)
    if plan is None:
        try:
            plan = services.cultivation_plan_register(actor=request.actor, person=person, year=year)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(f"{reverse('commitments:cockpit', args=[org.pk])}?year={year}")
    return redirect("commitments:plan-detail", pk=plan.pk)


def cockpit_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The cockpit's members as .xlsx: cell, member, plan status, late, residence comment, grade."""
    import io

    from lamtheo.core.xlsx import write_xlsx

    org = _followed(request, pk)
    year = _year(request)
    data = selectors.cockpit(
        actor=request.actor, organization=org, year=year, status=request.GET.get("status", "")
    )
    grades = {code: label for code, label, _n in data.grades}
    residence = dict(ResidenceStatus.choices) | {"overdue": _("Overdue")}
    header = [_("Person code"), _("Party member"), _("Party cell"), _("Plan"), _("Late"), _("Residence comment"),
              _("Grade")]  # fmt: skip

    def chunks():  # type: ignore[no-untyped-def]
        batch: list = []  # type: ignore[type-arg]
        for person in data.people.iterator(chunk_size=2000):  # plans, comments and grades by 2,000 members
            batch.append(person)
            if len(batch) == 2000:
                yield from selectors.cockpit_rows(actor=request.actor, people=batch, year=year)
                batch = []
        if batch:
            yield from selectors.cockpit_rows(actor=request.actor, people=batch, year=year)

    rows = (
        (r.person.code, r.person.full_name, r.person.party_cell.name,
         r.plan.get_status_display() if r.plan else _("Not registered"), _("yes") if r.late else "",
         str(residence.get(r.residence, "")), str(grades.get(r.grade, "")))
        for r in chunks()
    )  # fmt: skip
    buffer = io.BytesIO()
    write_xlsx(buffer, header=header, rows=rows, sheet_name=str(year))
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return attachment(
        response, _("Cultivation plans %(year)s %(org)s") % {"year": year, "org": org.name} + ".xlsx"
    )


def _selected_people(request: HttpRequest, org):  # type: ignore[no-untyped-def]
    ids = [int(x) for x in request.POST.getlist("person") if x.isdigit()]
    return org_selectors.people_by_ids(actor=request.actor, ids=ids, under=org)


@require_POST
def cockpit_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind the chosen members of what they still owe this year."""
    org = _followed(request, pk)
    year = _year(request)
    people = _selected_people(request, org)
    if not people:
        messages.error(request, _("Choose the members to remind."))
    else:
        try:
            n = services.cultivation_reminders_send(
                actor=request.actor, organization=org, year=year, people=people
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)s reminders sent.") % {"n": n})
    return redirect(f"/commitments/cockpit/{org.pk}/?year={year}")


@require_POST
def cockpit_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the chosen submitted plans at once."""
    org = _followed(request, pk)
    year = _year(request)
    ids = [int(x) for x in request.POST.getlist("plan") if x.isdigit()]
    plans = selectors.cultivation_plans_in(actor=request.actor, organization=org, ids=ids)
    if not plans:
        messages.error(request, _("Choose the submitted plans to approve."))
    else:
        n, skipped = services.cultivation_plans_bulk_approve(actor=request.actor, plans=plans)
        messages.success(request, _("%(n)s plans approved.") % {"n": n})
        for line in skipped:
            messages.warning(request, line)
    return redirect(f"/commitments/cockpit/{org.pk}/?year={year}")


def cockpit_excuse(request: HttpRequest, pk: int) -> HttpResponse:
    """Members not rated in the year: one of the organization's members still without a grade (`?person=`
    from the cockpit row), the reason from the evaluation rules' list and details, recorded (or withdrawn) by
    the member's cell; the committee locks the year once every member is rated or excused."""
    org = _followed(request, pk)
    year = _year(request)
    back = f"{reverse('commitments:cockpit', args=[org.pk])}?year={year}"
    raw = request.POST.get("person") or request.GET.get("person", "")
    people = org_selectors.people_by_ids(actor=request.actor, ids=[int(raw)], under=org) if raw.isdigit() else []
    person = people[0] if people and people[0].is_party_member else None
    scheme, exemption = (
        selectors.grading_exemption_form(actor=request.actor, person=person, year=year) if person else
        (rulebook_selectors.evaluation_scheme_for_year(year), None)
    )  # fmt: skip
    candidates = selectors.excusable_members(actor=request.actor, organization=org, year=year)
    form = ExemptionForm(
        request.POST or None, reasons=scheme.exemptions if scheme else [], people=candidates,
        initial={"person": person.pk if person else None},
    )  # fmt: skip
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("withdraw") and exemption is not None:
                services.grading_exemption_withdraw(actor=request.actor, exemption=exemption)
                messages.success(request, _("The exemption is withdrawn: the member is rated this year."))
                return redirect(back)
            if form.is_valid():
                chosen = next(p for p in candidates if p.pk == int(form.cleaned_data["person"]))
                services.grading_exemption_record(
                    actor=request.actor, person=chosen, year=year, reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )  # fmt: skip
                messages.success(request, _("Recorded: %(name)s is not rated in %(year)s.")
                                 % {"name": chosen.full_name, "year": year})  # fmt: skip
                return redirect(back)
        except PermissionDenied:
            raise Http404 from None  # a screen for an action answers 404 to whoever may not take it
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        status = 400
    return render(request, "commitments/cockpit_excuse.html", {
        "org": org, "person": person, "year": year, "form": form, "exemption": exemption, "scheme": scheme,
        "back": back,
    }, status=status)  # fmt: skip


def organization_rating(request: HttpRequest, pk: int) -> HttpResponse:
    """The year's quality rating of a party organization: its committee proposes, the committee above decides;
    beside the form, its members' grades (a criterion) and the deciding committee's quota."""
    actor = request.actor
    org = org_selectors.organization_for_actor(actor=actor, pk=pk)
    year = _year(request)
    row = selectors.organization_rating_screen(actor=actor, organization=org, year=year)
    scheme = row.rating.scheme if row.rating else rulebook_selectors.evaluation_scheme_for_year(year)
    windows = {stage: selectors.stage_window(year=year, stage=stage) for stage in ("propose", "decide")}
    late = (row.can_propose and windows["propose"].late) or (row.can_decide and windows["decide"].late)
    initial = {"grade": row.rating.grade, "comment": row.rating.comment} if row.rating else {}
    form = OrganizationRatingForm(request.POST or None, late=late, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        decide = request.POST.get("stage") == "decide"
        cd = form.cleaned_data
        try:
            if decide and row.rating is not None:
                services.organization_rating_decide(
                    actor=actor, rating=row.rating, grade=cd["grade"], comment=cd["comment"],
                    late_reason=cd.get("late_reason", ""),
                )  # fmt: skip
            else:
                services.organization_rating_propose(
                    actor=actor, organization=org, year=year, grade=cd["grade"], comment=cd["comment"],
                    late_reason=cd.get("late_reason", ""),
                )  # fmt: skip
        except PermissionDenied:
            raise Http404 from None
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = 400
        else:
            messages.success(request, _("Rating decided.") if decide else _("Rating proposed."))
            return redirect(f"{reverse('commitments:organization-rating', args=[org.pk])}?year={year}")
    elif request.method == "POST":
        status = 400
    by_grade = selectors.members_by_grade(actor=actor, organization=org, year=year)
    return render(request, "commitments/organization_rating.html", {
        "org": org, "year": year, "row": row, "form": form, "scheme": scheme,
        "members": [(code, rules.grade_label(code), by_grade.get(code, 0)) for code, _label in rulebook_selectors.grade_choices()],
        "quota": selectors.rating_quota(decider=row.decider, year=year, scheme=scheme),
        "grade_label": rules.grade_label,
    }, status=status)  # fmt: skip


@require_POST
def cockpit_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock the year for the organization's subtree."""
    org = _followed(request, pk)
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    try:
        services.year_lock(actor=request.actor, organization=org, year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(year)s is locked.") % {"year": year})
    return redirect(f"/commitments/cockpit/{org.pk}/?year={year}")


@require_POST
def cockpit_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift the lock of the year shown (from the level above the organization that locked it)."""
    org = _followed(request, pk)
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    lock = selectors.lock_over(organization=org, year=year)
    if lock is None:
        messages.error(request, _("%(year)s is not locked.") % {"year": year})
        return redirect(f"/commitments/cockpit/{org.pk}/?year={year}")
    try:
        services.year_unlock(actor=request.actor, lock=lock)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(year)s is open again.") % {"year": year})
    return redirect(f"/commitments/cockpit/{org.pk}/?year={year}")


def notice_board(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit notice board: heads' commitments published for the members and the Front to supervise."""
    org = org_selectors.organization_for_actor(actor=request.actor, pk=pk)
    year = _year(request)
    plans = selectors.notice_board(actor=request.actor, organization=org, year=year)
    return render(request, "commitments/notice_board.html", {"org": org, "year": year, "plans": plans})
