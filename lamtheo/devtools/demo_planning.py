"""Demo implementation plans: the ward's plan of the year cascaded to its cells, with reports, a plan waiting
for the ward's approval, units that have stopped reporting and an overdue task — what the home pages, the
plan tree and the roll-up show. Written through the planning services, as a ward would."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lamtheo.organizations.models import Organization, User
from lamtheo.organizations.selectors import actor_for_user
from lamtheo.planning import selectors as planning_selectors
from lamtheo.planning import services
from lamtheo.planning.models import PlanStatus

CROSS_SCOPE = "demo and scale data are generated for the whole tree"

# (title, responsible: "ward" or an index into the chosen cells or "cells", weight, months from start to due)
WARD_TASKS = [
    ("Quán triệt chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm {year}", "cells", 2, 4),
    ("Mỗi chi bộ đăng ký ít nhất một việc làm cụ thể, thiết thực làm theo Bác", "cells", 2, 11),
    ("Xây dựng và nhân rộng mô hình “Dân vận khéo” trong công tác vệ sinh môi trường", 0, 1, 10),
    ("Giải quyết dứt điểm các kiến nghị của nhân dân qua tiếp xúc cử tri", "ward", 1, 11),
    ("Sơ kết 6 tháng thực hiện Chỉ thị 05, biểu dương tập thể, cá nhân tiêu biểu", "ward", 1, 6),
]  # fmt: skip


def _cells(orgs: dict[str, Organization], cell_code: str) -> list[Organization]:
    """The demo cell first, then five more open residential cells of the ward (in code order)."""
    cells = sorted(
        (
            o
            for code, o in orgs.items()
            if code.startswith("LB-CB-TDP") and o.valid_to is None and code != cell_code
        ),
        key=lambda o: o.code,
    )
    return [orgs[cell_code], *cells[:5]]


def build(*, orgs: dict[str, Organization], cell_code: str) -> dict[str, int]:
    """The ward's plan of this year with tasks for its cells, the cells' own plans, and their reports, each
    written by the demo account whose job it is (the history then reads as a ward's would)."""
    people = {
        u.username: actor_for_user(u)
        for u in User.objects.filter(username__in=["admin", "tuyengiao", "bithu", "bithuchibo"])
    }
    ward_officer, ward_secretary, cell_secretary = people["tuyengiao"], people["bithu"], people["bithuchibo"]
    today = timezone.localdate()
    year = today.year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ward, cells = orgs["LB"], _cells(orgs, cell_code)
    theme = planning_selectors.theme_of_year(year=year, organization=ward)

    def due(months: int) -> dt.date:
        return min(end, dt.date(year, min(12, 1 + months), 28))

    plan = services.plan_create(
        actor=ward_officer, organization=ward, title=f"Kế hoạch thực hiện Chỉ thị 05-CT/TW năm {year}",
        period_start=start, period_end=end, theme=theme,
        purpose="Đưa việc học tập và làm theo Bác thành việc làm thường xuyên của mỗi chi bộ, đảng viên.",
        content_areas=["ideology", "morality", "style"],
    )  # fmt: skip
    tasks = []
    for title, who, weight, months in WARD_TASKS:
        targets = cells if who == "cells" else [ward] if who == "ward" else [cells[int(who)]]
        for unit in targets:
            name = title.format(year=year) + ("" if unit is ward or len(targets) == 1 else f" — {unit.name}")
            tasks.append(services.task_create(
                actor=ward_officer, plan=plan, title=name[:300], responsible=unit, start=start, due=due(months),
                weight=weight,
            ))  # fmt: skip
    services.plan_submit(actor=ward_officer, plan=plan)
    if plan.status == PlanStatus.SUBMITTED:  # the rulebook has the level above approve committees' plans
        services.plan_approve(actor=people["admin"], plan=plan, comment="Đồng ý.")

    # Reports: the demo cell and two others keep reporting; the rest stopped months ago (the ward chases them).
    reporting = {c.pk for c in cells[:3]}
    reports = 0
    for task in tasks:
        if task.due < today - dt.timedelta(days=20) and task.responsible_id == ward.pk:
            steps = [(task.due - dt.timedelta(days=5), 100)]
        elif task.responsible_id in reporting or task.responsible_id == ward.pk:
            steps = [(start + dt.timedelta(days=40), 20), (today - dt.timedelta(days=60), 50),
                     (today - dt.timedelta(days=7), 70)]  # fmt: skip
        else:
            steps = [(start + dt.timedelta(days=45), 15)]
        for day, percent in steps:
            day = max(task.start, min(day, today))
            services.report_create(
                actor=cell_secretary if task.responsible_id == cells[0].pk else ward_secretary, task=task, reported_on=day, achieved_value=percent, period="monthly",
                narrative="Đã triển khai theo kế hoạch; tiếp tục theo dõi, đôn đốc.",
            )  # fmt: skip
            reports += 1

    # The demo cell concretises the ward's plan, with its own overdue task.
    cell = cells[0]
    cell_plan = services.plan_create(
        actor=cell_secretary, organization=cell, title=f"Kế hoạch thực hiện Chỉ thị 05-CT/TW năm {year} — {cell.name}",
        period_start=start, period_end=end, theme=theme, parent_plan=plan, content_areas=["morality", "style"],
    )  # fmt: skip
    late = services.task_create(
        actor=cell_secretary, plan=cell_plan, title="Tổ chức buổi sinh hoạt chuyên đề kể chuyện về Bác cho thanh thiếu nhi",
        responsible=cell, start=start, due=max(start, today - dt.timedelta(days=12)),
    )  # fmt: skip
    ongoing = services.task_create(
        actor=cell_secretary, plan=cell_plan, title="Vận động 100% hộ gia đình phân loại rác tại nguồn", responsible=cell,
        start=start, due=end,
    )  # fmt: skip
    services.plan_submit(actor=cell_secretary, plan=cell_plan)
    services.plan_approve(actor=ward_secretary, plan=cell_plan)
    services.report_create(actor=cell_secretary, task=late, reported_on=max(start, today - dt.timedelta(days=40)),
                           achieved_value=40, narrative="Đã liên hệ nhà văn hóa, chưa tổ chức được.")  # fmt: skip
    services.report_create(actor=cell_secretary, task=ongoing, reported_on=max(start, today - dt.timedelta(days=10)),
                           achieved_value=80, narrative="Đã có 80% hộ đăng ký phân loại rác.")  # fmt: skip

    # A second cell has sent its plan: it waits for the ward's approval.
    other = cells[1]
    waiting = services.plan_create(
        actor=ward_secretary, organization=other, title=f"Kế hoạch thực hiện Chỉ thị 05-CT/TW năm {year} — {other.name}",
        period_start=start, period_end=end, theme=theme, parent_plan=plan,
    )  # fmt: skip
    services.task_create(actor=ward_secretary, plan=waiting, title="Mỗi đảng viên nhận giúp đỡ một hộ gia đình khó khăn",
                         responsible=other, start=start, due=end)  # fmt: skip
    services.plan_submit(actor=ward_secretary, plan=waiting)
    return {"implementation_plans": 3, "plan_tasks": len(tasks) + 3, "progress_reports": reports + 2}


def build_import(*, cell_code: str) -> dict[str, int]:
    """A roster import the organization officer has uploaded and the system has checked: it waits for them
    to confirm (their home page says so). Sent through the real upload and dry run."""
    import io

    import xlsxwriter
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lamtheo.roster import services as roster_services

    officer = actor_for_user(User.objects.get(username="tochuc"))
    header = ["Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Đảng viên", "Mã chi bộ sinh hoạt"]
    rows = [
        ["LB-MOI-01", "Lê Thị Thu Hà", "Nữ", "12/03/1990", "Có", cell_code],
        ["LB-MOI-02", "Phạm Quang Huy", "Nam", "05/11/1985", "Có", cell_code],
        ["LB-MOI-03", "Ngô Minh Châu", "Nữ", "20/07/1998", "Có", cell_code],
    ]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([header, *rows]):
        sheet.write_row(r, 0, row)
    book.close()
    upload = SimpleUploadedFile("dang-vien-moi-chuyen-den.xlsx", buffer.getvalue())
    job = roster_services.import_create(actor=officer, kind="people", upload=upload)
    roster_services.import_preview(job_id=job.pk)
    return {"imports_waiting": 1}
