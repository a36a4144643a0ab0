"""A case: opened (from a programme item or ad hoc), its documented steps in order, its findings, and the
conclusion that turns recommendations into shortcomings to remedy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError, NotFound
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean
from lamtheo.remediation import services as remediation_services
from lamtheo.remediation.models import Source as RemediationSource

from .. import cross_scope, rules
from ..models import (
    STEP_DOC_TYPES,
    STEP_ORDER,
    Case,
    CaseDocument,
    CaseStatus,
    Finding,
    Kind,
    Mode,
    Programme,
    ProgrammeItem,
    Severity,
    Step,
)  # fmt: skip
from ..policies import CasePermissions, OversightPermissions, ProgrammePermissions
from ._common import check_document, one_subject, rules_for

NUMBERED = (Step.DECISION, Step.PLAN, Step.NOTIFICATION, Step.RESULTS_REPORT, Step.CONCLUSION, Step.NOTICE)


@actor_scoped
def case_open(
    *, actor: Actor, organization, kind: str, mode: str, title: str, year: int,  # type: ignore[no-untyped-def]
    content: str = "", subject_person=None, subject_organization=None,  # type: ignore[no-untyped-def]
    programme_item: ProgrammeItem | None = None,
) -> Case:  # fmt: skip
    """Open a case, ad hoc or from an item of an adopted programme (which then gives its subject and mode)."""
    if not actor.can_see(organization.path):
        raise NotFound(_("Unknown organization."), field="organization")
    if programme_item is not None:  # the programme as stored now (it may have been adopted since)
        programme_item.programme = Programme.objects.select_related("organization").get(pk=programme_item.programme_id)
        if ProgrammePermissions(actor, programme_item.programme).can_open_case() is None:
            raise DomainError(_("Cases start from items of an adopted programme of your committee."))
        organization, kind, mode = (
            programme_item.programme.organization,
            programme_item.kind,
            programme_item.mode,
        )
        subject_person, subject_organization = (
            programme_item.subject_person,
            programme_item.subject_organization,
        )
    if kind not in Kind.values:
        raise DomainError(_("Choose inspection or supervision."), field="kind")
    if mode not in Mode.values:
        raise DomainError(_("Choose the mode."), field="mode")
    one_subject(subject_person, subject_organization)
    perms = OversightPermissions(actor, organization)
    grant = perms.require("open_confidential" if mode == Mode.VIOLATION else "open_case")
    title = clean(title)
    if not title:
        raise DomainError(_("Give the case a title."), field="title")
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="open"):
        return Case.objects.create(
            organization=organization, year=year, kind=kind, mode=mode, title=title, content=clean(content),
            subject_person=subject_person, subject_organization=subject_organization,
            programme_item=programme_item, created_by_id=actor.user_id,
        )  # fmt: skip


def _check_step(case: Case, step: str, issued_on: dt.date, number: int | None, summary: str,
                file: UploadedFile | None, leader, team: list) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    """The step comes next in order, its date is not before the step before, and it carries what it needs."""
    allowed = rules.next_steps(case.step)
    if step not in allowed:
        if step not in STEP_ORDER:
            raise DomainError(_("Unknown step."), field="step")
        wanted = str(_(" or ")).join(str(Step(s).label) for s in allowed) or _("nothing: the case is closed")
        raise DomainError(
            _("“%(step)s” cannot be recorded now: the next step is %(next)s.")
            % {"step": Step(step).label, "next": wanted},
            field="step",
        )
    if issued_on > timezone.localdate():
        raise DomainError(_("The date is in the future: record a step once its document is issued."), field="issued_on")
    last = case.documents.order_by("-issued_on").values_list("issued_on", flat=True).first()
    if last is not None and issued_on < last:
        raise DomainError(
            _("The date is before the step before it (%(date)s).") % {"date": last.strftime("%d/%m/%Y")},
            field="issued_on",
        )
    if step in NUMBERED and number is None:
        raise DomainError(_("Give the document's number."), field="number")
    if step == Step.SELF_REPORT and file is None and not summary:
        raise DomainError(_("Upload the self-report or write it in."), field="summary")
    if step == Step.DECISION and (leader is None or not team):
        raise DomainError(_("Name the team's leader and members."), field="leader")
    if step == Step.CONCLUSION:  # every remedy's period is known before anything is written (or stored)
        periods = rules_for(issued_on.year)
        for severity in case.findings.exclude(severity=Severity.STRENGTH).values_list("severity", flat=True).distinct():
            if periods.remedy_period(severity) is None:
                raise DomainError(_("The period to remedy a %(severity)s is not set: ask an administrator.")
                                  % {"severity": Severity(severity).label.lower()})  # fmt: skip
    check_document(file)


@actor_scoped
def case_record_step(
    *, actor: Actor, case: Case, step: str, issued_on: dt.date, number: int | None = None, issuer: str = "",
    summary: str = "", file: UploadedFile | None = None, leader=None, team: Iterable = (),  # type: ignore[no-untyped-def]
) -> CaseDocument:  # fmt: skip
    """Record the next step of a case with its document. Refused, writing nothing: a step out of order (a
    conclusion before the results report), a date before the step before, a missing number or content."""
    summary, team = clean(summary), list(team)
    with transaction.atomic():
        fresh = cross_scope.case_for_update(case.pk)
        _check_step(fresh, step, issued_on, number, summary, file, leader, team)
        grant = CasePermissions(actor, fresh).require("record")
        with audit.acting(actor, grant=grant, reason=step):
            doc = CaseDocument.objects.create(
                case=fresh, step=step, number=number, doc_type=STEP_DOC_TYPES[step], issuer=clean(issuer),
                issued_on=issued_on, summary=summary, file=file or "", created_by_id=actor.user_id,
            )  # fmt: skip
            fresh.step = step
            if step == Step.DECISION:
                fresh.leader = leader
                fresh.team.set({*team, leader})
            elif step == Step.NOTIFICATION:
                fresh.notified_on = issued_on
            elif step == Step.CONCLUSION:
                fresh.status = CaseStatus.CONCLUDED
                _raise_remedies(actor, fresh, issued_on, doc)
            elif step == Step.NOTICE:
                fresh.status = CaseStatus.CLOSED
            fresh.save()
    return doc


def _raise_remedies(actor: Actor, case: Case, concluded_on: dt.date, doc: CaseDocument) -> None:
    """Each recommendation of a shortcoming or a violation becomes a shortcoming to remedy, tracked by the
    committee, due by the year's period for its severity (inside the conclusion's transaction)."""
    periods = rules_for(concluded_on.year)
    # A case on signs of violation is confidential: its remedies do not carry its title.
    label = (
        _("Conclusion %(symbol)s") % {"symbol": doc.symbol}
        if case.is_confidential
        else _("Conclusion %(symbol)s: %(title)s") % {"symbol": doc.symbol, "title": case.title}
    )
    for finding in case.findings.exclude(severity=Severity.STRENGTH).select_related("owner_person__party_cell"):
        days = periods.remedy_period(finding.severity) or 0  # checked before the document was written
        owner_unit = finding.owner_organization
        if owner_unit is None and finding.owner_person is not None and not case.is_confidential:
            # A member's remedy is followed by their cell too (and counted there on the dashboard); a
            # confidential case's stays with the member and the inspection side.
            owner_unit = finding.owner_person.party_cell
        remediation_services.remediation_raise(
            actor=actor, organization=case.organization, source=RemediationSource.INSPECTION, year=concluded_on.year,
            description=finding.recommendation or finding.condition, person=finding.owner_person,
            owner_organization=owner_unit, severity=finding.severity,
            due_date=concluded_on + dt.timedelta(days=days), source_ref=finding.source_ref,
            source_label=label,
        )  # fmt: skip


@actor_scoped
def finding_add(
    *, actor: Actor, case: Case, condition: str, severity: str, criterion=None, cause: str = "",  # type: ignore[no-untyped-def]
    consequence: str = "", recommendation: str = "", owner_person=None, owner_organization=None,  # type: ignore[no-untyped-def]
) -> Finding:  # fmt: skip
    """Record what the team found. A shortcoming or a violation needs a recommendation and who remedies it
    (by default the subject); findings are recorded once the self-report is in, until the conclusion."""
    condition, recommendation = clean(condition), clean(recommendation)
    if not condition:
        raise DomainError(_("Say what was found."), field="condition")
    if severity not in Severity.values:
        raise DomainError(_("Choose a strength, a shortcoming or a violation."), field="severity")
    if owner_person is None and owner_organization is None:
        owner_person, owner_organization = case.subject_person, case.subject_organization
    if severity != Severity.STRENGTH and not recommendation:
        raise DomainError(_("Say what is recommended to remedy it."), field="recommendation")
    with transaction.atomic():
        fresh = cross_scope.case_for_update(case.pk)
        if fresh.status != CaseStatus.OPEN:
            raise DomainError(_("The case is concluded: findings can no longer be added."))
        if not fresh.step or STEP_ORDER.index(fresh.step) < STEP_ORDER.index(Step.SELF_REPORT):
            raise DomainError(_("Record findings once the subject's self-report is in."))
        grant = CasePermissions(actor, fresh).require("find")
        with audit.acting(actor, grant=grant, reason="finding"):
            return Finding.objects.create(
                case=fresh, condition=condition, criterion=criterion, cause=clean(cause),
                consequence=clean(consequence), severity=severity, recommendation=recommendation,
                owner_person=owner_person, owner_organization=owner_organization, created_by_id=actor.user_id,
            )  # fmt: skip
