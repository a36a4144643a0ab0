"""The subtree roll-up of plans at city scale: one plan per organization (6,301), 20 tasks each, 4
reports per task. Our figure is the plan tree page (top level and the next one opened) as the city
administrator sees it; the raw figure is one hand-written SQL aggregate over the same reports."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import median_ms, report, setup_django

TMP = Path(tempfile.mkdtemp(prefix="lamtheo-bench-planning-"))
DB = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{TMP}/plans.sqlite3")
setup_django(DB)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

REPS = int(os.environ.get("BENCH_REPS", "20"))
# Pages are rendered without collectstatic: plain static names (the manifest needs collectstatic).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


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
    counts = build_plans()
    print(f"data: {counts['plans']:,} plans, {counts['tasks']:,} tasks, {counts['reports']:,} reports "
          f"(generated in {time.perf_counter() - start:.1f} s)", flush=True)  # fmt: skip
    root = Organization.objects.unscoped(reason="bench").get(code="SCALE-HN")
    client = Client(SERVER_NAME="localhost")  # an allowed host of the settings
    client.force_login(admin)

    def ours() -> None:
        assert client.get("/plans/?year=2026").status_code == 200
        assert client.get(f"/plans/tree/{root.pk}/?year=2026").status_code == 200

    sql = (
        "SELECT AVG(r.percent_done) FROM planning_progressreport r "
        "JOIN (SELECT task_id, MAX(reported_on) AS d FROM planning_progressreport GROUP BY task_id) l "
        "  ON l.task_id = r.task_id AND l.d = r.reported_on "
        "JOIN planning_task t ON t.id = r.task_id JOIN planning_plan p ON p.id = t.plan_id "
        "JOIN organizations_organization o ON o.id = p.organization_id WHERE o.path LIKE %s"
    )

    def raw() -> None:
        with connection.cursor() as cur:
            cur.execute(sql, [root.path + "%"])
            cur.fetchone()

    report("plan tree of the city: top level + 126 wards (page)", median_ms(ours, REPS), median_ms(raw, REPS))

    # What the stored roll-up costs on the write side: a report deep in the tree updates every level above.
    import datetime as dt

    from lamtheo.core.actor import Actor
    from lamtheo.core.scoping import activate
    from lamtheo.organizations.models import Role, RoleGrant
    from lamtheo.organizations.selectors import actor_for_user
    from lamtheo.planning.models import Task
    from lamtheo.planning.services import report_create

    with activate(Actor.system(reason="benchmark").scope):
        deep = (
            Task.objects.filter(parent__isnull=True, plan__organization__depth=5)
            .select_related("plan", "responsible")
            .first()
        )
        chain = Task.objects.filter(children__isnull=False, plan__organization__depth__lt=5).count()
        RoleGrant.objects.create(
            user=admin, role=Role.objects.get(code="secretary"), organization=deep.responsible
        )
    system = actor_for_user(admin)  # reports come from the responsible unit's secretary
    with activate(system.scope):

        def write() -> None:
            report_create(actor=system, task=deep, reported_on=dt.date(2026, 6, 1), achieved_value=50)

        def raw_insert() -> None:
            with connection.cursor() as cur:
                cur.execute(
                    "INSERT INTO planning_progressreport (task_id, period, reported_on, achieved_value, percent_done, "
                    "narrative, evidence, created_by_id, created_at) VALUES (%s, 'ad_hoc', %s, 50, 50, '', '', %s, %s)",
                    [deep.pk, dt.date(2026, 6, 1), admin.pk, dt.datetime(2026, 6, 1, tzinfo=dt.UTC)],
                )

        report(
            f"report on a depth-5 task, rolled up ({chain:,} parent tasks exist)",
            median_ms(write, REPS),
            median_ms(raw_insert, REPS),
        )


if __name__ == "__main__":
    main()
