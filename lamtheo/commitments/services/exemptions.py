"""Members not rated in a year (Quy định 124, Điều 5 khoản 2: exempted from party work and activities,
suspended, admitted less than six months ago): the cell records the reason from the year's scheme, so that
the committee can lock the year with every member rated or excused."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean
from lamtheo.organizations.models import Person
from lamtheo.rulebook import selectors as rulebook_selectors

from .. import cross_scope
from ..models import GradingExemption
from ..policies import GradingExemptionPermissions
from . import _common


@actor_scoped
def grading_exemption_record(
    *, actor: Actor, person: Person, year: int, reason: str, note: str = ""
) -> GradingExemption:
    """The member's cell records why the member is not rated in `year`: a reason from the year's scheme and
    details. Refused, writing nothing: a person who is not a party member of an open cell, a reason the scheme
    does not list, a member already graded or already excused, a locked year."""
    cell = person.party_cell
    if not person.is_party_member or cell is None:
        raise DomainError(_("Only a party member with a party cell on record is rated."), field="person")
    with transaction.atomic():
        _common.check_unlocked(cell, year)
        grant = GradingExemptionPermissions(actor, person_id=person.pk, cell=cell).require("record")
        scheme = rulebook_selectors.evaluation_scheme_for_year(year)
        if scheme is None:
            raise DomainError(
                _("No evaluation scheme covers %(year)s: ask an administrator.") % {"year": year}
            )
        if reason not in {e["code"] for e in scheme.exemptions}:
            raise DomainError(_("Choose a reason from the list of the evaluation rules."), field="reason")
        if cross_scope.member_graded(person.pk, year):
            raise DomainError(
                _("%(name)s already has a grade for %(year)s: a graded member is not excused.")
                % {"name": person.full_name, "year": year},
                field="reason",
            )
        try:
            with transaction.atomic(), audit.acting(actor, grant=grant, reason="rating exemption"):
                return GradingExemption.objects.create(
                    person=person, year=year, cell=cell, scheme=scheme, reason=reason, note=clean(note)[:500],
                    recorded_by_id=actor.user_id,
                )  # fmt: skip
        except IntegrityError as exc:
            raise DomainError(
                _("%(name)s is already excused from rating in %(year)s.")
                % {"name": person.full_name, "year": year}
            ) from exc


@actor_scoped
def grading_exemption_withdraw(*, actor: Actor, exemption: GradingExemption) -> None:
    """Withdraw an exemption recorded by mistake (the member is then rated), in an open year."""
    with transaction.atomic():
        _common.check_unlocked(exemption.cell, exemption.year)
        grant = GradingExemptionPermissions(
            actor, person_id=exemption.person_id, cell=exemption.cell
        ).require("record")
        with audit.acting(actor, grant=grant, reason="rating exemption withdrawn"):
            exemption.delete()
