"""The year's quality rating of party organizations (Quy định 124 / 366 rate collectives on the same four
grades): the organization's own committee proposes, the committee the scheme names decides, under that
committee's quota of "excellent"; a head's personal grade may not be above the organization they head."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.organizations.models import Organization
from lamtheo.rulebook import selectors as rulebook_selectors
from lamtheo.rulebook.models import GRADE_ORDER, EvaluationScheme

from .. import cross_scope, rules
from ..models import OrganizationRating
from ..policies import OrganizationRatingPermissions
from . import _common


def rating_scheme(year: int) -> EvaluationScheme:
    """The year's scheme, which must say how organizations are rated."""
    scheme = rulebook_selectors.evaluation_scheme_for_year(year)
    if scheme is None or not scheme.organizations:
        raise DomainError(
            _("The evaluation rules of %(year)s do not rate organizations: ask an administrator.") % {"year": year}
        )
    return scheme


def _check(scheme: EvaluationScheme, organization: Organization, grade: str) -> Organization:
    """A party organization the scheme rates, its deciding committee, a known grade."""
    if organization.kind not in scheme.organizations.get("kinds", []) or organization.is_closed:
        raise DomainError(_("Only open party organizations are rated."))
    decider = cross_scope.rating_decider(organization)
    if decider is None:
        raise DomainError(
            _("%(org)s is above the grassroots level: its rating is not decided here.") % {"org": organization.name}
        )
    if grade not in GRADE_ORDER:
        raise DomainError(_("Choose a grade."), field="grade")
    return decider


def _check_quota(scheme: EvaluationScheme, rating: OrganizationRating, effective: str) -> None:
    """Refused when this grade adds an "excellent" beyond the deciding committee's quota of organizations."""
    others = cross_scope.rating_counts(rating.decider_id, rating.year, exclude_id=rating.pk)
    before, after = dict(others), dict(others)
    if rating.grade:
        before[rating.grade] = before.get(rating.grade, 0) + 1
    after[effective] = after.get(effective, 0) + 1
    rule = scheme.organizations.get("quota") or {}
    q_before, q_after = rules.quota_from(rule, before), rules.quota_from(rule, after)
    if q_after is not None and not q_after.ok and (q_before is None or q_after.count > q_before.count):
        raise DomainError(
            _("Quota: at most %(limit)s of the %(base)s organizations rated good or better by %(org)s may be "
              "excellent; with this grade there would be %(count)s.")
            % {"limit": q_after.limit, "base": q_after.base, "org": rating.decider.name, "count": q_after.count},
            field="grade",
        )  # fmt: skip


@actor_scoped
def organization_rating_propose(
    *, actor: Actor, organization: Organization, year: int, grade: str, comment: str = "", late_reason: str = ""
) -> OrganizationRating:
    """The organization's own committee proposes its rating of `year`. Refused, writing nothing: an
    organization the scheme does not rate, an unknown grade, a rating already decided, a quota overrun, a day
    outside the calendar's window (late without a reason), a locked year, someone else."""
    with transaction.atomic():
        scheme = rating_scheme(year)
        decider = _check(scheme, organization, grade)
        cross_scope.lock_grassroots_row(decider.pk)  # one rating at a time per deciding committee (quota)
        _common.check_unlocked(organization, year)
        current = cross_scope.rating_for_update(organization.pk, year)
        grant = OrganizationRatingPermissions(actor, organization, decider=decider).require("propose")
        if current is not None and current.decided_grade:
            raise DomainError(_("The committee above has decided this rating: only it can change it now."))
        late = _common.check_window(year, "propose", late_reason)
        rating = current or OrganizationRating(organization=organization, year=year, scheme=scheme, decider=decider)
        _check_quota(rating.scheme if current else scheme, rating, grade)
        with audit.acting(actor, grant=grant, reason="organization rating propose"):
            rating.proposed_grade, rating.proposed_by_id, rating.proposed_at = grade, actor.user_id, timezone.now()
            rating.proposed_late_reason, rating.grade, rating.comment = late, grade, comment.strip()[:5000]
            rating.save()
    return rating


@actor_scoped
def organization_rating_decide(
    *, actor: Actor, rating: OrganizationRating, grade: str, comment: str = "", late_reason: str = ""
) -> OrganizationRating:
    """The committee the scheme names decides the proposed rating (same refusals; the account that proposed
    it may not decide it)."""
    with transaction.atomic():
        cross_scope.lock_grassroots_row(rating.decider_id)
        fresh = cross_scope.rating_for_update(rating.organization_id, rating.year)
        if fresh is None or not fresh.proposed_grade:
            raise DomainError(_("The organization has not proposed its rating yet."))
        _check(fresh.scheme, fresh.organization, grade)
        _common.check_unlocked(fresh.organization, fresh.year)
        grant = OrganizationRatingPermissions(
            actor, fresh.organization, decider=fresh.decider, proposed_by_id=fresh.proposed_by_id
        ).require("decide")
        late = _common.check_window(fresh.year, "decide", late_reason)
        _check_quota(fresh.scheme, fresh, grade)
        with audit.acting(actor, grant=grant, reason="organization rating decide"):
            fresh.decided_grade, fresh.decided_by_id, fresh.decided_at = grade, actor.user_id, timezone.now()
            fresh.decided_late_reason, fresh.grade = late, grade
            if comment.strip():
                fresh.comment = comment.strip()[:5000]
            fresh.save()
    return fresh


def check_head_cap(scheme: EvaluationScheme, person_id: int, year: int, grade: str) -> None:
    """Where the scheme says so (rulebook data, with its source), a head's personal grade is not above the
    grade of the party organization they head, which is rated first."""
    if not (scheme.organizations.get("head_cap") or {}).get("applies"):
        return
    for organization, org_grade in cross_scope.headed_organizations(person_id, year):
        if not org_grade:
            raise DomainError(
                _("Rate %(org)s first: the grade of its head may not be higher than the organization's.")
                % {"org": organization.name},
                field="grade",
            )
        if rules.rank(grade) < rules.rank(org_grade):
            raise DomainError(
                _("The head of %(org)s can be rated at most “%(grade)s”, the organization's own grade.")
                % {"org": organization.name, "grade": rules.grade_label(org_grade)},
                field="grade",
            )
