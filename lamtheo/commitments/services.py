"""Writes on cultivation plans. One service = one transaction, policy-checked, audited; nothing is written
when a rule refuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError, NotFound, PermissionDenied
from lamtheo.core.scoping import activate
from lamtheo.core.text import clean
from lamtheo.organizations import selectors as org_selectors
from lamtheo.organizations.models import Organization, Person
from lamtheo.planning import selectors as planning_selectors
from lamtheo.remediation import policies as remediation_policies
from lamtheo.remediation import selectors as remediation_selectors
from lamtheo.remediation import services as remediation_services
from lamtheo.remediation.models import Source as RemediationSource
from lamtheo.remediation.models import Status as RemediationStatus
from lamtheo.rulebook import selectors as rulebook_selectors
from lamtheo.rulebook.models import EvaluationScheme

from . import policies, rules, selectors
from .models import (
    EDITABLE,
    CommitmentItem,
    CommitmentPlan,
    CommitmentReminder,
    Evaluation,
    ItemSource,
    PlanStatus,
    ResidenceComment,
    ResidenceStatus,
    Result,
    YearLock,
)

EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".doc", ".xls")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class Conflict(DomainError):
    """Someone else saved the record since it was opened: nothing was written."""


def _today() -> dt.date:
    return timezone.localdate()


def _require(grant, message: str):  # type: ignore[no-untyped-def]
    if not grant:
        raise PermissionDenied(message)
    return grant if grant is not True else None


def _fresh(plan: CommitmentPlan, *, check_lock: bool = True) -> CommitmentPlan:
    """Re-read (and lock) the plan inside the transaction: transitions decide on current state, and a year
    lock that landed since the first check is seen here."""
    fresh = (
        CommitmentPlan.objects.unscoped(reason="re-read of a plan the actor already holds")
        .select_for_update(of=("self",))
        .select_related("cell", "person", "template")
        .get(pk=plan.pk)
    )
    if check_lock:
        _check_unlocked(fresh)
    return fresh


def _reread(plan: CommitmentPlan) -> CommitmentPlan:
    """The plan as stored now (a caller may hold a stale copy): rules decide on current state."""
    return (
        CommitmentPlan.objects.unscoped(reason="re-read of a plan the actor already holds")
        .select_related("cell", "person", "template")
        .get(pk=plan.pk)
    )


def locked_by(*, cell: Organization, year: int) -> YearLock | None:
    """The lock of `year` on the cell or any committee above it, if any."""
    return selectors.lock_over(organization=cell, year=year)


def _check_unlocked(plan_or_cell, year: int | None = None) -> None:  # type: ignore[no-untyped-def]
    cell = plan_or_cell.cell if isinstance(plan_or_cell, CommitmentPlan) else plan_or_cell
    year = year if year is not None else plan_or_cell.year
    lock = locked_by(cell=cell, year=year)
    if lock is not None:
        raise DomainError(
            _("%(year)s is locked by %(org)s: nothing can change any more.")
            % {"year": year, "org": lock.organization.name}
        )


def _as_of(year: int) -> dt.date:
    return min(_today(), dt.date(year, 12, 31)) if year <= _today().year else dt.date(year, 1, 1)


def _sections(plan: CommitmentPlan) -> dict[str, dict]:
    return {s["code"]: s for s in plan.template.sections}


# --- registering a plan -------------------------------------------------------------------------------


def plan_register(
    *,
    actor: Actor,
    person: Person,
    year: int,
    copy_unfinished: bool = True,
    copy_remediation: bool = True,
) -> CommitmentPlan:
    """Start a member's plan for `year` from the template of the year and their role; optionally carry
    last year's unfinished items and their open shortcomings. The member registers their own (a secretary
    may for a member without an account)."""
    if not person.is_party_member or person.party_cell_id is None:
        raise DomainError(
            _("Only a party member with a party cell writes a cultivation plan."), field="person"
        )
    cell = person.party_cell
    own = actor.person_id == person.pk
    grant = None if own else policies.can_follow_cell(actor, cell.path)
    if not own and grant is None:
        raise PermissionDenied(_("You may register a plan only for yourself or for members of your cells."))
    if year not in (_today().year, _today().year + 1):
        raise DomainError(_("Plans are registered for the current or the coming year."), field="year")
    if cell.is_closed:
        raise DomainError(_("%(org)s is closed.") % {"org": cell.name}, field="person")
    _check_unlocked(cell, year)
    head = org_selectors.person_head_position(actor=actor, person_id=person.pk, day=_as_of(year))
    template = rulebook_selectors.commitment_template_for(year=year, for_heads=head is not None)
    if template is None:
        raise DomainError(_("No plan template covers %(year)s: ask an administrator.") % {"year": year})
    theme = planning_selectors.theme_of_year(year=year, organization=cell)
    try:
        with transaction.atomic(), audit.acting(actor, grant=grant, reason="register"):
            plan = CommitmentPlan.objects.create(
                person=person, year=year, cell=cell, template=template, theme=theme, is_head=head is not None,
                position_title=head.title if head else "", created_by_id=actor.user_id,
            )  # fmt: skip
            items = _template_items(plan)
            if copy_unfinished:
                items += _carried_items(plan)
            if copy_remediation:
                items += _remediation_items(actor, plan)
            for order, item in enumerate(items, start=1):
                item.order = order
                item.save()
    except IntegrityError as exc:
        raise DomainError(
            _("%(name)s already has a plan for %(year)s.") % {"name": person.full_name, "year": year},
            field="year",
        ) from exc
    return plan


def _template_items(plan: CommitmentPlan) -> list[CommitmentItem]:
    return [
        CommitmentItem(
            plan=plan, section=section["code"], content=clean(row["content"].replace("{year}", str(plan.year))),
            measures=row.get("measures", ""), source=ItemSource.TEMPLATE,
        )
        for section in plan.template.sections
        for row in section.get("items", [])
    ]  # fmt: skip


def _carried_items(plan: CommitmentPlan) -> list[CommitmentItem]:
    """Last year's items the member did not finish (year-end result other than done)."""
    sections = _sections(plan)
    previous = (
        CommitmentItem.objects.unscoped(reason="the same person's previous plan, carried forward")
        .filter(plan__person_id=plan.person_id, plan__year=plan.year - 1, plan__status=PlanStatus.APPROVED)
        .exclude(yearend_result=Result.DONE)
        .exclude(source=ItemSource.REMEDIATION)  # open shortcomings come from remediation itself
        .exclude(source=ItemSource.TEMPLATE)  # this year's template brings its own (with this year in it)
        .order_by("order")
    )
    return [
        CommitmentItem(
            plan=plan, section=item.section if item.section in sections else plan.template.sections[0]["code"],
            content=item.content, measures=item.measures, timeline=item.timeline, target=item.target,
            standards=item.standards, source=ItemSource.CARRIED, carried_from=item,
        )
        for item in previous
    ]  # fmt: skip


def _remediation_items(actor: Actor, plan: CommitmentPlan) -> list[CommitmentItem]:
    """The member's shortcomings not yet verified, each becoming an item to remedy this year."""
    section = next(
        (s["code"] for s in plan.template.sections if s.get("receives_remediation")),
        plan.template.sections[-1]["code"],
    )
    return [
        CommitmentItem(
            plan=plan, section=section, content=r.description, timeline=f"{r.due_date:%d/%m/%Y}",
            source=ItemSource.REMEDIATION, remediation=r,
        )
        for r in remediation_selectors.remediation_open_for_person(actor=actor, person_id=plan.person_id)
    ]  # fmt: skip


# --- items --------------------------------------------------------------------------------------------


def _check_editable(actor: Actor, plan: CommitmentPlan) -> None:
    if not policies.is_owner(actor, plan):
        raise PermissionDenied(_("Only the member writes their own plan."))
    if plan.status not in EDITABLE:
        raise DomainError(_("Only a draft or a returned plan can be changed."))
    _check_unlocked(plan)


def _item_fields(plan: CommitmentPlan, fields: dict) -> dict:  # type: ignore[type-arg]
    allowed = {"section", "content", "measures", "timeline", "target", "standards"}
    extra = set(fields) - allowed
    if extra:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(extra))})
    sections = _sections(plan)
    if "section" in fields and fields["section"] not in sections:
        raise DomainError(_("Choose a section of the plan."), field="section")
    if "content" in fields:
        fields["content"] = clean(fields["content"])
        if not fields["content"]:
            raise DomainError(_("Write what you commit to."), field="content")
    for key in ("measures",):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    for key in ("timeline", "target"):
        if key in fields:
            fields[key] = clean(fields[key] or "")
    if "standards" in fields:
        section = sections[fields.get("section") or ""] if fields.get("section") else None
        codes = list(dict.fromkeys(fields["standards"] or []))
        if codes:
            set_code = (section or {}).get("criteria_set")
            known = (
                rulebook_selectors.criteria_titles(set_code, dt.date(plan.year, 12, 31)) if set_code else {}
            )
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise DomainError(
                    _("This section is not tagged with these standards: %(c)s") % {"c": ", ".join(unknown)},
                    field="standards",
                )
        fields["standards"] = codes
    return fields


def item_add(*, actor: Actor, plan: CommitmentPlan, section: str, content: str, **fields) -> CommitmentItem:  # type: ignore[no-untyped-def]
    """Add a commitment to a draft or returned plan."""
    _check_editable(actor, plan)
    data = _item_fields(plan, {"section": section, "content": content, **fields})
    with transaction.atomic(), audit.acting(actor, reason="add item"):
        plan = _fresh(plan)
        if plan.status not in EDITABLE:
            raise DomainError(_("Only a draft or a returned plan can be changed."))
        order = (plan.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        return CommitmentItem.objects.create(plan=plan, order=order, source=ItemSource.OWN, **data)


def item_update(*, actor: Actor, item: CommitmentItem, **fields) -> CommitmentItem:  # type: ignore[no-untyped-def]
    """Change a commitment of a draft or returned plan."""
    plan = item.plan
    _check_editable(actor, plan)
    if item.source == ItemSource.REMEDIATION and item.remediation and item.remediation.is_open:
        changed = {k for k in ("content", "section") if k in fields and fields[k] != getattr(item, k)}
        if changed:
            raise DomainError(
                _(
                    "The shortcoming itself cannot be reworded while it is open: add your measures and timeline."
                ),
                field="content",
            )
    fields.setdefault("section", item.section)
    data = _item_fields(plan, fields)
    with transaction.atomic(), audit.acting(actor, reason="update item"):
        if _fresh(plan).status not in EDITABLE:
            raise DomainError(_("Only a draft or a returned plan can be changed."))
        for key, value in data.items():
            setattr(item, key, value)
        item.save()
    return item


def item_delete(*, actor: Actor, item: CommitmentItem) -> None:
    """Remove a commitment from a draft or returned plan (a shortcoming to remedy stays in the plan)."""
    _check_editable(actor, item.plan)
    if item.source == ItemSource.REMEDIATION and item.remediation and item.remediation.is_open:
        raise DomainError(_("A shortcoming still to remedy cannot be removed from the plan."))
    with transaction.atomic(), audit.acting(actor, reason="delete item"):
        if _fresh(item.plan).status not in EDITABLE:
            raise DomainError(_("Only a draft or a returned plan can be changed."))
        item.delete()


# --- approval -----------------------------------------------------------------------------------------


def plan_submit(*, actor: Actor, plan: CommitmentPlan) -> CommitmentPlan:
    """The member submits the plan to the cell's secretary; every section needs its minimum of items."""
    _check_editable(actor, plan)
    with transaction.atomic(), audit.acting(actor, reason="submit"):
        plan = _fresh(plan)
        if plan.status not in EDITABLE:
            raise DomainError(_("Only a draft or a returned plan can be submitted."))
        counts = dict(plan.items.values_list("section").annotate(n=Count("id")))
        missing = []
        for section in plan.template.sections:
            need = section.get("min_items_for_heads" if plan.is_head else "min_items", 0)
            if counts.get(section["code"], 0) < need:
                missing.append(section["title"])
        if missing:
            raise DomainError(
                _("Add at least one commitment to: %(s)s.") % {"s": "; ".join(missing)}, field="items"
            )
        plan.status, plan.submitted_at = PlanStatus.SUBMITTED, timezone.now()
        plan.save()
    return plan


def plan_approve(*, actor: Actor, plan: CommitmentPlan, comment: str = "") -> CommitmentPlan:
    """The cell's secretary approves a submitted plan."""
    return _decide(actor, plan, approve=True, comment=comment)


def plan_return(*, actor: Actor, plan: CommitmentPlan, comment: str) -> CommitmentPlan:
    """The cell's secretary returns a submitted plan with what to change."""
    return _decide(actor, plan, approve=False, comment=comment)


def _decide(actor: Actor, plan: CommitmentPlan, *, approve: bool, comment: str) -> CommitmentPlan:
    grant = _require(
        policies.can_review_plan(actor, plan), _("Only the secretary of the member's cell approves the plan.")
    )
    comment = comment.strip()
    if not approve and not comment:
        raise DomainError(_("Say what should change."), field="comment")
    _check_unlocked(plan)
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="approve" if approve else "return"):
        plan = _fresh(plan)
        if plan.status != PlanStatus.SUBMITTED:
            raise DomainError(_("Only a submitted plan can be approved or returned."))
        plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
        plan.review_comment, plan.decided_at, plan.decided_by_id = comment, timezone.now(), actor.user_id
        plan.save()
    return plan


def plans_bulk_approve(*, actor: Actor, plans: Iterable[CommitmentPlan]) -> tuple[int, list[str]]:
    """Approve each submitted plan the actor may approve; say why the others were skipped."""
    approved, skipped = 0, []
    for plan in plans:
        try:
            plan_approve(actor=actor, plan=plan)
            approved += 1
        except DomainError as exc:
            skipped.append(f"{plan.person.full_name}: {exc.message}")
    return approved, skipped


# --- self-assessment ----------------------------------------------------------------------------------


@dataclass
class ItemResult:
    result: str
    evidence: str = ""
    link: str = ""
    file: object = None


def _decimal(value: object, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise DomainError(_("Enter a number."), field=field) from exc
    if not number.is_finite():
        raise DomainError(_("Enter a number."), field=field)
    return number


def _check_file(f) -> None:  # type: ignore[no-untyped-def]
    name = (getattr(f, "name", "") or "").lower()
    if not name.endswith(EVIDENCE_EXTENSIONS):
        raise DomainError(
            _("Evidence files can be %(ext)s.") % {"ext": ", ".join(EVIDENCE_EXTENSIONS)},
            field="evidence_file",
        )
    if f.size > EVIDENCE_MAX_BYTES:
        raise DomainError(_("An evidence file can be at most 10 MB."), field="evidence_file")


def assessment_save(
    *,
    actor: Actor,
    plan: CommitmentPlan,
    stage: str,
    results: dict[int, ItemResult],
    summary: str = "",
    self_grade: str = "",
    self_score: object = None,
) -> CommitmentPlan:
    """The member's mid-year or year-end self-assessment of each item; at year end also a self-proposed
    grade and score on the scale of the year's scheme. Only on an approved plan."""
    plan = _reread(plan)
    if stage not in ("midyear", "yearend"):
        raise DomainError(_("Unknown stage."))
    if not policies.is_owner(actor, plan):
        raise PermissionDenied(_("Only the member assesses their own plan."))
    if plan.status != PlanStatus.APPROVED:
        raise DomainError(_("The plan must be approved before it is assessed."))
    _check_unlocked(plan)
    if (
        Evaluation.objects.unscoped(reason="the plan's own evaluation")
        .filter(plan=plan)
        .exclude(proposed_grade="")
        .exists()
    ):
        raise DomainError(
            _("The cell has already proposed your grade: the self-assessment can no longer change.")
        )
    items = {i.pk: i for i in plan.items.select_related("remediation")}
    unknown = set(results) - set(items)
    if unknown:
        raise NotFound(_("Unknown item."))
    for pk, r in results.items():
        if r.result and r.result not in Result.values:
            raise DomainError(_("Choose done, partly done or not done."), field=f"result-{pk}")
        if r.file is not None:
            _check_file(r.file)
    score = _decimal(self_score, "self_score")
    if stage == "yearend":
        missing = [i for pk, i in items.items() if not (results.get(pk) and results[pk].result)]
        if missing:
            raise DomainError(
                _("Give a result for every item (%(n)s missing).") % {"n": len(missing)}, field="results"
            )
        scheme = rulebook_selectors.evaluation_scheme_for_year(plan.year)
        if scheme is None:
            raise DomainError(
                _("No evaluation scheme covers %(year)s: ask an administrator.") % {"year": plan.year}
            )
        if not self_grade:
            raise DomainError(_("Propose your own grade."), field="self_grade")
        rules.check_grade(scheme, self_grade, score, [])
    with transaction.atomic(), audit.acting(actor, reason=f"self-assessment {stage}"):
        plan = _fresh(plan)
        if plan.status != PlanStatus.APPROVED:
            raise DomainError(_("The plan must be approved before it is assessed."))
        for pk, r in results.items():
            item = items[pk]
            setattr(item, f"{stage}_result", r.result)
            setattr(item, f"{stage}_evidence", r.evidence.strip())
            if r.link:
                item.evidence_link = r.link.strip()
            if r.file is not None:
                item.evidence_file = r.file
            item.save()
            if (  # a shortcoming someone else owns is reported by its owner
                stage == "yearend" and r.result == Result.DONE and item.remediation
                and item.remediation.status == RemediationStatus.OPEN
                and remediation_policies.can_report_item(actor, item.remediation.organization.path,
                                                         item.remediation.owner_id)
            ):  # fmt: skip
                remediation_services.remediation_report(
                    actor=actor, item=item.remediation,
                    note=r.evidence.strip() or _("Done (self-assessment %(year)s).") % {"year": plan.year},
                )  # fmt: skip
        now = timezone.now()
        if stage == "midyear":
            plan.midyear_at, plan.midyear_summary = now, summary.strip()
        else:
            plan.yearend_at, plan.yearend_summary = now, summary.strip()
            plan.self_grade, plan.self_score = self_grade, score
        plan.save()
    return plan


# --- residence comment (Quy định 213) ----------------------------------------------------------------


def residence_request(
    *,
    actor: Actor,
    plan: CommitmentPlan,
    residence: Organization | None = None,
    due_date: dt.date | None = None,
    exempt_reason: str = "",
) -> ResidenceComment:
    """The workplace cell asks the residence cell for its comment, or records that the member is exempt."""
    plan = _reread(plan)
    grant = _require(
        policies.can_request_residence(actor, plan),
        _("Only the member's cell requests the residence comment."),
    )
    _check_unlocked(plan)
    exempt_reason = clean(exempt_reason)
    if not exempt_reason:
        residence = residence or plan.person.residence_cell
        if residence is None:
            raise DomainError(
                _("The member has no residence party cell on record: choose one or mark them exempt."),
                field="residence",
            )
        if residence.kind != "party_cell" or residence.is_closed:
            raise DomainError(_("Choose an open party cell of the place of residence."), field="residence")
        if due_date is None:
            calendar = rulebook_selectors.commitment_calendar_for(plan.year)
            due_date = calendar.residence_by if calendar and calendar.residence_by else None
        if due_date is None:
            raise DomainError(_("Set the date the comment is due."), field="due_date")
        if due_date < _today():
            raise DomainError(_("The due date has passed."), field="due_date")
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="residence request"):
        plan = _fresh(plan)
        current = ResidenceComment.objects.unscoped(reason="the plan's own comment").filter(plan=plan).first()
        if current is not None and current.status == ResidenceStatus.RETURNED:
            raise DomainError(_("The residence cell has already returned its comment."))
        comment = current or ResidenceComment(plan=plan)
        comment.requested_at, comment.requested_by_id = timezone.now(), actor.user_id
        if exempt_reason:
            comment.status, comment.exempt_reason, comment.residence, comment.due_date = (
                ResidenceStatus.EXEMPT, exempt_reason, None, None,
            )  # fmt: skip
        else:
            comment.status, comment.exempt_reason, comment.residence, comment.due_date = (
                ResidenceStatus.REQUESTED, "", residence, due_date,
            )  # fmt: skip
            comment.form = rulebook_selectors.residence_form_for_year(plan.year)
        comment.save()
    return comment


def residence_return(
    *,
    actor: Actor,
    comment: ResidenceComment,
    ratings: dict[str, str],
    text: str,
    signed_by: str,
    front_head: str = "",
) -> ResidenceComment:
    """The residence cell's secretary returns the comment: a rating on every item of the form, and text."""
    if comment.residence is None:
        raise DomainError(_("No comment was requested from a residence cell."))
    grant = _require(
        policies.can_comment_residence(actor, comment.residence.path, comment.plan),
        _("Only the secretary of the residence cell fills the comment in (never on themself)."),
    )
    _check_unlocked(comment.plan)
    items = comment.form.items if comment.form else []
    for item in items:
        allowed = {lvl["code"] for lvl in item["levels"]}
        if ratings.get(item["code"]) not in allowed:
            raise DomainError(_("Rate every item of the form."), field=f"rating-{item['code']}")
    signed_by = clean(signed_by)
    if not signed_by:
        raise DomainError(_("Who signs the comment?"), field="signed_by")
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="residence comment"):
        comment = (
            ResidenceComment.objects.unscoped(reason="re-read")
            .select_for_update(of=("self",))
            .get(pk=comment.pk)
        )
        _check_unlocked(comment.plan)
        if comment.status != ResidenceStatus.REQUESTED:
            raise DomainError(_("This comment is not awaited (already returned, or the member is exempt)."))
        comment.ratings = {item["code"]: ratings[item["code"]] for item in items}
        comment.comment, comment.signed_by, comment.front_head = text.strip(), signed_by, clean(front_head)
        comment.status, comment.returned_at, comment.returned_by_id = (
            ResidenceStatus.RETURNED, timezone.now(), actor.user_id,
        )  # fmt: skip
        comment.save()
    return comment


# --- evaluation ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shortcoming:
    description: str
    due_date: dt.date | None


def quota_counts(
    *, grassroots: Organization, year: int, exclude_plan_id: int | None = None
) -> dict[str, int]:
    """Grades given so far in a grassroots organization's year (the quota's counts)."""
    qs = Evaluation.objects.unscoped(reason="the quota counts the whole grassroots organization").filter(
        grassroots=grassroots, year=year
    )
    if exclude_plan_id is not None:
        qs = qs.exclude(plan_id=exclude_plan_id)
    return dict(qs.exclude(grade="").values_list("grade").annotate(n=Count("id")))


def evaluation_save(
    *,
    actor: Actor,
    plan: CommitmentPlan,
    stage: str,
    grade: str,
    score: object = None,
    disqualifiers: Iterable[str] = (),
    comment: str = "",
    shortcomings: Iterable[Shortcoming] = (),
    version: int | None = None,
) -> Evaluation:
    """The cell proposes (stage 'propose') or the committee above decides (stage 'decide') the grade.

    Refused, writing nothing: a grade above the score band or a disqualifier, a quota overrun, an edit
    based on an old version (someone saved since), a locked year. Shortcomings become remediation items."""
    plan = _reread(plan)
    if stage == "propose":
        grant = _require(
            policies.can_propose_grade(actor, plan), _("Only the member's cell proposes the grade.")
        )
    elif stage == "decide":
        grant = _require(
            policies.can_decide_grade(actor, plan), _("The grade is decided by the committee above the cell.")
        )
    else:
        raise DomainError(_("Unknown stage."))
    _check_unlocked(plan)
    if plan.status != PlanStatus.APPROVED or plan.yearend_at is None:
        raise DomainError(_("The member has not done the year-end self-assessment of an approved plan yet."))
    existing = Evaluation.objects.unscoped(reason="the plan's own evaluation").filter(plan=plan).first()
    scheme: EvaluationScheme | None = (
        existing.scheme if existing else rulebook_selectors.evaluation_scheme_for_year(plan.year)
    )
    if scheme is None:
        raise DomainError(
            _("No evaluation scheme covers %(year)s: ask an administrator.") % {"year": plan.year}
        )
    if stage == "decide" and (existing is None or not existing.proposed_grade):
        raise DomainError(_("The cell has not proposed a grade yet."))
    if stage == "propose" and existing is not None and existing.decided_grade:
        raise DomainError(_("The committee has decided the grade: only it can change it now."))
    value = _decimal(score, "score")
    codes = list(dict.fromkeys(disqualifiers))
    rules.check_grade(scheme, grade, value, codes)
    shortcomings = [
        Shortcoming(clean(s.description), s.due_date) for s in shortcomings if clean(s.description)
    ]
    for s in shortcomings:
        if s.due_date is None:
            raise DomainError(_("Each shortcoming needs a due date for its remedy."), field="shortcomings")
    grassroots = (
        existing.grassroots if existing else org_selectors.grassroots_of(actor=actor, organization=plan.cell)
    )
    with transaction.atomic(), audit.acting(actor, grant=grant, reason=f"evaluation {stage}"):
        if existing is None:
            if version not in (None, 0):
                raise Conflict(
                    _("Someone else changed this evaluation since you opened it: reload the page.")
                )
            try:
                with transaction.atomic():
                    ev = Evaluation.objects.create(
                        plan=plan, scheme=scheme, grassroots=grassroots, year=plan.year
                    )
            except IntegrityError as exc:
                raise Conflict(
                    _("Someone else changed this evaluation since you opened it: reload the page.")
                ) from exc
        else:
            ev = existing
        # Optimistic lock: move the version forward only if nobody did since the form was opened.
        expected = ev.version if version is None else version
        moved = (
            Evaluation.objects.unscoped(reason="optimistic lock on the plan's evaluation")
            .filter(pk=ev.pk, version=expected)
            .update(version=expected + 1)
        )
        if moved != 1:
            raise Conflict(_("Someone else changed this evaluation since you opened it: reload the page."))
        ev.refresh_from_db()
        # Grades of one grassroots organization are given one at a time (two officers saving "excellent"
        # at once would both see room under the quota): lock its row while counting.
        Organization.objects.unscoped(reason="serialise the quota count of a grassroots organization").filter(
            pk=grassroots.pk
        ).select_for_update().first()
        _check_unlocked(plan)  # a lock that landed since the first check (year_lock takes the same row lock)
        others = quota_counts(grassroots=grassroots, year=plan.year, exclude_plan_id=plan.pk)
        effective = grade if stage == "decide" else (ev.decided_grade or grade)
        before_counts, after_counts = dict(others), dict(others)
        if ev.grade:
            before_counts[ev.grade] = before_counts.get(ev.grade, 0) + 1
        after_counts[effective] = after_counts.get(effective, 0) + 1
        before, after = rules.quota_of(scheme, before_counts), rules.quota_of(scheme, after_counts)
        # Refused when this grade adds an "excellent" beyond the quota. A lower grade is never refused (a
        # disqualifier may force it): if it shrinks the base below the excellent already given, the cockpit
        # shows the overrun and the year cannot be locked until it is resolved.
        if after is not None and not after.ok and (before is None or after.count > before.count):
            raise DomainError(
                _(
                    "Quota: at most %(limit)s of the %(base)s members rated good or better in %(org)s may be "
                    "excellent (%(ratio)s%%); with this grade there would be %(count)s."
                )
                % {
                    "limit": after.limit, "base": after.base, "org": grassroots.name,
                    "ratio": int(after.ratio * 100), "count": after.count,
                },
                field="grade",
            )  # fmt: skip
        ev.score, ev.disqualifiers, ev.comment = value, codes, comment.strip()
        now = timezone.now()
        if stage == "propose":
            ev.proposed_grade, ev.proposed_by_id, ev.proposed_at = grade, actor.user_id, now
            ev.grade = ev.decided_grade or grade
        else:
            ev.decided_grade, ev.decided_by_id, ev.decided_at = grade, actor.user_id, now
            ev.grade = grade
        ev.save()
        for s in shortcomings:
            remediation_services.remediation_raise(
                actor=actor, organization=plan.cell, person=plan.person, source=RemediationSource.EVALUATION,
                description=s.description, due_date=s.due_date, year=plan.year,
                source_ref=f"commitments.evaluation:{ev.pk}",
                source_label=_("Evaluation %(year)s") % {"year": plan.year},
            )  # fmt: skip
    return ev


# --- publication of heads' commitments ---------------------------------------------------------------


def plan_publish(
    *,
    actor: Actor,
    plan: CommitmentPlan,
    on_notice_board: bool,
    on_portal: bool,
    on_residence: bool,
    published_on: dt.date | None = None,
    result_published: bool = False,
) -> CommitmentPlan:
    """Publish a head's approved plan (and, after the decision, its result) where residents supervise it."""
    plan = _reread(plan)
    grant = _require(policies.can_publish_plan(actor, plan), _("You may not publish this plan."))
    if not plan.is_head:
        raise DomainError(_("Only the commitments of heads are published."))
    if plan.status != PlanStatus.APPROVED:
        raise DomainError(_("Only an approved plan can be published."))
    if not (on_notice_board or on_portal or on_residence):
        raise DomainError(_("Choose where to publish it."), field="on_portal")
    published_on = published_on or _today()
    if published_on > _today():
        raise DomainError(_("The publication date cannot be in the future."), field="published_on")
    if result_published:
        ev = Evaluation.objects.unscoped(reason="the plan's own evaluation").filter(plan=plan).first()
        if ev is None or not ev.decided_grade:
            raise DomainError(_("The year-end result can be published once the grade is decided."))
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="publish"):
        plan = _fresh(plan, check_lock=False)
        plan.on_notice_board, plan.on_portal, plan.on_residence = on_notice_board, on_portal, on_residence
        plan.published_on, plan.result_published = published_on, result_published
        plan.save()
    return plan


def plan_unpublish(*, actor: Actor, plan: CommitmentPlan) -> CommitmentPlan:
    """Withdraw a published plan from every place."""
    grant = _require(policies.can_publish_plan(actor, plan), _("You may not publish this plan."))
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="unpublish"):
        plan = _fresh(plan, check_lock=False)
        plan.on_notice_board = plan.on_portal = plan.on_residence = plan.result_published = False
        plan.published_on = None
        plan.save()
    return plan


# --- cockpit actions ----------------------------------------------------------------------------------


def year_lock(*, actor: Actor, organization: Organization, year: int) -> YearLock:
    """Close `year` for the organization's subtree: plans, assessments, comments and grades stop changing.
    Only a committee (not a cell) locks, once the year has started, every proposed grade is decided and no
    grassroots organization is over its quota."""
    grant = _require(policies.can_lock_year(actor, organization), _("You may not lock this year."))
    if year > _today().year:
        raise DomainError(_("A year can be locked once it has started."), field="year")
    scheme = rulebook_selectors.evaluation_scheme_for_year(year)
    try:
        with transaction.atomic(), audit.acting(actor, grant=grant, reason="lock year"):
            # Grades are saved under a lock on their grassroots organization's row: take those rows so that no
            # grade is being saved while the subtree is checked and locked.
            grassroots = list(
                Organization.objects.unscoped(reason="rows locked while a year is closed")
                .filter(path__startswith=organization.path, is_grassroots=True)
                .select_for_update()
            )
            if locked_by(cell=organization, year=year) is not None:
                raise DomainError(_("%(year)s is already locked.") % {"year": year})
            undecided = (
                Evaluation.objects.unscoped(reason="a lock covers the whole subtree")
                .filter(year=year, plan__cell__path__startswith=organization.path, decided_grade="")
                .exclude(proposed_grade="")
                .count()
            )
            if undecided:
                raise DomainError(
                    _("%(n)s proposed grades are not decided yet: decide them before locking.")
                    % {"n": undecided}
                )
            for unit in grassroots:
                quota = rules.quota_of(scheme, quota_counts(grassroots=unit, year=year)) if scheme else None
                if quota is not None and not quota.ok:
                    raise DomainError(
                        _("%(org)s is over its quota of excellent (%(count)s of at most %(limit)s): correct it "
                          "before locking.") % {"org": unit.name, "count": quota.count, "limit": quota.limit}
                    )  # fmt: skip
            return YearLock.objects.create(organization=organization, year=year, locked_by_id=actor.user_id)
    except IntegrityError as exc:
        raise DomainError(_("%(year)s is already locked.") % {"year": year}) from exc


def year_unlock(*, actor: Actor, lock: YearLock) -> None:
    """Lift a lock (from the level above the organization that locked), e.g. to correct a grade."""
    grant = _require(
        policies.can_unlock_year(actor, lock.organization), _("A lock is lifted by the committee above.")
    )
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="unlock year"):
        YearLock.objects.unscoped(reason="the lock the actor may lift").filter(pk=lock.pk).delete()


REMINDER_TEXT = {
    "register": gettext_noop("Please register your cultivation plan for %(year)s."),
    "submit": gettext_noop("Please finish and submit your cultivation plan for %(year)s."),
    "yearend": gettext_noop("Please do the year-end self-assessment of your cultivation plan for %(year)s."),
}


def reminders_send(*, actor: Actor, organization: Organization, year: int, people: Iterable[Person]) -> int:
    """Remind the chosen members of what they still owe for `year` (in the app and by e-mail)."""
    grant = _require(
        policies.can_follow_cell(actor, organization.path), _("You may not remind these members.")
    )
    people = list(people)
    plans = {
        p.person_id: p for p in CommitmentPlan.objects.filter(year=year, person_id__in=[x.pk for x in people])
    }
    sent = 0
    mails: list[tuple[str, str, str]] = []
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="remind"):
        for person in people:
            if person.party_cell_id is None or not person.party_cell.path.startswith(organization.path):
                raise NotFound(_("Unknown member."))
            plan = plans.get(person.pk)
            if plan is None:
                kind = "register"
            elif plan.status in EDITABLE:
                kind = "submit"
            elif plan.status == PlanStatus.APPROVED and plan.yearend_at is None:
                kind = "yearend"
            else:
                continue
            CommitmentReminder.objects.create(
                cell=person.party_cell,
                person=person,
                plan=plan,
                year=year,
                kind=kind,
                sent_by_id=actor.user_id,
            )
            sent += 1
            user = getattr(person, "user", None)
            if user is not None and user.email:
                mails.append((user.email, _(REMINDER_TEXT[kind]) % {"year": year}, person.full_name))
        transaction.on_commit(lambda: _mail(mails))
    return sent


AUTO_KINDS = {"register": "auto_register", "submit": "auto_submit", "yearend": "auto_yearend"}


def deadline_reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily job: `LAMTHEO_REMINDER_WORKING_DAYS` working days (or fewer) before a deadline of the year's
    calendar, and after it, remind each member with an account of what they still owe: register or submit
    their plan before `register_by`, the year-end self-assessment before `yearend_by`. Each reminder is sent
    once per member, year and kind, in the app and by e-mail (after the transaction commits)."""
    from lamtheo.organizations.models import User
    from lamtheo.rulebook.selectors import add_working_days

    today = today or _today()
    calendar = rulebook_selectors.commitment_calendar_for(today.year)
    sent = {"register": 0, "submit": 0, "yearend": 0}
    if calendar is None:
        return sent
    window_end = add_working_days(today, settings.LAMTHEO_REMINDER_WORKING_DAYS)
    register_due = calendar.register_by <= window_end
    yearend_due = calendar.yearend_by is not None and calendar.yearend_by <= window_end
    if not (register_due or yearend_due):
        return sent
    year = today.year
    users = (
        User.objects.filter(is_active=True, person__is_party_member=True, person__party_cell__isnull=False)
        .select_related("person", "person__party_cell")
        .order_by("pk")
    )  # only members who can log in get reminders; accounts are few next to the members
    plans = {
        p.person_id: p
        for p in CommitmentPlan.objects.unscoped(
            reason="the reminder job runs for every organization"
        ).filter(year=year, person_id__in=users.values("person_id"))
    }
    already = set(
        CommitmentReminder.objects.unscoped(reason="each automatic reminder is sent once")
        .filter(year=year, kind__in=AUTO_KINDS.values())
        .values_list("person_id", "kind")
    )
    mails: list[tuple[str, str, str]] = []
    system = Actor.system(reason="deadline reminders")
    with activate(system.scope), transaction.atomic(), audit.acting(system):
        for user in users.iterator(chunk_size=2000):
            person, plan = user.person, plans.get(user.person_id)
            if plan is None or plan.status in EDITABLE:
                kind = ("register" if plan is None else "submit") if register_due else None
            elif plan.status == PlanStatus.APPROVED and plan.yearend_at is None and yearend_due:
                kind = "yearend"
            else:
                kind = None
            if kind is None or (person.pk, AUTO_KINDS[kind]) in already:
                continue
            CommitmentReminder.objects.create(
                cell=person.party_cell, person=person, plan=plan, year=year, kind=AUTO_KINDS[kind]
            )
            sent[kind] += 1
            if user.email:
                mails.append((user.email, _(REMINDER_TEXT[kind]) % {"year": year}, person.full_name))
        transaction.on_commit(lambda: _mail(mails))
    return sent


def _mail(mails: list[tuple[str, str, str]]) -> None:
    for address, text, name in mails:
        send_mail(
            subject=_("Cultivation plan: reminder"), message=f"{name}: {text}",
            from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[address], fail_silently=True,
        )  # fmt: skip
