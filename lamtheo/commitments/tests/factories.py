"""Test factories of the commitments context: personal cultivation plans and their items, written as rows.

    plan = CultivationPlanFactory(person=member)                # a draft plan for 2026, kept by the member's cell
    CommitmentItemFactory(plan=plan, section="ideology")

They build rows directly, never through the commitments services (so they do not move when a service does).
The template is a small one of three sections; a test that needs the real forms loads the rulebook
(`rulebook_load`) and passes `template=commitment_template_for(year=..., for_heads=...)`.
"""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from lamtheo.commitments.models import CommitmentItem, CommitmentPlan, CultivationPlanStatus
from lamtheo.core.tests.factories import ScopedModelFactory
from lamtheo.organizations.tests.factories import PersonFactory
from lamtheo.rulebook.models import CommitmentTemplate

SECTIONS = [
    {"code": "ideology", "title": "Về tư tưởng chính trị", "min_items": 1, "min_items_for_heads": 1,
     "criteria_set": None, "items": []},
    {"code": "morality", "title": "Về phẩm chất đạo đức, lối sống", "min_items": 1, "min_items_for_heads": 1,
     "criteria_set": None, "items": []},
    {"code": "style", "title": "Về tác phong, lề lối làm việc", "min_items": 1, "min_items_for_heads": 1,
     "criteria_set": None, "items": []},
]  # fmt: skip


class CommitmentTemplateFactory(DjangoModelFactory):
    """A small template for every year from 2020 (one row, shared by every plan the factories build)."""

    class Meta:
        model = CommitmentTemplate
        django_get_or_create = ("code",)

    code = "factory-member"
    name = "Bản cam kết (mẫu thử)"
    title = "BẢN CAM KẾT tu dưỡng, rèn luyện, phấn đấu năm {year}"
    year_from = 2020
    sections = factory.LazyFunction(lambda: [dict(s) for s in SECTIONS])


class CultivationPlanFactory(ScopedModelFactory):
    """A draft cultivation plan (model CommitmentPlan) of a party member for 2026, kept by their party cell."""

    class Meta:
        model = CommitmentPlan

    person = factory.SubFactory(PersonFactory)
    year = 2026
    cell = factory.SelfAttribute("person.party_cell")
    template = factory.SubFactory(CommitmentTemplateFactory)
    status = CultivationPlanStatus.DRAFT


class CommitmentItemFactory(ScopedModelFactory):
    """One commitment of a plan, in the template's first section unless `section` says otherwise."""

    class Meta:
        model = CommitmentItem

    plan = factory.SubFactory(CultivationPlanFactory)
    section = "ideology"
    order = factory.Sequence(lambda n: n)
    content = factory.Sequence(lambda n: f"Cam kết số {n}")
    measures = "Thực hiện thường xuyên"
    timeline = "Cả năm"
