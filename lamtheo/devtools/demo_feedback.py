"""Demo citizens' reports in ward Long Biên: the ward as an area with its routing rules, and a dozen reports at
every stage — waiting, accepted, late with a committed date, answered with an evidence photo and rated,
reopened, rejected, merged, transferred, escalated. Written through the services (the citizen's form and the
handler `xuly`), then moved back in time by whole weeks so the clocks read as a real month of work."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.db.models import F
from PIL import Image

from lamtheo.core.actor import Actor
from lamtheo.feedback import services
from lamtheo.feedback.models import Area, Category, Event, Holding, RejectionTemplate, Report, RoutingRule
from lamtheo.feedback.services import ReportInput
from lamtheo.organizations.models import Organization
from lamtheo.organizations.selectors import actor_for_user

CROSS_SCOPE = "demo data: reports are moved back in time across the demo tree, never run in production"

# (category, description, address, weeks ago, what happens)
REPORTS = (
    (
        "moi-truong",
        "Rác thải tồn đọng nhiều ngày ở đầu ngõ 12, bốc mùi, ruồi nhặng.",
        "Ngõ 12 phố Thạch Bàn",
        0,
        "waiting",
    ),
    ("tieng-on", "Quán karaoke hát đến 1 giờ sáng nhiều đêm liền.", "Số 45 tổ dân phố 5", 0, "waiting"),
    (
        "ha-tang",
        "Đèn chiếu sáng ngõ 3 hỏng hơn một tuần, buổi tối rất tối.",
        "Ngõ 3 phố Cự Khối",
        1,
        "accepted",
    ),
    (
        "trat-tu-do-thi",
        "Hàng quán lấn chiếm hết vỉa hè, người đi bộ phải xuống lòng đường.",
        "Phố Phúc Đồng",
        3,
        "late",
    ),
    (
        "ha-tang",
        "Ổ gà lớn trước cổng trường tiểu học, nguy hiểm cho học sinh.",
        "Trước cổng Trường Tiểu học Cự Khối",
        4,
        "resolved",
    ),
    ("moi-truong", "Cống thoát nước bị tắc, mưa là ngập.", "Tổ dân phố 7", 5, "rated"),
    ("moi-truong", "Đốt rác gây khói ở bãi đất trống.", "Bãi đất trống cạnh tổ dân phố 2", 6, "reopened"),
    ("khac", "Tranh chấp lối đi chung giữa hai hộ gia đình.", "Tổ dân phố 9", 2, "rejected"),
    ("ha-tang", "Ổ gà trước cổng trường, xe máy suýt ngã.", "Cổng Trường Tiểu học Cự Khối", 4, "duplicate"),
    (
        "khac",
        "Hồ sơ đăng ký hộ kinh doanh nộp 10 ngày chưa có kết quả.",
        "Trung tâm Phục vụ hành chính công",
        1,
        "transferred",
    ),
    ("xay-dung", "Nhà số 18 đang cơi nới tầng 4 không có giấy phép.", "Số 18 tổ dân phố 4", 2, "escalated"),
)


def _photo(color: tuple[int, int, int]) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "anh.jpg"
    return buffer


def _back(report: Report, weeks: int) -> None:
    """Move a report's clocks back by whole weeks (weekdays stay weekdays)."""
    if not weeks:
        return
    shift = dt.timedelta(weeks=weeks)
    fields = ("received_at", "accept_due", "accepted_at", "resolve_due", "resolved_at", "closed_at")
    Report.objects.unscoped(reason="demo dates").filter(pk=report.pk).update(
        **{f: F(f) - shift for f in fields}
    )
    Event.objects.unscoped(reason="demo dates").filter(report=report).update(at=F("at") - shift)
    Holding.objects.unscoped(reason="demo dates").filter(report=report).update(
        started_at=F("started_at") - shift, ended_at=F("ended_at") - shift
    )


def _areas(orgs: dict[str, Organization]) -> Area:
    ward = orgs["LB"]
    area, _created = Area.objects.update_or_create(code="long-bien", defaults={"name": "Phường Long Biên",
                                                                              "organization": ward})  # fmt: skip
    RoutingRule.objects.update_or_create(area=area, category=None, defaults={"organization": orgs["LB-UBND"]})
    for code, unit in (
        ("an-ninh-trat-tu", "LB-CA"),
        ("thu-tuc-hanh-chinh", "LB-TTHCC"),
        ("tieng-on", "LB-CA"),
    ):
        category = Category.objects.get(code=code)
        RoutingRule.objects.update_or_create(
            area=area, category=category, defaults={"organization": orgs[unit]}
        )
    return area


def build(*, orgs: dict[str, Organization]) -> dict[str, int]:
    """The ward's area, its routing, and the reports of the last weeks."""
    services.load_feedback_reference(actor=Actor.system(reason="demo"))
    area = _areas(orgs)
    handler = actor_for_user(get_user_model().objects.get(username="xuly"))
    made: dict[str, Report] = {}
    for n, (category, text, address, weeks, stage) in enumerate(REPORTS):
        report = services.report_submit(data=ReportInput(
            category=category, area=area, description=text, address=address,
            name="" if n % 3 == 0 else f"Người dân {n + 1}", phone="" if n % 3 == 0 else f"09120000{n:02d}",
            anonymous=n % 3 == 0, photos=[_photo((120 + n * 10, 110, 100))] if n % 2 == 0 else [],
        ))  # fmt: skip
        made[stage] = report
        _advance(handler, report, stage, made, orgs)
        _back(report, weeks)
    services.feedback_sweep()  # what is overdue after a month goes to the level above
    return {"citizen_reports": len(REPORTS)}


def _advance(
    handler: Actor, report: Report, stage: str, made: dict[str, Report], orgs: dict[str, Organization]
) -> None:
    """Take the report to its stage through the services, as the handler and the citizen would."""
    if stage in ("waiting",):
        return
    if stage == "transferred":
        services.report_transfer(actor=handler, report=report, organization=orgs["LB-TTHCC"],
                                 reason="Hồ sơ hành chính do Trung tâm Phục vụ hành chính công giải quyết.")  # fmt: skip
        return
    if stage == "escalated":
        return
    if stage == "rejected":
        services.report_reject(
            actor=handler, report=report, template=RejectionTemplate.objects.get(code="tranh-chap-dan-su")
        )
        return
    if stage == "duplicate":
        services.report_mark_duplicate(actor=handler, report=report, original_code=made["resolved"].code)
        return
    report = services.report_accept(actor=handler, report=report, severity="normal")
    if stage == "accepted":
        return
    if stage == "late":
        services.report_progress(
            actor=handler, report=report, text="Đã làm việc với các hộ kinh doanh, yêu cầu tự tháo dỡ."
        )
        return
    services.report_resolve(actor=handler, report=report, photos=[_photo((90, 140, 90))],
                            response="Đơn vị đã xử lý xong; ảnh chụp hiện trạng sau khi xử lý kèm theo.")  # fmt: skip
    if stage in ("rated", "reopened"):
        services.report_rate(report=report, rating=5 if stage == "rated" else 2,
                             reason="Xử lý nhanh, sạch sẽ." if stage == "rated" else "Vẫn còn đốt rác buổi tối.")  # fmt: skip
    if stage == "reopened":
        services.report_reopen(report=report, reason="Buổi tối vẫn có người đốt rác, khói bay vào nhà.")
