"""Plans for the scale dataset: one plan per organization for a year, ~20 tasks each (the first ones
given to the units below and made concrete in their plans), 4 progress reports per task; progress rolled
up bottom-up with the same rule as the services. Written with executemany (a generator, not a service)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max

from lamtheo.organizations.models import Organization, User
from lamtheo.planning.models import Plan, Task
from lamtheo.planning.rules import weighted_mean

CROSS_SCOPE = "demo and scale data are generated for the whole tree"

TASKS_PER_PLAN = 20
REPORTS_PER_TASK = 4


def _max_id(model) -> int:  # type: ignore[no-untyped-def]
    return model.objects.unscoped(reason="generator").aggregate(m=Max("id"))["m"] or 0


def build_plans(*, year: int = 2026, seed: int = 2025, root_code: str = "SCALE-HN") -> dict[str, int]:
    """Plans, tasks and reports for every open organization under `root_code`."""
    rng = random.Random(seed)
    root = Organization.objects.unscoped(reason="generator").get(code=root_code)
    orgs = list(
        Organization.objects.unscoped(reason="generator")
        .filter(path__startswith=root.path, valid_to__isnull=True)
        .values_list("id", "parent_id", "depth")
        .order_by("depth", "id")
    )
    children: dict[int, list[int]] = defaultdict(list)
    for oid, parent, _depth in orgs:
        if parent is not None:
            children[parent].append(oid)
    creator = (
        User.objects.filter(is_superuser=True).values_list("id", flat=True).first()
        or User.objects.values_list("id", flat=True).first()
    )
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    with transaction.atomic(), connection.cursor() as cur:
        plan_base = _max_id(Plan)
        cur.executemany(
            "INSERT INTO planning_plan (organization_id, parent_plan_id, title, period_start, period_end, purpose, "
            "content, content_areas, status, review_comment, progress, created_by_id, created_at) "
            "VALUES (%s, NULL, %s, %s, %s, '', '', '[]', 'in_progress', '', 0, %s, %s)",
            [(oid, f"Kế hoạch thực hiện Chỉ thị 05 năm {year} ({oid})", start, end, creator, dt.datetime(year, 1, 5, tzinfo=dt.UTC))
             for oid, _p, _d in orgs],
        )  # fmt: skip
        plan_of = dict(
            Plan.objects.unscoped(reason="generator")
            .filter(id__gt=plan_base)
            .values_list("organization_id", "id")
        )
        cur.executemany(
            "UPDATE planning_plan SET parent_plan_id = %s WHERE id = %s",
            [(plan_of[p], plan_of[o]) for o, p, _d in orgs if p in plan_of],
        )
        task_base = _max_id(Task)
        rows = []
        for oid, _parent, _depth in orgs:
            kids = children.get(oid, [])[: TASKS_PER_PLAN // 2]
            for n in range(TASKS_PER_PLAN):
                responsible = kids[n] if n < len(kids) else oid
                due = start + dt.timedelta(days=rng.randint(60, 360))
                weight = None if rng.random() < 0.5 else rng.choice((1, 2, 3))
                rows.append((plan_of[oid], None, f"Nhiệm vụ {n + 1}", responsible, start, due, weight, n + 1))
        cur.executemany(
            "INSERT INTO planning_task (plan_id, parent_id, title, description, responsible_id, start, due, value_type, "
            "indicator, unit, target_value, weight, \"order\", progress, last_reported_on) "
            "VALUES (%s, %s, %s, '', %s, %s, %s, 'percent_done', '', '', NULL, %s, %s, 0, NULL)",
            rows,
        )  # fmt: skip
        tasks = list(
            Task.objects.unscoped(reason="generator").filter(id__gt=task_base)
            .values_list("id", "plan_id", "responsible_id", "due", "weight")
        )  # fmt: skip
        org_of_plan = {pid: oid for oid, pid in plan_of.items()}
        # A unit's first task makes concrete the task its parent gave it.
        first_task = {}
        for tid, pid, responsible, _due, _w in tasks:
            if org_of_plan[pid] == responsible:
                first_task.setdefault(pid, tid)
        links = []
        for tid, pid, responsible, _due, _w in tasks:
            if org_of_plan[pid] != responsible and plan_of.get(responsible) in first_task:
                links.append((tid, first_task[plan_of[responsible]]))
        cur.executemany("UPDATE planning_task SET parent_id = %s WHERE id = %s", links)
        latest: dict[int, Decimal] = {}
        reports = []
        for tid, _pid, _resp, _due, _w in tasks:
            value = Decimal(0)
            for k in range(REPORTS_PER_TASK):
                value = min(Decimal(100), value + Decimal(rng.randint(5, 35)))
                day = start + dt.timedelta(days=30 * (k + 1))
                reports.append(
                    (tid, "month", day, value, value, creator, dt.datetime(year, 1, 5, tzinfo=dt.UTC))
                )
            latest[tid] = value
        cur.executemany(
            "INSERT INTO planning_progressreport (task_id, period, reported_on, achieved_value, percent_done, "
            "narrative, evidence, created_by_id, created_at) VALUES (%s, %s, %s, %s, %s, '', '', %s, %s)",
            reports,
        )
        # Roll up bottom-up: deepest plans first, so that a parent task sees its children's final progress.
        kids_of: dict[int, list[int]] = defaultdict(list)
        for parent, child in links:  # (the task given to a unit, the unit's task that makes it concrete)
            kids_of[parent].append(child)
        info = {tid: (pid, w) for tid, pid, _r, _d, w in tasks}
        progress: dict[int, Decimal] = {}
        depth_of_plan = {plan_of[oid]: depth for oid, _p, depth in orgs}
        by_plan: dict[int, list[int]] = defaultdict(list)
        for tid, pid, *_rest in tasks:
            by_plan[pid].append(tid)
        plan_progress: dict[int, Decimal] = {}
        for pid in sorted(by_plan, key=lambda p: -depth_of_plan[p]):
            for tid in by_plan[pid]:
                kids = kids_of.get(tid)
                progress[tid] = (
                    weighted_mean((progress[k], info[k][1]) for k in kids) if kids else latest[tid]
                )
            plan_progress[pid] = weighted_mean((progress[t], info[t][1]) for t in by_plan[pid])
        cur.executemany("UPDATE planning_task SET progress = %s, last_reported_on = %s WHERE id = %s",
                        [(progress[t], start + dt.timedelta(days=120), t) for t in progress])  # fmt: skip
        cur.executemany(
            "UPDATE planning_plan SET progress = %s WHERE id = %s", [(v, p) for p, v in plan_progress.items()]
        )
    return {"plans": len(plan_of), "tasks": len(tasks), "reports": len(reports), "links": len(links)}
