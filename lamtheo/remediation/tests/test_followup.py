"""Following up what inspections and the Front find: extensions of the due date (who, why, how many), their
expiry, escalation to the level above after the rulebook's working days, and the two sides of a remedy when
a unit, not a person, must remedy (owner_organization)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command

from conftest import actor_of
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations.tests.factories import PersonFactory, RoleGrantFactory, UserFactory
from lamtheo.remediation import selectors, services
from lamtheo.remediation.models import Extension, RemediationItem, Severity, Status
from lamtheo.remediation.policies import RemediationItemPermissions
from lamtheo.rulebook.models import FINDING_SEVERITIES, Holiday
from lamtheo.rulebook.selectors import working_days_between

from .factories import InspectionItemFactory, RemediationItemFactory, oversight_rules

pytestmark = pytest.mark.django_db

D = dt.date
ALL = Scope.everything(reason="test: the rows as stored")


@pytest.fixture(autouse=True)
def _mid_may():  # type: ignore[no-untyped-def]
    """Extensions are granted before the item's due date runs out in these tests: today is 15/05/2026 (the
    daily runs get their day explicitly)."""
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 5, 15)):
        yield


@pytest.fixture
def found(world):  # type: ignore[no-untyped-def]
    """A shortcoming ward A's inspection found in cell A1, for the cell to remedy by Tuesday 30/06/2026."""
    return InspectionItemFactory(organization=world.a.committee, owner_organization=world.a.cell)


@pytest.fixture
def cell_secretary(world):  # type: ignore[no-untyped-def]
    """The secretary of cell A1 (a role on the cell only): answers for the cell's remedies."""
    return UserFactory(person=PersonFactory(party_cell=world.a.cell), roles=[("secretary", world.a.cell)])


def _stored(item: RemediationItem) -> tuple:  # type: ignore[type-arg]
    """What a refused write must leave as it was: the item's fields, its history, its extensions."""
    with activate(ALL):
        fresh = RemediationItem.objects.get(pk=item.pk)
        return (
            fresh.status, fresh.extended_until, fresh.extension_count, fresh.escalated_at,
            RemediationItem.history.filter(id=item.pk).count(), Extension.objects.filter(item=item).count(),
        )  # fmt: skip


def test_the_severities_are_the_rulebooks():  # type: ignore[no-untyped-def]
    assert set(Severity.values) == set(FINDING_SEVERITIES)


# ------------------------------------------------------------------------------------------ extensions


def test_the_inspecting_side_extends_with_a_reason_and_the_history_says_so(world, found):
    oversight_rules()
    officer = actor_of(world.a.officer_user)
    item = services.remediation_extend(actor=officer, item=found, until=D(2026, 8, 31), reason="Chờ kinh phí")
    assert (item.status, item.extended_until, item.extension_count) == (Status.EXTENDED, D(2026, 8, 31), 1)
    assert item.effective_due == D(2026, 8, 31) and item.due_date == D(2026, 6, 30)
    assert item.is_open and not item.is_overdue(D(2026, 8, 31)) and item.is_overdue(D(2026, 9, 1))
    with activate(ALL):
        ext = Extension.objects.get(item=found)
        last = RemediationItem.history.filter(id=found.pk).latest("history_date")
    assert (ext.previous_due, ext.until, ext.reason, ext.granted_by_id) == (
        D(2026, 6, 30), D(2026, 8, 31), "Chờ kinh phí", world.a.officer_user.pk,
    )  # fmt: skip
    assert (last.history_change_reason, last.actor_role) == ("extend", "organization_officer")
    assert [e.pk for e in selectors.remediation_extensions(actor=officer, item=found)] == [ext.pk]


def test_an_extension_without_a_reason_is_refused_and_nothing_is_written(world, found):
    oversight_rules()
    before = _stored(found)
    with pytest.raises(DomainError, match="Say why more time is given") as refused:
        services.remediation_extend(
            actor=actor_of(world.a.officer_user), item=found, until=D(2026, 8, 31), reason="  "
        )
    assert refused.value.field == "reason"
    assert _stored(found) == before


@pytest.mark.parametrize("until", [D(2026, 6, 30), D(2026, 6, 1)])
def test_an_extension_not_after_the_due_date_in_force_is_refused(world, found, until):
    oversight_rules()
    before = _stored(found)
    with pytest.raises(DomainError, match=r"must be after the one in force \(30/06/2026\)") as refused:
        services.remediation_extend(actor=actor_of(world.a.officer_user), item=found, until=until, reason="x")
    assert refused.value.field == "until"
    assert _stored(found) == before


def test_extensions_beyond_what_the_rules_allow_are_refused(world, found):  # type: ignore[no-untyped-def]
    oversight_rules(max_extensions={"shortcoming": 1, "violation": 0})
    officer = actor_of(world.a.officer_user)
    services.remediation_extend(actor=officer, item=found, until=D(2026, 8, 31), reason="Lần một")
    before = _stored(found)
    with pytest.raises(DomainError, match="already been extended the 1 time the rules allow"):
        services.remediation_extend(actor=officer, item=found, until=D(2026, 9, 30), reason="Lần hai")
    assert _stored(found) == before
    # The next one must come after the extension in force, not the first due date.
    with pytest.raises(DomainError, match=r"in force \(31/08/2026\)"):
        services.remediation_extend(actor=officer, item=found, until=D(2026, 8, 1), reason="Lần hai")
    violation = InspectionItemFactory(
        organization=world.a.committee, owner_organization=world.a.cell, severity=Severity.VIOLATION
    )
    with pytest.raises(DomainError, match="allow no extension"):
        services.remediation_extend(actor=officer, item=violation, until=D(2026, 9, 30), reason="x")


def test_an_item_without_severity_counts_as_a_shortcoming(world):  # type: ignore[no-untyped-def]
    oversight_rules(max_extensions={"shortcoming": 1, "violation": 0})
    item = RemediationItemFactory(organization=world.a.cell, person=world.a.staff)  # no severity
    extended = services.remediation_extend(
        actor=actor_of(world.a.officer_user), item=item, until=D(2026, 7, 31), reason="Chờ hội nghị"
    )
    assert extended.extension_count == 1


def test_without_rules_for_the_year_no_extension_is_granted(world, found):  # type: ignore[no-untyped-def]
    oversight_rules(year_from=2020, year_to=2025)
    before = _stored(found)
    with pytest.raises(DomainError, match="periods of follow-up for 2026 are not set"):
        services.remediation_extend(
            actor=actor_of(world.a.officer_user), item=found, until=D(2026, 8, 31), reason="x"
        )
    assert _stored(found) == before


def test_only_an_item_still_to_remedy_is_extended(world, found):  # type: ignore[no-untyped-def]
    oversight_rules()
    found.status = Status.REPORTED
    found.save()
    with pytest.raises(DomainError, match="still to remedy"):
        services.remediation_extend(
            actor=actor_of(world.a.officer_user), item=found, until=D(2026, 8, 31), reason="x"
        )


def test_the_remedying_side_never_extends_its_own(world, found, cell_secretary):
    oversight_rules()
    owner_item = InspectionItemFactory(
        organization=world.a.committee, person=world.a.member, owner=world.a.member
    )
    secretary = actor_of(cell_secretary)
    assert RemediationItemPermissions(secretary, found).can_extend() is None  # no verify over the ward
    # The ward's secretary holds verify over the ward but is the owner of this one.
    assert RemediationItemPermissions(actor_of(world.a.secretary_user), owner_item).can_extend() is None
    assert RemediationItemPermissions(actor_of(world.a.officer_user), owner_item).can_extend() is not None
    # The cell's secretary, also an inspector of the ward, still answers for the cell.
    RoleGrantFactory(user=cell_secretary, role_code="inspection_officer", organization=world.a.committee)
    both = actor_of(cell_secretary)
    assert RemediationItemPermissions(both, found).can_extend() is None
    before = _stored(found)
    with pytest.raises(PermissionDenied, match="not for its own"):
        services.remediation_extend(actor=both, item=found, until=D(2026, 8, 31), reason="x")
    assert _stored(found) == before


# -------------------------------------------------------------------------------------------- expiry


def test_an_extension_that_ran_out_reopens_the_item_which_is_then_overdue(world, found):
    oversight_rules()
    services.remediation_extend(
        actor=actor_of(world.a.officer_user), item=found, until=D(2026, 7, 15), reason="Chờ kinh phí"
    )
    assert services.remediation_expire_extensions(today=D(2026, 7, 15)) == 0  # due today: still running
    assert services.remediation_expire_extensions(today=D(2026, 7, 16)) == 1
    with activate(ALL):
        item = RemediationItem.objects.get(pk=found.pk)
        last = RemediationItem.history.filter(id=found.pk).latest("history_date")
    assert item.status == Status.OPEN and item.extended_until == D(2026, 7, 15)
    assert item.is_overdue(D(2026, 7, 16)) and item.extension_count == 1
    assert (last.history_change_reason, last.actor_role, last.status) == (
        "extension expired",
        "system",
        "open",
    )
    assert services.remediation_expire_extensions(today=D(2026, 7, 17)) == 0  # once


def test_a_reopened_remedy_goes_back_to_its_running_extension(world, found, cell_secretary):
    from django.core.files.uploadedfile import SimpleUploadedFile

    oversight_rules()
    officer = actor_of(world.a.officer_user)
    far = dt.date.today() + dt.timedelta(days=60)
    services.remediation_extend(actor=officer, item=found, until=far, reason="Chờ kinh phí")
    services.remediation_report(
        actor=actor_of(cell_secretary), item=found, note="Đã sửa",
        evidence=SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, content_type="image/png"),
    )  # fmt: skip
    reopened = services.remediation_reopen(actor=officer, item=found, note="Chưa đủ")
    assert reopened.status == Status.EXTENDED and reopened.effective_due == far


# ------------------------------------------------------------------------------------------ escalation


def test_escalation_after_the_rules_working_days_holidays_skipped(world, found):
    oversight_rules(escalate_after_days=5)
    Holiday.objects.create(date=D(2026, 7, 2), name="Ngày nghỉ (thử)")
    reported = InspectionItemFactory(organization=world.a.committee, status=Status.REPORTED)
    old_year = InspectionItemFactory(organization=world.a.committee, year=2019, due_date=D(2019, 6, 30))
    # Due Tue 30/06; working days after it: Wed 1, (Thu 2 a holiday), Fri 3, Mon 6, Tue 7, Wed 8 July.
    assert services.remediation_escalate_overdue(today=D(2026, 7, 7)) == 0
    assert services.remediation_escalate_overdue(today=D(2026, 7, 8)) == 1
    with activate(ALL):
        item = RemediationItem.objects.get(pk=found.pk)
        last = RemediationItem.history.filter(id=found.pk).latest("history_date")
        untouched = RemediationItem.objects.filter(
            pk__in=[reported.pk, old_year.pk], escalated_at__isnull=True
        )
        assert untouched.count() == 2  # a reported remedy, and a year without rules, are not escalated
    assert item.escalated_at is not None
    assert (last.history_change_reason, last.actor_role) == ("escalate", "system")
    assert services.remediation_escalate_overdue(today=D(2026, 7, 9)) == 0  # once


def test_an_extension_answers_the_escalation(world, found):  # type: ignore[no-untyped-def]
    oversight_rules(escalate_after_days=0)
    assert services.remediation_escalate_overdue(today=D(2026, 7, 1)) == 1
    extended = services.remediation_extend(
        actor=actor_of(world.a.officer_user), item=found, until=D(2026, 9, 30), reason="Chờ kinh phí"
    )
    assert extended.escalated_at is None
    assert services.remediation_escalate_overdue(today=D(2026, 9, 30)) == 0
    assert services.remediation_escalate_overdue(today=D(2026, 10, 1)) == 1


@pytest.mark.parametrize("days", [0, 1, 2, 5, 10])
def test_the_escalation_cutoff_agrees_with_the_working_day_count(db, days):  # type: ignore[no-untyped-def]
    Holiday.objects.create(date=D(2026, 9, 2), name="Quốc khánh (thử)")
    for today in (D(2026, 8, 28) + dt.timedelta(days=n) for n in range(14)):
        cutoff = services._escalation_cutoff(today, days)
        assert cutoff < today
        assert working_days_between(cutoff, today) >= days, (today, cutoff)
        assert working_days_between(cutoff + dt.timedelta(days=1), today) < max(days, 1), (today, cutoff)


def test_the_level_above_sees_what_was_escalated_from_the_units_below(world, as_actor):
    oversight_rules(escalate_after_days=1)
    in_cell = InspectionItemFactory(organization=world.a.cell, person=world.a.staff)
    at_ward = InspectionItemFactory(organization=world.a.committee, person=world.a.staff)
    in_b = InspectionItemFactory(organization=world.b.cell, person=world.b.staff)
    officer = actor_of(world.a.officer_user)
    today = D(2026, 7, 10)
    assert _escalated(selectors.remediation_work(actor=officer, today=today)) == []
    assert services.remediation_escalate_overdue(today=today) == 3
    work = _escalated(selectors.remediation_work(actor=officer, today=today))
    assert [(w.count, w.url, w.due) for w in work] == [(1, "/remediation/?escalated=1", D(2026, 6, 30))]
    with as_actor(world.a.officer_user) as actor:
        assert list(selectors.remediation_list(actor=actor, status="open", escalated=True)) == [in_cell]
    # One level up: the city's inspector gets the wards' escalations, not the cells' (their wards have them).
    city = UserFactory(roles=[("inspection_officer", world.root)])
    assert [w.count for w in _escalated(selectors.remediation_work(actor=actor_of(city), today=today))] == [1]
    with as_actor(city) as actor:
        assert set(selectors.remediation_list(actor=actor, escalated=True)) == {at_ward}
    assert in_b.organization_id == world.b.cell.pk
    # Remedied (reported): no longer waiting at the level above.
    services.remediation_report(actor=officer, item=in_cell, note="Đã sửa", evidence=_pdf())
    assert _escalated(selectors.remediation_work(actor=officer, today=today)) == []


def _escalated(work):  # type: ignore[no-untyped-def]
    return [w for w in work if w.title == "Overdue shortcomings escalated from the units below"]


def _pdf():  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")


def test_the_daily_command_and_task_run_both_and_print_counts(world):  # type: ignore[no-untyped-def]
    from lamtheo.remediation import jobs

    oversight_rules(escalate_after_days=0)
    today = D(2026, 5, 15)  # the command runs on today's date: the module's today
    InspectionItemFactory(organization=world.a.cell, year=today.year, due_date=today - dt.timedelta(days=3))
    InspectionItemFactory(
        organization=world.a.cell, year=today.year, due_date=today - dt.timedelta(days=40),
        status=Status.EXTENDED, extended_until=today - dt.timedelta(days=1), extension_count=1,
    )  # fmt: skip
    out = StringIO()
    call_command("remediation_daily", stdout=out)
    assert re.fullmatch(r"extensions expired: 1; escalated: 2\n", out.getvalue())
    assert jobs.remediation_daily.enqueue().return_value == {"expired": 0, "escalated": 0}


# ------------------------------------------------------------------------ the unit that remedies


def test_the_cell_secretary_reads_and_reports_for_the_cell(world, found, cell_secretary, as_actor):
    secretary = actor_of(cell_secretary)
    perms = RemediationItemPermissions(secretary, found)
    assert perms.can_view().org_id == world.a.cell.pk and perms.can_report().org_id == world.a.cell.pk
    with as_actor(cell_secretary) as actor:
        assert list(selectors.remediation_list(actor=actor)) == [found]
        assert selectors.remediation_item_for_actor(actor=actor, pk=found.pk) == found
        remedies = [w.url for w in selectors.remediation_work(actor=actor, today=D(2026, 6, 1))]
    assert remedies == [f"/remediation/{found.pk}/"]
    # A fellow member of the cell, without the role, reads nothing of it.
    fellow = UserFactory(person=PersonFactory(party_cell=world.a.cell), roles=[("member", world.a.cell)])
    assert RemediationItemPermissions(actor_of(fellow), found).can_view() is None


def test_a_cell_secretary_who_reported_for_the_cell_does_not_verify(world, found, cell_secretary):
    # Also an inspector of the ward: holds verify over the tracking committee, yet answers for the cell.
    RoleGrantFactory(user=cell_secretary, role_code="inspection_officer", organization=world.a.committee)
    secretary, officer = actor_of(cell_secretary), actor_of(world.a.officer_user)
    services.remediation_report(actor=secretary, item=found, note="Đã khắc phục", evidence=_pdf())
    with pytest.raises(PermissionDenied, match="nobody verifies their own"):
        services.remediation_verify(actor=secretary, item=found)
    services.remediation_reopen(actor=officer, item=found, note="Chưa đủ")
    # Reported this time by the ward's secretary: the cell's secretary still does not verify its remedy.
    reported = services.remediation_report(
        actor=actor_of(world.a.secretary_user), item=found, note="Đã bổ sung", evidence=_pdf()
    )
    assert RemediationItemPermissions(secretary, reported).can_verify() is None
    with activate(ALL):
        to_verify = RemediationItemPermissions.to_verify
        assert not RemediationItem.objects.filter(to_verify(secretary), status=Status.REPORTED).exists()
        assert RemediationItem.objects.filter(to_verify(officer), status=Status.REPORTED).get() == found
    with pytest.raises(PermissionDenied, match="nobody verifies their own"):
        services.remediation_verify(actor=secretary, item=found)
    assert services.remediation_verify(actor=officer, item=found, note="Đạt").status == Status.VERIFIED


def test_a_merge_moves_the_open_remedies_a_unit_owns(world, system):  # type: ignore[no-untyped-def]
    from lamtheo.organizations import services as org_services
    from lamtheo.organizations.tests.factories import OrganizationFactory

    other = OrganizationFactory(cell=True, parent=world.a.committee, valid_from=D(2025, 7, 1))
    open_item = InspectionItemFactory(organization=world.a.committee, owner_organization=world.a.cell)
    done = InspectionItemFactory(
        organization=world.a.committee, owner_organization=world.a.cell, status=Status.VERIFIED
    )
    org_services.organization_merge(
        actor=system, sources=[world.a.cell], target=other, effective=D(2026, 1, 1)
    )
    open_item.refresh_from_db()
    done.refresh_from_db()
    assert open_item.owner_organization_id == other.pk and done.owner_organization_id == world.a.cell.pk


def test_an_extension_ending_before_today_is_refused(world, found):  # type: ignore[no-untyped-def]
    oversight_rules()
    with activate(ALL):
        RemediationItem.objects.filter(pk=found.pk).update(due_date=D(2026, 3, 1))
    found.refresh_from_db()
    before = _stored(found)
    with pytest.raises(DomainError, match="must be in the future") as refused:  # it would expire at once
        services.remediation_extend(actor=actor_of(world.a.officer_user), item=found, until=D(2026, 3, 15), reason="x")
    assert refused.value.field == "until" and _stored(found) == before
