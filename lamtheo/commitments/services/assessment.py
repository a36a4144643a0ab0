"""The member's mid-year and year-end self-assessment of an approved plan."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor, Grant
from lamtheo.core.errors import DomainError, NotFound
from lamtheo.core.permissions import actor_scoped
from lamtheo.remediation import services as remediation_services
from lamtheo.remediation.policies import RemediationItemPermissions
from lamtheo.rulebook import selectors as rulebook_selectors

from .. import cross_scope, rules
from ..models import CommitmentItem, CommitmentPlan, CultivationPlanStatus, Result
from ..policies import CultivationPlanPermissions
from . import _common

EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES = _common.EVIDENCE_EXTENSIONS, _common.EVIDENCE_MAX_BYTES


@dataclass
class ItemResult:
    """The member's result on one item, with its evidence (text, a link, a file)."""

    result: str
    evidence: str = ""
    link: str = ""
    file: object = None


def _check_file(f) -> None:  # type: ignore[no-untyped-def]
    _common.check_upload(
        f, field="evidence_file", wrong_type=_("Evidence files can be %(ext)s."),
        too_big=_("An evidence file can be at most 10 MB."),
    )  # fmt: skip


def _assessable(
    actor: Actor, plan: CommitmentPlan, results: dict[int, ItemResult]
) -> tuple[CommitmentPlan, Grant, dict[int, CommitmentItem]]:
    """Inside the transaction: the fresh approved plan of an open year, the writer's grant, and its items
    with every result checked; refused once the cell has proposed the grade."""
    plan = _common.fresh_plan(plan, check_lock=False)
    if plan.status != CultivationPlanStatus.APPROVED:
        raise DomainError(_("The plan must be approved before it is assessed."))
    _common.check_unlocked(plan.cell, plan.year)
    grant = CultivationPlanPermissions(actor, plan).require("assess")
    evaluation = cross_scope.evaluation_of_plan(plan)
    if evaluation is not None and evaluation.proposed_grade:
        raise DomainError(
            _("The cell has already proposed your grade: the self-assessment can no longer change.")
        )
    items = {i.pk: i for i in plan.items.select_related("remediation")}
    if set(results) - set(items):
        raise NotFound(_("Unknown item."))
    for pk, r in results.items():
        if r.result and r.result not in Result.values:
            raise DomainError(_("Choose done, partly done or not done."), field=f"result-{pk}")
        if r.file is not None:
            _check_file(r.file)
    return plan, grant, items


def _attach_evidence(item: CommitmentItem, r: ItemResult) -> None:
    """The link and file the member gave as evidence (kept across both stages)."""
    if r.link:
        item.evidence_link = r.link.strip()
    if r.file is not None:
        item.evidence_file = r.file


@actor_scoped
def midyear_assessment_save(
    *, actor: Actor, plan: CommitmentPlan, results: dict[int, ItemResult], summary: str = "",
    late_reason: str = "",
) -> CommitmentPlan:
    """The member's mid-year self-assessment: a result (partial results are fine) and evidence per item, in
    the calendar's window (after its due date, with the reason it is late)."""
    with transaction.atomic():
        plan, grant, items = _assessable(actor, plan, results)
        late = _common.check_window(plan.year, "midyear", late_reason)
        with audit.acting(actor, grant=grant, reason="self-assessment midyear"):
            for pk, r in results.items():
                item = items[pk]
                item.midyear_result, item.midyear_evidence = r.result, r.evidence.strip()
                _attach_evidence(item, r)
                item.save()
            _common.note_entry(actor, plan)
            plan.midyear_at, plan.midyear_summary = timezone.now(), summary.strip()
            plan.midyear_late_reason = late
            plan.save()
    return plan


def _check_yearend(plan: CommitmentPlan, items: dict, results: dict, self_grade: str, score) -> None:  # type: ignore[no-untyped-def, type-arg]
    """A result for every item, and a self-proposed grade and score the year's scheme allows."""
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


def _report_remedy(actor: Actor, plan: CommitmentPlan, item: CommitmentItem, r: ItemResult) -> None:
    """A shortcoming done at year end is reported to remediation (only by whoever may report it: a
    shortcoming someone else owns is reported by its owner). One that needs a file of evidence (pointed out
    by an inspection or the Front) is reported on its own page, with the file: the plan only records it."""
    remedy = item.remediation
    if r.result != Result.DONE or remedy is None or not remedy.awaits_remedy or remedy.evidence_required:
        return
    if RemediationItemPermissions(actor, remedy).can_report() is None:
        return
    remediation_services.remediation_report(
        actor=actor, item=remedy,
        note=r.evidence.strip() or _("Done (self-assessment %(year)s).") % {"year": plan.year},
    )  # fmt: skip


@actor_scoped
def yearend_assessment_save(
    *,
    actor: Actor,
    plan: CommitmentPlan,
    results: dict[int, ItemResult],
    summary: str = "",
    self_grade: str = "",
    self_score: object = None,
    late_reason: str = "",
) -> CommitmentPlan:
    """The member's year-end self-assessment: a result on every item, evidence, and a self-proposed grade and
    score on the scale of the year's scheme, in the calendar's window (after its due date, with the reason it
    is late). A shortcoming done is reported to remediation."""
    with transaction.atomic():
        plan, grant, items = _assessable(actor, plan, results)
        late = _common.check_window(plan.year, "yearend", late_reason)
        score = _common.decimal(self_score, "self_score")
        _check_yearend(plan, items, results, self_grade, score)
        with audit.acting(actor, grant=grant, reason="self-assessment yearend"):
            for pk, r in results.items():
                item = items[pk]
                item.yearend_result, item.yearend_evidence = r.result, r.evidence.strip()
                _attach_evidence(item, r)
                item.save()
                _report_remedy(actor, plan, item, r)
            _common.note_entry(actor, plan)
            plan.yearend_at, plan.yearend_summary = timezone.now(), summary.strip()
            plan.self_grade, plan.self_score = self_grade, score
            plan.yearend_late_reason = late
            plan.save()
    return plan
