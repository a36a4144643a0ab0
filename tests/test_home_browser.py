"""The home work list in a real browser, on the demo ward: each item opens the right page, and once the work
is done the item is gone. Screenshots feed the README (laptop and phone)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def demo_tx(transactional_db):  # type: ignore[no-untyped-def]
    """The demo ward as `make run` builds it, committed for the live server, on TODAY."""
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        call_command("seed_demo", stdout=StringIO())
        yield


def _login(page: Page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(re.compile("Tên đăng nhập")).fill(username)
    page.get_by_label(re.compile("Mật khẩu")).fill("lamtheo@2025")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()


def _item(page: Page, text: str):  # type: ignore[no-untyped-def]
    return page.locator(".worklist .work-title", has_text=re.compile(text))


def _shot(page: Page, name: str, width: int = 1366, height: int = 768) -> None:
    page.set_viewport_size({"width": width, "height": height})
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=width < 600)


def test_work_lists_lead_to_the_work_and_empty_when_done(page: Page, live_server, demo_tx):  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1366, "height": 768})

    # The member: the year-end self-assessment is past its deadline.
    _login(page, live_server, "dangvien")
    item = _item(page, "Tự đánh giá cuối năm")
    expect(item).to_have_count(1)
    expect(page.locator(".work.overdue").filter(has_text="Tự đánh giá cuối năm")).to_contain_text(
        "Quá hạn từ 30/11/2026"
    )
    _shot(page, "16-home-member")
    _shot(page, "17-home-member-phone", 390, 844)
    page.set_viewport_size({"width": 1366, "height": 768})
    item.click()
    expect(page).to_have_url(re.compile(r"/commitments/plans/\d+/assess/yearend/$"))
    for select in page.locator("select[name^=result-]").all():
        select.select_option("done")
    page.locator("#self_grade").select_option("good")
    if page.locator("#self_score").count():
        page.locator("#self_score").fill("80")
    # Past the calendar's due date: the form asks why it is late, and keeps the reason.
    page.locator("#late_reason").fill("Đi công tác dài ngày")
    page.get_by_role("button", name=re.compile("Lưu")).click()
    expect(page.get_by_text("Đã lưu kết quả tự đánh giá.")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(_item(page, "Tự đánh giá cuối năm")).to_have_count(0)

    # The cell secretary: plans to approve, opened already filtered; approved at once, they leave the list.
    _login(page, live_server, "bithuchibo")
    expect(_item(page, "nhận xét nơi cư trú cần viết")).to_have_count(1)
    item = _item(page, "kế hoạch tu dưỡng chờ phê duyệt")
    expect(item).to_have_count(1)
    _shot(page, "18-home-cell-secretary")
    item.click()
    expect(page).to_have_url(re.compile(r"/commitments/cockpit/\d+/\?year=2026&status=submitted$"))
    boxes = page.locator("input[name=plan]")
    assert boxes.count() > 0
    for box in boxes.all():
        box.check()
    page.locator("button[formaction*='/approve/']").click()
    page.goto(f"{live_server.url}/")
    expect(_item(page, "kế hoạch tu dưỡng chờ phê duyệt")).to_have_count(0)

    # The ward secretary: their own plan to register, a unit's plan to approve, units to chase.
    _login(page, live_server, "bithu")
    expect(_item(page, "chưa báo cáo tiến độ")).to_have_count(1)
    expect(_item(page, "chờ đồng chí quyết định")).to_have_count(1)
    _shot(page, "19-home-ward-secretary")
    _shot(page, "20-home-ward-secretary-phone", 390, 844)
    page.set_viewport_size({"width": 1366, "height": 768})
    _item(page, "Đăng ký kế hoạch tu dưỡng năm 2026").click()
    expect(page).to_have_url(re.compile(r"/commitments/$"))
    page.get_by_role("button", name="Lập kế hoạch").click()
    expect(page).to_have_url(re.compile(r"/commitments/plans/\d+/$"))
    page.goto(f"{live_server.url}/")
    expect(_item(page, "Đăng ký kế hoạch tu dưỡng")).to_have_count(0)
    expect(_item(page, "Hoàn thiện kế hoạch và gửi chi bộ")).to_have_count(1)

    _item(page, "kế hoạch của đơn vị chờ phê duyệt").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    page.locator("button[formaction$='/approve/']").click()
    page.goto(f"{live_server.url}/")
    expect(_item(page, "kế hoạch của đơn vị chờ phê duyệt")).to_have_count(0)
