"""Test factories of the remediation context: shortcomings to remedy, written as rows.

    item = RemediationItemFactory(organization=cell, person=member, owner=member)

They build rows directly, never through the remediation services.
"""

from __future__ import annotations

import datetime as dt

import factory

from lamtheo.core.tests.factories import ScopedModelFactory
from lamtheo.organizations.tests.factories import OrganizationFactory
from lamtheo.remediation.models import RemediationItem, Source, Status


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
