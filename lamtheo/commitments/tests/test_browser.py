"""The member's and the secretary's journeys in a real Chromium: register → write → submit → the cell
approves from the cockpit → year-end self-assessment → the cell proposes the grade, the quota in view."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser import _login, _shot

from .conftest import residence_returned

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_member_and_secretary_journeys(page: Page, live_server, cast_tx):  # type: ignore[no-untyped-def]
    from lamtheo.commitments.models import CommitmentPlan

    page.set_viewport_size({"width": 1280, "height": 900})
    # The member registers this year's plan from the template and writes what the template leaves open.
    _login(page, live_server, "hoa")
    page.get_by_role("link", name="Kế hoạch tu dưỡng, rèn luyện của tôi").click()
    page.locator("input[name=year]").fill("2026")
    page.get_by_role("button", name="Lập kế hoạch").click()
    expect(page.get_by_role("heading", name=re.compile("Lê Thị Hoa A — 2026"))).to_be_visible()
    for section, text in (("duties", "Vận động 100% hộ gia đình phân loại rác tại nguồn"),
                          ("following", "Mỗi tuần một việc tốt vì cộng đồng")):  # fmt: skip
        page.get_by_role("link", name="Thêm nội dung cam kết").first.click()
        page.locator("select[name=section]").select_option(section)
        page.locator("textarea[name=content]").fill(text)
        page.locator("input[name=target]").fill("100%")
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_text(text)).to_be_visible()
    _shot(page, "13-cultivation-plan")
    page.get_by_role("button", name="Trình chi bộ").click()
    expect(page.get_by_text("Đã trình bí thư chi bộ.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Đăng xuất|Log out")).click()

    # The cell's secretary approves it from the cockpit.
    _login(page, live_server, "bithu-a1")
    page.get_by_role("link", name="Kế hoạch của đảng viên").click()
    expect(page.get_by_role("heading", name=re.compile("Bảng theo dõi của bí thư"))).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Lê Thị Hoa A"))
    row.locator("input[name=plan]").check()
    _shot(page, "14-cockpit")
    page.get_by_role("button", name="Phê duyệt các kế hoạch đã chọn").click()
    expect(page.get_by_text("Đã phê duyệt 1 kế hoạch.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Đăng xuất|Log out")).click()

    # Year end: the member assesses every item and proposes a grade on the 100-point scale.
    _login(page, live_server, "hoa")
    plan = CommitmentPlan.objects.unscoped(reason="test").get(person=cast_tx.member, year=2026)
    page.goto(f"{live_server.url}/commitments/plans/{plan.pk}/assess/yearend/")
    for select in page.locator("select[name^=result-]").all():
        select.select_option("done")
    page.locator("select[name=self_grade]").select_option("good")
    page.locator("input[name=self_score]").fill("150")
    page.get_by_role("button", name="Lưu kết quả tự đánh giá").click()
    expect(page.get_by_role("alert")).to_contain_text("100")  # out of the scale: refused, explained
    page.locator("input[name=self_score]").fill("84")
    page.get_by_role("button", name="Lưu kết quả tự đánh giá").click()
    expect(page.get_by_text("Đã lưu kết quả tự đánh giá.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Đăng xuất|Log out")).click()

    # The secretary sees the self-assessment, the residence column and the evidence side by side.
    _login(page, live_server, "bithu-a1")
    page.goto(f"{live_server.url}/commitments/plans/{plan.pk}/evaluate/")
    expect(page.get_by_role("heading", name=re.compile("Tự đánh giá"))).to_be_visible()
    page.locator("select[name=grade]").select_option("good")
    page.locator("input[name=score]").fill("82")
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, "15-evaluation")
    page.get_by_role("button", name="Đề xuất").click()
    # Hoa lives in cell A2's area: no grade before its comment (Quy định 213) is in; the page says so.
    expect(page.get_by_role("alert")).to_contain_text("Quy định 213")
    residence_returned(cast_tx, plan)
    page.goto(f"{live_server.url}/commitments/plans/{plan.pk}/evaluate/")
    page.locator("select[name=grade]").select_option("good")
    page.locator("input[name=score]").fill("82")
    page.get_by_role("button", name="Đề xuất").click()
    expect(page.get_by_text("Đã đề xuất mức xếp loại.")).to_be_visible()
    plan.refresh_from_db()
    assert plan.evaluation.grade == "good"
