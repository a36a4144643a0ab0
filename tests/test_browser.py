"""Browser journeys in a real Chromium (Debian's, driven by Playwright). Screenshots feed the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
pytestmark = pytest.mark.browser


def _login(page: Page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(re.compile("Tên đăng nhập|Username")).fill(username)
    page.get_by_label(re.compile("Mật khẩu|Password")).fill("x-pass-123")
    page.get_by_role("button", name=re.compile("Đăng nhập|Log in")).click()
    # On a phone the menu folds behind its button: it is there, not necessarily shown.
    expect(page.locator("#main-nav")).to_be_attached()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_login_tree_search_and_language(page: Page, live_server, world_tx):  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()  # Vietnamese by default
    _shot(page, "01-login")
    _login(page, live_server, "tochuca")
    _shot(page, "02-overview")

    # The tree opens on the user's own ward; its children load through htmx; the sibling ward is absent.
    page.goto(f"{live_server.url}/org/")
    expect(page.get_by_role("link", name="Đảng bộ phường A")).to_be_visible()
    expect(page.get_by_role("link", name="Chi bộ Tổ dân phố A1")).to_be_visible()
    expect(page.get_by_text("Đảng bộ phường B")).to_have_count(0)
    _shot(page, "03-tree")

    page.get_by_role("link", name="Chi bộ Tổ dân phố A1").click()
    expect(page.get_by_role("heading", name="Chi bộ Tổ dân phố A1")).to_be_visible()
    expect(page.get_by_role("link", name="Nguyễn Văn Đức A").first).to_be_visible()
    _shot(page, "04-organization")

    # Diacritics-insensitive search, live as one types (htmx), keyboard only.
    page.goto(f"{live_server.url}/people/")
    search = page.get_by_label(re.compile("Tìm theo tên|Search by name"))
    search.focus()
    page.keyboard.type("nguyen van duc")
    expect(page.locator("#person-table")).to_contain_text("Nguyễn Văn Đức A")
    expect(page.locator("#person-table")).not_to_contain_text("Trần Thị Mai A")
    expect(page.locator("#person-table")).not_to_contain_text("Nguyễn Văn Đức B")
    _shot(page, "05-people-search")

    page.get_by_role("link", name="Nguyễn Văn Đức A").click()
    expect(page.get_by_role("heading", name=re.compile("Nguyễn Văn Đức A"))).to_be_visible()
    _shot(page, "06-person")

    # Switch the interface to English and back.
    page.get_by_label(re.compile("Ngôn ngữ|Language")).select_option("en")
    expect(page.get_by_role("link", name="Organization tree")).to_be_visible()
    page.get_by_label("Language").select_option("vi")
    expect(page.get_by_role("link", name="Cây tổ chức")).to_be_visible()


def test_form_errors_inline_on_a_phone(page: Page, live_server, world_tx):  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, live_server, "tochuca")
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_label(re.compile("Mã cán bộ|Person code")).fill("N9")
    page.get_by_label(re.compile("Họ và tên|Full name")).fill("Lý Thị Lan")
    page.get_by_role("button", name=re.compile("Lưu|Save")).click()
    expect(page.locator(".field.has-error")).to_have_count(1)
    expect(page.get_by_role("alert").first).to_be_visible()
    _shot(page, "07-form-errors-phone")


@pytest.mark.django_db(transaction=True)
def test_import_upload_check_confirm_progress_report(page: Page, live_server, world_tx, tmp_path, settings):  # type: ignore[no-untyped-def]
    """Upload → dry-run report → confirm → progress bar → final report, with the real database queue."""
    from django.core.management import call_command

    from lamtheo.roster.tests.conftest import member_row, xlsx

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rows = [member_row(f"N{i:05d}", f"Nguyễn Văn Học {i}", "WA-C1") for i in range(1, 2001)]
    rows.append(member_row("N99999", "NguyÔn V¨n §øc", "WA-C1", c4="Cã"))
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(xlsx(rows))

    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, live_server, "tochuca")
    page.goto(f"{live_server.url}/roster/imports/")
    page.get_by_label(re.compile("Cán bộ, đảng viên|People")).check()
    page.get_by_label(re.compile(r"Tệp|File")).set_input_files(str(path))
    page.get_by_role("button", name=re.compile("Tải lên|Upload")).click()
    expect(page.locator("progress#import-progress")).to_be_visible()  # queued: the worker has not run yet
    _shot(page, "08-import-progress")

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the dry run
    expect(page.get_by_role("button", name=re.compile("Xác nhận|Confirm"))).to_be_visible(timeout=10_000)
    expect(page.locator("#import-card")).to_contain_text("TCVN3")
    expect(page.locator("#import-card")).to_contain_text("2001")
    _shot(page, "09-import-preview")

    page.get_by_role("button", name=re.compile("Xác nhận|Confirm")).click()
    expect(page.locator("progress#import-progress")).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the commit
    expect(page.get_by_role("status").filter(has_text=re.compile("cập nhật|up to date"))).to_be_visible(
        timeout=10_000
    )
    _shot(page, "10-import-done")

    page.goto(f"{live_server.url}/people/?q=nguyen+van+duc")
    expect(page.locator("#person-table")).to_contain_text("Nguyễn Văn Đức")


def test_plan_cascade_report_and_rollup(page: Page, live_server, world_tx):  # type: ignore[no-untyped-def]
    """The ward plans and gives a task to its cell; the cell makes it concrete and reports; the ward sees it."""
    from django.contrib.auth import get_user_model

    from lamtheo.core.scoping import Scope, activate
    from lamtheo.organizations.models import Role, RoleGrant

    with activate(Scope.everything(reason="test")):
        cell_user = get_user_model().objects.create_user("bithuchibo-a1", password="x-pass-123")
        RoleGrant.objects.create(
            user=cell_user, role=Role.objects.get(code="secretary"), organization=world_tx.a.cell
        )
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. The ward secretary drafts the plan and gives a task to the cell.
    _login(page, live_server, "bithua")
    page.goto(f"{live_server.url}/plans/new/")
    page.get_by_label(re.compile("Tên kế hoạch|Title")).fill("Kế hoạch thực hiện Chỉ thị 05 năm 2026")
    page.get_by_label(re.compile("Từ ngày|Period from")).fill("2026-01-01")
    page.get_by_label(re.compile("Đến ngày|Period to")).fill("2026-12-31")
    page.get_by_role("button", name=re.compile("Lưu|Save")).click()
    page.get_by_role("link", name=re.compile("Thêm nhiệm vụ|Add a task")).click()
    page.get_by_label(re.compile(r"^(Nhiệm vụ|Task)( \*)?$")).fill("Học tập chuyên đề năm 2026")
    unit = page.get_by_role("combobox", name=re.compile("Đơn vị chủ trì|Responsible unit"))
    unit.click()
    unit.press_sequentially("to dan pho")
    page.locator(".ts-dropdown .option", has_text="Chi bộ Tổ dân phố A1").click()
    page.get_by_role("button", name=re.compile("Lưu|Save")).click()
    page.get_by_role("button", name=re.compile("Trình duyệt|Submit for approval")).click()
    ward_plan_url = page.url
    page.get_by_role("button", name=re.compile("Đăng xuất|Log out")).click()

    # 2. The cell sees it in its inbox, plans, makes it concrete, submits.
    _login(page, live_server, "bithuchibo-a1")
    page.goto(f"{live_server.url}/plans/inbox/")
    expect(page.get_by_role("link", name="Học tập chuyên đề năm 2026")).to_be_visible()
    page.get_by_role("link", name=re.compile("Lập kế hoạch|Plan it")).click()
    page.get_by_role("button", name=re.compile("Lưu|Save")).click()
    page.get_by_role("link", name=re.compile("Cụ thể hóa|Make concrete")).click()
    page.get_by_role("button", name=re.compile("Lưu|Save")).click()
    page.get_by_role("button", name=re.compile("Trình duyệt|Submit for approval")).click()
    cell_plan_url = page.url
    page.get_by_role("button", name=re.compile("Đăng xuất|Log out")).click()

    # 3. The ward approves the cell's plan.
    _login(page, live_server, "bithua")
    page.goto(cell_plan_url)
    page.get_by_role("button", name=re.compile("^(Phê duyệt|Approve)$")).click()
    page.get_by_role("button", name=re.compile("Đăng xuất|Log out")).click()

    # 4. The cell reports 60 % done.
    _login(page, live_server, "bithuchibo-a1")
    page.goto(cell_plan_url)
    page.locator("table").get_by_role("link", name="Học tập chuyên đề năm 2026").click()
    page.get_by_label(re.compile("Kết quả đạt được|Value reached")).fill("60")
    page.get_by_role("button", name=re.compile("^(Gửi báo cáo|Report)$")).click()
    expect(page.locator(".stat").first).to_have_text("60%")
    page.get_by_role("button", name=re.compile("Đăng xuất|Log out")).click()

    # 5. The ward's plan has rolled up.
    _login(page, live_server, "bithua")
    page.goto(ward_plan_url)
    expect(page.locator(".stat").first).to_have_text("60%")
    _shot(page, "11-plan-rollup")
    page.goto(f"{live_server.url}/plans/")
    _shot(page, "12-plan-tree")
