"""What the printed plan says, read from the database: the locality and the document's own date on the
place-date line, standards by name, the title of each version, and who confirms (never the member)."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import docx
import pytest
from django.utils import timezone

from lamtheo.commitments import selectors, services
from lamtheo.commitments.documents import _date_text, plan_docx
from lamtheo.commitments.models import CommitmentPlan
from lamtheo.commitments.selectors import _locality
from lamtheo.core.scoping import Scope, activate

from .conftest import fill_minimum, yearend

ALL = Scope.everything(reason="test")


def orgs(*names: str) -> list[SimpleNamespace]:
    return [SimpleNamespace(name=name, short_name="") for name in names]


@pytest.mark.parametrize(
    ("names", "place"),
    [
        (("Chi bộ Tổ dân phố 5", "Đảng bộ phường Long Biên", "Đảng bộ Thành phố Hà Nội"), "Long Biên"),
        (("Chi bộ Trường Tiểu học Thượng Thanh, phường Bồ Đề", "Đảng bộ phường Long Biên"), "Bồ Đề"),
        (("Chi bộ Bảo hiểm xã hội quận Long Biên (cũ)", "Đảng bộ Thành phố Hà Nội"), "Long Biên"),
        (("Chi bộ Văn phòng Tỉnh ủy", "Đảng bộ tỉnh Bắc Ninh"), "Bắc Ninh"),
        (("Chi bộ Tổ dân phố 5", "Đảng bộ Thành phố Hà Nội"), "Hà Nội"),
        (("Chi bộ Công ty Cổ phần May 10", "Đảng bộ Tổng công ty Dệt may"), "Đảng bộ Tổng công ty Dệt may"),
    ],
)
def test_locality_comes_from_the_nearest_organization_naming_a_place(names, place):  # type: ignore[no-untyped-def]
    assert _locality(orgs(*names)) == place


def test_dates_take_a_leading_zero_where_administrative_documents_do():
    assert _date_text(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert _date_text(dt.date(2026, 2, 28)) == "ngày 28 tháng 02 năm 2026"
    assert _date_text(dt.date(2026, 3, 15)) == "ngày 15 tháng 3 năm 2026"
    assert _date_text(dt.date(2026, 12, 1)) == "ngày 01 tháng 12 năm 2026"
    assert _date_text(None) == "ngày …… tháng …… năm ………"


def _submitted_plan(cast, *, head: bool = False) -> CommitmentPlan:  # type: ignore[no-untyped-def]
    owner = cast.actor("member_user")
    with activate(owner.scope):
        plan = services.cultivation_plan_register(
            actor=owner, person=cast.member, year=timezone.localdate().year
        )
        if head:
            CommitmentPlan.objects.filter(pk=plan.pk).update(
                is_head=True, position_title="Chủ tịch UBND phường"
            )
            plan.refresh_from_db()
        fill_minimum(owner, plan)
        services.commitment_item_add(actor=owner, plan=plan, section="morality", content="Không uống rượu bia trong giờ làm việc",
                          standards=["3", "5"], target="100% ngày làm việc")  # fmt: skip
        services.cultivation_plan_submit(actor=owner, plan=plan)
    return plan


def _approve(cast, plan: CommitmentPlan, who: str) -> CommitmentPlan:  # type: ignore[no-untyped-def]
    actor = cast.actor(who)
    with activate(actor.scope):
        services.cultivation_plan_approve(actor=actor, plan=plan)
    with activate(ALL):
        return CommitmentPlan.objects.select_related("person", "cell", "template", "theme").get(pk=plan.pk)


def _document(cast, plan: CommitmentPlan, *, with_assessment: bool = False):  # type: ignore[no-untyped-def]
    actor = cast.actor("member_user")
    with activate(actor.scope):
        return selectors.cultivation_plan_document(actor=actor, plan=plan, with_assessment=with_assessment)


@pytest.mark.django_db
def test_member_plan_prints_place_registration_date_standards_and_secretary(cast, world):  # type: ignore[no-untyped-def]
    plan = _approve(cast, _submitted_plan(cast), "cell_secretary")
    doc = _document(cast, plan)
    assert doc.place == "A"  # from "Đảng bộ phường A", the committee above the cell
    assert doc.date == timezone.localtime(plan.submitted_at).date()  # the registration, not the print date
    standards = [i.standards for s in doc.sections for i in s.items if i.standards]
    assert standards == ["Cần, kiệm, liêm, chính, chí công vô tư; Gương mẫu, khiêm tốn, tu dưỡng rèn luyện, "
                         "học tập suốt đời"]  # fmt: skip
    assert doc.approved_by == "Bí thư A1" and not doc.is_head
    document = docx.Document(io.BytesIO(plan_docx(doc)))
    header = document.tables[0].rows[0].cells[1].text.split("\n")
    assert header[1] == f"A, {_date_text(doc.date)}"
    assert "BẢN CAM KẾT" in [p.text for p in document.paragraphs]


@pytest.mark.django_db
def test_head_plan_is_confirmed_by_the_committee_above_never_by_the_cell_or_themself(cast, world):  # type: ignore[no-untyped-def]
    by_cell = _approve(cast, _submitted_plan(cast, head=True), "cell_secretary")
    doc = _document(cast, by_cell)
    assert doc.is_head and doc.confirming_committee == world.a.committee.name
    assert doc.approved_by == ""  # the cell's secretary is not the committee above: signed by hand
    signatures = docx.Document(io.BytesIO(plan_docx(doc))).tables[-1].rows[0].cells[0].text
    assert signatures.startswith("XÁC NHẬN CỦA CẤP ỦY CẤP TRÊN\nT/M ĐẢNG ỦY PHƯỜNG A")

    with activate(ALL):
        CommitmentPlan.objects.filter(pk=by_cell.pk).update(decided_by=cast.ward_secretary)
        by_ward = CommitmentPlan.objects.select_related("person", "cell", "template").get(pk=by_cell.pk)
    ward_name = cast.ward_secretary.get_full_name() or cast.ward_secretary.username
    assert _document(cast, by_ward).approved_by == ward_name

    # Even an account that could approve from above never confirms its own person's plan.
    with activate(ALL):
        cast.member_user.person = None
        cast.member_user.save()
        cast.ward_secretary.person = cast.member
        cast.ward_secretary.save()
        by_self = CommitmentPlan.objects.select_related("person", "cell", "template").get(pk=by_cell.pk)
    assert _document(cast, by_self).approved_by == ""


@pytest.mark.django_db
def test_self_assessment_is_titled_and_dated_as_one(cast):  # type: ignore[no-untyped-def]
    plan = _approve(cast, _submitted_plan(cast), "cell_secretary")
    yearend(cast, plan, grade="good", score=82)
    with activate(ALL):
        plan.refresh_from_db()
        # Three days after the plan was handed in (a fixed date would be "today" on that day).
        assessed = plan.submitted_at + dt.timedelta(days=3)
        CommitmentPlan.objects.filter(pk=plan.pk).update(yearend_at=assessed)
        plan.refresh_from_db()
    doc = _document(cast, plan, with_assessment=True)
    assert doc.date == timezone.localtime(assessed).date()
    paragraphs = [p.text for p in docx.Document(io.BytesIO(plan_docx(doc))).paragraphs]
    assert "BẢN TỰ KIỂM ĐIỂM" in paragraphs and "BẢN CAM KẾT" not in paragraphs
    plan_doc = _document(cast, plan, with_assessment=False)
    assert plan_doc.date == timezone.localtime(plan.submitted_at).date() != doc.date
