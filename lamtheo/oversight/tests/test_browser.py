"""In a real browser: a finding recorded on a case, the conclusion raising its remedy, the unit answering
with a file of evidence, and the inspection side verifying it (never the one who reported it)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from conftest import actor_of
from lamtheo.core.scoping import Scope, activate
from lamtheo.oversight import services
from lamtheo.oversight.models import Step
from lamtheo.remediation.models import RemediationItem

pytestmark = pytest.mark.browser
D = dt.date


def _login(page: Page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
        {"name": "django_language", "value": "en", "url": live_server.url},
    ])  # fmt: skip


def test_finding_to_remedy_to_evidence_to_verification(page: Page, live_server, world_tx, team_tx, tmp_path: Path):  # type: ignore[no-untyped-def]
    world, team = world_tx, team_tx
    officer = actor_of(team.inspector)
    case = services.case_open(actor=officer, organization=world.a.committee, kind="inspection", mode="thematic",
                              year=2026, title="Kiểm tra Chỉ thị 05 tại Chi bộ A1", subject_organization=world.a.cell)  # fmt: skip
    for n, step in enumerate((Step.DECISION, Step.PLAN, Step.NOTIFICATION)):
        services.case_record_step(actor=officer, case=case, step=step, issued_on=D(2026, 3, 2 + n), number=n + 1,
                                  issuer="ĐU", leader=world.a.member, team=[team.peer])  # fmt: skip
    services.case_record_step(actor=officer, case=case, step=Step.SELF_REPORT, issued_on=D(2026, 3, 10),
                              summary="Báo cáo tự kiểm tra")  # fmt: skip
    page.set_viewport_size({"width": 1366, "height": 768})

    # The inspection officer records a finding, the results report and the conclusion.
    _login(page, live_server, team.inspector)
    page.goto(f"{live_server.url}/oversight/cases/{case.pk}/")
    page.get_by_label("Severity").select_option("shortcoming")
    page.get_by_label("What was found").fill("Kế hoạch năm chưa cụ thể hóa chủ đề năm")
    page.get_by_label("Recommendation").fill("Bổ sung kế hoạch cụ thể hóa, có chỉ tiêu đo được")
    page.get_by_role("button", name="Record the finding").click()
    expect(page.get_by_text("Finding recorded.")).to_be_visible()
    for step, day, number in (("session", "12/03/2026", ""), ("results_report", "20/03/2026", "9"),
                              ("conclusion", "01/04/2026", "30")):  # fmt: skip
        page.locator("#id_step").select_option(step)
        page.locator("#id_issued_on").fill(day)
        page.locator("#id_number").fill(number)
        page.locator("#id_issuer").fill("ĐU")
        page.locator("#id_summary").fill("Nội dung" if step == "session" else "")
        page.get_by_role("button", name="Record", exact=True).click()
        expect(page.locator(".toast.success").first).to_be_visible()
    expect(page.get_by_text("30-KL/ĐU")).to_be_visible()
    remedy = page.locator("table a[href^='/remediation/']").first
    expect(remedy).to_contain_text("Open")
    page.screenshot(path=str(tmp_path / "case-concluded.png"), full_page=True)
    href = remedy.get_attribute("href")

    # The cell's secretary answers for the cell: without a file it is refused, with one it is reported.
    _login(page, live_server, team.cell_secretary)
    page.goto(f"{live_server.url}{href}")
    page.get_by_label("Note").first.fill("Đã bổ sung kế hoạch, chi bộ thông qua ngày 20/04/2026")
    page.get_by_role("button", name="Report as remedied").click()
    expect(page.get_by_text("Attach the evidence of the remedy").first).to_be_visible()
    evidence = tmp_path / "ke-hoach-bo-sung.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% plan\n%%EOF\n")
    page.get_by_label("Note").first.fill("Đã bổ sung kế hoạch, chi bộ thông qua ngày 20/04/2026")
    page.get_by_label("Evidence of the remedy").set_input_files(str(evidence))
    page.get_by_role("button", name="Report as remedied").click()
    expect(page.locator(".badge", has_text="Remedy reported")).to_be_visible()
    expect(page.get_by_role("button", name="Verified")).to_have_count(0)  # nobody verifies what they reported

    # The inspection officer verifies it.
    _login(page, live_server, team.inspector)
    page.goto(f"{live_server.url}{href}")
    expect(page.get_by_role("link", name=re.compile("ke-hoach-bo-sung"))).to_be_visible()
    page.get_by_role("button", name="Verified").click()
    expect(page.locator(".badge", has_text="Verified")).to_be_visible()
    with activate(Scope.everything(reason="test")):
        item = RemediationItem.objects.get(source_ref__startswith="oversight.finding:")
    assert item.status == "verified" and item.reported_by_id == team.cell_secretary.pk
    assert item.verified_by_id == team.inspector.pk and item.evidence.name.endswith(".pdf")
