"""Registering a member's cultivation plan for a year."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor, Grant
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean
from lamtheo.organizations import selectors as org_selectors
from lamtheo.organizations.models import Organization, Person
from lamtheo.planning import selectors as planning_selectors
from lamtheo.remediation import selectors as remediation_selectors
from lamtheo.rulebook import selectors as rulebook_selectors

from .. import cross_scope
from ..models import CommitmentItem, CommitmentPlan, ItemSource
from ..policies import CultivationPlanPermissions
from . import _common


def _registrar_grant(actor: Actor, person: Person, cell: Organization, year: int) -> Grant:
    """The member registers their own plan; the officer of the cell does for a member without an account
    (the policy answers for the plan about to be written)."""
    return CultivationPlanPermissions(actor, CommitmentPlan(person=person, cell=cell, year=year)).require(
        "register"
    )


@actor_scoped
def cultivation_plan_register(
    *,
    actor: Actor,
    person: Person,
    year: int,
    copy_unfinished: bool = True,
    copy_remediation: bool = True,
) -> CommitmentPlan:
    """Start a member's plan for `year` from the template of the year and their role; optionally carry
    last year's unfinished items and their open shortcomings. The member registers their own (the cell's
    officer does from the paper form for a member without an account, and is recorded as having entered it)."""
    if not person.is_party_member or person.party_cell_id is None:
        raise DomainError(
            _("Only a party member with a party cell writes a cultivation plan."), field="person"
        )
    cell = person.party_cell
    grant = _registrar_grant(actor, person, cell, year)
    if year not in (_common.today().year, _common.today().year + 1):
        raise DomainError(_("Plans are registered for the current or the coming year."), field="year")
    if cell.is_closed:
        raise DomainError(_("%(org)s is closed.") % {"org": cell.name}, field="person")
    head = org_selectors.person_head_position(actor=actor, person_id=person.pk, day=_common.as_of(year))
    template = rulebook_selectors.commitment_template_for(year=year, for_heads=head is not None)
    if template is None:
        raise DomainError(_("No plan template covers %(year)s: ask an administrator.") % {"year": year})
    theme = planning_selectors.theme_of_year(year=year, organization=cell)
    try:
        with transaction.atomic(), audit.acting(actor, grant=grant, reason="register"):
            # The year lock is checked once, here, right before the plan is written.
            _common.check_unlocked(cell, year)
            plan = CommitmentPlan.objects.create(
                person=person, year=year, cell=cell, template=template, theme=theme, is_head=head is not None,
                position_title=head.title if head else "", created_by_id=actor.user_id,
                entered_by_id=None if actor.person_id == person.pk else actor.user_id,
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


@actor_scoped
def cultivation_plan_paper_form_attach(*, actor: Actor, plan: CommitmentPlan, file: object) -> CommitmentPlan:
    """The officer entering the plan of a member without an account attaches the scanned paper form (a type
    offices scan, within the size limit); a refused file writes nothing."""
    if not file:
        raise DomainError(_("Choose the scanned form to attach."), field="paper_form")
    _common.check_upload(
        file, field="paper_form", wrong_type=_("The scanned form can be %(ext)s."),
        too_big=_("The scanned form can be at most %(mb)s MB."),
    )  # fmt: skip
    with transaction.atomic():
        plan = _common.fresh_plan(plan)
        grant = CultivationPlanPermissions(actor, plan).require("attach_paper_form")
        with audit.acting(actor, grant=grant, reason="paper form"):
            _common.note_entry(actor, plan)
            plan.paper_form = file
            plan.save()
    return plan


def _template_items(plan: CommitmentPlan) -> list[CommitmentItem]:
    """The starting items the template of the year brings (with the year filled in)."""
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
    sections = _common.sections(plan)
    return [
        CommitmentItem(
            plan=plan, section=item.section if item.section in sections else plan.template.sections[0]["code"],
            content=item.content, measures=item.measures, timeline=item.timeline, target=item.target,
            standards=item.standards, source=ItemSource.CARRIED, carried_from=item,
        )
        for item in cross_scope.unfinished_items_of_last_year(plan.person_id, plan.year)
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
