"""Closing a year for a subtree (from a committee), and lifting the lock (from the level above)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.organizations.models import Organization
from lamtheo.rulebook import selectors as rulebook_selectors

from .. import cross_scope, rules
from ..models import YearLock
from ..policies import CockpitPermissions
from . import _common
from .evaluation import quota_counts


def _check_lockable(organization: Organization, year: int, grassroots: list[Organization]) -> None:
    """Not locked yet, every proposed grade decided, every member rated or excused with a reason, no
    grassroots organization over its quota."""
    if _common.locked_by(cell=organization, year=year) is not None:
        raise DomainError(_("%(year)s is already locked.") % {"year": year})
    undecided = cross_scope.undecided_grades_under(organization.path, year)
    if undecided:
        raise DomainError(
            _("%(n)s proposed grades are not decided yet: decide them before locking.") % {"n": undecided}
        )
    unrated = cross_scope.unrated_members_under(organization.path, year)
    if unrated:
        shown = ", ".join(unrated[:5]) + (" …" if len(unrated) > 5 else "")
        raise DomainError(
            _("%(n)s members are neither rated nor excused from rating (%(names)s): decide their grades, or "
              "record why they are not rated, before locking.") % {"n": len(unrated), "names": shown}
        )  # fmt: skip
    scheme = rulebook_selectors.evaluation_scheme_for_year(year)
    for unit in grassroots:
        quota = rules.quota_of(scheme, quota_counts(grassroots=unit, year=year)) if scheme else None
        if quota is not None and not quota.ok:
            raise DomainError(
                _("%(org)s is over its quota of excellent (%(count)s of at most %(limit)s): correct it "
                  "before locking.") % {"org": unit.name, "count": quota.count, "limit": quota.limit}
            )  # fmt: skip


@actor_scoped
def year_lock(*, actor: Actor, organization: Organization, year: int) -> YearLock:
    """Close `year` for the organization's subtree: plans, assessments, comments and grades stop changing.
    Only a committee (not a cell) locks, once the year has started, every proposed grade is decided and no
    grassroots organization is over its quota."""
    grant = CockpitPermissions(actor, organization).require("lock")
    if year > _common.today().year:
        raise DomainError(_("A year can be locked once it has started."), field="year")
    try:
        with transaction.atomic(), audit.acting(actor, grant=grant, reason="lock year"):
            # Grades are saved under a lock on their grassroots organization's row: take those rows first, so
            # that the checks below (done once, here) see settled grades and no grade is saved meanwhile.
            grassroots = cross_scope.lock_grassroots_rows_under(organization.path)
            _check_lockable(organization, year, grassroots)
            return YearLock.objects.create(organization=organization, year=year, locked_by_id=actor.user_id)
    except IntegrityError as exc:
        raise DomainError(_("%(year)s is already locked.") % {"year": year}) from exc


@actor_scoped
def year_unlock(*, actor: Actor, lock: YearLock) -> None:
    """Lift a lock (from the level above the organization that locked), e.g. to correct a grade."""
    grant = CockpitPermissions(actor, lock.organization).require("unlock")
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="unlock year"):
        cross_scope.lock_delete(lock.pk)
