"""Demo inspection and supervision in ward Long Biên: the year's programme, a thematic inspection concluded
with remedies to follow, a case in progress, a confidential case, a disciplinary measure and a Front
supervision with its recommendations. Written through the services, as the demo officers would."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from lamtheo.organizations.models import Organization, Person
from lamtheo.organizations.selectors import actor_for_user
from lamtheo.oversight import services
from lamtheo.remediation import services as remediation_services
from lamtheo.rulebook.models import Criterion


def build(*, orgs: dict[str, Organization], persons: dict[str, Person], cell_code: str) -> dict[str, int]:
    """The ward's oversight work of this year, at every stage, dated from about five months ago."""
    users = get_user_model().objects
    inspector = actor_for_user(users.get(username="kiemtra"))
    front = actor_for_user(users.get(username="mattran"))
    ward, cell, other = orgs["LB"], orgs[cell_code], orgs["LB-CB-TDP02"]
    member, head = persons["LB:duc"], persons["LB:ward_secretary"]
    peer = Person.objects.filter(party_cell=other, is_party_member=True).exclude(pk=member.pk).order_by("code")[0]
    # A member of the inspected cell other than the demo member and the cell's secretary (the demo member's
    # own open shortcoming stays the one of the evaluation, as the home page shows it).
    absent = (
        Person.objects.filter(party_cell=cell, is_party_member=True)
        .exclude(pk__in=[member.pk, persons[f"LB:sec:{cell_code}"].pk])
        .order_by("code")[0]
    )
    today = timezone.localdate()
    year, base = today.year, today - dt.timedelta(days=150)
    day = lambda n: base + dt.timedelta(days=n)  # noqa: E731

    programme = services.programme_create(actor=inspector, organization=ward, year=year,
                                          title=f"Chương trình kiểm tra, giám sát năm {year}")  # fmt: skip
    item = services.programme_item_add(
        actor=inspector, programme=programme, kind="inspection", mode="thematic", subject_organization=cell,
        content="Kiểm tra việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh (Chỉ thị 05)",
        planned_from=dt.date(year, 1, 1), planned_to=dt.date(year, 12, 31),
    )  # fmt: skip
    services.programme_item_add(
        actor=inspector, programme=programme, kind="supervision", mode="regular", subject_organization=other,
        content="Giám sát việc thực hiện Quy định 213 về giữ mối liên hệ với nơi cư trú",
        planned_from=dt.date(year, 1, 1), planned_to=dt.date(year, 12, 31),
    )  # fmt: skip
    services.programme_adopt(actor=inspector, programme=programme, adopted_on=dt.date(year, 1, 5))

    case = services.case_open(actor=inspector, organization=ward, programme_item=item, year=year, kind="",
                              mode="", title="Kiểm tra chuyên đề thực hiện Chỉ thị 05 tại Chi bộ Tổ dân phố số 5")  # fmt: skip
    steps = [("decision", 0, 14), ("plan", 2, 15), ("notification", 4, 16), ("self_report", 12, None)]
    for step, n, number in steps:
        services.case_record_step(
            actor=inspector, case=case, step=step, issued_on=day(n), number=number, issuer="UBKTĐU",
            summary="Báo cáo tự kiểm tra của chi bộ" if step == "self_report" else "",
            leader=head if step == "decision" else None, team=[head, peer] if step == "decision" else (),
        )  # fmt: skip
    criteria = list(Criterion.objects.filter(criteria_set__code="qd144-standards").order_by("order")[:2])
    services.finding_add(actor=inspector, case=case, severity="strength",
                         condition="Chi bộ tổ chức sinh hoạt chuyên đề hằng quý, có nội dung gắn với tổ dân phố")  # fmt: skip
    services.finding_add(
        actor=inspector, case=case, severity="shortcoming", criterion=criteria[0] if criteria else None,
        condition="Kế hoạch năm chưa cụ thể hóa chủ đề năm thành việc làm đo được",
        cause="Chi ủy chưa bám hướng dẫn của Đảng ủy", recommendation="Bổ sung kế hoạch với chỉ tiêu cụ thể",
    )  # fmt: skip
    services.finding_add(
        actor=inspector, case=case, severity="violation", criterion=criteria[-1] if criteria else None,
        condition="Một đảng viên chưa đăng ký làm theo, không tham gia sinh hoạt 3 kỳ liên tiếp",
        recommendation="Kiểm điểm trước chi bộ, có bản cam kết khắc phục", owner_person=absent,
    )  # fmt: skip
    for step, n, number in [("session", 20, None), ("results_report", 30, 21), ("conclusion", 40, 35)]:
        services.case_record_step(actor=inspector, case=case, step=step, issued_on=day(n), number=number,
                                  issuer="UBKTĐU", summary="Làm việc với chi ủy" if step == "session" else "")  # fmt: skip

    running = services.case_open(actor=inspector, organization=ward, kind="supervision", mode="regular", year=year,
                                 title="Giám sát thực hiện Quy định 213", subject_organization=other)  # fmt: skip
    services.case_record_step(actor=inspector, case=running, step="decision", issued_on=day(100), number=41,
                              issuer="UBKTĐU", leader=head, team=[head])  # fmt: skip
    secret = services.case_open(actor=inspector, organization=ward, kind="inspection", mode="violation", year=year,
                                title="Kiểm tra khi có dấu hiệu vi phạm", subject_person=peer)  # fmt: skip
    services.case_record_step(actor=inspector, case=secret, step="decision", issued_on=day(110), number=44,
                              issuer="UBKTĐU", leader=head, team=[head])  # fmt: skip
    services.measure_record(
        actor=inspector, organization=ward, person=peer, measure="reprimand", number=12, issuer="UBKTĐU",
        decided_on=day(60), effective_from=day(60), violation="Vi phạm Quy tắc ứng xử nơi công cộng",
    )  # fmt: skip

    supervision = services.supervision_open(
        actor=front, organization=orgs["LB-MTTQ"], subject_person=head, opened_on=day(30),
        topic=f"Giám sát việc thực hiện cam kết của người đứng đầu năm {year}",
    )  # fmt: skip
    services.opinion_add(actor=front, supervision=supervision, gathered_on=day(45),
                         gathered_at="Hội nghị nhân dân tổ dân phố số 5",
                         summary="Nhân dân ghi nhận việc đối thoại; đề nghị xử lý dứt điểm điểm tập kết rác")  # fmt: skip
    answered = services.recommendation_issue(actor=front, supervision=supervision, issued_on=day(50),
                                             text="Trả lời kiến nghị về điểm tập kết rác tại tổ dân phố số 5")  # fmt: skip
    head_actor = actor_for_user(users.get(username="bithu"))
    remediation_services.remediation_report(
        actor=head_actor, item=answered, note="Đã bố trí lại điểm tập kết, thu gom trước 21 giờ hằng ngày",
        evidence=_evidence(),
    )  # fmt: skip
    services.recommendation_issue(actor=front, supervision=supervision, issued_on=day(120),
                                  text="Công khai kết quả thực hiện cam kết 6 tháng tại hội nghị nhân dân")  # fmt: skip
    return {"oversight_cases": 3, "front_supervisions": 1}


def _evidence():  # type: ignore[no-untyped-def]
    """A small PDF standing for the scanned minutes of the fix."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile("bien-ban-khac-phuc.pdf", pdf, content_type="application/pdf")
