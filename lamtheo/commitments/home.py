"""What cultivation plans add to each person's home page: their own plan's next step, the plans and
comments waiting for a secretary, the grades waiting for a committee, and the unit's figures."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from lamtheo.core import worklist
from lamtheo.core.actor import Actor
from lamtheo.core.vocabulary import RoleCode
from lamtheo.core.worklist import Bar, Chart, Figure, FigureGroup, WorkItem
from lamtheo.organizations import selectors as org_selectors
from lamtheo.rulebook import selectors as rulebook_selectors
from lamtheo.rulebook.models import GRADE_ORDER, Grade

from . import rules, selectors
from .models import CultivationPlanStatus
from .policies import REVIEW, CockpitPermissions

# A self-assessment appears on the work list this many days before its deadline.
ASSESSMENT_LEAD_DAYS = 30


def _year_figures(actor: Actor, org, year: int) -> selectors.YearFigures:  # type: ignore[no-untyped-def]
    """A unit's figures of a year, computed once per home page (the work list and the figures both use them)."""
    return worklist.shared(
        ("commitments.year_figures", org.pk, year),
        lambda: selectors.year_figures(actor=actor, organization=org, year=year),
    )


def _last_year_work(actor: Actor, today: dt.date, area) -> list[WorkItem]:  # type: ignore[no-untyped-def]
    """Last year's plan still waiting for its year-end self-assessment (until the year is locked)."""
    last = (
        selectors.my_plans(actor=actor)
        .filter(year=today.year - 1, status=CultivationPlanStatus.APPROVED, yearend_at__isnull=True)
        .first()
    )
    if last is None or selectors.locked(plan=last) is not None:
        return []
    calendar = rulebook_selectors.commitment_calendar_for(last.year)
    due = calendar.yearend_by if calendar else dt.date(last.year, 12, 31)
    return [WorkItem(
        title=_("Year-end self-assessment of your plan for %(year)s") % {"year": last.year},
        url=reverse("commitments:plan-assess", args=[last.pk, "yearend"]), area=area, due=due, action=_("Assess"),
        urgency=worklist.urgency_of(due, today),
    )]  # fmt: skip


def _own_plan_work(actor: Actor, today: dt.date) -> list[WorkItem]:
    """The member's next step on their own plan of the year (and last year's, while it is not closed)."""
    area = _("Cultivation plan")
    return _last_year_work(actor, today, area) + _this_year_work(actor, today, area)


def _this_year_work(actor: Actor, today: dt.date, area) -> list[WorkItem]:  # type: ignore[no-untyped-def]
    """This year's plan: to register, to revise, to finish, or its self-assessment when it comes due."""
    year = today.year
    calendar = rulebook_selectors.commitment_calendar_for(year)
    plan = selectors.my_plans(actor=actor).filter(year=year).first()
    if plan is None:
        due = calendar.register_by if calendar else None
        return [WorkItem(
            title=_("Register your cultivation plan for %(year)s") % {"year": year},
            url=reverse("commitments:my-plans"), area=area, due=due, action=_("Register"),
            urgency=worklist.urgency_of(due, today) if due else worklist.DUE_SOON,
        )]  # fmt: skip
    url = reverse("commitments:plan-detail", args=[plan.pk])
    if plan.status == CultivationPlanStatus.RETURNED:
        return [WorkItem(
            title=_("Your plan was returned: revise it and send it again"), url=url, area=area,
            detail=plan.review_comment, action=_("Revise"), urgency=worklist.OVERDUE,
        )]  # fmt: skip
    if plan.status == CultivationPlanStatus.DRAFT:
        due = calendar.register_by if calendar else None
        return [WorkItem(
            title=_("Finish your plan and send it to the cell"), url=url, area=area, due=due,
            action=_("Continue"), urgency=worklist.urgency_of(due, today),
        )]  # fmt: skip
    if plan.status != CultivationPlanStatus.APPROVED or calendar is None:
        return []
    for stage, done, due, title in (
        ("midyear", plan.midyear_at, calendar.midyear_by, _("Mid-year self-assessment of your plan")),
        ("yearend", plan.yearend_at, calendar.yearend_by, _("Year-end self-assessment of your plan")),
    ):
        if done is None and due is not None and today >= due - dt.timedelta(days=ASSESSMENT_LEAD_DAYS):
            if stage == "midyear" and calendar.yearend_by and today > calendar.yearend_by:
                continue  # past the year's end only the year-end assessment still matters
            return [WorkItem(
                title=title, url=reverse("commitments:plan-assess", args=[plan.pk, stage]), area=area, due=due,
                action=_("Assess"), urgency=worklist.urgency_of(due, today),
            )]  # fmt: skip
    return []


def _reviewer_work(actor: Actor, today: dt.date) -> list[WorkItem]:
    """Plans waiting for approval, members who have not registered, comments to write, grades to decide."""
    work: list[WorkItem] = []
    year, area = today.year, _("Cultivation plans of members")
    calendar = rulebook_selectors.commitment_calendar_for(year)
    for grant in worklist.top_grants(actor, (REVIEW,)):
        org = org_selectors.organization_for_actor(actor=actor, pk=grant.org_id)
        cockpit = reverse("commitments:cockpit", args=[org.pk])
        figures = _year_figures(actor, org, year)
        submitted = figures.submitted
        if submitted:
            work.append(WorkItem(
                title=ngettext("%(n)s cultivation plan waits for approval", "%(n)s cultivation plans wait for approval", submitted)
                % {"n": worklist.number(submitted)},
                url=f"{cockpit}?year={year}&status=submitted", area=area, detail=org.name, count=submitted,
                action=_("Approve"), urgency=worklist.DUE_SOON,
            ))  # fmt: skip
        missing = figures.members - figures.registered
        if missing and calendar is not None:
            work.append(WorkItem(
                title=ngettext(
                    "%(n)s member has not registered a plan", "%(n)s members have not registered a plan", missing
                ) % {"n": worklist.number(missing)},
                url=f"{cockpit}?year={year}&status=none", area=area, detail=org.name, count=missing,
                due=calendar.register_by, action=_("Remind"), urgency=worklist.urgency_of(calendar.register_by, today),
            ))  # fmt: skip
    awaited, due = selectors.residence_awaited(actor=actor)
    if awaited:
        work.append(WorkItem(
            title=ngettext(
                "%(n)s residence comment to write", "%(n)s residence comments to write", awaited
            ) % {"n": worklist.number(awaited)},
            url=reverse("commitments:residence-inbox") + "?status=requested", area=area, count=awaited,
            due=due, action=_("Write"), urgency=worklist.urgency_of(due, today),
        ))  # fmt: skip
    # Every year's undecided grades: a year is graded in December and January, across the turn of the year.
    pending = selectors.grades_to_decide(actor=actor)
    count = pending.count()
    if count:
        work.append(WorkItem(
            title=ngettext("%(n)s grade waits for your decision", "%(n)s grades wait for your decision", count)
            % {"n": worklist.number(count)},
            url=reverse("commitments:plan-evaluate", args=[pending.values_list("plan_id", flat=True).first()]),
            area=area, count=count,
            action=_("Decide"), urgency=worklist.DUE_SOON,
        ))  # fmt: skip
    return work


def _front_work(actor: Actor, today: dt.date) -> list[WorkItem]:
    """The Front supervises heads: the commitments they published in the locality the Front office serves
    (the organization its office belongs to)."""
    work = []
    for grant in actor.grants:
        if grant.role_code != RoleCode.FRONT_OFFICER:
            continue
        locality = grant.org_path[: grant.org_path.rstrip("/").rfind("/") + 1] or grant.org_path
        published = selectors.published_list(year=today.year).filter(cell__path__startswith=locality).count()
        if published:
            work.append(WorkItem(
                title=ngettext(
                    "%(n)s head's commitment published this year: supervise it",
                    "%(n)s heads' commitments published this year: supervise them", published,
                ) % {"n": worklist.number(published)},
                url=reverse("portal:commitment-list") + f"?year={today.year}", area=_("Supervision by the Front"),
                detail=grant.org_name, count=published, action=pgettext("action", "Open"),
            ))  # fmt: skip
    return work


def cultivation_work(*, actor: Actor, today: dt.date) -> list[WorkItem]:
    """Home work list: the Front's supervision, the member's own plan, then what waits for them as secretary
    or committee."""
    work = _front_work(actor, today)
    if actor.is_party_member and actor.person_id:
        work += _own_plan_work(actor, today)
    return work + _reviewer_work(actor, today)


def grade_chart(*, year: int, by_grade: dict[str, int], quota: rules.Quota | None) -> Chart:
    """The grade distribution of a year as bars, with the quota of the top grade as a line (home, cockpit)."""
    top = max([*by_grade.values(), quota.limit if quota else 0, 1])
    bars = [
        Bar(Grade(g).label, by_grade.get(g, 0), top, tone="err" if quota and g == quota.grade and not quota.ok else "")
        for g in GRADE_ORDER
    ]  # fmt: skip
    return Chart(
        title=_("Grades of %(year)s") % {"year": year}, bars=bars,
        marker=round(100 * quota.limit / top, 1) if quota else None,
        marker_label=_("Quota for “%(grade)s”: at most %(limit)s") % {
            "grade": Grade(quota.grade).label, "limit": quota.limit} if quota else "",
    )  # fmt: skip


def cultivation_figures(*, actor: Actor, year: int) -> list[FigureGroup]:
    """Home figures: registration, approval, year-end assessment and grades of the person's highest unit,
    against last year, with the grade distribution and its quota."""
    grants = worklist.top_grants(actor)
    if not grants:
        return []
    org = org_selectors.organization_for_actor(actor=actor, pk=grants[0].org_id)
    now = _year_figures(actor, org, year)
    if not now.members:
        return []
    before = _year_figures(actor, org, year - 1)
    if not before.registered:  # the unit did not keep its plans here last year: nothing to compare with
        before = selectors.YearFigures(members=0, registered=0, approved=0, yearend=0, by_grade={})
    figures = [
        Figure(_("Registered a plan"), now.share(now.registered), before.share(before.registered), "%"),
        Figure(_("Plan approved"), now.share(now.approved), before.share(before.approved), "%"),
        Figure(_("Assessed at year end"), now.share(now.yearend), before.share(before.yearend), "%"),
        Figure(_("Graded"), now.share(now.graded), before.share(before.graded), "%"),
    ]
    charts = [Chart(
        title=_("Where members stand"),
        bars=[
            Bar(_("Registered"), now.registered, now.members),
            Bar(_("Approved"), now.approved, now.members),
            Bar(_("Assessed at year end"), now.yearend, now.members),
            Bar(_("Graded"), now.graded, now.members),
        ],
        caption=_("Out of %(n)s party members") % {"n": worklist.number(now.members)},
    )]  # fmt: skip
    if now.graded:
        scheme = rulebook_selectors.evaluation_scheme_for_year(year)
        # The quota binds a grassroots organization: shown only where the figures are one's.
        quota = rules.quota_of(scheme, now.by_grade) if scheme and org.is_grassroots else None
        charts.append(grade_chart(year=year, by_grade=now.by_grade, quota=quota))
    url = reverse("commitments:cockpit", args=[org.pk]) if CockpitPermissions(actor, org).can_follow() else ""
    return [FigureGroup(_("Cultivation plans"), org.name, year, figures, charts, url)]
