"""In a real browser: a citizen on a phone sends a report with a photo and gets a tracking code; the handler
accepts it and answers with an evidence photo; the citizen opens the tracking page and rates the answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from lamtheo.core.scoping import Scope, activate
from lamtheo.feedback.models import Photo, Report, Status

from .conftest import jpeg

pytestmark = pytest.mark.browser


def _photo(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(jpeg(name, size=(1200, 900)).getvalue())
    return path


def test_citizen_reports_handler_answers_citizen_rates(page: Page, live_server, desk_tx, tmp_path: Path):  # type: ignore[no-untyped-def]
    desk = desk_tx
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    # The citizen, on a phone, without an account.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reports/new/")
    page.get_by_label("What is it about?").select_option("moi-truong")
    page.get_by_label("Ward").select_option("phuong-a")
    page.get_by_label("Describe the problem").fill("Rác thải tồn đọng ở đầu ngõ 7, bốc mùi.")
    page.get_by_label("Address or place").fill("Ngõ 7 phố A")
    page.get_by_label("Photos (up to 5)").set_input_files(str(_photo(tmp_path, "rac.jpg")))
    page.get_by_label("Your name").fill("Lê Thị Dân")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Your report has been sent")).to_be_visible()
    code = page.locator(".tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with activate(Scope.everything(reason="test")):
        report = Report.objects.get(code=code)
        assert Photo.objects.filter(report=report, kind="citizen").count() == 1

    # The handler of the People's Committee, at the office.
    client = Client()
    client.force_login(desk.agency_handler)
    page.context.clear_cookies()
    page.context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
        {"name": "django_language", "value": "en", "url": live_server.url},
    ])  # fmt: skip
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/feedback/?status=waiting&mine=1")
    page.get_by_role("link", name=code).click()
    expect(page.get_by_text("Lê Thị Dân")).to_be_visible()  # the holder reads the reporter's name
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.get_by_text("Report accepted.")).to_be_visible()
    page.get_by_label("Answer to the citizen").fill("Đã thu gom toàn bộ rác, phun khử mùi khu vực.")
    page.get_by_label("Evidence photos").set_input_files(str(_photo(tmp_path, "sau.jpg")))
    page.get_by_role("button", name="Publish the answer").click()
    expect(page.get_by_text("Answer published.")).to_be_visible()

    # The citizen follows the code, sees the answer with its photo, and rates it.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reports/track/")
    page.get_by_label("Tracking code").fill(code.lower())
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("Đã thu gom toàn bộ rác")).to_be_visible()
    expect(page.locator("img[alt='Evidence photo']")).to_have_count(1)
    expect(page.get_by_text("Lê Thị Dân")).to_have_count(0)
    page.get_by_label("4 — satisfied").check()
    page.get_by_label("Why?").fill("Xử lý nhanh.")
    page.get_by_role("button", name="Send the rating").click()
    expect(page.get_by_text("Thank you: your rating has been recorded.")).to_be_visible()
    page.screenshot(path=str(Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "feedback-tracking-390.png"),
                    full_page=True)  # fmt: skip
    with activate(Scope.everything(reason="test")):
        report.refresh_from_db()
    assert report.status == Status.RESOLVED and report.rating == 4 and report.on_time is True
