"""A report's life through the services, with a frozen clock: deadlines across a weekend and a public
holiday, acceptance, routing and transfer, progress with a committed date, the answer with evidence, rating,
reopening, the sweep that escalates and closes, and every refusal writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.feedback import selectors, services
from lamtheo.feedback.models import Channel, Event, Holding, Photo, RejectionTemplate, Report, Status

from .conftest import at, clock, jpeg

pytestmark = pytest.mark.django_db


def _count() -> int:
    with activate(Scope.everything(reason="test")):
        return Report.objects.count()


def _fresh(report: Report) -> Report:
    with activate(Scope.everything(reason="test")):
        return Report.objects.select_related("organization", "escalated_to").get(pk=report.pk)


def test_deadlines_run_on_working_hours_across_a_weekend_and_a_holiday(world, desk):
    # Friday 24/4/2026 16:30; Monday 27/4 is the day off for Giỗ Tổ Hùng Vương (seeded in the rulebook).
    report = desk.report(at(2026, 4, 24, 16, 30))
    assert report.organization == world.a.agency  # the area's default rule
    assert report.channel == Channel.WEB and report.status == Status.RECEIVED
    assert report.accept_due == at(2026, 4, 28, 16, 30)  # 0.5 h Friday + 7.5 h Tuesday
    assert report.resolve_due == at(2026, 5, 6, 16, 30)  # 40 working hours: Thu 30/4 and Fri 1/5 are holidays
    with activate(Scope.everything(reason="test")):
        assert Holding.objects.get(report=report).organization == world.a.agency
        assert Event.objects.get(report=report).status == Status.RECEIVED


def test_urgent_reports_are_due_within_four_working_hours(desk):
    report = desk.report(at(2026, 3, 10, 15, 0), category="an-ninh-trat-tu")
    assert report.organization == desk.police and report.severity == "urgent"
    assert report.resolve_due == at(2026, 3, 11, 10, 0)


def test_the_whole_life_of_a_report(world, desk):
    report = desk.report(at(2026, 3, 9, 9, 0))
    handler = desk.actor("agency_handler")
    with clock(at(2026, 3, 9, 10, 0)):
        report = services.report_accept(actor=handler, report=report, severity="complex")
    assert report.status == Status.ACCEPTED and report.resolve_due == at(
        2026, 3, 23, 9, 0
    )  # 80 h from receipt
    with clock(at(2026, 3, 10, 9, 0)):
        services.report_progress(actor=handler, report=report, text="Đã cử người kiểm tra hiện trường.")
    with clock(at(2026, 3, 12, 11, 0)):
        report = services.report_resolve(actor=handler, report=report, response="Đã thu gom rác, vệ sinh khu vực.",
                                         photos=[jpeg()])  # fmt: skip
    assert report.status == Status.RESOLVED and report.on_time is True
    with activate(Scope.everything(reason="test")):
        assert Photo.objects.get(report=report).kind == "evidence"
        assert Holding.objects.get(report=report).ended_at == at(2026, 3, 12, 11, 0)
    with clock(at(2026, 3, 13, 8, 0)):
        report = services.report_rate(report=report, rating=4, reason="Nhanh")
    assert (report.rating, report.rating_reason) == (4, "Nhanh")
    with clock(at(2026, 3, 13, 8, 0)), pytest.raises(DomainError, match="already been rated"):
        services.report_rate(report=report, rating=5)
    public = [e.kind for e in selectors.public_timeline(report)]
    assert public == ["status", "status", "progress", "response", "rating"]


def test_reopen_within_the_window_sends_it_back_with_new_deadlines(desk):
    report = desk.report(at(2026, 3, 9, 9, 0))
    handler = desk.actor("agency_handler")
    with clock(at(2026, 3, 9, 10, 0)):
        report = services.report_accept(actor=handler, report=report)
        report = services.report_resolve(actor=handler, report=report, response="Đã xử lý.")
    with clock(at(2026, 3, 13, 9, 0)):
        report = services.report_reopen(report=report, reason="Vẫn còn rác.")
    assert report.status == Status.REOPENED and report.reopen_count == 1 and report.was_reopened
    assert (
        report.accept_due == at(2026, 3, 16, 9, 0) and report.resolved_at is None and report.on_time is None
    )
    with activate(Scope.everything(reason="test")):
        assert Holding.objects.filter(report=report).count() == 2


def test_reopen_after_the_window_and_rating_before_resolution_are_refused(desk):
    report = desk.report(at(2026, 3, 9, 9, 0))
    with clock(at(2026, 3, 9, 10, 0)), pytest.raises(DomainError, match="once it has been resolved"):
        services.report_rate(report=report, rating=5)
    handler = desk.actor("agency_handler")
    with clock(at(2026, 3, 9, 10, 0)):
        report = services.report_accept(actor=handler, report=report)
        report = services.report_resolve(actor=handler, report=report, response="Đã xử lý.")
    with clock(at(2026, 3, 17, 10, 1)), pytest.raises(DomainError, match="ended on 16/03/2026 10:00"):
        services.report_reopen(report=report, reason="Vẫn còn rác.")
    fresh = _fresh(report)
    assert fresh.status == Status.RESOLVED and fresh.rating is None and fresh.reopen_count == 0


def test_transfer_records_each_holder_and_refuses_circles(world, desk):
    report = desk.report(at(2026, 3, 9, 9, 0))
    agency = desk.actor("agency_handler")
    with clock(at(2026, 3, 9, 10, 0)):
        report = services.report_transfer(
            actor=agency, report=report, organization=desk.police, reason="Việc của công an."
        )
    assert report.status == Status.TRANSFERRED and report.organization == desk.police
    assert report.accept_due == at(2026, 3, 10, 10, 0)
    police = _handler_of(desk.police)
    with clock(at(2026, 3, 9, 11, 0)):
        # The police may not send it back to a unit that held it ("no forwarding in circles")…
        with pytest.raises(DomainError, match="held the report before"):
            services.report_transfer(
                actor=police, report=report, organization=world.a.agency, reason="Trả lại."
            )
        # …the level above the holder decides.
        report = services.report_transfer(actor=agency, report=report, organization=world.a.agency,
                                          reason="UBND phường chủ trì giải quyết.")  # fmt: skip
    with activate(Scope.everything(reason="test")):
        held = list(Holding.objects.filter(report=report).values_list("organization__code", "ended_at"))
    assert [h[0] for h in held] == ["WA-UB", "WA-CA", "WA-UB"] and held[0][1] == at(2026, 3, 9, 10, 0)
    with pytest.raises(DomainError, match="Say why"):
        services.report_transfer(actor=agency, report=report, organization=desk.police, reason=" ")


def _handler_of(unit):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from conftest import actor_of
    from lamtheo.organizations.models import Role, RoleGrant

    with activate(Scope.everything(reason="test")):
        user = get_user_model().objects.create_user(f"xuly-{unit.code}", password="x-pass-123")
        RoleGrant.objects.create(user=user, role=Role.objects.get(code="feedback_handler"), organization=unit)
    return actor_of(user)


def test_a_handler_of_another_ward_cannot_touch_the_report(desk):
    report = desk.report(at(2026, 3, 9, 9, 0))
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=desk.actor("handler_b"), report=report)
    assert _fresh(report).status == Status.RECEIVED


def test_progress_past_the_deadline_needs_a_committed_date(desk):
    report = desk.report(at(2026, 3, 9, 9, 0), category="an-ninh-trat-tu")  # urgent: due 13:00
    police = desk.actor("agency_handler")
    with clock(at(2026, 3, 9, 9, 30)):
        report = services.report_accept(actor=police, report=report)
    with clock(at(2026, 3, 9, 15, 0)):
        with pytest.raises(DomainError, match="give the date"):
            services.report_progress(actor=police, report=report, text="Đang xác minh.")
        with pytest.raises(DomainError, match="cannot be in the past"):
            services.report_progress(
                actor=police, report=report, text="Đang xác minh.", committed_on=dt.date(2026, 3, 8)
            )
        report = services.report_progress(
            actor=police, report=report, text="Đang xác minh.", committed_on=dt.date(2026, 3, 11)
        )
    assert report.committed_on == dt.date(2026, 3, 11) and report.status == Status.IN_PROGRESS
    with clock(at(2026, 3, 10, 9, 0)):
        report = services.report_resolve(actor=police, report=report, response="Đã giải quyết.")
    assert report.on_time is False


def test_the_sweep_escalates_overdue_reports_once_and_closes_after_the_window(world, desk):
    late = desk.report(at(2026, 3, 9, 9, 0))
    done = desk.report(at(2026, 3, 9, 9, 0))
    agency = desk.actor("agency_handler")
    with clock(at(2026, 3, 9, 10, 0)):
        services.report_accept(actor=agency, report=done)
        services.report_resolve(actor=agency, report=done, response="Xong.")
    assert services.feedback_sweep(now=at(2026, 3, 9, 16, 0)) == {"escalated": 0, "closed": 0}
    # Accepted by 10/3 09:00 (7 working hours on the 9th): the sweep escalates it once it is late.
    assert services.feedback_sweep(now=at(2026, 3, 10, 9, 1)) == {"escalated": 1, "closed": 0}
    assert services.feedback_sweep(now=at(2026, 3, 10, 10, 0)) == {"escalated": 0, "closed": 0}
    assert _fresh(late).escalated_to == world.a.committee
    assert services.feedback_sweep(now=at(2026, 3, 17, 11, 0)) == {"escalated": 0, "closed": 1}
    assert _fresh(done).status == Status.CLOSED
    # The committee's handler sees it among the reports escalated to their unit.
    with activate(Scope.everything(reason="test")):
        assert list(selectors.report_list(actor=desk.actor("handler"), escalated=True)) == [late]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"description": "  "}, "Describe what you are reporting"),
        ({"category": "khong-co"}, "Choose a category"),
        ({"area": "phuong-z"}, "Choose the ward"),
        ({"latitude": "48.85", "longitude": "2.35"}, "outside Viet Nam"),
        ({"latitude": "21.0"}, "both the latitude and the longitude"),
        ({"latitude": "abc", "longitude": "105"}, "not a number"),
        ({"email": "khong-phai-email"}, "e-mail address is not valid"),
        ({"phone": "12"}, "phone number is not valid"),
        ({"photos": [jpeg("a.jpg") for _ in range(6)]}, "at most 5 photos"),
    ],
)
def test_bad_reports_are_refused_and_write_nothing(desk, fields, message):
    before = _count()
    with pytest.raises(DomainError, match=message):
        desk.report(**fields)
    assert _count() == before


def test_a_file_that_is_not_a_photo_or_too_large_is_refused(desk, tmp_path):
    before = _count()
    fake = jpeg()
    fake = type(fake)(b"%PDF-1.4 not a photo")
    fake.name = "anh.jpg"
    with pytest.raises(DomainError, match="is not a photo"):
        desk.report(photos=[fake])
    with override_settings(LAMTHEO_PHOTO_MAX_BYTES=1000), pytest.raises(DomainError, match="larger than"):
        desk.report(photos=[jpeg(size=(800, 600))])
    assert _count() == before


def test_an_anonymous_report_keeps_no_personal_data(desk):
    report = desk.report(anonymous=True)
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == ("", "", "")


def test_reject_and_merge_say_why_to_the_citizen(desk):
    first, second, third = desk.report(), desk.report(), desk.report()
    agency = desk.actor("agency_handler")
    template = RejectionTemplate.objects.get(code="tranh-chap-dan-su")
    rejected = services.report_reject(
        actor=agency, report=first, template=template, text="Đề nghị liên hệ Tòa án."
    )
    assert rejected.status == Status.REJECTED and rejected.rejection_reason.endswith(
        "Đề nghị liên hệ Tòa án."
    )
    merged = services.report_mark_duplicate(actor=agency, report=second, original_code=third.code.lower())
    assert merged.status == Status.DUPLICATE and merged.duplicate_of == third
    with pytest.raises(DomainError, match="No other report"):
        services.report_mark_duplicate(actor=agency, report=third, original_code=third.code)
    with pytest.raises(DomainError, match="Only an open report"):
        services.report_reject(actor=agency, report=rejected, template=template)


def test_a_confirmed_cadre_gets_the_report_as_evidence(world, desk):
    from lamtheo.core import evidence

    report = desk.report(subject_text="Anh Đức ở tổ dân phố")
    services.report_link_subject(actor=desk.actor("handler"), report=report, person=world.a.member)
    groups = evidence.collect(
        actor=desk.actor("handler"), person_id=world.a.member.pk, year=report.received_at.year
    )
    entries = [e for g in groups if g.key == "citizen_reports" for e in g.entries]
    assert len(entries) == 1 and report.code in entries[0].title


def test_staff_intake_from_the_hotline(world, desk):
    from conftest import actor_of

    officer = actor_of(desk.handler)
    with clock(at(2026, 3, 9, 9, 0)):
        report = services.report_intake(
            actor=officer, organization=world.a.committee, channel=Channel.HOTLINE, severity="urgent",
            data=services.ReportInput(category="moi-truong", area=desk.area_a, description="Gọi đường dây nóng."),
        )  # fmt: skip
    assert report.channel == Channel.HOTLINE and report.severity == "urgent"
    assert report.resolve_due == at(2026, 3, 9, 14, 0)  # 3 h in the morning, 1 h after lunch
    with clock(at(2026, 3, 9, 9, 0)), pytest.raises(DomainError, match="channel"):
        services.report_intake(actor=officer, organization=world.a.committee, channel=Channel.WEB,
                               data=services.ReportInput(category="moi-truong", area=desk.area_a, description="x"))  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.report_intake(actor=actor_of(world.a.secretary_user), organization=world.a.committee,
                               channel=Channel.HOTLINE,
                               data=services.ReportInput(category="moi-truong", area=desk.area_a, description="x"))  # fmt: skip


def test_the_sweep_command_reports_what_it_did(desk):
    from io import StringIO

    from django.core.management import call_command

    desk.report(at(2026, 3, 9, 9, 0))
    out = StringIO()
    call_command("feedback_sweep", stdout=out)  # today is long past March 2026's deadlines
    assert out.getvalue().strip() == "escalated: 1; closed: 0"


def test_the_scope_by_ids_keeps_the_holder_and_the_area(world, desk):
    """A report of ward A's area held by a unit of ward B is read by both wards' readers, by no one else."""
    from conftest import actor_of
    from lamtheo.feedback.models import Category, RoutingRule

    with activate(Scope.everything(reason="test")):
        RoutingRule.objects.create(area=desk.area_a, category=Category.objects.get(code="xay-dung"),
                                   organization=world.b.agency)  # fmt: skip
    elsewhere = desk.report(category="xay-dung")
    own = desk.report()
    assert elsewhere.organization == world.b.agency
    with activate(actor_of(world.a.secretary_user).scope):
        assert set(Report.objects.values_list("pk", flat=True)) == {elsewhere.pk, own.pk}
    with activate(desk.actor("handler_b").scope):
        assert list(Report.objects.values_list("pk", flat=True)) == [elsewhere.pk]
    with activate(desk.actor("agency_handler").scope):  # ward A's People's Committee: what it holds only
        assert list(Report.objects.values_list("pk", flat=True)) == [own.pk]
    assert [r.pk for r in selectors.report_list(actor=desk.actor("handler_b"), mine=True)] == [elsewhere.pk]
    assert [r.pk for r in selectors.report_list(actor=desk.actor("handler"), mine=True)] == [own.pk]


def test_the_citizen_is_told_by_mail_when_the_report_is_answered(desk, mailoutbox, django_capture_on_commit_callbacks):
    agency = desk.actor("agency_handler")
    told, anonymous = desk.report(), desk.report(anonymous=True)
    with django_capture_on_commit_callbacks(execute=True):
        for report in (told, anonymous):
            services.report_accept(actor=agency, report=report)
            services.report_resolve(actor=agency, report=report, response="Đã thu gom rác.")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["dan@example.vn"]
    assert told.code in mailoutbox[0].subject and "Đã thu gom rác." in mailoutbox[0].body
    assert told.code in mailoutbox[0].body and "/reports/" in mailoutbox[0].body


def test_a_merged_report_never_shows_the_originals_code(desk):
    original, copy = desk.report(), desk.report()
    services.report_mark_duplicate(actor=desk.actor("agency_handler"), report=copy, original_code=original.code)
    assert all(original.code not in (e.text or "") for e in selectors.public_timeline(copy))
