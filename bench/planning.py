"""The subtree roll-up of plans at city scale: one plan per organization (6,301), 20 tasks each, 4
reports per task. Our figure is the plan tree page (top level and the next one opened) as the city
administrator sees it; the raw figure is the hand-written SQL that reads the same rows and numbers. Then a
report on a task at the bottom of a real chain of six levels, rolled up through every level above it,
against the same writes by hand."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from bench.common import median_ms, report, setup_django

TMP = Path(tempfile.mkdtemp(prefix="lamtheo-bench-planning-"))
DB = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{TMP}/plans.sqlite3")
setup_django(DB)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

REPS = int(os.environ.get("BENCH_REPS", "20"))
YEAR = 2026
# Pages are rendered without collectstatic: plain static names (the manifest needs collectstatic).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# What one level of the plan tree shows, by hand (selectors.plan_tree): each open unit of the level in path
# order, whether it has open units below (the "+" button), and its plan of the year (the first by start):
# title, status, stored progress. Every lookup is an indexed key (parent, organization of a plan).
TREE_SQL = (
    "SELECT o.id, o.name, EXISTS (SELECT 1 FROM organizations_organization c "
    "WHERE c.parent_id = o.id AND c.valid_to IS NULL), pl.id, pl.title, pl.status, pl.progress "
    "FROM organizations_organization o LEFT JOIN planning_plan pl ON pl.id = ("
    "SELECT p.id FROM planning_plan p WHERE p.organization_id = o.id AND p.period_start <= %s "
    "AND p.period_end >= %s "
    "ORDER BY p.period_start, p.id LIMIT 1) "
    "WHERE o.valid_to IS NULL AND {level} ORDER BY o.path"
)
# ... and under each unit the plans of the year that the closed units merged into it keep (at any depth).
MERGED_SQL = (
    "WITH RECURSIVE merged(successor_id, predecessor_id) AS ("
    "SELECT s.successor_id, s.predecessor_id FROM organizations_succession s "
    "JOIN organizations_organization o ON o.id = s.successor_id WHERE s.date >= %s AND o.valid_to IS NULL "
    "AND {level} UNION SELECT m.successor_id, s.predecessor_id FROM merged m "
    "JOIN organizations_succession s ON s.successor_id = m.predecessor_id "
    "WHERE s.date >= %s AND s.predecessor_id <> m.successor_id) "
    "SELECT m.successor_id, o.name, pl.id, pl.title, pl.status, pl.progress FROM merged m "
    "JOIN organizations_organization o ON o.id = m.predecessor_id "
    "AND o.valid_from <= %s AND o.valid_to >= %s "
    "JOIN planning_plan pl ON pl.organization_id = o.id AND pl.period_start <= %s AND pl.period_end >= %s "
    "ORDER BY m.successor_id, o.path, pl.period_start, pl.id"
)

# A report and its roll-up by hand (cross_scope.rollup_from): the report row and its history row, then from
# the reported task up to the city, each task's progress (the bottom one: its latest report; the others:
# the weighted mean of their sub-tasks, a missing weight counting 1) and each plan's (the weighted mean of
# its tasks; 1.0 * keeps SQLite from dividing integers). The tasks here count percent done: no number reached.
INSERT_REPORT = (
    "INSERT INTO planning_progressreport (task_id, period, reported_on, achieved_value, percent_done, "
    "narrative, evidence, created_by_id, created_at) "
    "VALUES (%s, 'ad_hoc', %s, %s, %s, '', '', %s, %s) RETURNING id"
)
INSERT_HISTORY = (
    "INSERT INTO planning_historicalprogressreport (id, task_id, period, reported_on, achieved_value, "
    "percent_done, narrative, evidence, created_by_id, created_at, history_date, history_change_reason, "
    "history_type, history_user_id, actor_role, actor_org, actor_label) "
    "VALUES (%s, %s, 'ad_hoc', %s, %s, %s, '', '', %s, %s, %s, 'report', '+', %s, 'secretary', %s, %s)"
)
LAST_REPORTED = "(SELECT MAX(r.reported_on) FROM planning_progressreport r WHERE r.task_id = t.id)"
UPDATE_REPORTED_TASK = (
    "UPDATE planning_task AS t SET progress = COALESCE((SELECT r.percent_done FROM planning_progressreport r "
    "WHERE r.task_id = t.id ORDER BY r.reported_on DESC, r.id DESC LIMIT 1), 0), reached_value = NULL, "
    f"last_reported_on = {LAST_REPORTED} WHERE t.id = %s"
)
UPDATE_TASK_ABOVE = (
    "UPDATE planning_task AS t SET progress = (SELECT ROUND(1.0 * SUM(c.progress * COALESCE(c.weight, 1)) "
    "/ SUM(COALESCE(c.weight, 1)), 2) FROM planning_task c WHERE c.parent_id = t.id), reached_value = NULL, "
    f"last_reported_on = {LAST_REPORTED} WHERE t.id = %s"
)
UPDATE_PLAN = (
    "UPDATE planning_plan SET progress = (SELECT ROUND(1.0 * SUM(t.progress * COALESCE(t.weight, 1)) "
    "/ SUM(COALESCE(t.weight, 1)), 2) FROM planning_task t WHERE t.plan_id = planning_plan.id) WHERE id = %s"
)


def main() -> None:
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {connection.vendor}", flush=True
    )
    call_command("migrate", "-v0")
    from lamtheo.devtools.scale import build_scale
    from lamtheo.devtools.scale_planning import build_plans
    from lamtheo.organizations.models import Organization, User

    build_scale(scale="city", people=0)
    admin = User.objects.create_superuser("bench-planner", password="bench-only-0")
    start = time.perf_counter()
    counts = build_plans(year=YEAR)
    print(f"data: {counts['plans']:,} plans, {counts['tasks']:,} tasks, {counts['reports']:,} reports "
          f"(generated in {time.perf_counter() - start:.1f} s)", flush=True)  # fmt: skip
    root = Organization.objects.unscoped(reason="bench").get(code="SCALE-HN")
    client = Client(SERVER_NAME="localhost")  # an allowed host of the settings
    client.force_login(admin)

    def ours() -> None:
        assert client.get(f"/plans/?year={YEAR}").status_code == 200
        assert client.get(f"/plans/tree/{root.pk}/?year={YEAR}").status_code == 200

    first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    # The page's two loads: the top level (for a whole-tree administrator, the roots), then the city's wards.
    levels = (("o.parent_id IS NULL", []), ("o.parent_id = %s", [root.pk]))

    def raw() -> list[list[tuple]]:  # type: ignore[type-arg]
        shown = []
        with connection.cursor() as cur:
            for level, params in levels:
                cur.execute(TREE_SQL.format(level=level), [last, first, *params])
                shown.append(cur.fetchall())
                cur.execute(MERGED_SQL.format(level=level), [first, *params, first, last, first, last, first])
                shown.append(cur.fetchall())
        return shown

    _check_tree(raw(), admin, root)
    report("plan tree of the city: top level + 126 wards (page)", median_ms(ours, REPS), median_ms(raw, REPS))

    # What the stored roll-up costs on the write side: a report at the bottom of a chain of tasks, each made
    # concrete one level further down, updates every task and plan above it up to the city.
    from lamtheo.core.actor import Actor
    from lamtheo.core.scoping import activate
    from lamtheo.organizations.models import Role, RoleGrant
    from lamtheo.organizations.selectors import actor_for_user
    from lamtheo.planning.models import Plan, Task
    from lamtheo.planning.services import report_create

    chain = _task_chain(root)
    deep = chain[-1]
    with activate(Actor.system(reason="benchmark").scope):
        RoleGrant.objects.create(
            user=admin, role=Role.objects.get(code="secretary"), organization=deep.responsible
        )
    secretary = actor_for_user(admin)  # reports come from the responsible unit's secretary
    day, value = dt.date(YEAR, 6, 1), Decimal(50)

    def write() -> None:
        report_create(actor=secretary, task=deep, reported_on=day, achieved_value=value)

    grant_org = deep.responsible.name
    label = secretary.display_name

    def raw_write() -> None:
        now = dt.datetime.now(dt.UTC)
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(INSERT_REPORT, [deep.pk, day, value, value, admin.pk, now])
            (report_id,) = cur.fetchone()
            cur.execute(INSERT_HISTORY, [report_id, deep.pk, day, value, value, admin.pk, now, now, admin.pk,
                                         grant_org, label])  # fmt: skip
            cur.execute(UPDATE_REPORTED_TASK, [deep.pk])
            cur.execute(UPDATE_PLAN, [deep.plan_id])
            for task in reversed(chain[:-1]):
                cur.execute(UPDATE_TASK_ABOVE, [task.pk])
                cur.execute(UPDATE_PLAN, [task.plan_id])

    with activate(secretary.scope):
        ours_ms = median_ms(write, REPS)
    # The hand-written writes store what the service stored: reset the chain, write once, compare.
    unscoped = {"reason": "benchmark check"}
    stored = _rolled_up(chain)
    Task.objects.unscoped(**unscoped).filter(pk__in=[t.pk for t in chain]).update(
        progress=0, last_reported_on=None
    )
    Plan.objects.unscoped(**unscoped).filter(pk__in=[t.plan_id for t in chain]).update(progress=0)
    raw_write()
    again = _rolled_up(chain)
    # (SQL rounds a binary mean, the service a decimal one: a half cent may round the other way.)
    close = all(abs(a - b) <= Decimal("0.01") for a, b in zip(stored[0], again[0], strict=True))
    assert close and stored[1] == again[1], (stored, again)
    report(
        f"report on a depth-{deep.plan.organization.depth} task, rolled up {len(chain) - 1} levels",
        ours_ms,
        median_ms(raw_write, REPS),
    )


def _check_tree(shown: list[list[tuple]], admin, root) -> None:  # type: ignore[no-untyped-def,type-arg]
    """The hand-written SQL reads what the page shows: the same units, buttons, plans and figures."""
    from lamtheo.core.scoping import activate
    from lamtheo.organizations.selectors import actor_for_user
    from lamtheo.planning import selectors

    actor = actor_for_user(admin)
    with activate(actor.scope):
        rows = [*selectors.plan_tree(actor=actor, parent=None, year=YEAR),
                *selectors.plan_tree(actor=actor, parent=root, year=YEAR)]  # fmt: skip
    page = [
        (r.organization.pk, r.organization.name, r.has_children)
        + ((r.plan.pk, r.plan.title, r.plan.status, r.plan.progress) if r.plan else (None,) * 4)
        for r in rows
    ]
    by_hand = [
        (oid, name, bool(more), pid, title, status, None if progress is None else Decimal(str(progress)))
        for oid, name, more, pid, title, status, progress in shown[0] + shown[2]
    ]
    assert page == by_hand and len(page) == 127, (len(page), len(by_hand))
    merged = [(m.plan.pk, m.plan.progress) for r in rows for m in r.merged]
    assert merged == [
        (pid, Decimal(str(p))) for rows_ in (shown[1], shown[3]) for *_r, pid, _t, _s, p in rows_
    ]


def _task_chain(root):  # type: ignore[no-untyped-def]
    """A task of the city's plan given to a ward, made concrete in the ward's plan and given on to the unit
    below, and so on down to a depth-5 unit, whose own task is reported on: [city's task, ..., depth-5 task].
    Added to the plans the generator made (in progress), as the planning services would link them."""
    from lamtheo.core import audit
    from lamtheo.core.actor import Actor
    from lamtheo.core.scoping import activate
    from lamtheo.organizations.models import Organization
    from lamtheo.planning.models import Plan, Task

    system = Actor.system(reason="benchmark")
    with activate(system.scope), audit.acting(system, reason="benchmark chain"):
        bottom = (
            Organization.objects.filter(path__startswith=root.path, depth=5, valid_to__isnull=True)
            .order_by("path")
            .first()
        )
        ids = [int(part) for part in bottom.path.strip("/").split("/")]
        units = Organization.objects.in_bulk(ids)
        line = [units[pk] for pk in ids]  # the city, a ward, ..., the depth-5 unit
        plans = {
            p.organization_id: p for p in Plan.objects.filter(organization__in=line, period_start__year=YEAR)
        }
        chain: list[Task] = []
        for level, unit in enumerate(line):
            below = line[level + 1] if level + 1 < len(line) else unit
            plan = plans[unit.pk]
            chain.append(
                Task.objects.create(
                    plan=plan,
                    parent=chain[-1] if chain else None,
                    title=f"Chuỗi nhiệm vụ, cấp {unit.depth}",
                    responsible=below,
                    start=plan.period_start,
                    due=plan.period_end,
                    order=plan.tasks.count() + 1,
                )
            )
    for above, task in zip(chain, chain[1:], strict=False):
        assert task.parent_id == above.pk and above.responsible_id == task.plan.organization_id
    assert [t.plan.organization.depth for t in chain] == list(range(6)), "a chain city → depth 5"
    return chain


def _rolled_up(chain):  # type: ignore[no-untyped-def]
    """Progress of every task and plan of the chain, and the tasks' last report dates, as stored."""
    from lamtheo.planning.models import Plan, Task

    tasks = Task.objects.unscoped(reason="benchmark check").in_bulk([t.pk for t in chain])
    plans = Plan.objects.unscoped(reason="benchmark check").in_bulk([t.plan_id for t in chain])
    progress = [tasks[t.pk].progress for t in chain] + [plans[t.plan_id].progress for t in chain]
    return progress, [tasks[t.pk].last_reported_on for t in chain]


if __name__ == "__main__":
    main()
