"""Demo cultivation plans for the cell of the demo accounts: a year in progress that the cockpit, the
member's screens, the evaluation and the portal can show (written directly: this is seed data)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from lamtheo.commitments import cross_scope
from lamtheo.commitments.models import (
    CommitmentItem,
    CommitmentPlan,
    CultivationPlanStatus,
    Evaluation,
    ItemSource,
    OrganizationRating,
    ResidenceComment,
    ResidenceStatus,
)
from lamtheo.organizations.models import Organization, Person, Position
from lamtheo.planning import selectors as planning_selectors
from lamtheo.remediation.models import RemediationItem
from lamtheo.rulebook import selectors as rulebook_selectors
from lamtheo.rulebook.models import CommitmentTemplate, ResidenceCommentForm

CROSS_SCOPE = "seed data for the demo: written directly across the demo tree, never run in production"

CYCLE = ("submitted", "yearend", "none", "midyear", "approved", "draft", "yearend", "submitted", "yearend")

# Concrete items a member of a residential cell typically writes (section → content, measures, target).
OWN_ITEMS = {
    "duties": [
        ("Vận động 100% hộ gia đình trong tổ thực hiện phân loại rác tại nguồn", "Tuyên truyền tại họp tổ hằng tháng",
         "100% hộ"),
        ("Hoàn thành đúng hạn các nhiệm vụ được chi bộ phân công", "Báo cáo kết quả tại sinh hoạt chi bộ", "100%"),
    ],
    "following": [
        ("Đăng ký làm theo: “Mỗi tuần một việc tốt vì cộng đồng” ở tổ dân phố", "Tham gia tổng vệ sinh, chăm sóc "
         "vườn hoa chung", "≥ 40 buổi/năm"),
    ],
    "residence": [],
    "discipline": [
        ("Đóng đảng phí đầy đủ, đúng hạn; tham gia 100% buổi sinh hoạt chi bộ", "", "100%"),
    ],
}  # fmt: skip


def build(*, orgs: dict[str, Organization], persons: dict[str, Person], cell_code: str, head_tag: str,
          member_tag: str, seed: int) -> dict[str, int]:  # fmt: skip
    """Plans of this year for every member of the demo cell, in every state; the head's plan published."""
    rng = random.Random(seed)
    cell = orgs[cell_code]
    year = timezone.localdate().year  # a year in progress, whenever the demo is built
    now = timezone.now()
    scheme = rulebook_selectors.evaluation_scheme_for_year(year)
    theme = planning_selectors.theme_of_year(year=year, organization=cell)
    member_template = CommitmentTemplate.objects.get(code="member-2023")
    head_template = CommitmentTemplate.objects.get(code="head-2023")
    residence_form = ResidenceCommentForm.objects.order_by("-year_from").first()
    grassroots = next(o for o in orgs.values() if o.is_grassroots and cell.path.startswith(o.path))
    members = list(
        Person.objects.unscoped(reason="demo seed")
        .filter(party_cell=cell, is_party_member=True)
        .order_by("id")
    )
    heads = set(
        Position.objects.unscoped(reason="demo seed")
        .filter(person__in=members, is_head=True, to_date__isnull=True)
        .values_list("person_id", flat=True)
    )
    head, member = persons[head_tag], persons[member_tag]
    plans = items = evaluations = 0
    for n, person in enumerate(members):
        if person.pk in (head.pk, member.pk):
            state = "yearend" if person.pk == head.pk else "midyear"
        else:
            state = CYCLE[n % len(CYCLE)]  # every state appears even in a small cell
        if state == "none":
            continue
        is_head = person.pk in heads
        template = head_template if is_head else member_template
        plan = CommitmentPlan.objects.create(
            person=person, year=year, cell=cell, template=template, is_head=is_head, theme=theme,
            position_title="Bí thư Chi bộ" if person.pk == head.pk else "",
            status={"draft": CultivationPlanStatus.DRAFT, "submitted": CultivationPlanStatus.SUBMITTED}.get(state, CultivationPlanStatus.APPROVED),
            submitted_at=None if state == "draft" else now - dt.timedelta(days=240),
            decided_at=now - dt.timedelta(days=230) if state in ("approved", "midyear", "yearend") else None,
        )  # fmt: skip
        plans += 1
        order = 0
        for section in template.sections:
            rows = [
                (r["content"].replace("{year}", str(year)), r.get("measures", ""), "")
                for r in section["items"]
            ]
            rows += OWN_ITEMS.get(section["code"], [])[: 1 + n % 2]
            if section["code"] in ("style", "ideology", "morality") and not rows:
                rows = [("Thực hiện nghiêm túc nội quy, quy chế của cơ quan và tổ dân phố", "", "")]
            for content, measures, target in rows:
                order += 1
                done = rng.random() < 0.8
                CommitmentItem.objects.create(
                    plan=plan, section=section["code"], order=order, content=content, measures=measures,
                    target=target, timeline="Cả năm",
                    source=ItemSource.TEMPLATE if section["items"] else ItemSource.OWN,
                    standards=["3", "5"] if section["code"] == "morality" else [],
                    midyear_result=("done" if done else "partly") if state in ("midyear", "yearend") else "",
                    yearend_result=("done" if done else "partly") if state == "yearend" else "",
                    yearend_evidence="Đã thực hiện, có xác nhận của tổ dân phố" if state == "yearend" else "",
                )  # fmt: skip
                items += 1
        if state in ("midyear", "yearend"):
            plan.midyear_at, plan.midyear_summary = now - dt.timedelta(days=130), "Thực hiện đúng tiến độ."
        if state == "yearend":
            score = rng.choice([72, 78, 85, 88, 91])
            plan.yearend_at, plan.yearend_summary = (
                now - dt.timedelta(days=3),
                "Hoàn thành các nội dung đã cam kết.",
            )
            plan.self_grade, plan.self_score = ("excellent" if score >= 90 else "good"), score
            if person.pk == head.pk:
                plan.on_notice_board = plan.on_portal = plan.on_residence = True
                plan.published_on = min(dt.date(year, 3, 20), timezone.localdate())
        plan.save()
        lives_elsewhere = person.residence_cell_id and person.residence_cell_id != plan.cell_id
        if state == "yearend" and lives_elsewhere and residence_form and person.pk != head.pk:
            returned = rng.random() < 0.5
            ResidenceComment.objects.create(
                plan=plan, residence_id=person.residence_cell_id, form=residence_form,
                front=cross_scope.front_near(person.residence_cell),
                status=ResidenceStatus.RETURNED if returned else ResidenceStatus.REQUESTED,
                requested_at=now - dt.timedelta(days=10), due_date=dt.date(year, 12, 10),
                ratings={i["code"]: "good" for i in residence_form.items} if returned else {},
                comment="Gương mẫu, gần gũi bà con khu phố." if returned else "",
                signed_by="Bí thư chi bộ nơi cư trú" if returned else "",
                returned_at=now - dt.timedelta(days=2) if returned else None,
            )  # fmt: skip
        if state == "yearend" and scheme is not None and person.pk != head.pk and rng.random() < 0.5:
            grade = "good" if plan.self_score >= 70 else "completed"
            Evaluation.objects.create(
                plan=plan, scheme=scheme, grassroots=grassroots, year=year, score=min(plan.self_score, 89),
                proposed_grade=grade, grade=grade, proposed_at=now - dt.timedelta(days=1),
            )  # fmt: skip
            evaluations += 1
    residents = _residents_working_elsewhere(cell, year, member_template, residence_form, theme, now)
    plans += residents
    if scheme is not None and scheme.organizations:
        # The demo cell has proposed its own rating of the year: the ward decides it from the cockpit.
        OrganizationRating.objects.create(
            organization=cell, year=year, scheme=scheme, decider=grassroots, proposed_grade="good", grade="good",
            proposed_at=now - dt.timedelta(days=1),
            comment="Lãnh đạo tổ dân phố hoàn thành tốt các chỉ tiêu của nghị quyết năm.",
        )  # fmt: skip
    shortcoming = RemediationItem.objects.create(
        organization=cell, person=member, owner=member, source="evaluation", year=year - 1,
        source_label=f"Đánh giá năm {year - 1}",
        description="Chưa tham gia đầy đủ các buổi sinh hoạt của tổ dân phố nơi cư trú",
        due_date=dt.date(year, 12, 31),
    )  # fmt: skip
    # The member's plan carries it in its "shortcomings to remedy" section, as registering would have done.
    member_plan = CommitmentPlan.objects.filter(person=member, year=year).first()
    if member_plan is not None:
        sections = member_plan.template.sections
        section = next((x["code"] for x in sections if x.get("receives_remediation")), sections[-1]["code"])
        CommitmentItem.objects.create(
            plan=member_plan, section=section, content=shortcoming.description, order=99,
            timeline=f"{shortcoming.due_date:%d/%m/%Y}", source=ItemSource.REMEDIATION, remediation=shortcoming,
        )  # fmt: skip
        items += 1
    return {"commitment_plans": plans, "commitment_items": items, "evaluations": evaluations}


def _residents_working_elsewhere(cell, year, template, residence_form, theme, now) -> int:  # type: ignore[no-untyped-def]
    """Members of other cells who live in the demo cell (Quy định 213): their own cell has approved their plan
    and asked the demo cell for its comment, so the demo cell's secretary has comments to write."""
    if residence_form is None:
        return 0
    residents = (
        Person.objects.unscoped(reason="demo seed")
        .filter(residence_cell=cell, is_party_member=True, party_cell__isnull=False)
        .exclude(party_cell=cell)
        .order_by("id")[:4]
    )
    count = 0
    for person in residents:
        plan = CommitmentPlan.objects.create(
            person=person, year=year, cell_id=person.party_cell_id, template=template, theme=theme,
            status=CultivationPlanStatus.APPROVED, submitted_at=now - dt.timedelta(days=240),
            decided_at=now - dt.timedelta(days=230),
        )  # fmt: skip
        for order, section in enumerate(template.sections, start=1):
            for row in section["items"][:1]:
                CommitmentItem.objects.create(
                    plan=plan, section=section["code"], order=order, content=row["content"].replace("{year}", str(year)),
                    measures=row.get("measures", ""), timeline="Cả năm", source=ItemSource.TEMPLATE,
                )  # fmt: skip
        ResidenceComment.objects.create(
            plan=plan, residence=cell, form=residence_form, status=ResidenceStatus.REQUESTED,
            front=cross_scope.front_near(cell),
            requested_at=now - dt.timedelta(days=10), due_date=dt.date(year, 12, 10),
        )  # fmt: skip
        count += 1
    return count
