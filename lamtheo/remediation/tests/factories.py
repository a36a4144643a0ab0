"""Test factories of the remediation context: shortcomings to remedy, written as rows.

    item = RemediationItemFactory(organization=cell, person=member, owner=member)
    found = InspectionItemFactory(organization=ward, owner_organization=cell)  # a unit remedies it
    rules = oversight_rules(max_extensions={"shortcoming": 1})                 # the year's follow-up periods

They build rows directly, never through the remediation services.
"""

from __future__ import annotations

import datetime as dt

import factory

from lamtheo.core.tests.factories import ScopedModelFactory
from lamtheo.organizations.tests.factories import OrganizationFactory
from lamtheo.remediation.models import Extension, RemediationItem, Severity, Source, Status
from lamtheo.rulebook.models import OversightRules


class RemediationItemFactory(ScopedModelFactory):
    """An open shortcoming tracked by an organization, due at the end of June 2026."""

    class Meta:
        model = RemediationItem

    organization = factory.SubFactory(OrganizationFactory)
    source = Source.OTHER
    year = 2026
    description = factory.Sequence(lambda n: f"Hạn chế cần khắc phục số {n}")
    due_date = dt.date(2026, 6, 30)
    status = Status.OPEN


class InspectionItemFactory(RemediationItemFactory):
    """A shortcoming an inspection found, tracked by the committee that inspected (`organization`), for a
    unit to remedy (`owner_organization`): it is remedied with evidence."""

    source = Source.INSPECTION
    severity = Severity.SHORTCOMING
    source_label = "Kết luận kiểm tra số 01-KL/ĐU"


class ExtensionFactory(ScopedModelFactory):
    """An extension granted on an item (rows only: the service keeps the item's own fields in step)."""

    class Meta:
        model = Extension

    item = factory.SubFactory(InspectionItemFactory)
    previous_due = factory.LazyAttribute(lambda e: e.item.effective_due)
    until = factory.LazyAttribute(lambda e: e.previous_due + dt.timedelta(days=30))
    reason = "Chờ kinh phí sửa chữa"


def oversight_rules(
    *,
    year_from: int = 2020,
    year_to: int | None = None,
    max_extensions: dict[str, int] | None = None,
    escalate_after_days: int = 5,
) -> OversightRules:
    """The periods of follow-up for a range of years (public reference data: one row, written directly)."""
    return OversightRules.objects.create(
        code=f"test-{year_from}-{year_to}", name="Thời hạn theo dõi khắc phục (thử)", year_from=year_from,
        year_to=year_to, remedy_days={"shortcoming": 90, "violation": 30},
        max_extensions={"shortcoming": 2, "violation": 1} if max_extensions is None else max_extensions,
        escalate_after_days=escalate_after_days, reply_days=30,
    )  # fmt: skip
