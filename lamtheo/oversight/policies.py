"""Who may plan, conduct and read inspections and supervision, and who reads confidential matters: one
permission class per kind of record (core.permissions). Nothing else in the code base restates these rules.

Confidentiality: a case on signs of violation and every disciplinary measure are read only by holders of
`oversight.view_confidential` over the owning committee (the inspection side of that committee and of the
committees above), and by their subject once notified. Every such reading is recorded (`ConfidentialAccess`).
"""

from __future__ import annotations

from typing import ClassVar

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.permissions import Permissions
from lamtheo.organizations.models import Organization

from .models import Case, CaseStatus, DisciplinaryMeasure, Mode, Programme, ProgrammeStatus, Step, Supervision

VIEW_CASE = "oversight.view_case"
ADD_CASE = "oversight.add_case"
CHANGE_CASE = "oversight.change_case"
CONFIDENTIAL = "oversight.view_confidential"
ADD_PROGRAMME = "oversight.add_programme"
CHANGE_PROGRAMME = "oversight.change_programme"
ADD_MEASURE = "oversight.add_disciplinarymeasure"
VIEW_SUPERVISION = "oversight.view_supervision"
ADD_SUPERVISION = "oversight.add_supervision"
CHANGE_SUPERVISION = "oversight.change_supervision"
READERS = (VIEW_CASE, CHANGE_CASE, CONFIDENTIAL)
# Findings come from the team's work on the subject's self-report: not before it is in.
STEPS_BEFORE_FINDINGS = (Step.DECISION, Step.PLAN, Step.NOTIFICATION)


class OversightPermissions(Permissions):
    """What one actor may start at one organization: a programme, a case, a measure, a supervision."""

    messages: ClassVar = {
        "plan": _("You may not draw up the inspection programme of this organization."),
        "open_case": _("You may not open inspections or supervision for this organization."),
        "open_confidential": _("Only the inspection side may open a case on signs of violation."),
        "discipline": _("You may not record disciplinary measures for this organization."),
        "follow_up": _("You may not follow up the inspections of this organization."),
        "supervise": _("You may not open supervision for this organization."),
    }

    def __init__(self, actor: Actor, organization: Organization) -> None:
        super().__init__(actor, organization)
        self.organization = organization

    def can_plan(self) -> Grant | None:
        """A programme is drawn up by holders of add_programme over the committee (or cell)."""
        return self.actor.grant_for(ADD_PROGRAMME, self.organization.path)

    def can_open_case(self) -> Grant | None:
        """Cases are opened by holders of add_case over the conducting committee."""
        return self.actor.grant_for(ADD_CASE, self.organization.path)

    def can_open_confidential(self) -> Grant | None:
        """A case on signs of violation also needs the confidential reading right over the committee."""
        if self.actor.grant_for(CONFIDENTIAL, self.organization.path) is None:
            return None
        return self.can_open_case()

    def can_discipline(self) -> Grant | None:
        """Measures are recorded by the inspection side: add_disciplinarymeasure over the deciding body."""
        return self.actor.grant_for(ADD_MEASURE, self.organization.path)

    def can_follow_up(self) -> Grant | None:
        """The follow-up dashboard of an organization: readers of inspections over it."""
        return self.actor.grant_for(VIEW_CASE, self.organization.path)

    def can_supervise(self) -> Grant | None:
        """The Front or a mass organization opens supervision: add_supervision over the organization."""
        return self.actor.grant_for(ADD_SUPERVISION, self.organization.path)


class ProgrammePermissions(Permissions):
    """What one actor may do to one programme: add items while it is a draft, adopt it."""

    messages: ClassVar = {
        "change": _("You may not change this programme."),
        "adopt": _("You may not adopt this programme."),
    }

    def __init__(self, actor: Actor, programme: Programme) -> None:
        super().__init__(actor, programme)
        self.programme = programme

    def can_view(self) -> Grant | None:
        """Readers of inspections over the committee read its programme."""
        return self.actor.grant_for_any((*READERS, CHANGE_PROGRAMME), self.programme.organization.path)

    def can_change(self) -> Grant | None:
        """A draft programme is written by holders of change_programme over the committee."""
        if self.programme.status != ProgrammeStatus.DRAFT:
            return None
        return self.actor.grant_for(CHANGE_PROGRAMME, self.programme.organization.path)

    def can_adopt(self) -> Grant | None:
        """The committee adopts a draft with at least one item (recorded by whoever may change it)."""
        return self.can_change()

    @staticmethod
    def visible(actor: Actor) -> Q | None:
        """The rule of `can_view` as a filter (None: every programme in scope)."""
        if actor.is_tree_admin:
            return None
        visible = Q(pk__in=[])
        for path in actor.paths_with(*READERS, CHANGE_PROGRAMME):
            visible |= Q(organization__path__startswith=path)
        return visible

    def can_open_case(self) -> Grant | None:
        """A case starts from an item of an adopted programme, by whoever opens cases there."""
        if self.programme.status != ProgrammeStatus.ADOPTED:
            return None
        return OversightPermissions(self.actor, self.programme.organization).can_open_case()


class CasePermissions(Permissions):
    """What one actor may do to one case: read it, record its steps and findings."""

    messages: ClassVar = {
        "record": _("You may not record the steps of this case."),
        "find": _("You may not record findings of this case."),
    }

    def __init__(self, actor: Actor, case: Case) -> None:
        super().__init__(actor, case)
        self.case = case

    @property
    def _path(self) -> str:
        return self.case.organization.path

    def _subject_grant(self) -> Grant | None:
        """Once notified, the member inspected reads the case about them."""
        person_id = self.actor.person_id
        if self.case.notified_on is None or person_id is None or person_id != self.case.subject_person_id:
            return None
        org = self.case.organization
        return self.actor.own_grant(org_id=org.pk, org_path=org.path, org_name=org.name)

    def can_view(self) -> Grant | None:
        """A case on signs of violation: the inspection side of the committee and above, and the subject
        once notified. Any other case: the readers of inspections over the committee, the subject once
        notified, and the officers of the unit inspected once it is notified."""
        if self.case.mode == Mode.VIOLATION:
            return self.actor.grant_for(CONFIDENTIAL, self._path) or self._subject_grant()
        grant = self.actor.grant_for_any(READERS, self._path) or self._subject_grant()
        if grant is None and self.case.notified_on and self.case.subject_organization_id:
            grant = self.actor.grant_for_any(READERS, self.case.subject_organization.path)
        return grant

    def can_record(self) -> Grant | None:
        """Steps of an open case are recorded by holders of change_case over the committee (and, on a case
        on signs of violation, the confidential right too)."""
        if self.case.status == CaseStatus.CLOSED:
            return None
        if self.case.mode == Mode.VIOLATION and self.actor.grant_for(CONFIDENTIAL, self._path) is None:
            return None
        return self.actor.grant_for(CHANGE_CASE, self._path)

    def can_read_access_log(self) -> Grant | None:
        """Who opened a confidential case is shown to the inspection side of the owning committee and above,
        closed cases included."""
        if not self.case.is_confidential:
            return None
        return self.actor.grant_for(CONFIDENTIAL, self._path)

    def can_find(self) -> Grant | None:
        """Findings are recorded by the same people, once the subject's self-report is in and until the
        conclusion."""
        if self.case.status != CaseStatus.OPEN or self.case.step in ("", *STEPS_BEFORE_FINDINGS):
            return None
        return self.can_record()

    @staticmethod
    def visible(actor: Actor) -> Q | None:
        """The rule of `can_view` as a filter on cases in scope (None: every case in scope)."""
        if actor.is_tree_admin:
            return None
        open_ = Q(pk__in=[])
        for path in actor.paths_with(*READERS):
            open_ |= Q(organization__path__startswith=path)
        secret = Q(pk__in=[])
        for path in actor.paths_with(CONFIDENTIAL):
            secret |= Q(organization__path__startswith=path)
        for path in actor.paths_with(*READERS):  # the unit inspected, once notified
            open_ |= Q(subject_organization__path__startswith=path, notified_on__isnull=False)
        visible = (~Q(mode=Mode.VIOLATION) & open_) | (Q(mode=Mode.VIOLATION) & secret)
        if actor.person_id is not None:
            visible |= Q(subject_person_id=actor.person_id, notified_on__isnull=False)
        return visible


class MeasurePermissions(Permissions):
    """Who reads a disciplinary measure: the inspection side over the deciding body, and the member."""

    messages: ClassVar = {}

    def __init__(self, actor: Actor, measure: DisciplinaryMeasure) -> None:
        super().__init__(actor, measure)
        self.measure = measure

    def can_view(self) -> Grant | None:
        """Confidential: the inspection side of the deciding body and above, and the member concerned."""
        org = self.measure.organization
        grant = self.actor.grant_for(CONFIDENTIAL, org.path)
        if (
            grant is None
            and self.actor.person_id is not None
            and self.actor.person_id == self.measure.person_id
        ):
            grant = self.actor.own_grant(org_id=org.pk, org_path=org.path, org_name=org.name)
        return grant

    @staticmethod
    def visible(actor: Actor) -> Q | None:
        """The rule of `can_view` as a filter (None: every measure in scope)."""
        if actor.is_tree_admin:
            return None
        visible = Q(pk__in=[])
        for path in actor.paths_with(CONFIDENTIAL):
            visible |= Q(organization__path__startswith=path)
        if actor.person_id is not None:
            visible |= Q(person_id=actor.person_id)
        return visible


class SupervisionPermissions(Permissions):
    """What one actor may do to one Front supervision: the Front and the Party committee above read it and
    the Front records opinions and recommendations; the cadre supervised reads it."""

    messages: ClassVar = {"change": _("You may not record this supervision.")}

    def __init__(self, actor: Actor, supervision: Supervision) -> None:
        super().__init__(actor, supervision)
        self.supervision = supervision

    def can_view(self) -> Grant | None:
        """The supervising organization's officers, the Party committee above it (readers of inspections),
        and the cadre supervised."""
        org = self.supervision.organization
        grant = self.actor.grant_for_any((VIEW_SUPERVISION, CHANGE_SUPERVISION, *READERS), org.path)
        person_id = self.actor.person_id
        if grant is None and person_id is not None and person_id == self.supervision.subject_person_id:
            grant = self.actor.own_grant(org_id=org.pk, org_path=org.path, org_name=org.name)
        return grant

    def can_change(self) -> Grant | None:
        """Opinions and recommendations are recorded by holders of change_supervision over the organization."""
        return self.actor.grant_for(CHANGE_SUPERVISION, self.supervision.organization.path)

    @staticmethod
    def visible(actor: Actor) -> Q | None:
        """The rule of `can_view` as a filter (None: every supervision in scope)."""
        if actor.is_tree_admin:
            return None
        visible = Q(pk__in=[])
        for path in actor.paths_with(VIEW_SUPERVISION, CHANGE_SUPERVISION, *READERS):
            visible |= Q(organization__path__startswith=path)
        if actor.person_id is not None:
            visible |= Q(subject_person_id=actor.person_id)
        return visible
