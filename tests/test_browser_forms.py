"""Forms in a real browser: a picker searched as one types, repeating rows, the error summary."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from .test_browser import _login

pytestmark = pytest.mark.browser


def pick(page: Page, label: str | re.Pattern, typed: str, option: str) -> None:
    """Type into a search-as-you-type picker and choose the option whose text is `option`."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(typed, delay=30)
    page.locator(".ts-dropdown .option", has_text=option).first.click()


def test_task_form_with_pickers_rows_and_error_summary(page: Page, live_server, world_tx):  # type: ignore[no-untyped-def]
    from lamtheo.core.scoping import Scope, activate
    from lamtheo.planning.models import Milestone, Task
    from lamtheo.planning.services import plan_create
    from lamtheo.planning.tests.conftest import actor_of

    ward = actor_of(world_tx.a.secretary_user)
    with activate(ward.scope):
        plan = plan_create(actor=ward, organization=world_tx.a.committee, title="Kế hoạch 2026",
                           period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31))  # fmt: skip
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, live_server, "bithua")
    page.goto(f"{live_server.url}/plans/{plan.pk}/tasks/new/")
    page.get_by_label(re.compile(r"^(Nhiệm vụ|Task)( \*)?$")).fill("Học tập chuyên đề năm 2026")

    # Search without diacritics; only the planning unit's subtree is offered, with the unit above as a hint.
    pick(page, re.compile("Đơn vị chủ trì|Responsible unit"), "to dan pho", "Chi bộ Tổ dân phố A1")
    # People by name with their cell shown; the sibling ward's namesake is not offered.
    person = page.get_by_role("combobox", name=re.compile("Người phụ trách|Person in charge"))
    person.click()
    person.press_sequentially("nguyen van duc", delay=30)
    expect(page.locator(".ts-dropdown .option", has_text="Nguyễn Văn Đức A")).to_contain_text(
        "Chi bộ Tổ dân phố A1"
    )
    expect(page.locator(".ts-dropdown .option", has_text="Nguyễn Văn Đức B")).to_have_count(0)
    page.locator(".ts-dropdown .option", has_text="Nguyễn Văn Đức A").click()

    # Milestones: a bad date in the second row is named in the summary, which links to the row's field.
    page.locator("#id_milestones-0-due").fill("31/03/2026")
    page.locator("#id_milestones-0-title").fill("Sơ kết quý I")
    page.locator("#id_milestones-1-due").fill("31/13/2026")
    page.locator("#id_milestones-1-title").fill("Sơ kết 6 tháng")
    page.get_by_role("button", name=re.compile("^(Lưu|Save)$")).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(re.compile("Có lỗi cần sửa|There is a problem"))
    summary.get_by_role("link", name=re.compile("(Mốc|Milestone) 2")).click()
    expect(page.locator("#id_milestones-1-due")).to_be_focused()
    # The picked values came back chosen.
    expect(page.locator(".picker-field").first).to_contain_text("Chi bộ Tổ dân phố A1")

    page.locator("#id_milestones-1-due").fill("30/06/2026")
    page.get_by_role("button", name=re.compile("Thêm dòng|Add a row")).click()
    page.locator("#id_milestones-3-due").fill("15/05/2026")
    page.locator("#id_milestones-3-title").fill("Kiểm tra giữa kỳ")
    page.get_by_role("button", name=re.compile("^(Lưu|Save)$")).click()
    expect(page.get_by_text(re.compile("Đã thêm nhiệm vụ|Task added"))).to_be_visible()

    with activate(Scope.everything(reason="test")):
        task = Task.objects.get(plan=plan)
        assert task.responsible_id == world_tx.a.cell.pk and task.owner_id == world_tx.a.member.pk
        assert sorted(Milestone.objects.filter(task=task).values_list("title", flat=True)) == [
            "Kiểm tra giữa kỳ", "Sơ kết 6 tháng", "Sơ kết quý I",
        ]  # fmt: skip
