"""The screens: the citizen's form (photos, honeypot, rate limit), the tracking page (rate, reopen, privacy),
the transparency board's figures, and the handler's list and report page (scope, actions, refusals)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lamtheo.core.scoping import Scope, activate
from lamtheo.feedback import services
from lamtheo.feedback.models import Photo, RejectionTemplate, Report, Status

from .conftest import at, clock, jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():  # type: ignore[no-untyped-def]
    cache.clear()


def _reports() -> list[Report]:
    with activate(Scope.everything(reason="test")):
        return list(Report.objects.all())


def _form(**extra):  # type: ignore[no-untyped-def]
    return {"category": "moi-truong", "area": "phuong-a", "description": "Rác tồn đọng đầu ngõ 5.",
            "address": "Ngõ 5", "name": "Lê Văn Dân", "phone": "0912345678", "website": "", **extra}  # fmt: skip


def test_a_citizen_sends_a_report_with_a_photo_and_gets_a_code(client, desk):
    response = client.post(reverse("feedback:public-new"), _form(photos=[jpeg("a.jpg"), jpeg("b.png")]))
    [report] = _reports()
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.code}/?sent=1"
    with activate(Scope.everything(reason="test")):
        assert Photo.objects.filter(report=report, kind="citizen").count() == 2
    page = client.get(response["Location"]).content.decode()
    assert report.code in page and "tracking-code" in page
    assert "0912345678" not in page and "Lê Văn Dân" not in page  # personal data never on the public page


def test_bad_input_on_the_form_is_explained_and_writes_nothing(client, desk):
    response = client.post(
        reverse("feedback:public-new"), _form(description="", latitude="48.85", longitude="2.35")
    )
    assert response.status_code == 400 and _reports() == []
    text = response.content.decode()
    assert "form-errors" in text or "has-error" in text
    bad_photo = jpeg("anh.jpg")
    bad_photo.write(b"")
    bad_photo = type(bad_photo)(b"GIF89a but not really")
    bad_photo.name = "anh.jpg"
    response = client.post(reverse("feedback:public-new"), _form(photos=[bad_photo]))
    assert response.status_code == 400 and _reports() == []


def test_the_honeypot_and_the_rate_limit_stop_robots(client, desk):
    response = client.post(reverse("feedback:public-new"), _form(website="http://spam.example"))
    assert response.status_code == 400 and _reports() == []
    with override_settings(LAMTHEO_REPORT_RATE="2/h"):
        codes = [client.post(reverse("feedback:public-new"), _form()).status_code for _ in range(3)]
    assert codes[:2] == [302, 302] and codes[2] == 429 and len(_reports()) == 2


def test_tracking_by_code_rating_and_reopening(client, desk):
    report = desk.report(at(2026, 3, 9, 9, 0))
    assert (
        client.get(
            reverse("feedback:public-track"), {"code": report.code.lower().replace("-", " ")}
        ).status_code
        == 302
    )
    assert client.get(reverse("feedback:public-track"), {"code": "AAAA-AAAA"}).status_code == 404
    assert client.get(reverse("feedback:public-report", args=["AAAA-AAAA"])).status_code == 404
    rate = reverse("feedback:public-rate", args=[report.code])
    response = client.post(rate, {"rating": "5"})
    assert (
        response.status_code == 400
        and Report.objects.unscoped(reason="test").get(pk=report.pk).rating is None
    )
    agency = desk.actor("agency_handler")
    with clock(at(2026, 3, 9, 10, 0)):
        services.report_accept(actor=agency, report=report)
        services.report_resolve(actor=agency, report=report, response="Đã thu gom.", photos=[jpeg()])
    page = client.get(reverse("feedback:public-report", args=[report.code])).content.decode()
    assert "Đã thu gom." in page and "/photos/" in page
    assert client.post(rate, {"rating": "2"}).status_code == 400  # a low rating says why
    assert client.post(rate, {"rating": "2", "reason": "Còn sót rác"}).status_code == 302
    reopen = reverse("feedback:public-reopen", args=[report.code])
    with clock(at(2026, 3, 17, 10, 1)):  # the window of 7 days ended at 10:00
        response = client.post(reopen, {"reason": "Rác lại đầy."})
    assert response.status_code == 400 and "16/03/2026 10:00" in response.content.decode()
    assert Report.objects.unscoped(reason="test").get(pk=report.pk).status == Status.RESOLVED
    with clock(at(2026, 3, 12, 9, 0)):
        assert client.post(reopen, {"reason": "Rác lại đầy."}).status_code == 302
    assert Report.objects.unscoped(reason="test").get(pk=report.pk).status == Status.REOPENED


def test_the_board_counts_on_time_against_closed_and_open_overdue(client, desk):
    agency = desk.actor("agency_handler")
    on_time, late, waiting = desk.report(), desk.report(), desk.report(category="an-ninh-trat-tu")
    services.report_accept(actor=agency, report=on_time)
    services.report_resolve(actor=agency, report=on_time, response="Xong.", photos=[jpeg()])
    services.report_accept(actor=agency, report=late)
    Report.objects.unscoped(reason="test").filter(pk=late.pk).update(resolve_due=at(2020, 1, 1, 8, 0))
    services.report_resolve(
        actor=agency, report=Report.objects.unscoped(reason="test").get(pk=late.pk), response="Muộn."
    )
    Report.objects.unscoped(reason="test").filter(pk=waiting.pk).update(resolve_due=at(2020, 1, 1, 8, 0))
    services.report_rate(report=on_time, rating=5)
    response = client.get(reverse("feedback:public-board"))
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.received, total.resolved, total.closed_on_time, total.open_overdue) == (3, 2, 1, 1)
    assert total.on_time_rate == pytest.approx(1 / 3) and total.average_rating == 5
    assert total.evidence_rate == pytest.approx(1 / 2)  # one answer of two showed its result in photos
    assert "33,3%" in response.content.decode()
    # The sweep stores the year's figures; the page then reads them, with the moment they were counted.
    services.board_refresh(year=timezone.localdate().year)
    Report.objects.unscoped(reason="test").filter(pk=waiting.pk).update(status=Status.REJECTED)
    stored = client.get(reverse("feedback:public-board"))
    assert stored.context["as_of"] is not None and stored.context["total"] == total


def test_the_handler_list_and_page_stay_in_scope(client, world, desk, django_assert_max_num_queries):
    report = desk.report()
    client.force_login(desk.handler)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("feedback:report-list"))
    assert response.status_code == 200 and report.code in response.content.decode()
    assert client.get(reverse("feedback:report-detail", args=[report.pk])).status_code == 200
    client.force_login(desk.handler_b)
    assert report.code not in client.get(reverse("feedback:report-list")).content.decode()
    assert client.get(reverse("feedback:report-detail", args=[report.pk])).status_code == 404
    assert (
        client.post(reverse("feedback:report-accept", args=[report.pk]), {"severity": "normal"}).status_code
        == 404
    )


def test_only_the_holder_reads_the_reporters_contacts(client, world, desk):
    report = desk.report()
    client.force_login(desk.agency_handler)
    assert "0912345678" in client.get(reverse("feedback:report-detail", args=[report.pk])).content.decode()
    client.force_login(world.a.secretary_user)  # reads the ward's reports, does not handle them
    page = client.get(reverse("feedback:report-detail", args=[report.pk])).content.decode()
    assert "0912345678" not in page and "dan@example.vn" not in page
    assert 'id="action-accept"' not in page
    assert (
        client.post(reverse("feedback:report-accept", args=[report.pk]), {"severity": "normal"}).status_code
        == 404
    )


def test_the_handler_accepts_and_answers_from_the_report_page(client, desk):
    report = desk.report()
    client.force_login(desk.agency_handler)
    assert (
        client.post(reverse("feedback:report-accept", args=[report.pk]), {"severity": "normal"}).status_code
        == 302
    )
    url = reverse("feedback:report-resolve", args=[report.pk])
    response = client.post(url, {"response": ""})
    assert response.status_code == 400
    response = client.post(url, {"response": "Đã thu gom rác.", "photos": [jpeg()]})
    assert response.status_code == 302
    fresh = Report.objects.unscoped(reason="test").get(pk=report.pk)
    assert fresh.status == Status.RESOLVED and fresh.public_response == "Đã thu gom rác."
    history = client.get(reverse("feedback:report-history", args=[report.pk]))
    assert history.status_code == 200


def test_staff_intake_screen(client, world, desk):
    client.force_login(desk.handler)
    url = reverse("feedback:report-intake")
    data = {**_form(), "organization": world.a.committee.pk, "channel": "hotline"}
    response = client.post(url, data)
    [report] = _reports()
    assert response.status_code == 302 and report.channel == "hotline"
    client.force_login(world.a.secretary_user)
    assert client.get(url).status_code == 404


def test_the_handlers_home_lists_what_waits_and_what_is_late(client, desk):
    waiting = desk.report()
    late = desk.report(at(2026, 3, 9, 9, 0))
    client.force_login(desk.agency_handler)
    page = client.get("/").content.decode()
    assert "/feedback/?status=waiting&amp;mine=1" in page and "/feedback/?overdue=1&amp;mine=1" in page
    agency = desk.actor("agency_handler")
    for report in (waiting, late):
        services.report_reject(actor=agency, report=report,
                               template=RejectionTemplate.objects.first())  # fmt: skip
    page = client.get("/").content.decode()
    assert "/feedback/?status=waiting" not in page and "overdue=1&amp;mine=1" not in page
