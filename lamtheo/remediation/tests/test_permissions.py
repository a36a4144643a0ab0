"""Shortcomings to remedy: who reads, reports and verifies (RemediationItemPermissions), the access helper, the
readers other contexts register, and the services' audit trail."""

from __future__ import annotations

import pytest
from django.http import Http404

from conftest import actor_of
from lamtheo.core.actor import Actor, Grant
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.core.vocabulary import RoleCode
from lamtheo.remediation import policies, selectors, services
from lamtheo.remediation.models import RemediationItem, Status
from lamtheo.remediation.policies import RemediationItemPermissions, RemediationPermissions

from .factories import RemediationItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world):  # type: ignore[no-untyped-def]
    """An open shortcoming of ward A's secretary (their person), tracked by their cell."""
    return RemediationItemFactory(organization=world.a.cell, person=world.a.member, owner=world.a.member)


def test_the_owner_reports_under_their_own_grant_and_never_verifies(world, item):  # type: ignore[no-untyped-def]
    owner, officer = actor_of(world.a.secretary_user), actor_of(world.a.officer_user)
    perms = RemediationItemPermissions(owner, item)
    own = perms.can_report()
    assert own is not None and own.role_code == RoleCode.SELF and own.org_id == world.a.cell.pk
    assert perms.can_view().role_code == RoleCode.SELF
    assert RemediationItemPermissions(officer, item).can_report().org_id == world.a.committee.pk
    item.status = Status.REPORTED
    assert perms.can_verify() is None  # the person concerned holds verify over the cell, but not on this
    assert RemediationItemPermissions(officer, item).can_verify() is not None
    item.reported_by_id = world.a.officer_user.pk
    assert RemediationItemPermissions(officer, item).allowed("verify", "reopen", "report") == {
        "verify": False, "reopen": False, "report": False,
    }  # fmt: skip


def test_report_verify_reopen_through_the_services(world, item):  # type: ignore[no-untyped-def]
    owner, officer = actor_of(world.a.secretary_user), actor_of(world.a.officer_user)
    with pytest.raises(DomainError, match="Only a remedy that was reported"):
        services.remediation_verify(actor=officer, item=item)
    reported = services.remediation_report(actor=owner, item=item, note="Đã khắc phục")
    assert reported.status == Status.REPORTED and reported.reported_by_id == world.a.secretary_user.pk
    with pytest.raises(PermissionDenied, match="nobody verifies their own"):
        services.remediation_verify(actor=owner, item=item)
    with pytest.raises(DomainError, match="Say why"):
        services.remediation_reopen(actor=officer, item=item, note=" ")
    services.remediation_reopen(actor=officer, item=item, note="Chưa đủ")
    services.remediation_report(actor=owner, item=item, note="Đã bổ sung")
    services.remediation_verify(actor=officer, item=item, note="Đạt")
    with activate(Scope.everything(reason="test")):
        rows = list(RemediationItem.history.filter(id=item.pk).order_by("history_date"))
    assert [(r.status, r.history_change_reason, r.actor_role) for r in rows[-4:]] == [
        ("reported", "report", RoleCode.SELF),
        ("open", "reopen", "organization_officer"),
        ("reported", "report", RoleCode.SELF),
        ("verified", "verify", "organization_officer"),
    ]


def test_an_officer_who_reported_for_the_owner_does_not_verify(world, item):  # type: ignore[no-untyped-def]
    officer = actor_of(world.a.officer_user)
    services.remediation_report(actor=officer, item=item, note="Báo cáo thay")
    with pytest.raises(PermissionDenied, match="nobody verifies their own"):
        services.remediation_verify(actor=officer, item=item)


def _member(world):  # type: ignore[no-untyped-def]
    """A member of cell A with an account and no officer's permission (a fellow of the secretary)."""
    return Actor(
        user_id=999, display_name="Đảng viên", person_id=world.a.staff.pk,
        grants=(Grant("member", "member", world.a.cell.pk, world.a.cell.path, "cell", frozenset()),),
    )  # fmt: skip


def test_only_the_organizations_recorders_raise(world):  # type: ignore[no-untyped-def]
    assert RemediationPermissions(actor_of(world.a.officer_user), world.a.cell).can_raise() is not None
    with pytest.raises(PermissionDenied, match="may not record shortcomings"):
        services.remediation_raise(actor=_member(world), organization=world.a.cell, source="other",
                                   description="x", due_date=None, year=2026, person=None)  # fmt: skip
    with activate(Scope.everything(reason="test")):
        assert not RemediationItem.objects.exists()


def test_fellow_members_do_not_read_each_others_shortcomings(world, item):  # type: ignore[no-untyped-def]
    fellow = _member(world)
    with activate(Scope.everything(reason="test")):
        with pytest.raises(Http404):
            selectors.remediation_item_for_actor(actor=fellow, pk=item.pk)
        assert not selectors.remediation_list(actor=fellow).exists()
        assert (
            selectors.remediation_item_for_actor(actor=actor_of(world.a.secretary_user), pk=item.pk) == item
        )
        with pytest.raises(Http404):  # out of scope: the same 404
            selectors.remediation_item_for_actor(actor=actor_of(world.b.officer_user), pk=item.pk)


def test_another_context_registers_who_follows_shortcomings(world, item, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(policies, "_registered_readers", [])
    reviewer = Actor(
        user_id=998, display_name="Tuyên giáo", person_id=None,
        grants=(Grant("reviewer", "reviewer", world.a.committee.pk, world.a.committee.path, "ward",
                      frozenset({"other.review_plan"})),),
    )  # fmt: skip
    assert RemediationItemPermissions(reviewer, item).can_view() is None
    policies.register_reader_permission("other.review_plan")
    assert RemediationItemPermissions(reviewer, item).can_view().org_id == world.a.committee.pk
    with activate(Scope.everything(reason="test")):
        assert list(selectors.remediation_list(actor=reviewer)) == [item]


def test_the_work_list_offers_only_remedies_one_may_verify(world, item):  # type: ignore[no-untyped-def]
    import datetime as dt

    owner, officer = actor_of(world.a.secretary_user), actor_of(world.a.officer_user)
    services.remediation_report(actor=owner, item=item, note="Đã khắc phục")
    today = dt.date(2026, 3, 1)
    titles = [w.title for w in selectors.remediation_work(actor=officer, today=today)]
    assert titles == ["Remedies reported, waiting for your verification"]
    assert selectors.remediation_work(actor=owner, today=today) == []  # their own: nothing to verify
