"""What the cultivation-plan services share: today, the fresh row, the year lock, the plan's sections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean
from lamtheo.organizations.models import Organization
from lamtheo.rulebook import selectors as rulebook_selectors

from .. import cross_scope
from ..models import CULTIVATION_EDITABLE, CommitmentPlan, Evaluation, YearLock
from ..policies import CultivationPlanPermissions

# Files people attach (evidence, the scanned paper form): the types offices scan and write, by extension.
EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".doc", ".xls")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class Conflict(DomainError):
    """Someone else saved the record since it was opened: nothing was written."""


def today() -> dt.date:
    """Today in the local time zone (tests move it with `conftest.on_day`)."""
    return timezone.localdate()


def as_of(year: int) -> dt.date:
    """The day a plan of `year` is judged by today: today within the year, else its first or last day."""
    now = today()
    return min(now, dt.date(year, 12, 31)) if year <= now.year else dt.date(year, 1, 1)


STAGE_NAMES = {
    "midyear": gettext_lazy("The mid-year self-assessment"),
    "yearend": gettext_lazy("The year-end self-assessment"),
    "propose": gettext_lazy("Proposing grades"),
    "decide": gettext_lazy("Deciding grades"),
}


def check_window(year: int, stage: str, late_reason: str) -> str:
    """The year's calendar (rulebook data) for a stage: refused before the window opens, and after its due date
    without the reason it is late. Returns the reason to keep (empty when on time); a year without a calendar
    is refused (its dates are data an administrator sets)."""
    calendar = rulebook_selectors.commitment_calendar_for(year)
    if calendar is None:
        raise DomainError(_("The calendar of %(year)s is not set: ask an administrator.") % {"year": year})
    opens, due = calendar.window(stage)
    state, what = calendar.state(stage, today()), STAGE_NAMES[stage]
    if state == "early":
        raise DomainError(
            _("%(what)s of %(year)s opens on %(date)s.")
            % {"what": what, "year": year, "date": opens.strftime("%d/%m/%Y")}  # type: ignore[union-attr]
        )
    if state == "open":
        return ""
    reason = clean(late_reason)
    if not reason:
        raise DomainError(
            _("%(what)s of %(year)s was due by %(date)s: give the reason it is entered late.")
            % {"what": what, "year": year, "date": due.strftime("%d/%m/%Y")},  # type: ignore[union-attr]
            field="late_reason",
        )
    return reason[:500]


def locked_by(*, cell: Organization, year: int) -> YearLock | None:
    """The lock of `year` on the cell or any committee above it, if any."""
    return cross_scope.lock_over(cell, year)


def check_unlocked(cell: Organization, year: int) -> None:
    """Refuse when `year` is locked on the cell or above."""
    lock = locked_by(cell=cell, year=year)
    if lock is not None:
        raise DomainError(
            _("%(year)s is locked by %(org)s: nothing can change any more.")
            % {"year": year, "org": lock.organization.name}
        )


def fresh_plan(plan: CommitmentPlan, *, check_lock: bool = True) -> CommitmentPlan:
    """Re-read and row-lock the plan inside the transaction: every rule decides on the stored state, and a
    year lock that landed since the page was opened is seen here."""
    fresh = cross_scope.plan_for_update(plan.pk)
    if check_lock:
        check_unlocked(fresh.cell, fresh.year)
    return fresh


def check_editable(plan: CommitmentPlan) -> None:
    """Refuse unless the plan is a draft or returned."""
    if plan.status not in CULTIVATION_EDITABLE:
        raise DomainError(_("Only a draft or a returned plan can be changed."))


@actor_scoped
def own_editable_plan(actor: Actor, plan: CommitmentPlan) -> tuple[CommitmentPlan, Grant]:
    """Inside the transaction: the fresh plan, which the actor must write (their own, or from the paper form of
    a member without an account), a draft or returned, in an open year; and the writer's grant. Who is checked
    first: an officer is told the plan is the member's."""
    fresh = fresh_plan(plan, check_lock=False)
    grant = CultivationPlanPermissions(actor, fresh).require("write")
    check_editable(fresh)
    check_unlocked(fresh.cell, fresh.year)
    return fresh, grant


def check_upload(f, *, field: str, wrong_type: str, too_big: str) -> None:  # type: ignore[no-untyped-def]
    """Refuse an uploaded file of another type (by extension) or over the size limit, with the caller's words
    (`%(ext)s`: the types allowed, `%(mb)s`: the limit)."""
    name = (getattr(f, "name", "") or "").lower()
    if not name.endswith(EVIDENCE_EXTENSIONS):
        raise DomainError(wrong_type % {"ext": ", ".join(EVIDENCE_EXTENSIONS)}, field=field)
    if f.size > EVIDENCE_MAX_BYTES:
        raise DomainError(too_big % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}, field=field)


@actor_scoped
def note_entry(actor: Actor, plan: CommitmentPlan) -> bool:
    """Inside the audited write: record on the plan the officer entering it for the member from the paper
    form (the member's own writes leave it as it is). True when the plan changed and needs saving."""
    if actor.person_id == plan.person_id or actor.user_id is None or plan.entered_by_id == actor.user_id:
        return False
    plan.entered_by_id = actor.user_id
    return True


def sections(plan: CommitmentPlan) -> dict[str, dict]:  # type: ignore[type-arg]
    """The template's sections of the plan, by code."""
    return {s["code"]: s for s in plan.template.sections}


# Scores are stored with this many decimals (Evaluation.score, CommitmentPlan.self_score).
SCORE_PLACES = Evaluation._meta.get_field("score").decimal_places


def decimal(value: object, field: str, *, places: int = SCORE_PLACES) -> Decimal | None:
    """A typed number (comma or point), or None when empty; exactly the value that will be stored. More
    decimals than the field keeps are refused, not rounded: 89.995 would be stored as 90.00, and a score is
    judged against the bands as stored (ADR 0012)."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise DomainError(_("Enter a number."), field=field) from exc
    if not number.is_finite():
        raise DomainError(_("Enter a number."), field=field)
    try:
        stored = number.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:  # more digits than any scale has: the scheme's range check refuses it
        return number
    if stored != number:
        raise DomainError(
            _("Enter at most %(places)s decimal places (got %(value)s).")
            % {"places": places, "value": value},
            field=field,
        )
    return stored
