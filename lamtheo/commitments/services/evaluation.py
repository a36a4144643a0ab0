"""Grading: the cell proposes the grade, the level the scheme names decides it (the grassroots committee, or a
grassroots cell for its own members; never whoever proposed it), under the quota of the grassroots
organization; shortcomings found become remediation items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor, Grant
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean
from lamtheo.organizations.models import Organization
from lamtheo.remediation import services as remediation_services
from lamtheo.remediation.models import Source as RemediationSource
from lamtheo.rulebook import selectors as rulebook_selectors
from lamtheo.rulebook.models import EvaluationScheme

from .. import cross_scope, rules, selectors
from ..models import CommitmentPlan, CultivationPlanStatus, Evaluation, ResidenceStatus
from ..policies import CultivationPlanPermissions
from ._common import Conflict, check_unlocked, check_window, decimal, fresh_plan
from .ratings import check_head_cap


@dataclass(frozen=True)
class Shortcoming:
    """A shortcoming found at evaluation, and the date its remedy is due."""

    description: str
    due_date: dt.date | None


@dataclass
class _Grading:
    """What a grading decides on, read and checked inside the transaction."""

    plan: CommitmentPlan
    grant: Grant
    existing: Evaluation | None
    scheme: EvaluationScheme
    grassroots: Organization
    score: Decimal | None
    disqualifiers: list[str]
    shortcomings: list[Shortcoming]
    late_reason: str


def quota_counts(
    *, grassroots: Organization, year: int, exclude_plan_id: int | None = None
) -> dict[str, int]:
    """Grades given so far in a grassroots organization's year (the quota's counts)."""
    return cross_scope.grade_counts([grassroots.pk], year, exclude_plan_id=exclude_plan_id)[grassroots.pk]


def _conflict() -> Conflict:
    return Conflict(_("Someone else changed this evaluation since you opened it: reload the page."))


def _grading(actor: Actor, plan: CommitmentPlan, *, decide: bool, grade: str, score: object,
             disqualifiers: Iterable[str], shortcomings: Iterable[Shortcoming],
             late_reason: str) -> _Grading:  # fmt: skip
    """Inside the transaction, on the fresh plan: who grades, the year lock (under the grassroots row lock),
    the plan's state, the stage, the grade against the scheme and the shortcomings' due dates."""
    plan = fresh_plan(plan, check_lock=False)
    existing = cross_scope.evaluation_of_plan(plan)
    grassroots = existing.grassroots if existing else cross_scope.grassroots_for_grading(plan.cell, plan.year)
    scheme = existing.scheme if existing else rulebook_selectors.evaluation_scheme_for_year(plan.year)
    if scheme is None:
        raise DomainError(
            _("No evaluation scheme covers %(year)s: ask an administrator.") % {"year": plan.year}
        )
    # Who proposes and who decides is the scheme's (rulebook data); the proposer never decides.
    authority = selectors.grading_authority(
        plan=plan, evaluation=existing, scheme=scheme, grassroots=grassroots
    )
    grant = CultivationPlanPermissions(actor, plan, grading=authority).require(
        "decide_grade" if decide else "propose_grade"
    )
    # Grades of one grassroots organization are given one at a time (two officers saving "excellent" at once
    # would both see room under the quota), and year_lock takes the same rows: so the year lock is checked
    # once, here, under that row lock, where no lock can land before this grade is saved.
    cross_scope.lock_grassroots_row(grassroots.pk)
    check_unlocked(plan.cell, plan.year)
    if plan.status != CultivationPlanStatus.APPROVED or plan.yearend_at is None:
        raise DomainError(_("The member has not done the year-end self-assessment of an approved plan yet."))
    if decide and (existing is None or not existing.proposed_grade):
        raise DomainError(_("The cell has not proposed a grade yet."))
    if not decide and existing is not None and existing.decided_grade:
        raise DomainError(_("The committee has decided the grade: only it can change it now."))
    if not decide:
        _check_ratable(plan)
    late = check_window(plan.year, "decide" if decide else "propose", late_reason)
    value, codes = decimal(score, "score"), _with_forced(actor, plan, scheme, disqualifiers)
    rules.check_grade(scheme, grade, value, codes)
    check_head_cap(scheme, plan.person_id, plan.year, grade)
    found = [Shortcoming(clean(s.description), s.due_date) for s in shortcomings if clean(s.description)]
    if any(s.due_date is None for s in found):
        raise DomainError(_("Each shortcoming needs a due date for its remedy."), field="shortcomings")
    return _Grading(plan, grant, existing, scheme, grassroots, value, codes, found, late)


def _with_forced(actor: Actor, plan: CommitmentPlan, scheme: EvaluationScheme, chosen: Iterable[str]) -> list[str]:
    """The disqualifiers the evaluator ticked, plus those a record applies by itself (a disciplinary measure
    in the year): the grade is capped whatever was ticked, and the screen names the record that capped it."""
    known = {d["code"] for d in scheme.disqualifiers}
    forced = [e.caps for e in selectors.forced_disqualifiers(actor=actor, plan=plan) if e.caps in known]
    return list(dict.fromkeys([*chosen, *forced]))


def _check_ratable(plan: CommitmentPlan) -> None:
    """Before a proposal: the member is not excused from rating this year, and the residence cell's comment
    is in (Quy định 213) or the member is recorded exempt from it. A comment is needed when the member lives
    in another cell's area than the cell they belong to, or one was requested."""
    exemption = cross_scope.exemption_of(plan.person_id, plan.year)
    if exemption is not None:
        raise DomainError(
            _("%(name)s is excused from rating in %(year)s (%(reason)s): withdraw the exemption to rate them.")
            % {"name": plan.person.full_name, "year": plan.year, "reason": exemption.reason_title}
        )
    comment = cross_scope.residence_comment_of_plan(plan)
    if comment is not None and comment.status == ResidenceStatus.REQUESTED:
        raise DomainError(
            _("The comment of %(cell)s (the member's place of residence) is awaited: propose the grade once it "
              "is returned, or record the member as exempt from it.") % {"cell": comment.residence.name}
        )  # fmt: skip
    lives_elsewhere = plan.person.residence_cell_id is not None and plan.person.residence_cell_id != plan.cell_id
    if comment is None and lives_elsewhere:
        raise DomainError(
            _("Request the comment of the cell where the member lives (Quy định 213), or record why the member "
              "is exempt from it, before proposing the grade.")
        )  # fmt: skip


def _evaluation_row(g: _Grading, version: int | None) -> Evaluation:
    """The plan's evaluation (created on the first grade), its optimistic version moved forward: refused
    when someone saved it since the form was opened."""
    if g.existing is None:
        if version not in (None, 0):
            raise _conflict()
        try:
            with transaction.atomic():
                ev = Evaluation.objects.create(
                    plan=g.plan, scheme=g.scheme, grassroots=g.grassroots, year=g.plan.year
                )
        except IntegrityError as exc:
            raise _conflict() from exc
    else:
        ev = g.existing
    if not cross_scope.evaluation_version_bump(ev.pk, ev.version if version is None else version):
        raise _conflict()
    ev.refresh_from_db()
    return ev


def _check_quota(g: _Grading, ev: Evaluation, effective: str) -> None:
    """Refused when this grade adds an "excellent" beyond the quota. A lower grade is never refused (a
    disqualifier may force it): if it shrinks the base below the excellent already given, the cockpit shows
    the overrun and the year cannot be locked until it is resolved."""
    others = quota_counts(grassroots=g.grassroots, year=g.plan.year, exclude_plan_id=g.plan.pk)
    before_counts, after_counts = dict(others), dict(others)
    if ev.grade:
        before_counts[ev.grade] = before_counts.get(ev.grade, 0) + 1
    after_counts[effective] = after_counts.get(effective, 0) + 1
    before, after = rules.quota_of(g.scheme, before_counts), rules.quota_of(g.scheme, after_counts)
    if after is not None and not after.ok and (before is None or after.count > before.count):
        raise DomainError(
            _(
                "Quota: at most %(limit)s of the %(base)s members rated good or better in %(org)s may be "
                "excellent (%(ratio)s%%); with this grade there would be %(count)s."
            )
            % {
                "limit": after.limit, "base": after.base, "org": g.grassroots.name,
                "ratio": int(after.ratio * 100), "count": after.count,
            },
            field="grade",
        )  # fmt: skip


def _raise_shortcomings(actor: Actor, g: _Grading, ev: Evaluation) -> None:
    """Each shortcoming becomes a remediation item owned by the member, tracked by their cell."""
    for s in g.shortcomings:
        remediation_services.remediation_raise(
            actor=actor, organization=g.plan.cell, person=g.plan.person, source=RemediationSource.EVALUATION,
            description=s.description, due_date=s.due_date, year=g.plan.year,
            source_ref=f"commitments.evaluation:{ev.pk}",
            source_label=_("Evaluation %(year)s") % {"year": g.plan.year},
        )  # fmt: skip


def _evaluation_save(actor: Actor, plan: CommitmentPlan, *, decide: bool, grade: str, score: object,
                     disqualifiers: Iterable[str], comment: str, shortcomings: Iterable[Shortcoming],
                     version: int | None, late_reason: str) -> Evaluation:  # fmt: skip
    """One grading step, in one transaction; nothing is written when a rule refuses."""
    with transaction.atomic():
        g = _grading(actor, plan, decide=decide, grade=grade, score=score, disqualifiers=disqualifiers,
                     shortcomings=shortcomings, late_reason=late_reason)  # fmt: skip
        with audit.acting(
            actor, grant=g.grant, reason="evaluation decide" if decide else "evaluation propose"
        ):
            ev = _evaluation_row(g, version)
            _check_quota(g, ev, grade if decide else (ev.decided_grade or grade))
            ev.score, ev.disqualifiers, ev.comment = g.score, g.disqualifiers, comment.strip()
            now = timezone.now()
            if decide:
                ev.decided_grade, ev.decided_by_id, ev.decided_at = grade, actor.user_id, now
                ev.decided_late_reason = g.late_reason
                ev.grade = grade
            else:
                ev.proposed_grade, ev.proposed_by_id, ev.proposed_at = grade, actor.user_id, now
                ev.proposed_late_reason = g.late_reason
                ev.grade = ev.decided_grade or grade
            ev.save()
            _raise_shortcomings(actor, g, ev)
    return ev


@actor_scoped
def evaluation_propose(
    *,
    actor: Actor,
    plan: CommitmentPlan,
    grade: str,
    score: object = None,
    disqualifiers: Iterable[str] = (),
    comment: str = "",
    shortcomings: Iterable[Shortcoming] = (),
    version: int | None = None,
    late_reason: str = "",
) -> Evaluation:
    """The cell proposes the grade. Refused, writing nothing: a grade above the score band or a
    disqualifier, a quota overrun, an edit based on an old version, a locked year, a day outside the
    calendar's window (after its due date, without the reason it is late)."""
    return _evaluation_save(
        actor, plan, decide=False, grade=grade, score=score, disqualifiers=disqualifiers, comment=comment,
        shortcomings=shortcomings, version=version, late_reason=late_reason,
    )  # fmt: skip


@actor_scoped
def evaluation_decide(
    *,
    actor: Actor,
    plan: CommitmentPlan,
    grade: str,
    score: object = None,
    disqualifiers: Iterable[str] = (),
    comment: str = "",
    shortcomings: Iterable[Shortcoming] = (),
    version: int | None = None,
    late_reason: str = "",
) -> Evaluation:
    """The level the scheme names decides the grade the cell proposed (same refusals as the proposal, and
    the account that proposed it may not decide it)."""
    return _evaluation_save(
        actor, plan, decide=True, grade=grade, score=score, disqualifiers=disqualifiers, comment=comment,
        shortcomings=shortcomings, version=version, late_reason=late_reason,
    )  # fmt: skip
