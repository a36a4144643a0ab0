"""Reads on cultivation plans: a member's own plans, one plan by sections, the secretary's cockpit,
statistics, the residence cell's inbox, and the published commitments of heads."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lamtheo.core import evidence
from lamtheo.core.actor import Actor
from lamtheo.core.permissions import actor_scoped, get_or_404
from lamtheo.organizations import cross_scope as org_cross_scope
from lamtheo.organizations import selectors as org_selectors
from lamtheo.organizations.models import Organization, Person, User
from lamtheo.rulebook import selectors as rulebook_selectors
from lamtheo.rulebook.models import GRADE_ORDER, CommitmentCalendar, EvaluationScheme, Grade

from . import cross_scope, rules
from .models import (
    CommitmentItem,
    CommitmentPlan,
    CommitmentReminder,
    CultivationPlanStatus,
    Evaluation,
    GradingExemption,
    OrganizationRating,
    ResidenceComment,
    ResidenceStatus,
    Result,
    YearLock,
)
from .policies import (
    DECIDE,
    FRONT_OPINION,
    CockpitPermissions,
    CultivationPlanPermissions,
    GradingAuthority,
    GradingExemptionPermissions,
    OrganizationRatingPermissions,
    ResidenceCommentPermissions,
)


def _granted(perms, need: str):  # type: ignore[no-untyped-def]
    """404 unless the actor may see the record and (when asked) do `need` to it: a screen for an action
    answers 404 to whoever may not take it, as for a record out of scope."""
    if perms.can_view() is None or (need != "view" and perms.check(need) is None):
        raise Http404
    return perms.record


@actor_scoped
def cultivation_plan_for_actor(*, actor: Actor, pk: int | str, need: str = "view") -> CommitmentPlan:
    """One plan the actor may read (the member, or an officer following the cell) and, when `need` names a
    verb of CultivationPlanPermissions, act on; else 404."""
    plan = get_or_404(
        CommitmentPlan.objects.select_related("person__user", "cell", "template", "theme", "entered_by"),
        pk=pk,
    )
    return _granted(CultivationPlanPermissions(actor, plan), need)  # type: ignore[no-any-return]


@actor_scoped
def commitment_item_for_actor(*, actor: Actor, pk: int | str, need: str = "view") -> CommitmentItem:
    """One item of a plan the actor may read (and act on as `need` says, on the plan), or 404."""
    item = get_or_404(
        CommitmentItem.objects.select_related("plan__person", "plan__cell", "plan__template", "remediation"),
        pk=pk,
    )
    _granted(CultivationPlanPermissions(actor, item.plan), need)
    return item


@actor_scoped
def residence_comment_for_actor(*, actor: Actor, pk: int | str, need: str = "view") -> ResidenceComment:
    """A requested comment, for the residence cell's secretary (or whoever may read the plan) and, when
    `need` names a verb of ResidenceCommentPermissions, who may do it; else 404."""
    comment = get_or_404(
        ResidenceComment.objects.select_related("plan__person", "plan__cell", "residence", "form"), pk=pk
    )
    return _granted(ResidenceCommentPermissions(actor, comment), need)  # type: ignore[no-any-return]


@actor_scoped
def followed_organization_for_actor(*, actor: Actor, pk: int | str) -> Organization:
    """An organization whose members' plans the actor follows (its cockpit), or 404."""
    org = org_selectors.organization_for_actor(actor=actor, pk=pk)
    if CockpitPermissions(actor, org).can_follow() is None:
        raise Http404
    return org


@actor_scoped
def my_plans(*, actor: Actor) -> QuerySet[CommitmentPlan]:
    """The actor's own plans, newest year first (empty for an account not linked to a person)."""
    if actor.person_id is None:
        return CommitmentPlan.objects.none()
    return CommitmentPlan.objects.filter(person_id=actor.person_id).select_related("cell", "template")


@actor_scoped
def cultivation_plan_of(*, actor: Actor, person: Person, year: int) -> CommitmentPlan | None:
    """The member's plan of `year`, if registered and in the actor's scope."""
    return CommitmentPlan.objects.filter(person=person, year=year).first()


@actor_scoped
def my_reminders(*, actor: Actor, limit: int = 5) -> list[CommitmentReminder]:
    """The latest reminders about the actor's own plan (sent by a secretary or by the daily job)."""
    if actor.person_id is None:
        return []
    return cross_scope.reminders_sent_to(actor.person_id, limit)


@dataclass
class Section:
    code: str
    title: str
    min_items: int
    criteria: dict[str, str]
    items: list[CommitmentItem] = field(default_factory=list)


def _sections(plan: CommitmentPlan, items) -> list[Section]:  # type: ignore[no-untyped-def]
    """`items` under the template's sections, in order (empty sections included)."""
    day = dt.date(plan.year, 12, 31)
    sections = {
        s["code"]: Section(
            s["code"], s["title"], s.get("min_items_for_heads" if plan.is_head else "min_items", 0),
            rulebook_selectors.criteria_titles(s["criteria_set"], day) if s.get("criteria_set") else {},
        )
        for s in plan.template.sections
    }  # fmt: skip
    for item in items.order_by("order", "id"):
        sections.setdefault(item.section, Section(item.section, item.section, 0, {})).items.append(item)
    return list(sections.values())


def cultivation_plan_sections(*, plan: CommitmentPlan) -> list[Section]:
    """The plan's items under the template's sections, in order (empty sections included)."""
    return _sections(plan, plan.items.select_related("remediation"))


def locked(*, plan: CommitmentPlan) -> YearLock | None:
    """The lock of the plan's year on its cell or above."""
    return cross_scope.lock_over(plan.cell, plan.year)


def residence_comment_of(*, plan: CommitmentPlan) -> ResidenceComment | None:
    """The residence cell's comment on the plan's member, if one was requested."""
    return cross_scope.residence_comment_of_plan(plan)


def evaluation_of(*, plan: CommitmentPlan) -> Evaluation | None:
    """The plan's evaluation, if one was started."""
    return cross_scope.evaluation_of_plan(plan)


def scheme_of(*, plan: CommitmentPlan) -> EvaluationScheme | None:
    """The scheme the plan is (or will be) judged by."""
    ev = evaluation_of(plan=plan)
    return ev.scheme if ev else rulebook_selectors.evaluation_scheme_for_year(plan.year)


def grading_authority(
    *, plan: CommitmentPlan, evaluation: Evaluation | None, scheme: EvaluationScheme | None,
    grassroots: Organization,
) -> GradingAuthority | None:  # fmt: skip
    """Who proposes and who decides the plan's grade under its scheme (None without a scheme): the
    organization whose quota it counts in (`grassroots`) and who proposed it, read with the evaluation."""
    if scheme is None:
        return None
    proposed_by = evaluation.proposed_by_id if evaluation and evaluation.proposed_grade else None
    return GradingAuthority.of(
        authority=scheme.authority or {}, cell=plan.cell, grassroots=grassroots, proposed_by_id=proposed_by
    )


@actor_scoped
def evidence_of(*, actor: Actor, plan: CommitmentPlan) -> list[evidence.EvidenceGroup]:
    """What every module knows about the member in the plan's year (tasks, shortcomings, …)."""
    return evidence.collect(actor=actor, person_id=plan.person_id, year=plan.year)


@actor_scoped
def forced_disqualifiers(*, actor: Actor, plan: CommitmentPlan) -> list[evidence.EvidenceEntry]:
    """The records that cap the member's grade in the plan's year by themselves (a disciplinary measure)."""
    return evidence.forced_disqualifiers(actor=actor, person_id=plan.person_id, year=plan.year)


def quota_status(
    *, grassroots: Organization, year: int, scheme: EvaluationScheme | None
) -> rules.Quota | None:
    """The quota of a grassroots organization for the year, from the grades given so far."""
    if scheme is None:
        return None
    return rules.quota_of(scheme, cross_scope.grade_counts([grassroots.pk], year)[grassroots.pk])


# --- cockpit ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageWindow:
    """Where today stands in a stage's window of the year's calendar: "unset" (no calendar), "early" (not
    open yet), "open" or "late" (past its due date: an entry needs the reason)."""

    opens: dt.date | None
    due: dt.date | None
    state: str

    @property
    def late(self) -> bool:
        return self.state == "late"


def stage_window(*, year: int, stage: str) -> StageWindow:
    """The window of "midyear", "yearend", "propose" or "decide" in `year`'s calendar, as of today (the
    services enforce it: `_common.check_window`)."""
    calendar = rulebook_selectors.commitment_calendar_for(year)
    if calendar is None:
        return StageWindow(None, None, "unset")
    opens, due = calendar.window(stage)
    return StageWindow(opens, due, calendar.state(stage, timezone.localdate()))


@dataclass
class CockpitRow:
    person: Person
    plan: CommitmentPlan | None
    late: bool
    residence: str
    grade: str
    enter_from_paper: bool = False  # the actor enters this member's plan from the paper form
    exemption: GradingExemption | None = None  # not rated this year, with the reason
    can_excuse: bool = False  # the actor may record why the member is not rated

    @property
    def grade_label(self) -> str:
        return rules.grade_label(self.grade) if self.grade else ""


@dataclass
class Cockpit:
    organization: Organization
    year: int
    calendar: CommitmentCalendar | None
    people: QuerySet[Person]  # the members shown (filtered by status), for the view to paginate
    counts: dict[str, int]
    grades: list[tuple[str, str, int]]
    quotas: list[tuple[Organization, rules.Quota]]
    lock: YearLock | None
    # How many `people` holds when that is already counted (no status filter: every member, `counts`), so
    # that the page's paginator does not count the same members again; None when the filter needs a count.
    people_count: int | None = None


def _status_of(plan: CommitmentPlan | None) -> str:
    if plan is None:
        return "none"
    if plan.status == CultivationPlanStatus.APPROVED:
        return "yearend" if plan.yearend_at else "approved"
    return plan.status


def _late_flags(calendar: CommitmentCalendar | None, today: dt.date) -> tuple[bool, bool]:
    """(registration deadline passed, year-end self-assessment deadline passed)."""
    if calendar is None:
        return False, False
    return today > calendar.register_by, bool(calendar.yearend_by and today > calendar.yearend_by)


@actor_scoped
def cockpit(*, actor: Actor, organization: Organization, year: int, status: str = "") -> Cockpit:
    """The party members of the subtree and where they stand with their plan of `year`: counts by state
    (who has not registered, who is late) computed in the database, the grade distribution, the quota of
    each grassroots organization, the lock. The members themselves come as a queryset to paginate, and
    `cockpit_rows` fills in one page (a city-level cockpit never loads every member)."""
    today = timezone.localdate()
    calendar = rulebook_selectors.commitment_calendar_for(year)
    register_late, yearend_late = _late_flags(calendar, today)
    # The subtree as organization ids: foreign keys are indexed, while SQLite's LIKE on paths never uses an
    # index (it is case-insensitive), so every path filter would scan a whole table.
    members, plans, evaluations = _member_sets(organization, year)
    by_state: Counter[str] = Counter()
    no_yearend = ExpressionWrapper(Q(yearend_at__isnull=True), output_field=BooleanField())
    for plan_status, missing_yearend, n in (
        plans.order_by()
        .annotate(no_yearend=no_yearend)
        .values_list("status", "no_yearend")
        .annotate(n=Count("id"))
    ):
        state = (
            plan_status
            if plan_status != CultivationPlanStatus.APPROVED
            else ("approved" if missing_yearend else "yearend")
        )
        by_state[state] += n
    counts = dict(by_state)
    counts["members"] = members.count()
    counts["none"] = counts["members"] - sum(by_state.values())
    approved = by_state["approved"] + by_state["yearend"]
    without_yearend = sum(by_state.values()) - by_state["yearend"]
    counts["late"] = (counts["members"] - approved if register_late else 0) + (
        (by_state["approved"] if register_late else without_yearend) if yearend_late else 0
    )
    own_plan = CommitmentPlan.objects.filter(person=OuterRef("pk"), year=year)
    filters = {
        "none": ~Exists(own_plan),
        "draft": Exists(own_plan.filter(status=CultivationPlanStatus.DRAFT)),
        "returned": Exists(own_plan.filter(status=CultivationPlanStatus.RETURNED)),
        "submitted": Exists(own_plan.filter(status=CultivationPlanStatus.SUBMITTED)),
        "approved": Exists(own_plan.filter(status=CultivationPlanStatus.APPROVED, yearend_at__isnull=True)),
        "yearend": Exists(own_plan.filter(status=CultivationPlanStatus.APPROVED, yearend_at__isnull=False)),
    }
    late_q = Q(pk__in=[])
    if register_late:
        late_q |= ~Exists(own_plan.filter(status=CultivationPlanStatus.APPROVED))
    if yearend_late:
        late_q |= Exists(own_plan.filter(yearend_at__isnull=True))
    filters["late"] = late_q
    people = members.filter(filters[status]) if status in filters else members
    people = (
        people.select_related("party_cell")
        .only("id", "code", "full_name", "is_party_member", "party_cell__name", "party_cell__path")
        .order_by("party_cell__path", "full_name", "id")
    )
    distribution = dict(evaluations.exclude(grade="").order_by().values_list("grade").annotate(n=Count("id")))
    grade_rows = [(g, str(Grade(g).label), distribution.get(g, 0)) for g in GRADE_ORDER]
    return Cockpit(
        organization, year, calendar, people, counts, grade_rows,
        _quotas(actor, organization, year), cross_scope.lock_over(organization, year),
        people_count=None if status in filters else counts["members"],
    )  # fmt: skip


@actor_scoped
def cockpit_rows(*, actor: Actor, people, year: int, locked: bool = False) -> list[CockpitRow]:  # type: ignore[no-untyped-def]
    """One page of the cockpit: each member with their plan, lateness, residence comment and grade, or why
    they are not rated. `locked`: the year is locked over the cockpit's organization (nothing is offered; the
    services check the lock of each member's own cell)."""
    people = list(people)
    today = timezone.localdate()
    register_late, yearend_late = _late_flags(rulebook_selectors.commitment_calendar_for(year), today)
    plans = {
        p.person_id: p
        for p in CommitmentPlan.objects.filter(year=year, person__in=[x.pk for x in people])
        .order_by()
        .only("id", "person_id", "status", "midyear_at", "yearend_at", "is_head", "published_on", "cell_id")
    }
    plan_ids = [p.pk for p in plans.values()]
    residence = {
        plan_id: ("overdue" if state == ResidenceStatus.REQUESTED and due and today > due else state)
        for plan_id, state, due in ResidenceComment.objects.filter(plan_id__in=plan_ids)
        .order_by()
        .values_list("plan_id", "status", "due_date")
    }
    grades = dict(
        Evaluation.objects.filter(plan_id__in=plan_ids)
        .exclude(grade="")
        .order_by()
        .values_list("plan_id", "grade")
    )
    with_account = set(
        User.objects.filter(person_id__in=[x.pk for x in people], is_active=True).values_list(
            "person_id", flat=True
        )
    )
    exemptions = {
        e.person_id: e
        for e in GradingExemption.objects.filter(year=year, person__in=[x.pk for x in people]).select_related(
            "scheme"
        )
    }
    rows = []
    for person in people:
        plan = plans.get(person.pk)
        on_paper = CultivationPlanPermissions(
            actor, CommitmentPlan(person=person, cell=person.party_cell, year=year),
            member_has_account=person.pk in with_account,
        ).is_on_behalf  # fmt: skip
        late = bool(
            (register_late and (plan is None or plan.status != CultivationPlanStatus.APPROVED))
            or (yearend_late and plan is not None and plan.yearend_at is None)
        )
        rows.append(
            CockpitRow(
                person,
                plan,
                late,
                residence.get(plan.pk, "") if plan else "",
                grades.get(plan.pk, "") if plan else "",
                on_paper,
                exemptions.get(person.pk),
                _can_excuse(actor, person, locked),
            )
        )
    return rows


def _can_excuse(actor: Actor, person: Person, locked: bool) -> bool:
    """The cockpit offers "not rated" for a member of a cell to whoever records it, in an open year."""
    cell = person.party_cell
    if cell is None or not person.is_party_member:
        return False
    perms = GradingExemptionPermissions(actor, person_id=person.pk, cell=cell, locked=locked)
    return perms.can_record() is not None


@dataclass
class RatingRow:
    """One party organization's rating of the year on the cockpit: what the actor may do with it."""

    organization: Organization
    rating: OrganizationRating | None
    decider: Organization | None
    can_propose: bool
    can_decide: bool

    @property
    def grade_label(self) -> str:
        return rules.grade_label(self.rating.grade) if self.rating and self.rating.grade else ""


def _rating_row(actor: Actor, organization: Organization, rating, locked: bool, decider=None) -> RatingRow:  # type: ignore[no-untyped-def]
    decider = rating.decider if rating else decider or cross_scope.rating_decider(organization)
    perms = OrganizationRatingPermissions(
        actor, organization, decider=decider, proposed_by_id=rating.proposed_by_id if rating else None,
        locked=locked,
    )  # fmt: skip
    decided = bool(rating and rating.decided_grade)
    return RatingRow(
        organization, rating, decider,
        can_propose=not decided and perms.can_propose() is not None,
        can_decide=bool(rating and rating.proposed_grade) and perms.can_decide() is not None,
    )  # fmt: skip


@actor_scoped
def organization_ratings(*, actor: Actor, organization: Organization, year: int, locked: bool = False) -> list[
    RatingRow
]:
    """The cockpit's ratings of organizations: the organization itself (when the year's scheme rates it) and
    the party organizations directly under it, each with its rating of `year` (read in the actor's scope)."""
    scheme = rulebook_selectors.evaluation_scheme_for_year(year)
    kinds = (scheme.organizations.get("kinds", []) if scheme else []) or []
    if not kinds:
        return []
    units = [organization] if organization.kind in kinds else []
    units += list(
        Organization.objects.filter(parent=organization, kind__in=kinds, valid_to__isnull=True).order_by("path")
    )
    ratings = {
        r.organization_id: r
        for r in OrganizationRating.objects.filter(organization__in=units, year=year).select_related("decider")
    }
    # Who decides the units under the organization, read once: the organization itself for a grassroots unit
    # under it, else the grassroots committee at or above it (`cross_scope.rating_decider`, without a query
    # per unit).
    above = org_cross_scope.grassroots_above(organization=organization)
    rows = [
        _rating_row(
            actor, u, ratings.get(u.pk), locked,
            None if u.pk == organization.pk else organization if u.is_grassroots else above,
        )  # fmt: skip
        for u in units
    ]
    return [r for r in rows if r.decider is not None]


@actor_scoped
def organization_rating_screen(*, actor: Actor, organization: Organization, year: int) -> RatingRow:
    """One organization's rating screen (404 when the actor neither reads nor rates it)."""
    rating = OrganizationRating.objects.filter(organization=organization, year=year).select_related(
        "decider", "scheme"
    ).first()
    row = _rating_row(actor, organization, rating, cross_scope.lock_over(organization, year) is not None)
    if row.decider is None or not actor.can_see(organization.path):
        raise Http404
    return row


def rating_quota(*, decider: Organization, year: int, scheme: EvaluationScheme | None) -> rules.Quota | None:
    """The deciding committee's quota of excellent organizations in `year`."""
    if scheme is None:
        return None
    return rules.quota_from(scheme.organizations.get("quota") or {}, cross_scope.rating_counts(decider.pk, year))


@actor_scoped
def members_by_grade(*, actor: Actor, organization: Organization, year: int) -> dict[str, int]:
    """The members' grades of `year` in an organization's subtree (the rating of members is one of the
    criteria of an organization's rating)."""
    return dict(
        Evaluation.objects.filter(year=year, plan__cell__path__startswith=organization.path)
        .exclude(grade="")
        .values_list("grade")
        .annotate(n=Count("id"))
        .order_by()
    )


def grading_grassroots(*, plan: CommitmentPlan) -> Organization:
    """The grassroots organization whose quota the plan's first grade counts in (`cross_scope`)."""
    return cross_scope.grassroots_for_grading(plan.cell, plan.year)


@actor_scoped
def excusable_members(*, actor: Actor, organization: Organization, year: int) -> list[Person]:
    """The party members of an organization's subtree, in the actor's scope, with no grade proposed or
    decided and no exemption in `year`, whose cell the actor records exemptions for (never themself)."""
    graded = Evaluation.objects.filter(year=year).exclude(proposed_grade="", decided_grade="")
    people = (
        Person.objects.filter(is_party_member=True, party_cell__path__startswith=organization.path)
        .exclude(pk__in=graded.values("plan__person_id"))
        .exclude(pk__in=GradingExemption.objects.filter(year=year).values("person_id"))
        .select_related("party_cell")
        .order_by("search_name", "id")
    )
    return [p for p in people if _can_excuse(actor, p, False)]


@actor_scoped
def grading_exemption_form(*, actor: Actor, person: Person, year: int) -> tuple[
    EvaluationScheme | None, GradingExemption | None
]:
    """The exemption screen of a member: the year's scheme (its list of reasons) and the exemption on
    record. The person is read under the actor's scope; recording is checked by the service."""
    exemption = GradingExemption.objects.filter(person=person, year=year).select_related("scheme").first()
    return rulebook_selectors.evaluation_scheme_for_year(year), exemption


def _quotas(actor: Actor, organization: Organization, year: int) -> list[tuple[Organization, rules.Quota]]:
    """The quota of every grassroots organization in the subtree (or the one above a cell), one query; then
    those of the closed grassroots organizations merged into them that existed in `year`: their grades
    stay counted where they were given, and the successor's cockpit reads them there (ADR 0013)."""
    scheme = rulebook_selectors.evaluation_scheme_for_year(year)
    if scheme is None:
        return []
    ids = subtree_ids(organization)
    units = {g.pk: g for g in Organization.objects.filter(pk__in=ids, is_grassroots=True)}
    above = org_selectors.grassroots_of(actor=actor, organization=organization)
    if above.is_grassroots:
        units.setdefault(above.pk, above)
    merged = org_cross_scope.merged_into_in_year(ids=[*ids, above.pk], year=year)
    closed = list(
        {g.pk: g for gs in merged.values() for g in gs if g.is_grassroots and g.pk not in units}.values()
    )
    counts_by_unit = cross_scope.grade_counts([*units, *(g.pk for g in closed)], year)
    quotas = []
    for g in [*sorted(units.values(), key=lambda o: o.path), *closed]:
        q = rules.quota_of(scheme, counts_by_unit[g.pk])
        if q is not None:
            quotas.append((g, q))
    return quotas


def lock_over(*, organization: Organization, year: int) -> YearLock | None:
    """The lock of `year` on the organization or a committee above it."""
    return cross_scope.lock_over(organization, year)


@dataclass
class Statistics:
    members: int
    by_status: dict[str, int]
    by_grade: dict[str, int]

    @property
    def registered(self) -> int:
        return sum(self.by_status.values())

    @property
    def rate(self) -> float:
        return round(100 * self.registered / self.members, 1) if self.members else 0.0


def _member_sets(organization: Organization | None, year: int, units: list[int] | None = None):  # type: ignore[no-untyped-def]
    """The party members of the subtree, their plans of `year` and those plans' evaluations.

    One definition for the cockpit's counts, lists and rows and for the statistics: a plan counts where its
    member is now (a member who moved takes their plan along). Party members and only they have a party
    cell (the person services enforce it), so "in a cell of the subtree" means "a member of the subtree".
    The subtree is resolved to organization ids (indexed foreign keys; SQLite's LIKE on paths never uses an
    index). The one root of the tree needs no filter: there the year's plans are counted as they are, since
    checking each of 500,000 plans against its person costs about a second on SQLite; a plan whose member has
    since left the party therefore still counts in the whole tree's totals (and in no subtree's)."""
    members = Person.objects.filter(is_party_member=True)
    if organization is None or is_whole_tree(organization):
        return (
            members.filter(party_cell__isnull=False),
            CommitmentPlan.objects.filter(year=year),
            Evaluation.objects.filter(year=year),
        )
    units = subtree_ids(organization) if units is None else units
    # For a subtree the members lead: their cells' index, then each member's (person, year) plan. The year is
    # compared as `year + 0` so that SQLite's planner (without statistics) does not start from the year
    # index and read every plan of the city.
    plans = CommitmentPlan.objects.alias(plan_year=F("year") + 0).filter(
        plan_year=year, person__party_cell_id__in=units
    )
    evaluations = Evaluation.objects.alias(plan_year=F("plan__year") + 0).filter(
        plan_year=year, plan__person__party_cell_id__in=units
    )
    return members.filter(party_cell_id__in=units), plans, evaluations


@actor_scoped
def statistics(*, actor: Actor, organization: Organization | None, year: int) -> Statistics:
    """Registration and grade statistics of the subtree (or the actor's whole scope) for `year`, counted
    the same way as the cockpit."""
    members, plans, evaluations = _member_sets(organization, year)
    return Statistics(
        members=members.count(),
        by_status=dict(plans.order_by().values_list("status").annotate(n=Count("id"))),
        by_grade=dict(evaluations.exclude(grade="").order_by().values_list("grade").annotate(n=Count("id"))),
    )


def is_whole_tree(organization: Organization) -> bool:
    """True for the one root of the tree (then a subtree filter would keep every row)."""
    if organization.parent_id is not None:
        return False
    return not cross_scope.other_roots_exist(organization)


def subtree_ids(organization: Organization) -> list[int]:
    """Ids of the organization and everything below it (one scan of the organizations, then indexed keys)."""
    return cross_scope.organization_ids_under(organization.path)


# --- residence cell -----------------------------------------------------------------------------------


@actor_scoped
def residence_inbox(*, actor: Actor, status: str = "") -> list[ResidenceComment]:
    """Comments requested from the residence cells the actor is secretary of, and those whose Front's part
    the actor's Front committee writes (awaited first)."""
    paths = CockpitPermissions.followed_paths(actor)
    fronts = actor.paths_with(FRONT_OPINION)
    if not paths and not fronts:
        return []
    q = Q()
    for path in paths:
        q |= Q(residence__path__startswith=path)
    for path in fronts:
        q |= Q(front__path__startswith=path)
    qs = ResidenceComment.objects.filter(q).exclude(status=ResidenceStatus.EXEMPT)
    if status in ResidenceStatus.values:
        qs = qs.filter(status=status)
    return list(
        qs.select_related("plan__person", "plan__cell", "residence", "front").order_by("status", "due_date", "id")
    )


@actor_scoped
def residence_awaited(*, actor: Actor) -> tuple[int, dt.date | None]:
    """How many comments the actor's residence cells still owe, and the earliest due date (home page)."""
    paths = CockpitPermissions.followed_paths(actor)
    if not paths:
        return 0, None
    cells = [pk for path in paths for pk in cross_scope.organization_ids_under(path)]
    found = ResidenceComment.objects.filter(
        residence_id__in=cells, status=ResidenceStatus.REQUESTED
    ).aggregate(n=Count("id"), first=Min("due_date"))
    return found["n"], found["first"]


# --- publication --------------------------------------------------------------------------------------


def _published() -> QuerySet[CommitmentPlan]:
    return cross_scope.published_plans()


def published_list(*, year: int | None = None, q: str = "") -> QuerySet[CommitmentPlan]:
    """Heads' commitments published on the public portal (never an unpublished one)."""
    qs = _published().select_related("person", "cell")
    if year:
        qs = qs.filter(year=year)
    if q:
        from lamtheo.core.text import search_q

        qs = qs.filter(search_q("person__search_name", q) | search_q("cell__search_name", q))
    return qs.order_by("-year", "cell__path", "person__full_name")


def published_get(*, pk: int) -> CommitmentPlan:
    """One published commitment, or 404 (unpublished plans never reach the portal)."""
    return get_or_404(_published().select_related("person", "cell", "template"), pk=pk)


def published_items(*, plan: CommitmentPlan) -> list[Section]:
    """The sections of a published plan (read without a scope: the plan itself is public). Items that
    carry a shortcoming from an evaluation stay internal: the findings themselves are not published."""
    return [s for s in _sections(plan, cross_scope.published_plan_items(plan)) if s.items]


def published_result(*, plan: CommitmentPlan) -> Evaluation | None:
    """The decided grade of a published plan, when its result is published too."""
    if not plan.result_published:
        return None
    ev = evaluation_of(plan=plan)
    return ev if ev and ev.decided_grade else None


@actor_scoped
def notice_board(*, actor: Actor, organization: Organization, year: int) -> QuerySet[CommitmentPlan]:
    """Heads' commitments published on the unit notice board of the subtree (for members and the Front)."""
    return (
        CommitmentPlan.objects.filter(
            cell__path__startswith=organization.path, year=year, is_head=True, on_notice_board=True,
            published_on__isnull=False,
        )
        .select_related("person", "cell")
        .order_by("cell__path", "person__full_name")
    )  # fmt: skip


@actor_scoped
def cultivation_plans_in(*, actor: Actor, organization: Organization, ids: list[int]) -> list[CommitmentPlan]:
    """The plans among `ids` kept by cells under `organization` (others are ignored)."""
    return list(
        CommitmentPlan.objects.filter(pk__in=ids, cell__path__startswith=organization.path).select_related(
            "person", "cell"
        )
    )


@actor_scoped
def shortcomings_of(*, actor: Actor, evaluation: Evaluation | None) -> list:  # type: ignore[type-arg]
    """The shortcomings an evaluation raised (tracked in the remediation context)."""
    if evaluation is None:
        return []
    from lamtheo.remediation.selectors import remediation_by_ref

    return remediation_by_ref(actor=actor, source_ref=f"commitments.evaluation:{evaluation.pk}")


# An administrative unit's word in an organization's name and the place name after it ("Đảng bộ phường
# Long Biên" → "Long Biên"); "xã hội", "Tỉnh ủy", "Quận đoàn"… name bodies, not places.
_LOCALITY = re.compile(
    r"\b(?:phường|xã|thị trấn|đặc khu|quận|huyện|thị xã|thành phố|tỉnh)\s+(?!(?:hội|ủy|uỷ|đoàn|đội)\b)"
    r"([^,;()\n]+)",
    re.IGNORECASE,
)


def _locality(organizations: list[Organization]) -> str:
    """The place name of the nearest organization (the cell first, then up the tree) that names one;
    else the short name or name of the committee above the cell, as before."""
    for org in organizations:
        for name in (org.short_name, org.name):
            match = _LOCALITY.search(unicodedata.normalize("NFC", name or ""))
            if match and match[1].strip(" -–."):
                return " ".join(match[1].strip(" -–.").split())
    above = organizations[1] if len(organizations) > 1 else organizations[0]
    return above.short_name or above.name


def _acts_above(user, cell: Organization, day: dt.date) -> bool:  # type: ignore[no-untyped-def]
    """Whether `user` approved from a committee strictly above the cell (a head's plan is confirmed there)."""
    approver = org_selectors.actor_for_user(user, day=day)
    return approver.grant_above(CockpitPermissions.FOLLOW, cell.path) is not None


def _confirmer(plan: CommitmentPlan, with_assessment: bool) -> str:
    """The name printed under "XÁC NHẬN": who approved the plan (for a head, only a committee above the
    cell), or for the self-assessment who proposed (member) or decided (head) the grade; never the member."""
    user, day = None, None
    if with_assessment:
        evaluation = evaluation_of(plan=plan)
        if evaluation is not None:
            user = evaluation.decided_by if plan.is_head else evaluation.proposed_by
    elif plan.decided_by_id and plan.status == CultivationPlanStatus.APPROVED:
        user, day = plan.decided_by, timezone.localtime(plan.decided_at).date() if plan.decided_at else None
        if plan.is_head and not _acts_above(user, plan.cell, day or timezone.localdate()):
            user = None
    if user is None or user.person_id == plan.person_id:
        return ""
    return user.get_full_name() or user.get_username()


def _document_date(plan: CommitmentPlan, with_assessment: bool) -> dt.date | None:
    """The document's own date: the self-assessment's (year-end, else mid-year) for that version; for the
    plan the day the member handed it in to the cell (a draft: the day it was registered)."""
    when = (plan.yearend_at or plan.midyear_at) if with_assessment else (plan.submitted_at or plan.created_at)
    return timezone.localtime(when).date() if when else None


@actor_scoped
def cultivation_plan_document(*, actor: Actor, plan: CommitmentPlan, with_assessment: bool):  # type: ignore[no-untyped-def]
    """Everything the printable form needs, as plain text (the document module does no queries)."""
    from django.utils import formats

    from .documents import DocItem, DocSection, PlanDocument

    # The cell and the organizations above it, nearest first: the committee, the locality.
    ids = [int(p) for p in plan.cell.path.strip("/").split("/") if p]
    found = cross_scope.organizations_named_above(ids)
    chain = [found[i] for i in reversed(ids) if i in found] or [plan.cell]
    parent = chain[1] if len(chain) > 1 else None
    results = dict(Result.choices)
    sections = []
    for s in cultivation_plan_sections(plan=plan):
        items = [
            DocItem(
                content=i.content, measures=i.measures, timeline=i.timeline, target=i.target,
                # Standards print by name ("Cần, kiệm, liêm, chính…"), not by their code in the regulation.
                standards="; ".join(s.criteria.get(code, code) for code in i.standards),
                midyear_result=results.get(i.midyear_result, ""),
                yearend_result=results.get(i.yearend_result, ""), yearend_evidence=i.yearend_evidence,
            )
            for i in s.items
        ]  # fmt: skip
        sections.append(DocSection(title=s.title, items=items))
    person = plan.person
    return PlanDocument(
        committee_name=(parent.name if parent else "").upper(), cell_name=plan.cell.name,
        title=plan.template.title.replace("{year}", str(plan.year)), person_name=person.full_name,
        date_of_birth=person.date_of_birth.strftime("%d/%m/%Y") if person.date_of_birth else "",
        position=plan.position_title, workplace=person.workplace.name if person.workplace_id else "",
        theme=plan.theme.title if plan.theme_id else "", sections=sections,
        place=_locality(chain), date=_document_date(plan, with_assessment),
        with_assessment=with_assessment,
        self_grade=rules.grade_label(plan.self_grade) if plan.self_grade else "",
        self_score=formats.number_format(plan.self_score, decimal_pos=0) if plan.self_score is not None else "",
        yearend_summary=plan.yearend_summary,
        approved_by=_confirmer(plan, with_assessment),
        is_head=plan.is_head, confirming_committee=parent.name if parent else "",
    )  # fmt: skip


@dataclass
class YearFigures:
    """Where the members of a subtree stand in a year: counted the same way as the cockpit."""

    members: int
    registered: int
    approved: int
    yearend: int
    by_grade: dict[str, int]
    submitted: int = 0

    def share(self, n: int) -> float | None:
        return round(100 * n / self.members, 1) if self.members else None

    @property
    def graded(self) -> int:
        return sum(self.by_grade.values())


@actor_scoped
def year_figures(*, actor: Actor, organization: Organization, year: int) -> YearFigures:
    """Registration, approval, year-end self-assessment and grades of the subtree in `year` (home page)."""
    members, plans, evaluations = _member_sets(organization, year)
    by_state: Counter[tuple[str, bool]] = Counter()
    no_yearend = ExpressionWrapper(Q(yearend_at__isnull=True), output_field=BooleanField())
    for status, missing_yearend, n in (
        plans.order_by()
        .annotate(no_yearend=no_yearend)
        .values_list("status", "no_yearend")
        .annotate(n=Count("id"))
    ):  # one grouped query, as the cockpit counts
        by_state[(status, bool(missing_yearend))] += n
    return YearFigures(
        members=members.count(),
        registered=sum(by_state.values()),
        approved=by_state[(CultivationPlanStatus.APPROVED, True)]
        + by_state[(CultivationPlanStatus.APPROVED, False)],
        yearend=by_state[(CultivationPlanStatus.APPROVED, False)],
        by_grade=dict(evaluations.exclude(grade="").order_by().values_list("grade").annotate(n=Count("id"))),
        submitted=by_state[(CultivationPlanStatus.SUBMITTED, True)]
        + by_state[(CultivationPlanStatus.SUBMITTED, False)],
    )


@actor_scoped
def grades_to_decide(*, actor: Actor) -> QuerySet[Evaluation]:
    """Proposed grades, not yet decided, counted in a grassroots organization on which the actor holds
    decide_evaluation (the level that decides: its committee, or a grassroots cell for its own members);
    never the actor's own, nor one the actor proposed (CultivationPlanPermissions.can_decide_grade)."""
    units = [g.org_id for g in actor.units_with(DECIDE)]
    if not units:
        return Evaluation.objects.none()
    qs = (
        Evaluation.objects.filter(grassroots_id__in=units).exclude(proposed_grade="").filter(decided_grade="")
    )
    if actor.user_id is not None:
        qs = qs.exclude(proposed_by_id=actor.user_id)
    if actor.person_id is not None:
        qs = qs.exclude(plan__person_id=actor.person_id)
    return qs.select_related("plan").order_by("plan__cell__path", "id")


@dataclass
class UnitRow:
    """One unit below the cockpit's organization: where its members stand with their plans of the year."""

    organization: Organization
    members: int = 0
    registered: int = 0
    submitted: int = 0
    approved: int = 0
    yearend: int = 0
    graded: int = 0

    def share(self, n: int) -> float | None:
        return round(100 * n / self.members, 1) if self.members else None

    @property
    def registered_share(self) -> float | None:
        return self.share(self.registered)

    @property
    def approved_share(self) -> float | None:
        return self.share(self.approved)

    @property
    def yearend_share(self) -> float | None:
        return self.share(self.yearend)

    @property
    def graded_share(self) -> float | None:
        return self.share(self.graded)


@actor_scoped
def unit_summary(
    *, actor: Actor, organization: Organization, units: list[Organization], year: int
) -> list[UnitRow]:
    """Per unit below `organization` (each with its subtree): members, plans registered, waiting, approved,
    self-assessed and graded in `year` — three grouped queries, whatever the number of members."""
    from lamtheo.core.text import natural_key

    # The subtree's ids and paths in one scan: the ids filter the counts, the paths say which unit a cell is in.
    cell_paths = cross_scope.organization_paths_under(organization.path)
    members, plans, evaluations = _member_sets(organization, year, units=list(cell_paths))
    rows = {u.pk: UnitRow(u) for u in units}
    by_path = sorted(((u.path, u.pk) for u in units), key=lambda t: -len(t[0]))

    def unit_of(cell_id: int | None) -> UnitRow | None:
        path = cell_paths.get(cell_id or 0, "")
        return next((rows[pk] for prefix, pk in by_path if path.startswith(prefix)), None)

    for cell_id, n in members.order_by().values_list("party_cell_id").annotate(n=Count("id")):
        if (row := unit_of(cell_id)) is not None:
            row.members += n
    no_yearend = ExpressionWrapper(Q(yearend_at__isnull=True), output_field=BooleanField())
    for cell_id, status, missing_yearend, n in (
        plans.order_by().annotate(no_yearend=no_yearend)
        .values_list("person__party_cell_id", "status", "no_yearend").annotate(n=Count("id"))
    ):  # fmt: skip
        if (row := unit_of(cell_id)) is None:
            continue
        row.registered += n
        row.submitted += n if status == CultivationPlanStatus.SUBMITTED else 0
        row.approved += n if status == CultivationPlanStatus.APPROVED else 0
        row.yearend += n if status == CultivationPlanStatus.APPROVED and not missing_yearend else 0
    graded = (
        evaluations.exclude(grade="")
        .order_by()
        .values_list("plan__person__party_cell_id")
        .annotate(n=Count("id"))
    )
    for cell_id, n in graded:
        if (row := unit_of(cell_id)) is not None:
            row.graded += n
    return sorted(rows.values(), key=lambda r: natural_key(r.organization.name))


def self_grade_warning(*, plan: CommitmentPlan) -> str:
    """A warning when the member proposes the top grade while some commitments are only partly done or not
    done at year end ("" when the proposal agrees with the results)."""
    if plan.self_grade != Grade.EXCELLENT:
        return ""
    short = plan.items.filter(yearend_result__in=[Result.PARTLY, Result.NOT_DONE]).count()
    if not short:
        return ""
    from django.utils.translation import ngettext

    return ngettext(
        "“%(grade)s” is proposed while %(n)s commitment is only partly done or not done.",
        "“%(grade)s” is proposed while %(n)s commitments are only partly done or not done.",
        short,
    ) % {"grade": Grade(plan.self_grade).label, "n": short}
