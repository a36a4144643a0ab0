"""The commitments context's reads across scopes (see tests/test_authorization_rules.py). Each function is
small and says why crossing the actor's scope is safe; services and selectors call these, nothing else in
the context calls `unscoped()`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lamtheo.organizations import cross_scope as org_cross_scope
from lamtheo.organizations.models import Organization, Person, Position

from .models import (
    CommitmentItem,
    CommitmentPlan,
    CommitmentReminder,
    CultivationPlanStatus,
    Evaluation,
    GradingExemption,
    ItemSource,
    OrganizationRating,
    ResidenceComment,
    Result,
    YearLock,
)

# --- a plan the caller already holds -------------------------------------------------------------------


def plan_for_update(pk: int) -> CommitmentPlan:
    """The plan as stored now, row-locked for the transaction: a service re-reads the plan it was handed
    (which the caller read under its scope) and then checks the permission class on this fresh row."""
    return (
        CommitmentPlan.objects.unscoped(reason="re-read of a plan the actor already holds")
        .select_for_update(of=("self",))
        .select_related("cell", "person", "template")
        .get(pk=pk)
    )


def residence_comment_for_update(pk: int) -> ResidenceComment:
    """The comment as stored now, row-locked: the residence cell's secretary returns a comment handed to the
    service, and the permission class is checked on this fresh row."""
    return (
        ResidenceComment.objects.unscoped(reason="re-read of a comment the actor already holds")
        .select_for_update(of=("self",))
        .select_related("plan__cell", "plan__person", "residence", "form", "front")
        .get(pk=pk)
    )


def residence_comment_of_plan(plan: CommitmentPlan) -> ResidenceComment | None:
    """The residence comment on a plan the reader may read: it belongs to the plan (the residence cell may
    lie outside the reader's scope, its name is shown with the plan)."""
    return (
        ResidenceComment.objects.unscoped(reason="read alongside a plan the actor may read")
        .filter(plan=plan)
        .select_related("residence", "form")
        .first()
    )


def evaluation_of_plan(plan: CommitmentPlan) -> Evaluation | None:
    """The evaluation of a plan the reader may read (one per plan, read with the plan)."""
    return (
        Evaluation.objects.unscoped(reason="read alongside a plan the actor may read")
        .filter(plan=plan)
        .select_related("scheme", "grassroots")
        .first()
    )


def evaluation_version_bump(pk: int, expected: int) -> bool:
    """Optimistic lock on the evaluation of a plan the actor grades: True when nobody saved it since
    version `expected` (only the version moves; the grade is written by the service)."""
    moved = (
        Evaluation.objects.unscoped(reason="optimistic lock on the plan's evaluation")
        .filter(pk=pk, version=expected)
        .update(version=expected + 1)
    )
    return moved == 1


def unfinished_items_of_last_year(person_id: int, year: int) -> QuerySet[CommitmentItem]:
    """Last year's unfinished items of the same member, carried into the plan they register now (the
    member's previous cell may lie outside today's scope)."""
    return (
        CommitmentItem.objects.unscoped(reason="the same person's previous plan, carried forward")
        .filter(plan__person_id=person_id, plan__year=year - 1, plan__status=CultivationPlanStatus.APPROVED)
        .exclude(yearend_result=Result.DONE)
        .exclude(source=ItemSource.REMEDIATION)  # open shortcomings come from remediation itself
        .exclude(source=ItemSource.TEMPLATE)  # this year's template brings its own (with this year in it)
        .order_by("order")
    )


def reminders_sent_to(person_id: int, limit: int) -> list[CommitmentReminder]:
    """The reminders sent to one member about their own plan: a member reads what was sent to them, even
    without a role on their cell."""
    return list(
        CommitmentReminder.objects.unscoped(reason="a member reads the reminders sent to them")
        .filter(person_id=person_id)
        .order_by("-sent_at")[:limit]
    )


# --- locks and quotas: rules of the committees above ----------------------------------------------------


def lock_over(organization: Organization, year: int) -> YearLock | None:
    """The lock of `year` on the organization or a committee above it: a lock set above binds the subtree,
    whoever reads (only the lock's organization and year are used). It binds the subtree as it stood when
    the lock was set (ADR 0013): a unit that joined later by a merge or a move is not under it, and one that
    left later still is, for that year."""
    tree = org_cross_scope.parent_history(organization=organization)
    locks = (
        YearLock.objects.unscoped(reason="locks of the committees above apply here")
        .filter(organization_id__in=tree.ever_above(), year=year)
        .select_related("organization")
        .order_by("locked_at", "pk")
    )
    for lock in locks:
        if lock.organization_id in tree.above_at(organization.pk, lock.locked_at):
            return lock
    return None


def grassroots_for_grading(cell: Organization, year: int) -> Organization:
    """The grassroots organization whose quota a member's first grade of `year` counts in: the cell's
    grassroots organization today, unless that organization's year was locked before the cell joined it by a
    merge or a move (ADR 0013): the lock binds the subtree as it stood, so the grade counts where the cell
    was when the lock was set (the closed unit, read through its successor). Reads ids and flags only."""
    current = org_cross_scope.grassroots_above(organization=cell) or cell
    chain = [int(x) for x in cell.path.strip("/").split("/")]
    locks = (
        YearLock.objects.unscoped(reason="locks of the committees above apply here")
        .filter(organization_id__in=chain, year=year)
        .order_by("locked_at", "pk")
    )
    tree = None
    for lock in locks:
        tree = tree or org_cross_scope.parent_history(organization=cell)
        then = tree.above_at(cell.pk, lock.locked_at)
        if lock.organization_id in then:
            continue  # the cell was under the lock when it was set: the lock applies, nothing moves
        before = Organization.objects.unscoped(reason="the grassroots a cell had when a lock was set").filter(
            pk__in=then, is_grassroots=True
        )
        return max(before, key=lambda o: o.depth, default=current)
    return current


def rating_decider(organization: Organization) -> Organization | None:
    """The committee that decides a party organization's rating: for a grassroots organization, the committee
    directly above it; for one below the grassroots level (a cell, a đảng bộ bộ phận), its grassroots
    committee. None above the grassroots level or where no grassroots organization is marked."""
    grassroots = org_cross_scope.grassroots_above(organization=organization)
    if grassroots is None:
        return None
    if grassroots.pk != organization.pk:
        return grassroots
    return (
        Organization.objects.unscoped(reason="the committee directly above a grassroots organization")
        .filter(pk=organization.parent_id)
        .first()
    )


def rating_for_update(organization_id: int, year: int) -> OrganizationRating | None:
    """An organization's rating of `year` as stored now, row-locked (the service checks the permission class
    on it)."""
    return (
        OrganizationRating.objects.unscoped(reason="re-read of a rating the actor already holds")
        .select_for_update(of=("self",))
        .select_related("organization", "decider", "scheme")
        .filter(organization_id=organization_id, year=year)
        .first()
    )


def rating_counts(decider_id: int, year: int, *, exclude_id: int | None = None) -> dict[str, int]:
    """Ratings counted in a deciding committee's quota of `year` (the organizations it decides may lie
    outside any one officer's scope; counts only)."""
    qs = OrganizationRating.objects.unscoped(reason="the quota counts every organization the committee rates")
    qs = qs.filter(decider_id=decider_id, year=year).exclude(grade="")
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return dict(qs.values_list("grade").annotate(n=Count("id")).order_by())


def headed_organizations(person_id: int, year: int) -> list[tuple[Organization, str]]:
    """The party organizations a member headed in `year` (a head's position), each with its rating's grade
    of the year ("" when not rated yet): a head's grade may not be above it. Names and grades only."""
    positions = (
        Position.objects.unscoped(reason="the organizations a graded member heads")
        .filter(person_id=person_id, is_head=True, from_date__lte=dt.date(year, 12, 31))
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=dt.date(year, 1, 1)))
        .filter(organization__kind__in=("party_committee", "party_cell"))
        .select_related("organization")
    )
    orgs = {p.organization_id: p.organization for p in positions}
    grades = dict(
        OrganizationRating.objects.unscoped(reason="the rating of the organization a graded member heads")
        .filter(organization_id__in=orgs, year=year)
        .values_list("organization_id", "grade")
    )
    return [(org, grades.get(pk, "")) for pk, org in orgs.items()]


def ratings_judged_by(scheme_id: int) -> int:
    """Organization ratings judged under a scheme version, anywhere: one freezes it."""
    return OrganizationRating.objects.unscoped(reason="a rule version in use anywhere is frozen").filter(
        scheme_id=scheme_id
    ).count()


def lock_delete(pk: int) -> None:
    """Lift a lock the actor was allowed to lift (the permission class checked it above the lock)."""
    YearLock.objects.unscoped(reason="the lock the actor may lift").filter(pk=pk).delete()


def grade_counts(
    grassroots_ids: list[int], year: int, *, exclude_plan_id: int | None = None
) -> dict[int, dict]:  # type: ignore[type-arg]
    """Grades given so far per grassroots organization in `year`: the quota counts the whole grassroots
    organization, beyond any one cell a secretary follows (counts only, no record)."""
    qs = Evaluation.objects.unscoped(reason="the quota counts the whole grassroots organization").filter(
        grassroots_id__in=grassroots_ids, year=year
    )
    if exclude_plan_id is not None:
        qs = qs.exclude(plan_id=exclude_plan_id)
    counts: dict[int, dict[str, int]] = {pk: {} for pk in grassroots_ids}
    for unit_id, grade, n in (
        qs.exclude(grade="").order_by().values_list("grassroots_id", "grade").annotate(n=Count("id"))
    ):
        counts[unit_id][grade] = n
    return counts


def lock_grassroots_row(pk: int) -> None:
    """Lock a grassroots organization's row for the transaction: grades of one grassroots organization are
    saved one at a time, so the quota is counted on settled rows (the row itself is not read)."""
    Organization.objects.unscoped(reason="serialise the quota count of a grassroots organization").filter(
        pk=pk
    ).select_for_update().first()


def lock_grassroots_rows_under(path: str) -> list[Organization]:
    """Lock the rows of every grassroots organization under a subtree being locked, so that no grade is
    being saved while the subtree is checked (the actor holds the lock permission over the subtree)."""
    return list(
        Organization.objects.unscoped(reason="rows locked while a year is closed")
        .filter(path__startswith=path, is_grassroots=True)
        .select_for_update()
    )


def undecided_grades_under(path: str, year: int) -> int:
    """How many proposed grades under a subtree are not decided yet: a lock covers the whole subtree
    (a count only)."""
    return (
        Evaluation.objects.unscoped(reason="a lock covers the whole subtree")
        .filter(year=year, plan__cell__path__startswith=path, decided_grade="")
        .exclude(proposed_grade="")
        .count()
    )


def unrated_members_under(path: str, year: int) -> list[str]:
    """Names of the party members of a subtree neither rated (a decided grade for the year, wherever their
    plan was graded) nor excused from rating in `year`: the members whose cell is in the subtree and who were
    admitted by the year's end, and whoever has a plan of the year there. A lock covers the whole subtree."""
    # Organization ids first (an indexed IN), not a path LIKE joined per row, which SQLite cannot index.
    cells = organization_ids_under(path)
    planned = CommitmentPlan.objects.unscoped(reason="a lock covers the whole subtree").filter(
        year=year, cell_id__in=cells
    )
    members = Person.objects.unscoped(reason="a lock covers the whole subtree").filter(
        Q(is_party_member=True, party_cell_id__in=cells)
        & (Q(admission_date__isnull=True) | Q(admission_date__lte=dt.date(year, 12, 31)))
        | Q(pk__in=planned.values("person_id"))
    )
    rated = (
        Evaluation.objects.unscoped(reason="a lock covers the whole subtree")
        .filter(year=year)
        .exclude(decided_grade="")
    )
    excused = GradingExemption.objects.unscoped(reason="a lock covers the whole subtree").filter(year=year)
    return list(
        members.exclude(pk__in=rated.values("plan__person_id"))
        .exclude(pk__in=excused.values("person_id"))
        .order_by("search_name", "id")
        .values_list("full_name", flat=True)
    )


def exemption_of(person_id: int, year: int) -> GradingExemption | None:
    """A member's exemption from rating in `year`, read by the service grading their plan (one per member and
    year, whichever cell recorded it)."""
    return (
        GradingExemption.objects.unscoped(reason="read alongside a plan the actor grades")
        .filter(person_id=person_id, year=year)
        .select_related("scheme")
        .first()
    )


def front_near(cell: Organization) -> Organization | None:
    """The open Fatherland Front committee nearest above a residence cell (the one under its ward, or the
    nearest level up): whose officer writes the Front's part of the residence comment. It may lie outside
    the requesting cell's scope; only its id and name are used."""
    parts = [p for p in cell.path.split("/") if p]
    ancestors = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))]
    fronts = (
        Organization.objects.unscoped(reason="the Front committee where the member lives")
        .filter(kind="front", valid_to__isnull=True, parent__path__in=ancestors)
        .select_related("parent")
    )
    return max(fronts, key=lambda f: (f.parent.depth, -f.pk), default=None)


def member_graded(person_id: int, year: int) -> bool:
    """Whether a member's plan of `year` has a grade proposed or decided (wherever the plan is kept): checked
    by their cell before excusing them from rating."""
    return (
        Evaluation.objects.unscoped(reason="one member's grade, checked by their cell")
        .filter(plan__person_id=person_id, year=year)
        .exclude(proposed_grade="", decided_grade="")
        .exists()
    )


def exemptions_judged_by(scheme_id: int) -> int:
    """Exemptions recorded under a scheme version's list of reasons, anywhere: one freezes it."""
    return GradingExemption.objects.unscoped(reason="a rule version in use anywhere is frozen").filter(
        scheme_id=scheme_id
    ).count()


# --- the organization tree, as ids and names -----------------------------------------------------------


def organization_ids_under(path: str, *, strictly: bool = False) -> list[int]:
    """Ids of the organizations at (or strictly) below `path`, where the caller holds a grant: counts are
    then filtered by indexed ids (SQLite never uses an index for a path LIKE). Ids only."""
    qs = Organization.objects.unscoped(reason="ids under an organization the actor holds a grant on").filter(
        path__startswith=path
    )
    return list((qs.exclude(path=path) if strictly else qs).values_list("id", flat=True))


def organization_paths_under(path: str) -> dict[int, str]:
    """Id → path of the organizations under one the actor follows (to say which unit a cell is in)."""
    return dict(
        Organization.objects.unscoped(reason="paths of the cells under an organization the actor follows")
        .filter(path__startswith=path)
        .values_list("id", "path")
    )


def other_roots_exist(organization: Organization) -> bool:
    """Whether the tree has a root besides `organization` (a yes or no; no root is read)."""
    roots = Organization.objects.unscoped(reason="how many roots the tree has").filter(parent__isnull=True)
    return roots.exclude(pk=organization.pk).exists()


def organizations_named_above(ids: list[int]) -> dict[int, Organization]:
    """The cell and the committees above it, by id: a printed plan names its committee and locality (public
    names of the member's own chain)."""
    return Organization.objects.unscoped(reason="the document names the committees above the cell").in_bulk(
        ids
    )


# --- the public portal ---------------------------------------------------------------------------------


def published_plans() -> QuerySet[CommitmentPlan]:
    """Heads' approved commitments published on the portal up to today: public by the unit's decision."""
    return (
        CommitmentPlan.objects.unscoped(reason="heads' commitments published on the portal are public")
        .filter(
            is_head=True, status=CultivationPlanStatus.APPROVED, on_portal=True, published_on__isnull=False
        )
        .filter(published_on__lte=timezone.localdate())
    )


def published_plan_items(plan: CommitmentPlan) -> QuerySet[CommitmentItem]:
    """The items of a published commitment, without the shortcomings to remedy (findings stay internal)."""
    return (
        CommitmentItem.objects.unscoped(reason="items of a published commitment")
        .filter(plan=plan)
        .exclude(source=ItemSource.REMEDIATION)
    )


# --- rule versions in use (the rulebook freezes a version that has judged a record) ----------------------


def evaluations_judged_by(scheme_id: int) -> int:
    """Evaluations graded under a scheme version, in every organization: one record anywhere freezes it."""
    return (
        Evaluation.objects.unscoped(reason="a rule version in use anywhere is frozen")
        .filter(scheme_id=scheme_id)
        .count()
    )


def plans_written_on(template_id: int) -> int:
    """Cultivation plans written on a template version, in every organization: one plan anywhere freezes it."""
    return (
        CommitmentPlan.objects.unscoped(reason="a rule version in use anywhere is frozen")
        .filter(template_id=template_id)
        .count()
    )


def residence_comments_on(form_id: int) -> int:
    """Residence comments on a form version, in every organization: one comment anywhere freezes it."""
    return (
        ResidenceComment.objects.unscoped(reason="a rule version in use anywhere is frozen")
        .filter(form_id=form_id)
        .count()
    )
