"""Party discipline: the inspection commission records a measure with its decision."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError, NotFound
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean

from ..models import MEMBER_MEASURES, ORGANIZATION_MEASURES, DisciplinaryMeasure, Finding, MeasureKind
from ..policies import OversightPermissions
from ._common import one_subject


@actor_scoped
def measure_record(
    *, actor: Actor, organization, measure: str, number: int | None, issuer: str, decided_on: dt.date,  # type: ignore[no-untyped-def]
    effective_from: dt.date, violation: str, effective_to: dt.date | None = None, person=None,  # type: ignore[no-untyped-def]
    subject_organization=None, finding: Finding | None = None,  # type: ignore[no-untyped-def]
) -> DisciplinaryMeasure:  # fmt: skip
    """Record a disciplinary measure on a member (reprimand, warning, removal from post, expulsion) or on a
    party organization (reprimand, warning, dissolution). It reaches the member's evaluation of every year it
    is in force, where it caps the grade."""
    if not actor.can_see(organization.path):
        raise NotFound(_("Unknown organization."), field="organization")
    one_subject(person, subject_organization, field="person")
    if measure not in MeasureKind.values:
        raise DomainError(_("Choose the measure."), field="measure")
    allowed = MEMBER_MEASURES if person is not None else ORGANIZATION_MEASURES
    if measure not in allowed:
        raise DomainError(
            _("“%(measure)s” is not a measure for %(whom)s.") % {
                "measure": MeasureKind(measure).label,
                "whom": _("a party member") if person is not None else _("a party organization"),
            },
            field="measure",
        )  # fmt: skip
    if number is None or not clean(issuer):
        raise DomainError(_("Give the decision's number and issuing body."), field="number")
    if effective_from < decided_on:
        raise DomainError(_("The measure takes effect before it was decided."), field="effective_from")
    if effective_to is not None and effective_to < effective_from:
        raise DomainError(_("The measure ends before it takes effect."), field="effective_to")
    violation = clean(violation)
    if not violation:
        raise DomainError(_("Say what the violation was."), field="violation")
    grant = OversightPermissions(actor, organization).require("discipline")
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="discipline"):
        return DisciplinaryMeasure.objects.create(
            organization=organization, person=person, subject_organization=subject_organization, measure=measure,
            number=number, issuer=clean(issuer), decided_on=decided_on, effective_from=effective_from,
            effective_to=effective_to, violation=violation, finding=finding, created_by_id=actor.user_id,
        )  # fmt: skip
