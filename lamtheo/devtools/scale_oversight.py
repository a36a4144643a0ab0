"""Inspection and supervision for the scale dataset: a city's year of ~2,000 cases, ~10,000 findings,
~20,000 shortcomings to remedy and ~5,000 recommendations of the Fronts. Written with bulk inserts (a
generator, not a service): no history rows, as for the other generated data."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from lamtheo.core.vocabulary import OrgKind
from lamtheo.organizations.models import Organization
from lamtheo.oversight.models import Case, Finding, Supervision
from lamtheo.remediation.models import RemediationItem
from lamtheo.rulebook.models import Criterion

CROSS_SCOPE = "a generator of the scale dataset: writes the whole tree directly, never run in production"

CASES, FINDINGS_PER_CASE, ITEMS, FRONT_ITEMS, SUPERVISIONS = 2_000, 5, 20_000, 5_000, 500
MODES = (("regular", 0.5), ("thematic", 0.4), ("violation", 0.1))
SEVERITIES = (("strength", 0.2), ("shortcoming", 0.6), ("violation", 0.2))
# Status of an item: open, extended, reported, verified.
STATUSES = (("open", 0.35), ("extended", 0.05), ("reported", 0.15), ("verified", 0.45))
BATCH = 2_000


def _pick(rng: random.Random, table) -> str:  # type: ignore[no-untyped-def]
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


def _item(rng: random.Random, year: int, **fields) -> RemediationItem:  # type: ignore[no-untyped-def]
    due = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(30, 364))
    status = _pick(rng, STATUSES)
    return RemediationItem(
        year=year, due_date=due, status=status,
        extended_until=due + dt.timedelta(days=60) if status == "extended" else None,
        extension_count=1 if status == "extended" else 0, **fields,
    )  # fmt: skip


def build_oversight(*, year: int = 2026, seed: int = 2025, root_code: str = "SCALE-HN") -> dict[str, int]:
    """Cases of the grassroots committees on their cells, findings, remedies, and the Fronts' supervision."""
    rng = random.Random(seed)
    orgs = Organization.objects.unscoped(reason="generator")
    root = orgs.get(code=root_code)
    wards = list(orgs.filter(path__startswith=root.path, is_grassroots=True).values_list("id", "path"))
    cells: dict[int, list[int]] = {w: [] for w, _p in wards}
    fronts: dict[int, int] = {}
    by_path = {p: w for w, p in wards}
    for oid, path, kind in orgs.filter(path__startswith=root.path, kind__in=(OrgKind.PARTY_CELL, OrgKind.FRONT)
                                       ).values_list("id", "path", "kind"):  # fmt: skip
        ward = next((w for p, w in by_path.items() if path.startswith(p)), None)
        if ward is None:
            continue
        (cells[ward].append(oid) if kind == OrgKind.PARTY_CELL else fronts.__setitem__(ward, oid))
    criteria = list(Criterion.objects.values_list("id", flat=True)[:30])
    with transaction.atomic():
        cases = []
        for n in range(CASES):
            ward = rng.choice(wards)[0]
            cases.append(Case(
                organization_id=ward, year=year, kind=rng.choice(("inspection", "supervision")),
                mode=_pick(rng, MODES), subject_organization_id=rng.choice(cells[ward]), title=f"Kiểm tra số {n + 1}",
                status="concluded" if rng.random() < 0.7 else "open", step="conclusion",
            ))  # fmt: skip
        cases = Case.objects.unscoped(reason="generator").bulk_create(cases, batch_size=BATCH)
        findings = [
            Finding(case_id=c.pk, condition=f"Phát hiện {c.pk}-{k}", criterion_id=rng.choice(criteria) if criteria else None,
                    severity=_pick(rng, SEVERITIES), recommendation="Khắc phục", owner_organization_id=c.subject_organization_id)
            for c in cases for k in range(FINDINGS_PER_CASE)
        ]  # fmt: skip
        findings = Finding.objects.unscoped(reason="generator").bulk_create(findings, batch_size=BATCH)
        ward_of = {c.pk: c.organization_id for c in cases}
        raised = [f for f in findings if f.severity != "strength"]
        items = [
            _item(rng, year, organization_id=ward_of[f.case_id], owner_organization_id=f.owner_organization_id,
                  source="inspection", severity=f.severity, source_ref=f"oversight.finding:{f.pk}",
                  description=f.recommendation)
            for f in raised[:ITEMS]
        ]  # fmt: skip
        while len(items) < ITEMS:  # the rest: shortcomings from evaluations, tracked by the cells
            ward = rng.choice(wards)[0]
            items.append(_item(rng, year, organization_id=rng.choice(cells[ward]), source="evaluation",
                               description="Hạn chế từ đánh giá cuối năm"))  # fmt: skip
        sups = Supervision.objects.unscoped(reason="generator").bulk_create([
            Supervision(organization_id=fronts[w], year=year, subject_organization_id=rng.choice(cells[w]),
                        topic="Giám sát thực hiện cam kết", opened_on=dt.date(year, 2, 1))
            for w in (rng.choice(wards)[0] for _ in range(SUPERVISIONS)) if w in fronts
        ], batch_size=BATCH)  # fmt: skip
        for n in range(FRONT_ITEMS):
            s = sups[n % len(sups)]
            items.append(_item(rng, year, organization_id=s.organization_id, owner_organization_id=s.subject_organization_id,
                               source="front", severity="shortcoming", source_ref=f"oversight.supervision:{s.pk}",
                               description="Kiến nghị của Mặt trận"))  # fmt: skip
        RemediationItem.objects.unscoped(reason="generator").bulk_create(items, batch_size=BATCH)
    return {"cases": len(cases), "findings": len(findings), "remediation_items": len(items),
            "front_recommendations": FRONT_ITEMS}  # fmt: skip
