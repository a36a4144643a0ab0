"""Cultivation-plan fixtures: in ward A, a member (Hoa) with an account, the cell's own secretary (proposes
grades), the ward secretary (decides), and a residence cell A2 with its secretary; the rulebook loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from conftest import SYSTEM, actor_of
from lamtheo.commitments import services
from lamtheo.commitments.models import CommitmentPlan, CultivationPlanStatus, Evaluation
from lamtheo.core import audit
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations import services as org_services
from lamtheo.organizations.models import Person, Role, RoleGrant
from lamtheo.planning.services import theme_catalogue_load
from lamtheo.rulebook.services import rulebook_load

D = dt.date


@dataclass
class Cast:
    member: object  # Person Hoa, party member of cell A1, living in cell A2
    member_user: object
    cell_secretary: object  # user: secretary role on cell A1 (proposes)
    ward_secretary: object  # user: secretary role on ward A (decides)
    residence_cell: object
    residence_secretary: object  # user: secretary role on cell A2
    b_secretary: object  # user: secretary of ward B

    def actor(self, name: str):  # type: ignore[no-untyped-def]
        return actor_of(getattr(self, name))


@pytest.fixture
def cast(world):  # type: ignore[no-untyped-def]
    return _cast(world)


@pytest.fixture
def cast_tx(world_tx):  # type: ignore[no-untyped-def]
    return _cast(world_tx)


def _cast(world) -> Cast:  # type: ignore[no-untyped-def]
    users = get_user_model()
    with activate(Scope.everything(reason="test fixture")), audit.acting(SYSTEM):
        rulebook_load(actor=SYSTEM)
        theme_catalogue_load(actor=SYSTEM)
        a2 = org_services.organization_create(
            actor=SYSTEM, code="WA-C2", name="Chi bộ Tổ dân phố A2", kind="party_cell", parent=world.a.committee,
            valid_from=D(2025, 7, 1),
        )  # fmt: skip
        hoa = org_services.person_create(
            actor=SYSTEM, code="PA3", full_name="Lê Thị Hoa A", gender="female", date_of_birth=D(1985, 3, 8),
            is_party_member=True, admission_date=D(2010, 5, 19), official_date=D(2011, 5, 19),
            party_cell=world.a.cell, residence_cell=a2, workplace=world.a.agency,
        )  # fmt: skip
        secretary = Role.objects.get(code="secretary")
        member_role = Role.objects.get(code="member")
        member_user = users.objects.create_user(
            "hoa", password="x-pass-123", person=hoa, email="hoa@example.vn", first_name="Hoa"
        )
        RoleGrant.objects.create(user=member_user, role=member_role, organization=world.a.cell)
        cell_sec = users.objects.create_user("bithu-a1", password="x-pass-123", first_name="Bí thư A1")
        RoleGrant.objects.create(user=cell_sec, role=secretary, organization=world.a.cell)
        res_sec = users.objects.create_user("bithu-a2", password="x-pass-123")
        RoleGrant.objects.create(user=res_sec, role=secretary, organization=a2)
    return Cast(hoa, member_user, cell_sec, world.a.secretary_user, a2, res_sec, world.b.secretary_user)


def fill_minimum(actor, plan) -> None:  # type: ignore[no-untyped-def]
    """Add one commitment to each section that still needs one (so that the plan can be submitted)."""
    from lamtheo.commitments import selectors

    for section in selectors.cultivation_plan_sections(plan=plan):
        for n in range(len(section.items), section.min_items):
            services.commitment_item_add(actor=actor, plan=plan, section=section.code, content=f"Cam kết {section.code} {n}",
                              measures="Thực hiện thường xuyên", timeline="Cả năm")  # fmt: skip


def on_day(day: dt.date):  # type: ignore[no-untyped-def]
    """Run the services as if today were `day` (plans are registered for the current or coming year)."""
    from unittest import mock

    return mock.patch("lamtheo.commitments.services._common.today", return_value=day)


def approved_plan(cast: Cast, year: int = 2026, person=None, owner=None):  # type: ignore[no-untyped-def]
    """Register → fill → submit → approve, as the member and the cell secretary would (in March of an
    earlier year when `year` has passed)."""
    import contextlib

    from django.utils import timezone

    owner = owner or cast.actor("member_user")
    person = person or cast.member
    when = on_day(dt.date(year, 3, 1)) if year < timezone.localdate().year else contextlib.nullcontext()
    with when, activate(owner.scope):
        plan = services.cultivation_plan_register(actor=owner, person=person, year=year)
        fill_minimum(owner, plan)
        services.cultivation_plan_submit(actor=owner, plan=plan)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        services.cultivation_plan_approve(actor=sec, plan=plan)
    plan.refresh_from_db()
    return plan


def in_window(year: int, stage: str):  # type: ignore[no-untyped-def]
    """A day inside the calendar's window of `stage` for a past `year` (the suite's today otherwise)."""
    import contextlib

    day = {"midyear": dt.date(year, 7, 1), "yearend": dt.date(year, 11, 15), "grading": dt.date(year, 12, 1)}
    return on_day(day[stage]) if year < TODAY.year or stage == "midyear" else contextlib.nullcontext()


def residence_returned(cast: Cast, plan):  # type: ignore[no-untyped-def]
    """The member's cell asks the cell where the member lives (A2) for its comment, and A2's secretary
    returns it (Quy định 213): a grade is proposed only then."""
    sec, res = cast.actor("cell_secretary"), cast.actor("residence_secretary")
    with in_window(plan.year, "yearend"):
        due = dt.date(plan.year, 11, 30) if plan.year < TODAY.year else TODAY
        with activate(sec.scope):
            comment = services.residence_comment_request(actor=sec, plan=plan, due_date=due)
        with activate(res.scope):
            return services.residence_comment_return(
                actor=res, comment=comment, ratings={"civic": "good", "ethics": "good", "trust": "good"},
                text="Gương mẫu ở khu dân cư", signed_by="Bí thư chi bộ A2",
            )  # fmt: skip


def yearend(cast: Cast, plan, *, grade: str = "good", score=80, result: str = "done", residence: bool = True):  # type: ignore[no-untyped-def]
    """The member's year-end self-assessment, on a day of the year's window; then (unless `residence` is
    False) the residence cell's comment on a member living in another cell's area comes back."""
    owner = cast.actor("member_user")
    with in_window(plan.year, "yearend"), activate(owner.scope):
        results = {
            i.pk: services.ItemResult(result=result, evidence="Đã thực hiện") for i in plan.items.all()
        }
        saved = services.yearend_assessment_save(
            actor=owner, plan=plan, results=results, self_grade=grade, self_score=score
        )
    person = plan.person
    if residence and person.residence_cell_id not in (None, plan.cell_id):
        from lamtheo.commitments import cross_scope

        if cross_scope.residence_comment_of_plan(plan) is None:
            residence_returned(cast, plan)
    return saved


def excuse_unrated(world, year: int, *, but=()) -> None:  # type: ignore[no-untyped-def]
    """The other members of ward A with no grade for `year` are recorded as not rated (exempted from party
    work and activities), so that a test can lock the year; `but` lists persons left as they are."""
    from lamtheo.commitments import cross_scope
    from lamtheo.organizations.models import Person

    names = set(cross_scope.unrated_members_under(world.a.committee.path, year))
    skip = {p.pk for p in but}
    with activate(Scope.everything(reason="test fixture")):
        people = Person.objects.filter(full_name__in=names).exclude(pk__in=skip)
        for person in people:
            services.grading_exemption_record(
                actor=SYSTEM, person=person, year=year, reason="exempt_from_activities"
            )


def graded_members(world, cast: Cast, year: int, grades: list[str]) -> list:  # type: ignore[no-untyped-def]
    """Other members of ward A already graded (rows written directly: the quota only counts them)."""
    from lamtheo.rulebook.selectors import commitment_template_for, evaluation_scheme_for_year

    out = []
    start = Person.objects.unscoped(reason="test").count()
    with activate(Scope.everything(reason="test fixture")), audit.acting(SYSTEM):
        scheme = evaluation_scheme_for_year(year)
        template = commitment_template_for(year=year, for_heads=False)
        for n, grade in enumerate(grades):
            person = org_services.person_create(
                actor=SYSTEM, code=f"Q{year}-{start + n}", full_name=f"Đảng viên {start + n}", gender="male",
                date_of_birth=D(1970, 1, 1), is_party_member=True, admission_date=D(2000, 1, 1),
                official_date=D(2001, 1, 1), party_cell=world.a.cell,
            )  # fmt: skip
            plan = CommitmentPlan.objects.create(
                person=person,
                year=year,
                cell=world.a.cell,
                template=template,
                status=CultivationPlanStatus.APPROVED,
            )
            Evaluation.objects.create(
                plan=plan, scheme=scheme, grassroots=world.a.committee, year=year, proposed_grade=grade,
                decided_grade=grade, grade=grade, score=None if scheme.scale_max is None else 80,
            )  # fmt: skip
            out.append(plan)
    return out


@pytest.fixture
def client(client):  # type: ignore[no-untyped-def]
    """Screens are asserted in English (the interface itself opens in Vietnamese)."""
    client.cookies["django_language"] = "en"
    return client


TODAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _a_fixed_today():  # type: ignore[no-untyped-def]
    """The suite runs on 30/11/2026 whatever the calendar says: registration years, due dates and
    lateness are rules about today, and the tests must not start failing next month."""
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield
