"""Reads of inspection and supervision (every other context reads them through here)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.evidence import EvidenceEntry
from lamtheo.core.permissions import actor_scoped, get_or_404
from lamtheo.core.text import fold, search_q
from lamtheo.organizations import selectors as org_selectors
from lamtheo.remediation import selectors as remediation_selectors
from lamtheo.rulebook import selectors as rulebook_selectors

from . import cross_scope, rules
from .models import (
    Case,
    CaseDocument,
    CaseStatus,
    ConfidentialAccess,
    DisciplinaryMeasure,
    Finding,
    Programme,
    ProgrammeItem,
    Supervision,
)
from .policies import (
    ADD_SUPERVISION,
    CHANGE_SUPERVISION,
    CasePermissions,
    MeasurePermissions,
    ProgrammePermissions,
    SupervisionPermissions,
)


def _log_access(actor: Actor, record: str, organization, grant: Grant) -> None:  # type: ignore[no-untyped-def]
    """Reading a confidential record is itself recorded: who, when, in which role."""
    if actor.user_id is None:
        return
    ConfidentialAccess.objects.create(
        organization=organization, record=record, user_id=actor.user_id, role=grant.role_code
    )


def _filtered(qs: QuerySet, visible: Q | None) -> QuerySet:  # type: ignore[type-arg]
    return qs if visible is None else qs.filter(visible)


@actor_scoped
def acting_units(*, actor: Actor, perm: str) -> QuerySet:  # type: ignore[type-arg]
    """The organizations where the actor holds a role carrying `perm`: those they act for (conduct a case,
    adopt a programme, decide a measure, supervise) — the unit of the role itself, not its subtree."""
    ids = [g.org_id for g in actor.grants if g.carries(perm)]
    return org_selectors.organization_choices().filter(pk__in=ids)


@actor_scoped
def case_list(
    *, actor: Actor, status: str = "", kind: str = "", mode: str = "", year: int | None = None
) -> QuerySet[Case]:
    """Cases in the actor's scope that they may read, newest first."""
    qs = _filtered(
        Case.objects.select_related("organization", "subject_person", "subject_organization"),
        CasePermissions.visible(actor),
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if mode:
        qs = qs.filter(mode=mode)
    if year:
        qs = qs.filter(year=year)
    return qs


@actor_scoped
def repeat_findings(*, actor: Actor, root, limit: int = 20) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    """The same criterion failing again at the same unit (in more than one case) under `root`: the unit,
    the criterion and in how many cases, most repeated first."""
    rows = list(
        Finding.objects.filter(criterion__isnull=False, case__in=case_list(actor=actor).values("pk"))
        .filter(case__organization__path__startswith=root.path)
        .exclude(severity="strength")
        .annotate(unit=Coalesce("owner_organization_id", "case__subject_organization_id"))
        .filter(unit__isnull=False)  # a finding on a person alone is not a unit's repeat
        .values("unit", "criterion")
        .annotate(cases=Count("case", distinct=True))
        .filter(cases__gt=1)
        .order_by("-cases", "unit", "criterion")[:limit]
    )
    names = dict(org_selectors.organization_choices().filter(pk__in={r["unit"] for r in rows}).values_list("id", "name"))
    titles = {c.pk: c for c in rulebook_selectors.criteria_by_ids({r["criterion"] for r in rows})}
    return [
        {"unit": names.get(r["unit"], ""), "criterion": titles.get(r["criterion"]), "cases": r["cases"]}
        for r in rows
    ]


@actor_scoped
def case_for_actor(*, actor: Actor, pk: int | str) -> Case:
    """One case the actor may read, or 404 alike for missing and not theirs; a confidential case's reading
    is recorded."""
    case = get_or_404(
        Case.objects.select_related("organization", "subject_person", "subject_organization", "leader"), pk=pk
    )
    grant = CasePermissions(actor, case).can_view()
    if grant is None:
        raise Http404
    if case.is_confidential:
        _log_access(actor, f"oversight.case:{case.pk}", case.organization, grant)
    return case


@actor_scoped
def case_documents(*, actor: Actor, case: Case) -> list[CaseDocument]:
    """The documents of a case's steps, in order."""
    return list(CaseDocument.objects.filter(case=case).order_by("issued_on", "id"))


@actor_scoped
def case_document_for_actor(*, actor: Actor, pk: int | str) -> CaseDocument:
    """One document of a case the actor may read (its file is downloaded through here), or 404."""
    doc = get_or_404(CaseDocument.objects.select_related("case"), pk=pk)
    case_for_actor(actor=actor, pk=doc.case_id)
    return doc


@actor_scoped
def case_findings(*, actor: Actor, case: Case) -> list[Finding]:
    """The findings of a case."""
    return list(
        Finding.objects.filter(case=case).select_related("criterion", "owner_person", "owner_organization")
    )


@actor_scoped
def case_next_step(*, actor: Actor, case: Case, documents: list[CaseDocument]) -> dict:  # type: ignore[type-arg]
    """The steps that may come next and when the next is due (the period of the case's mode, rulebook)."""
    allowed = rules.next_steps(case.step)
    periods = rulebook_selectors.oversight_rules_for(case.year)
    last = documents[-1].issued_on if documents else None
    due = None
    if allowed and periods is not None:
        due = rules.step_due(last, periods.step_period(case.mode, allowed[-1]), rulebook_selectors.add_working_days)
    return {"steps": allowed, "due": due}


@actor_scoped
def cases_in_progress(*, actor: Actor, limit: int = 50) -> list[tuple[Case, tuple, dt.date | None]]:
    """Cases in progress (or concluded, awaiting the notice) whose steps the actor records, each with the
    steps that may come next and when the next is due (the last document's date read in the same query; the
    year's periods once per year; the public holidays once)."""
    cases = [
        case
        for case in case_list(actor=actor)
        .filter(status__in=(CaseStatus.OPEN, CaseStatus.CONCLUDED))
        .annotate(last_on=Max("documents__issued_on"))
        .order_by("created_at")[:limit]
        if CasePermissions(actor, case).can_record() is not None  # only the cases the person records
    ]
    if not cases:
        return []
    first = min(c.last_on or dt.date(c.year, 1, 1) for c in cases)
    holidays = rulebook_selectors.holiday_set(first, first + dt.timedelta(days=730))
    periods: dict[int, object] = {}
    out = []
    for case in cases:
        steps = rules.next_steps(case.step)
        if case.year not in periods:
            periods[case.year] = rulebook_selectors.oversight_rules_for(case.year)
        rule = periods[case.year]
        period = rule.step_period(case.mode, steps[-1]) if rule is not None else None  # type: ignore[attr-defined]
        due = rules.step_due(case.last_on, period, lambda d, n: rulebook_selectors.add_working_days(d, n, holidays))
        out.append((case, steps, due))
    return out


@actor_scoped
def case_access_log(*, actor: Actor, case: Case) -> QuerySet[ConfidentialAccess]:
    """Who opened a confidential case (shown to the inspection side only)."""
    return ConfidentialAccess.objects.filter(record=f"oversight.case:{case.pk}").select_related("user")[:50]


@actor_scoped
def programme_list(*, actor: Actor, year: int | None = None) -> QuerySet[Programme]:
    """Programmes in scope the actor may read."""
    qs = _filtered(
        Programme.objects.select_related("organization").annotate(item_count=Count("items")),
        ProgrammePermissions.visible(actor),
    ).order_by("-year", "organization__path", "id")
    return qs.filter(year=year) if year else qs


@actor_scoped
def programme_for_actor(*, actor: Actor, pk: int | str) -> Programme:
    """One programme the actor may read, or 404."""
    programme = get_or_404(Programme.objects.select_related("organization"), pk=pk)
    if ProgrammePermissions(actor, programme).can_view() is None:
        raise Http404
    return programme


@actor_scoped
def programme_items(*, actor: Actor, programme: Programme) -> list[ProgrammeItem]:
    """The items of a programme with how many cases each has started."""
    return list(
        ProgrammeItem.objects.filter(programme=programme)
        .select_related("subject_person", "subject_organization")
        .annotate(case_count=Count("cases"))
    )


@actor_scoped
def programme_item_for_actor(*, actor: Actor, pk: int | str) -> ProgrammeItem:
    """One programme item the actor may read, or 404."""
    item = get_or_404(ProgrammeItem.objects.select_related("programme__organization"), pk=pk)
    if ProgrammePermissions(actor, item.programme).can_view() is None:
        raise Http404
    return item


@actor_scoped
def measure_list(*, actor: Actor) -> QuerySet[DisciplinaryMeasure]:
    """Disciplinary measures the actor may read (the inspection side; a member their own)."""
    return _filtered(
        DisciplinaryMeasure.objects.select_related("organization", "person", "subject_organization"),
        MeasurePermissions.visible(actor),
    )


@actor_scoped
def measure_for_actor(*, actor: Actor, pk: int | str) -> DisciplinaryMeasure:
    """One measure the actor may read, or 404; the reading is recorded."""
    measure = get_or_404(
        DisciplinaryMeasure.objects.select_related("organization", "person", "subject_organization", "finding"),
        pk=pk,
    )
    grant = MeasurePermissions(actor, measure).can_view()
    if grant is None:
        raise Http404
    _log_access(actor, f"oversight.measure:{measure.pk}", measure.organization, grant)
    return measure


def _communities(actor: Actor) -> list[str]:
    """The communities of the organizations where the actor supervises: the ward a Front committee belongs
    to (a role granted on a Party unit supervises within that unit)."""
    ids = [g.org_id for g in actor.grants if g.carries(ADD_SUPERVISION) or g.carries(CHANGE_SUPERVISION)]
    return cross_scope.community_roots(ids) if ids else []


@actor_scoped
def supervisable_people(*, actor: Actor, q: str = "") -> QuerySet:  # type: ignore[type-arg]
    """Whom the actor's Front committee may supervise: the people of its community, by name or code."""
    qs = cross_scope.community_people(_communities(actor)).select_related("party_cell")
    folded = fold(q)
    if folded:
        qs = qs.filter(search_q("search_name", folded) | Q(code__iexact=q.strip()))
    return qs.order_by("search_name", "id")


@actor_scoped
def supervisable_units(*, actor: Actor, q: str = "") -> QuerySet:  # type: ignore[type-arg]
    """The units of the actor's Front committee's community, by name or code."""
    qs = cross_scope.community_units(_communities(actor))
    folded = fold(q)
    if folded:
        qs = qs.filter(search_q("search_name", folded) | Q(code__iexact=q.strip()))
    return qs.order_by("path")


@actor_scoped
def front_recommendations_late(*, actor: Actor, today: dt.date) -> dict:  # type: ignore[type-arg]
    """How many of the recommendations of the actor's Front committees are still unanswered past their reply
    deadline, and the oldest deadline (read through remediation, which tracks them)."""
    units = acting_units(actor=actor, perm=CHANGE_SUPERVISION)
    return remediation_selectors.remediation_overdue_count(actor=actor, organizations=units, source="front", today=today)


@actor_scoped
def supervision_list(*, actor: Actor) -> QuerySet[Supervision]:
    """Front supervisions the actor may read."""
    return _filtered(
        Supervision.objects.select_related("organization", "subject_person", "subject_organization", "criteria_set"),
        SupervisionPermissions.visible(actor),
    )


@actor_scoped
def supervision_for_actor(*, actor: Actor, pk: int | str) -> Supervision:
    """One supervision the actor may read, or 404."""
    supervision = get_or_404(
        Supervision.objects.select_related("organization", "subject_person", "subject_organization", "criteria_set"),
        pk=pk,
    )
    if SupervisionPermissions(actor, supervision).can_view() is None:
        raise Http404
    return supervision


@actor_scoped
def discipline_evidence(*, actor: Actor, person_id: int, year: int) -> list[EvidenceEntry]:
    """Evidence provider: the disciplinary measures on the member in force during `year`. Each caps the grade
    by the scheme's "discipline" disqualifier (applied by the evaluation itself, named on its screen)."""
    return [
        EvidenceEntry(
            title=_("%(measure)s — decision %(symbol)s of %(date)s")
            % {"measure": m.get_measure_display(), "symbol": m.symbol, "date": m.decided_on.strftime("%d/%m/%Y")},
            detail=m.organization.name, date=m.decided_on, caps="discipline",
        )
        for m in cross_scope.measures_in_year(person_id, year)
    ]  # fmt: skip
