"""Merging organizations, context by context: open work follows the successor, decided records stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import models

from conftest import SYSTEM, acting_as
from lamtheo.commitments.models import YearLock
from lamtheo.core.merging import merge_hooks
from lamtheo.organizations import services
from lamtheo.organizations.models import Organization
from lamtheo.planning import selectors as planning_selectors
from lamtheo.planning.models import Plan, PlanStatus
from lamtheo.remediation.models import RemediationItem, Source, Status

D = dt.date


def _item(organization: Organization, status: str) -> RemediationItem:
    return RemediationItem.objects.create(
        organization=organization, source=Source.OTHER, year=2025, description=f"Thiếu sót ({status})",
        due_date=D(2026, 6, 30), status=status,
    )  # fmt: skip


def _plan(organization: Organization, status: str, user, title: str = "") -> Plan:  # type: ignore[no-untyped-def]
    return Plan.objects.create(
        organization=organization, title=title or f"Kế hoạch ({status})", period_start=D(2025, 7, 1),
        period_end=D(2025, 12, 31), status=status, created_by=user,
    )  # fmt: skip


@pytest.mark.django_db
def test_merge_moves_open_work_and_keeps_what_was_decided(world, system):  # type: ignore[no-untyped-def]
    a, b = world.a, world.b
    open_item, verified = _item(a.committee, Status.OPEN), _item(a.committee, Status.VERIFIED)
    draft, closed = (
        _plan(a.committee, PlanStatus.DRAFT, world.admin_user),
        _plan(a.committee, PlanStatus.CLOSED, world.admin_user),
    )
    lock = YearLock.objects.create(organization=a.committee, year=2025, locked_by=world.admin_user)

    services.organization_merge(
        actor=system, sources=[a.committee], target=b.committee, effective=D(2026, 1, 1)
    )

    for row in (open_item, verified, draft, closed, lock):
        row.refresh_from_db()
    # Open work follows the successor, with a history row saying why.
    assert open_item.organization_id == b.committee.pk
    assert open_item.history.first().history_change_reason == "merge into WB"
    # A plan keeps the unit it was written in, open or closed (ADR 0013): the plan tree reads it there.
    assert draft.organization_id == a.committee.pk
    # Decided records stay with the closed committee: the verified remedy, the closed plan, the locked year.
    assert verified.organization_id == a.committee.pk
    assert closed.organization_id == a.committee.pk
    assert lock.organization_id == a.committee.pk


@pytest.mark.django_db
def test_a_refused_merge_moves_no_other_context_rows(world, system):  # type: ignore[no-untyped-def]
    item = _item(world.a.cell, Status.OPEN)
    with pytest.raises(Exception, match="incompatible"):
        services.organization_merge(
            actor=system, sources=[world.a.cell], target=world.a.agency, effective=D(2026, 1, 1)
        )
    item.refresh_from_db()
    assert item.organization_id == world.a.cell.pk


def test_every_context_keeping_rows_per_organization_has_a_merge_hook():  # type: ignore[no-untyped-def]
    """A new model pointing at an organization must be handled by its context's hook (or keep the field)."""
    hooks = merge_hooks()
    missing = []
    for model in apps.get_models():
        if hasattr(model, "instance_type") or model._meta.app_label == "organizations":
            continue
        keep = getattr(model, "keep_on_merge", ())
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model is Organization
                and field.name not in keep
                and model._meta.app_label not in hooks
            ):
                missing.append(f"{model._meta.label}.{field.name}")
    assert not missing, "Register a merge hook (lamtheo.core.merging) for: " + ", ".join(missing)
    assert {"planning", "commitments", "remediation"} <= set(hooks)


@pytest.mark.django_db
def test_the_plan_tree_shows_the_successors_own_plan_and_the_closed_units_plans_under_it(world, client):  # type: ignore[no-untyped-def]
    a, b = world.a, world.b
    with acting_as(SYSTEM):
        own = _plan(b.committee, PlanStatus.DRAFT, world.admin_user, "Kế hoạch của phường B")
        kept = _plan(a.committee, PlanStatus.IN_PROGRESS, world.admin_user, "Kế hoạch của phường A")
        services.organization_merge(
            actor=SYSTEM, sources=[a.committee], target=b.committee, effective=D(2026, 1, 1)
        )
    kept.refresh_from_db()
    assert kept.organization_id == a.committee.pk  # the record is not rewritten
    # Ward B's secretary (whose scope does not hold the closed ward A) reads A's plan of 2025 under B's row.
    with acting_as(b.secretary_user) as actor:
        [row] = planning_selectors.plan_tree(actor=actor, parent=None, year=2025)
    assert (row.organization, row.plan) == (b.committee, own)
    assert [(m.plan, m.can_open) for m in row.merged] == [(kept, False)]
    client.force_login(b.secretary_user)
    page = client.get("/plans/?year=2025").content.decode()
    assert page.index("Kế hoạch của phường B") < page.index("Kế hoạch của phường A")
    assert f"{a.committee.name} (đã hợp nhất vào đơn vị này)" in page


@pytest.mark.django_db
def test_the_successors_roll_up_of_the_merge_year_counts_the_closed_units_plans(world):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from lamtheo.planning.models import Task

    a, b = world.a, world.b
    with acting_as(SYSTEM):
        own = _plan(b.committee, PlanStatus.IN_PROGRESS, world.admin_user, "Kế hoạch của phường B")
        kept = _plan(a.committee, PlanStatus.IN_PROGRESS, world.admin_user, "Kế hoạch của phường A")
        for plan, progress in ((own, 100), (own, 100), (kept, 40), (kept, 0)):
            Task.objects.create(
                plan=plan, title=f"Nhiệm vụ {progress}", responsible=plan.organization, start=D(2025, 7, 1),
                due=D(2025, 12, 31),
                progress=Decimal(progress),
            )  # fmt: skip
        Plan.objects.filter(pk=own.pk).update(progress=100)
        Plan.objects.filter(pk=kept.pk).update(progress=20)
    with acting_as(b.secretary_user) as actor:
        assert planning_selectors.rollup_of(actor=actor, organization=b.committee, year=2025) == Decimal(100)
    with acting_as(SYSTEM):
        services.organization_merge(
            actor=SYSTEM, sources=[a.committee], target=b.committee, effective=D(2026, 1, 1)
        )
    # Ward B's secretary reads 2025 through the closed ward A: four tasks pooled, (100 + 100 + 40 + 0) / 4.
    with acting_as(b.secretary_user) as actor:
        assert planning_selectors.rollup_of(actor=actor, organization=b.committee, year=2025) == Decimal(60)
        assert planning_selectors.rollup_of(actor=actor, organization=b.committee, year=2027) is None
    own.refresh_from_db()
    kept.refresh_from_db()
    assert (own.progress, kept.progress, kept.organization_id) == (100, 20, a.committee.pk)  # not rewritten
