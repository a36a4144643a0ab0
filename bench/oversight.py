"""The follow-up dashboard at city scale: a city's year of ~2,000 inspection cases, ~10,000 findings,
~20,000 shortcomings to remedy and ~5,000 recommendations of the Fronts, over the 6,301 organizations of
the scale tree. Our figure is the dashboard page (the city, then one ward) as the city administrator opens
it; the raw figure is the same figures by hand: one grouped SQL aggregate of the shortcomings by unit and
severity folded into the units below the root, the Fronts' reply rate and the repeated findings."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import median_ms, report, setup_django

TMP = Path(tempfile.mkdtemp(prefix="lamtheo-bench-oversight-"))
DB = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{TMP}/oversight.sqlite3")
setup_django(DB)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

REPS = int(os.environ.get("BENCH_REPS", "20"))
TODAY = dt.date(2026, 11, 30)
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The shortcomings under a root by the unit that remedies them (or tracks them), with per severity the
# open, overdue (against the due date in force), verified and total counts as columns.
_SEVERITY_COLUMNS = ", ".join(
    f"SUM(CASE WHEN i.severity = '{s}' AND i.status IN ('open', 'extended', 'reported') THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN i.severity = '{s}' AND i.status IN ('open', 'extended') "
    f"AND COALESCE(i.extended_until, i.due_date) < %s THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN i.severity = '{s}' AND i.status = 'verified' THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN i.severity = '{s}' THEN 1 ELSE 0 END)"
    for s in ("violation", "shortcoming", "")
)
ITEMS_SQL = (
    f"SELECT COALESCE(i.owner_organization_id, i.organization_id), {_SEVERITY_COLUMNS} "
    "FROM remediation_remediationitem i JOIN organizations_organization t ON t.id = i.organization_id "
    "LEFT JOIN organizations_organization o ON o.id = i.owner_organization_id "
    "WHERE o.path LIKE %s OR (i.owner_organization_id IS NULL AND t.path LIKE %s) GROUP BY 1"
)
UNITS_SQL = "SELECT id, path FROM organizations_organization WHERE path LIKE %s"
CHILDREN_SQL = "SELECT id, name, path FROM organizations_organization WHERE parent_id = %s AND valid_to IS NULL ORDER BY path"
FRONT_SQL = (
    "SELECT SUM(CASE WHEN i.reported_at IS NOT NULL OR COALESCE(i.extended_until, i.due_date) < %s THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN i.reported_at IS NOT NULL AND {day} <= COALESCE(i.extended_until, i.due_date) THEN 1 ELSE 0 END) "
    "FROM remediation_remediationitem i JOIN organizations_organization t ON t.id = i.organization_id "
    "LEFT JOIN organizations_organization o ON o.id = i.owner_organization_id "
    "WHERE i.source = 'front' AND (o.path LIKE %s OR (i.owner_organization_id IS NULL AND t.path LIKE %s))"
)
REPEATS_SQL = (
    "SELECT COALESCE(f.owner_organization_id, c.subject_organization_id), f.criterion_id, COUNT(DISTINCT f.case_id) "
    "FROM oversight_finding f JOIN oversight_case c ON c.id = f.case_id "
    "JOIN organizations_organization o ON o.id = c.organization_id "
    "WHERE f.criterion_id IS NOT NULL AND f.severity <> 'strength' AND o.path LIKE %s "
    "GROUP BY 1, 2 HAVING COUNT(DISTINCT f.case_id) > 1 ORDER BY 3 DESC, 1, 2 LIMIT 20"
)


def raw_dashboard(root_id: int, root_path: str) -> dict:  # type: ignore[type-arg]
    """The dashboard's figures by hand: the same rows, folded the same way."""
    like = root_path + "%"
    day = "date(i.reported_at)" if connection.vendor == "sqlite" else "CAST(i.reported_at AS DATE)"
    with connection.cursor() as cur:
        cur.execute(UNITS_SQL, [like])
        units = dict(cur.fetchall())
        cur.execute(CHILDREN_SQL, [root_id])
        children = {path: [name, {}] for _id, name, path in cur.fetchall()}
        cur.execute(ITEMS_SQL, [TODAY, TODAY, TODAY, like, like])
        grouped = cur.fetchall()
        cur.execute(FRONT_SQL.format(day=day), [TODAY, like, like])
        front = cur.fetchone()
        cur.execute(REPEATS_SQL, [like])
        repeats = cur.fetchall()
    depth = root_path.count("/")  # "/1/5/" splits into 4 parts: a child's path has one more
    own: dict = {}  # type: ignore[type-arg]
    row_of = {}
    for unit, path in units.items():
        parts = path.split("/")
        prefix = "/".join(parts[: depth + 1]) + "/" if len(parts) > depth + 1 else path
        row_of[unit] = own if path == root_path else children.get(prefix, [None, own])[1]
    for unit, *figures in grouped:
        target = row_of.get(unit)
        if target is None:
            continue
        for n, severity in enumerate(("violation", "shortcoming", "")):
            values = figures[n * 4 : n * 4 + 4]
            if values[3]:
                bucket = target.setdefault(severity, [0, 0, 0, 0])
                for k, v in enumerate(values):
                    bucket[k] += v
    return {"children": children, "own": own, "front": front, "repeats": repeats}


def _check(root, admin) -> None:  # type: ignore[no-untyped-def]
    """The page's selector and the hand-written figures agree (the benchmark compares equal work)."""
    from lamtheo.organizations.selectors import actor_for_user
    from lamtheo.oversight.selectors import repeat_findings
    from lamtheo.remediation.selectors import remediation_dashboard

    actor = actor_for_user(admin)
    ours = remediation_dashboard(actor=actor, root=root, today=TODAY)
    raw = raw_dashboard(root.pk, root.path)
    mine = {r.name: {s: [c["open"], c["overdue"], c["verified"], c["total"]] for s, c in r.counts.items()}
            for r in ours["rows"] if not r.is_self}  # fmt: skip
    theirs = {name: counts for name, counts in raw["children"].values() if counts}
    assert {k: v for k, v in mine.items() if v} == theirs, "the dashboard and the hand-written SQL disagree"
    assert (ours["front"]["due"], ours["front"]["on_time"]) == tuple(v or 0 for v in raw["front"])
    assert [r["cases"] for r in repeat_findings(actor=actor, root=root)] == [r[2] for r in raw["repeats"]]


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {connection.vendor}", flush=True)
    call_command("migrate", "-v0")
    from lamtheo.core.actor import Actor
    from lamtheo.core.scoping import activate
    from lamtheo.devtools.scale import build_scale
    from lamtheo.devtools.scale_oversight import build_oversight
    from lamtheo.organizations.models import Organization, User
    from lamtheo.rulebook.services import rulebook_load

    build_scale(scale="city", people=0)
    with activate(Actor.system(reason="benchmark").scope):
        rulebook_load(actor=Actor.system(reason="benchmark"))  # the criteria findings are judged against
    start = time.perf_counter()
    counts = build_oversight()
    print(f"data: {counts['cases']:,} cases, {counts['findings']:,} findings, {counts['remediation_items']:,} "
          f"shortcomings to remedy (of which {counts['front_recommendations']:,} Front recommendations), "
          f"generated in {time.perf_counter() - start:.1f} s", flush=True)  # fmt: skip
    if connection.vendor == "postgresql":  # fresh tables have no statistics yet; autovacuum would add them
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    admin = User.objects.create_superuser("bench-inspector", password="bench-only-0")
    orgs = Organization.objects.unscoped(reason="bench")
    root = orgs.get(code="SCALE-HN")
    ward = orgs.filter(path__startswith=root.path, is_grassroots=True).order_by("path").first()
    client = Client(SERVER_NAME="localhost")
    client.force_login(admin)
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        for label, org in (("the city (126 wards)", root), ("one ward (7 units)", ward)):
            _check(org, admin)

            def ours(org=org) -> None:  # type: ignore[no-untyped-def]
                assert client.get(f"/oversight/dashboard/?org={org.pk}").status_code == 200

            def raw(org=org) -> None:  # type: ignore[no-untyped-def]
                raw_dashboard(org.pk, org.path)

            report(f"follow-up dashboard of {label} (page)", median_ms(ours, REPS), median_ms(raw, REPS))


if __name__ == "__main__":
    main()
