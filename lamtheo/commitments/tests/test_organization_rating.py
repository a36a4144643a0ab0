"""The quality rating of party organizations (Quy định 124 / 366 rate collectives too): the organization's
own committee proposes, the committee above that the rules name decides under its quota, and a head's
personal grade is not above the organization they head."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import SYSTEM
from lamtheo.commitments import selectors, services
from lamtheo.commitments.models import CultivationPlanStatus, Evaluation, OrganizationRating
from lamtheo.commitments.tests.factories import CultivationPlanFactory
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations import services as org_services
from lamtheo.rulebook.selectors import evaluation_scheme_for_year, rule_version_uses

from .conftest import on_day

D = dt.date
ALL = Scope.everything(reason="test")


def _ratings() -> list[tuple[str, str, str]]:
    rows = OrganizationRating.objects.unscoped(reason="test").order_by("organization__code")
    return list(rows.values_list("organization__code", "proposed_grade", "decided_grade"))


def test_the_cell_proposes_and_its_grassroots_committee_decides(world, cast):  # type: ignore[no-untyped-def]
    sec, ward, b = cast.actor("cell_secretary"), cast.actor("ward_secretary"), cast.actor("b_secretary")
    with activate(ward.scope), pytest.raises(PermissionDenied, match="own committee proposes"):
        services.organization_rating_propose(actor=ward, organization=world.a.cell, year=2026, grade="good")
    with activate(sec.scope):
        with pytest.raises(DomainError, match="Choose a grade"):
            services.organization_rating_propose(actor=sec, organization=world.a.cell, year=2026, grade="best")
        rating = services.organization_rating_propose(
            actor=sec, organization=world.a.cell, year=2026, grade="good", comment="Hoàn thành tốt nghị quyết"
        )
        with pytest.raises(PermissionDenied, match="decided by the committee above"):
            services.organization_rating_decide(actor=sec, rating=rating, grade="good")
    assert rating.decider == world.a.committee and rating.grade == "good"
    with activate(b.scope), pytest.raises(PermissionDenied):
        services.organization_rating_decide(actor=b, rating=rating, grade="good")
    with activate(ward.scope):
        rating = services.organization_rating_decide(actor=ward, rating=rating, grade="completed")
    assert _ratings() == [(world.a.cell.code, "good", "completed")]
    with activate(sec.scope), pytest.raises(DomainError, match="has decided this rating"):
        services.organization_rating_propose(actor=sec, organization=world.a.cell, year=2026, grade="good")
    assert rule_version_uses(evaluation_scheme_for_year(2026)) == 1  # the scheme is frozen by the rating


def test_a_grassroots_ward_is_decided_by_the_committee_above(world, cast):  # type: ignore[no-untyped-def]
    with activate(ALL):
        rating = services.organization_rating_propose(
            actor=SYSTEM, organization=world.a.committee, year=2026, grade="good"
        )
    assert rating.decider == world.root
    with activate(ALL):
        with pytest.raises(DomainError, match="above the grassroots level"):
            services.organization_rating_propose(actor=SYSTEM, organization=world.root, year=2026, grade="good")
        with pytest.raises(DomainError, match="Only open party organizations"):
            services.organization_rating_propose(actor=SYSTEM, organization=world.a.agency, year=2026, grade="good")


def test_the_quota_of_excellent_organizations_counts_at_the_deciding_committee(world, cast):  # type: ignore[no-untyped-def]
    scheme = evaluation_scheme_for_year(2026)
    with activate(ALL):
        for n in range(4):  # four more cells of ward A, rated good
            cell = org_services.organization_create(
                actor=SYSTEM, code=f"WA-Q{n}", name=f"Chi bộ Q{n}", kind="party_cell", parent=world.a.committee,
                valid_from=D(2025, 7, 1),
            )  # fmt: skip
            OrganizationRating.objects.create(
                organization=cell, year=2026, scheme=scheme, decider=world.a.committee, proposed_grade="good",
                grade="good",
            )  # fmt: skip
    sec, res = cast.actor("cell_secretary"), cast.actor("residence_secretary")
    with activate(sec.scope):  # 1 excellent of 5 good or better: within 20 %
        services.organization_rating_propose(actor=sec, organization=world.a.cell, year=2026, grade="excellent")
    with activate(res.scope), pytest.raises(DomainError, match="at most 1 of the 6 organizations"):
        services.organization_rating_propose(
            actor=res, organization=cast.residence_cell, year=2026, grade="excellent"
        )
    assert not OrganizationRating.objects.unscoped(reason="test").filter(organization=cast.residence_cell).exists()
    with activate(ALL):
        quota = selectors.rating_quota(decider=world.a.committee, year=2026, scheme=scheme)
    assert (quota.count, quota.limit, quota.base) == (1, 1, 5)


def test_a_late_rating_needs_its_reason(world, cast):  # type: ignore[no-untyped-def]
    sec = cast.actor("cell_secretary")
    with on_day(D(2027, 1, 5)), activate(sec.scope):
        with pytest.raises(DomainError, match="was due by 31/12/2026"):
            services.organization_rating_propose(actor=sec, organization=world.a.cell, year=2026, grade="good")
        rating = services.organization_rating_propose(
            actor=sec, organization=world.a.cell, year=2026, grade="good", late_reason="Đại hội chi bộ dời lịch"
        )
    assert rating.proposed_late_reason == "Đại hội chi bộ dời lịch"


def test_a_heads_grade_is_not_above_the_organization_they_head(world, cast):  # type: ignore[no-untyped-def]
    # Đức (ward A's secretary account) heads cell A1 (conftest: a head's position).
    plan = CultivationPlanFactory(
        person=world.a.member, status=CultivationPlanStatus.APPROVED, yearend_at=timezone.now()
    )
    sec, ward = cast.actor("cell_secretary"), cast.actor("ward_secretary")
    with activate(sec.scope):
        with pytest.raises(DomainError, match="Rate Chi bộ Tổ dân phố A1 first"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score=80)
        services.organization_rating_propose(actor=sec, organization=world.a.cell, year=2026, grade="good")
        with pytest.raises(DomainError, match="head of Chi bộ Tổ dân phố A1 can be rated at most “Good"):
            services.evaluation_propose(actor=sec, plan=plan, grade="excellent", score=95)
        assert not Evaluation.objects.unscoped(reason="test").exists()
        assert services.evaluation_propose(actor=sec, plan=plan, grade="good", score=85).grade == "good"
    del ward


def test_the_cockpit_shows_the_ratings_beside_the_members_grades(client, world, cast):  # type: ignore[no-untyped-def]
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        services.organization_rating_propose(actor=sec, organization=world.a.cell, year=2026, grade="good")
    client.cookies["django_language"] = "en"
    client.force_login(cast.ward_secretary)
    page = client.get(f"/commitments/cockpit/{world.a.committee.pk}/?year=2026")
    html = page.content.decode()
    assert "Quality rating of organizations" in html and f"/commitments/ratings/{world.a.cell.pk}/" in html
    rows = {r.organization.pk: r for r in page.context["ratings"]}
    assert rows[world.a.cell.pk].can_decide and rows[world.a.cell.pk].rating.proposed_grade == "good"
    assert not rows[cast.residence_cell.pk].can_propose  # A2's own committee proposes, not the ward
    screen = f"/commitments/ratings/{world.a.cell.pk}/?year=2026"
    assert "Members" in client.get(screen).content.decode()
    bad = client.post(screen, {"stage": "decide", "grade": ""})
    assert bad.status_code == 400
    assert client.post(screen, {"stage": "decide", "grade": "good", "comment": "Đạt"}).status_code == 302
    assert _ratings() == [(world.a.cell.code, "good", "good")]
    client.force_login(cast.b_secretary)  # another ward: out of scope
    assert client.get(screen).status_code == 404


def test_whoever_proposed_a_rating_never_decides_it(world, cast):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from conftest import actor_of
    from lamtheo.organizations.models import Role, RoleGrant

    both = get_user_model().objects.create_user("kiemnhiem", password="x-pass-123")
    secretary = Role.objects.get(code="secretary")
    with activate(ALL):
        RoleGrant.objects.create(user=both, role=secretary, organization=world.a.cell)
        RoleGrant.objects.create(user=both, role=secretary, organization=world.a.committee)
    actor = actor_of(both)
    with activate(actor.scope):
        rating = services.organization_rating_propose(actor=actor, organization=world.a.cell, year=2026, grade="good")
        with pytest.raises(PermissionDenied, match="never by whoever proposed it"):
            services.organization_rating_decide(actor=actor, rating=rating, grade="good")
    assert _ratings() == [(world.a.cell.code, "good", "")]
