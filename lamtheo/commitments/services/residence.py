"""The residence cell's comment on a working member (Quy định 213)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean
from lamtheo.core.vocabulary import OrgKind
from lamtheo.organizations.models import Organization
from lamtheo.rulebook import selectors as rulebook_selectors

from .. import cross_scope
from ..models import CommitmentPlan, ResidenceComment, ResidenceStatus
from ..policies import CultivationPlanPermissions, ResidenceCommentPermissions
from . import _common


def _residence_and_due(
    plan: CommitmentPlan, residence: Organization | None, due_date: dt.date | None
) -> tuple[Organization, dt.date]:
    """The residence cell asked (the member's on record unless another is chosen) and the due date (the
    calendar's unless one is set)."""
    residence = residence or plan.person.residence_cell
    if residence is None:
        raise DomainError(
            _("The member has no residence party cell on record: choose one or mark them exempt."),
            field="residence",
        )
    if residence.kind != OrgKind.PARTY_CELL or residence.is_closed:
        raise DomainError(_("Choose an open party cell of the place of residence."), field="residence")
    if residence.pk == plan.cell_id:
        raise DomainError(
            _("The comment comes from the cell where the member lives, not from their own party cell: choose "
              "another cell, or mark the member exempt."),
            field="residence",
        )  # fmt: skip
    if due_date is None:
        calendar = rulebook_selectors.commitment_calendar_for(plan.year)
        due_date = calendar.residence_by if calendar and calendar.residence_by else None
    if due_date is None:
        raise DomainError(_("Set the date the comment is due."), field="due_date")
    if due_date < _common.today():
        raise DomainError(_("The due date has passed."), field="due_date")
    return residence, due_date


@actor_scoped
def residence_comment_request(
    *,
    actor: Actor,
    plan: CommitmentPlan,
    residence: Organization | None = None,
    due_date: dt.date | None = None,
    exempt_reason: str = "",
) -> ResidenceComment:
    """The workplace cell asks the residence cell for its comment, or records that the member is exempt."""
    with transaction.atomic():
        plan = _common.fresh_plan(plan)
        grant = CultivationPlanPermissions(actor, plan).require("request_residence")
        exempt_reason = clean(exempt_reason)
        if not exempt_reason:
            residence, due_date = _residence_and_due(plan, residence, due_date)
        current = cross_scope.residence_comment_of_plan(plan)
        if current is not None and current.status == ResidenceStatus.RETURNED:
            raise DomainError(_("The residence cell has already returned its comment."))
        comment = current or ResidenceComment(plan=plan)
        with audit.acting(actor, grant=grant, reason="residence request"):
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
                comment.front = cross_scope.front_near(residence)
            comment.save()
    return comment


def _ratings(comment: ResidenceComment, ratings: dict[str, str]) -> dict[str, str]:
    """A rating on every item of the comment's form, among the item's levels."""
    items = comment.form.items if comment.form else []
    for item in items:
        if ratings.get(item["code"]) not in {lvl["code"] for lvl in item["levels"]}:
            raise DomainError(_("Rate every item of the form."), field=f"rating-{item['code']}")
    return {item["code"]: ratings[item["code"]] for item in items}


@actor_scoped
def residence_comment_return(
    *,
    actor: Actor,
    comment: ResidenceComment,
    ratings: dict[str, str],
    text: str,
    signed_by: str,
) -> ResidenceComment:
    """The residence cell's secretary returns the comment: a rating on every item of the form, and text (the
    Front's part is the Front's: `residence_front_opinion`)."""
    if comment.residence is None:
        raise DomainError(_("No comment was requested from a residence cell."))
    signed_by = clean(signed_by)
    with transaction.atomic():
        comment = cross_scope.residence_comment_for_update(comment.pk)
        _common.check_unlocked(comment.plan.cell, comment.plan.year)
        if comment.status != ResidenceStatus.REQUESTED:
            raise DomainError(_("This comment is not awaited (already returned, or the member is exempt)."))
        grant = ResidenceCommentPermissions(actor, comment).require("return")
        given = _ratings(comment, ratings)
        if not signed_by:
            raise DomainError(_("Who signs the comment?"), field="signed_by")
        with audit.acting(actor, grant=grant, reason="residence comment"):
            comment.ratings = given
            comment.comment, comment.signed_by = text.strip(), signed_by
            comment.status, comment.returned_at, comment.returned_by_id = (
                ResidenceStatus.RETURNED, timezone.now(), actor.user_id,
            )  # fmt: skip
            comment.save()
    return comment


@actor_scoped
def residence_front_opinion(
    *, actor: Actor, comment: ResidenceComment, opinion: str, signed_by: str
) -> ResidenceComment:
    """The Front's part of the residence comment (Quy định 213): the opinion of the Front working committee
    where the member lives, written by the officer of that Front committee and signed by its head; while the
    comment is awaited or returned, in an open year. Refused, writing nothing: no opinion, no signer, an
    exempt member, someone else."""
    opinion, signed_by = opinion.strip(), clean(signed_by)
    with transaction.atomic():
        comment = cross_scope.residence_comment_for_update(comment.pk)
        _common.check_unlocked(comment.plan.cell, comment.plan.year)
        if comment.status == ResidenceStatus.EXEMPT or comment.front is None:
            raise DomainError(_("No Front opinion is asked for this member."))
        grant = ResidenceCommentPermissions(actor, comment).require("front")
        if not opinion:
            raise DomainError(_("Write the opinion of the Front working committee."), field="front_opinion")
        if not signed_by:
            raise DomainError(_("Who signs for the Front working committee?"), field="front_head")
        with audit.acting(actor, grant=grant, reason="residence front opinion"):
            comment.front_opinion, comment.front_head = opinion[:5000], signed_by
            comment.front_at, comment.front_by_id = timezone.now(), actor.user_id
            comment.save()
    return comment
