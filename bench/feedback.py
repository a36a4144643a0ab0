"""Citizens' reports at city scale: a year of ~1,000,000 reports over the 126 wards of the scale tree
(`generate_scale --feedback`). Ours is the page as served (Django's test client, DEBUG off): the case list of
a ward's report handler (`/feedback/?mine=1` and `/feedback/`, the first page of 25 with the count and the
handler's counters) and the city's public transparency board (`/reports/board/?year=…`, per ward and
category). The raw figure is the same figures by hand, index-friendly: the list's count and counters in one
aggregate, the 25 rows with their names, the escalated count; the board as one grouped aggregate by ward and
category ids, joined to the names afterwards. The bench first checks that both give the same figures.

SQLite by default (`BENCH_FEEDBACK_N`, default 1,000,000, lowers the count); `BENCH_DATABASE_URL=postgres://…`
for PostgreSQL. On a database that already holds the scale reports (`generate_scale --people 0 --feedback`),
the data is reused: only the handler's account is added."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import median_ms, report, setup_django

TMP = Path(tempfile.mkdtemp(prefix="lamtheo-bench-feedback-"))
DB = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{TMP}/feedback.sqlite3")
setup_django(DB)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

REPS = int(os.environ.get("BENCH_REPS", "15"))
COUNT = int(os.environ.get("BENCH_FEEDBACK_N", "1000000"))
YEAR = 2026
PER_PAGE = 25  # core.paging.PER_PAGE
WARD = "S001"
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

OPEN = ("received", "transferred", "reopened", "accepted", "in_progress")
WAITING = ("received", "transferred", "reopened")
HANDLING = ("accepted", "in_progress")
_in = lambda values: "(" + ", ".join(f"'{v}'" for v in values) + ")"  # noqa: E731

# The units the handler handles for: the subtree of their grant (one indexed range on the path).
SUBTREE = "SELECT id FROM organizations_organization WHERE path LIKE %s"
# The list's count (the paginator's) and the handler's counters, in one pass over the unit's reports.
LIST_COUNTS_SQL = (
    "SELECT COUNT(*), "
    f"SUM(CASE WHEN status IN {_in(WAITING)} THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN status IN {_in(HANDLING)} THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN (status IN {_in(WAITING)} AND accept_due < %s) OR (status IN {_in(OPEN)} AND resolve_due < %s) "
    "THEN 1 ELSE 0 END) "
    "FROM feedback_report WHERE organization_id IN ({ids})"
)
# The first page: the 25 newest reports with what the table shows.
LIST_PAGE_SQL = (
    "SELECT r.id, r.code, c.name, r.description, a.name, o.name, r.status, r.severity, r.accept_due, r.resolve_due, "
    "r.committed_on FROM feedback_report r JOIN feedback_category c ON c.id = r.category_id "
    "JOIN feedback_area a ON a.id = r.area_id JOIN organizations_organization o ON o.id = r.organization_id "
    "WHERE r.organization_id IN ({ids}) ORDER BY r.received_at DESC, r.id DESC LIMIT 25"
)
ESCALATED_SQL = (
    f"SELECT COUNT(*) FROM feedback_report WHERE escalated_to_id IN ({{ids}}) AND status IN {_in(OPEN)}"
)
# The board: one grouped aggregate by ward and category ids (the names joined to its ~1,100 rows only).
BOARD_SQL = (
    "SELECT a.name, c.name, g.received, g.resolved, g.on_time, g.overdue, g.rated, g.avg_rating, g.reopened FROM ("
    "SELECT area_id, category_id, COUNT(*) AS received, "
    "SUM(CASE WHEN status IN ('resolved', 'closed') THEN 1 ELSE 0 END) AS resolved, "
    "SUM(CASE WHEN status IN ('resolved', 'closed') AND on_time THEN 1 ELSE 0 END) AS on_time, "
    f"SUM(CASE WHEN status IN {_in(OPEN)} AND resolve_due < %s THEN 1 ELSE 0 END) AS overdue, "
    "COUNT(rating) AS rated, AVG(rating) AS avg_rating, "
    "SUM(CASE WHEN status IN ('resolved', 'closed') AND was_reopened THEN 1 ELSE 0 END) AS reopened "
    "FROM feedback_report WHERE received_at >= %s AND received_at < %s GROUP BY area_id, category_id) g "
    "JOIN feedback_area a ON a.id = g.area_id JOIN feedback_category c ON c.id = g.category_id "
    "ORDER BY a.name, c.name"
)


def _db(moment: dt.datetime):  # type: ignore[no-untyped-def]
    """A datetime as the database stores it (UTC text on SQLite), as the ORM would pass it."""
    return connection.ops.adapt_datetimefield_value(moment)


def raw_list(unit_path: str, unit_ids: list[int], now: dt.datetime) -> dict:  # type: ignore[type-arg]
    """The handler's list by hand: counts and counters, the first page, the escalated count."""
    with connection.cursor() as cur:
        cur.execute(SUBTREE, [unit_path + "%"])
        ids = ", ".join(str(i) for (i,) in cur.fetchall())
        cur.execute(LIST_COUNTS_SQL.format(ids=ids), [_db(now), _db(now)])
        total, waiting, handling, overdue = cur.fetchone()
        cur.execute(LIST_PAGE_SQL.format(ids=ids))
        rows = cur.fetchall()
        cur.execute(ESCALATED_SQL.format(ids=", ".join(str(i) for i in unit_ids)))
        (escalated,) = cur.fetchone()
    return {"count": total, "waiting": waiting or 0, "handling": handling or 0, "overdue": overdue or 0,
            "escalated": escalated, "rows": rows}  # fmt: skip


def raw_board(since: dt.datetime, until: dt.datetime, now: dt.datetime) -> list[tuple]:  # type: ignore[type-arg]
    with connection.cursor() as cur:
        cur.execute(BOARD_SQL, [_db(now), _db(since), _db(until)])
        return cur.fetchall()


def _check(actor, unit, since, until) -> None:  # type: ignore[no-untyped-def]
    """The pages' selectors and the hand-written SQL give the same figures (the bench compares equal work)."""
    from lamtheo.feedback import selectors

    now = timezone.now()
    raw = raw_list(unit.path, [unit.pk], now)
    for mine in (True, False):
        qs = selectors.report_list(actor=actor, mine=mine)
        assert qs.count() == raw["count"], ("list count", qs.count(), raw["count"])
        assert [r.code for r in qs[:PER_PAGE]] == [r[1] for r in raw["rows"]], "the first page differs"
    counts = selectors.report_counts(actor=actor, now=now)
    assert counts == {k: raw[k] for k in ("waiting", "handling", "overdue", "escalated")}, (counts, raw)
    from lamtheo.feedback import services

    services.board_refresh(year=YEAR, now=now)  # what the hourly sweep stores and the public page reads
    ours, as_of = selectors.board(year=YEAR)
    assert as_of == now, "the board should read the stored figures"
    theirs = raw_board(since, until, now)
    assert len(ours) == len(theirs), (len(ours), len(theirs))
    by_key = {(b[0], b[1]): b for b in theirs}
    for a in ours:
        b = by_key[(a.area, a.category)]
        assert (a.area, a.category, a.received, a.resolved, a.closed_on_time, a.open_overdue, a.rated, a.reopened) == (
            b[0], b[1], b[2], b[3] or 0, b[4] or 0, b[5] or 0, b[6], b[8] or 0), (a, b)  # fmt: skip
        assert (a.average_rating is None) == (b[7] is None)
        assert a.average_rating is None or abs(a.average_rating - float(b[7])) < 1e-9
    print(f"checked: the handler's list ({raw['count']:,} reports, {counts}) and the board ({len(ours):,} rows) "
          "agree with the hand-written SQL", flush=True)  # fmt: skip


def explain(sql: str, params: list) -> None:  # type: ignore[type-arg]
    """The plan of `sql` (EXPLAIN ANALYZE on PostgreSQL), printed when BENCH_EXPLAIN=1."""
    if os.environ.get("BENCH_EXPLAIN") != "1":
        return
    with connection.cursor() as cur:
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        cur.execute(prefix + sql, params)
        print("\n".join(" ".join(str(c) for c in row) for row in cur.fetchall()), flush=True)


def slowest(url: str, client: Client, top: int = 3) -> None:
    """The queries of one page with their times; the plans of the slowest `top`."""
    timed: list[tuple[float, str, list]] = []  # type: ignore[type-arg]

    def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - start) * 1000, sql, list(params or ())))

    client.get(url)
    with connection.execute_wrapper(wrapper):
        client.get(url)
    print(f"-- {url}: {len(timed)} queries, {sum(t for t, *_r in timed):.1f} ms in the database", flush=True)
    for ms, sql, params in sorted(timed, key=lambda t: t[0], reverse=True)[:top]:
        print(f"{ms:8.1f} ms  {sql[:400]}", flush=True)
        if sql.lstrip().upper().startswith("SELECT"):
            explain(sql, params)


def main() -> None:
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {connection.vendor}", flush=True
    )
    call_command("migrate", "-v0")
    from lamtheo.core.actor import Actor
    from lamtheo.core.scoping import activate
    from lamtheo.devtools.scale import build_scale
    from lamtheo.devtools.scale_feedback import build_feedback
    from lamtheo.feedback.models import Area, Report
    from lamtheo.organizations.models import Organization, Role, RoleGrant, User
    from lamtheo.organizations.selectors import actor_for_user

    if not Area.objects.filter(code="sc-s001").exists():
        build_scale(scale="city", people=0)
        start = time.perf_counter()
        counts = build_feedback(count=COUNT, year=YEAR)
        print(f"data: {counts['reports']:,} reports over {counts['areas']} wards, {counts['holdings']:,} holdings, "
              f"{counts['events']:,} timeline events, generated in {time.perf_counter() - start:.1f} s", flush=True)  # fmt: skip
        if connection.vendor == "postgresql":
            # Autovacuum would vacuum and analyze the tables soon after such a load: measure that steady state.
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE")
    total = Report.objects.unscoped(reason="benchmark").count()
    print(f"data: {total:,} reports in the database", flush=True)
    orgs = Organization.objects.unscoped(reason="benchmark")
    unit = orgs.get(code=f"{WARD}-UB")  # the ward's People's Committee: where its reports are routed
    with activate(Actor.system(reason="benchmark").scope):
        user, _created = User.objects.get_or_create(username="bench-feedback-handler")
        user.set_password("bench-only-0")
        user.save()
        RoleGrant.objects.get_or_create(
            user=user, role=Role.objects.get(code="feedback_handler"), organization=unit
        )
    actor = actor_for_user(user)
    tz = timezone.get_current_timezone()
    since, until = dt.datetime(YEAR, 1, 1, tzinfo=tz), dt.datetime(YEAR + 1, 1, 1, tzinfo=tz)
    _check(actor, unit, since, until)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    anonymous = Client(SERVER_NAME="localhost")
    if os.environ.get("BENCH_EXPLAIN") == "1":
        for url, c in (
            ("/feedback/?mine=1", client),
            ("/feedback/", client),
            (f"/reports/board/?year={YEAR}", anonymous),
        ):
            slowest(url, c)
        with connection.cursor() as cur:
            cur.execute(SUBTREE, [unit.path + "%"])
            ids = ", ".join(str(i) for (i,) in cur.fetchall())
        print("-- raw: the list's count and counters", flush=True)
        explain(LIST_COUNTS_SQL.format(ids=ids), [_db(timezone.now())] * 2)
        print("-- raw: the board", flush=True)
        explain(BOARD_SQL, [_db(timezone.now()), _db(since), _db(until)])

    def page(url: str, c: Client = client):  # type: ignore[no-untyped-def]
        def run() -> None:
            assert c.get(url).status_code == 200, url

        return run

    now = timezone.now
    report(f"handler's list, held by my unit (/feedback/?mine=1, {WARD})", median_ms(page("/feedback/?mine=1"), REPS),
           median_ms(lambda: raw_list(unit.path, [unit.pk], now()), REPS))  # fmt: skip
    report(f"handler's list, all I may read (/feedback/, {WARD})", median_ms(page("/feedback/"), REPS),
           median_ms(lambda: raw_list(unit.path, [unit.pk], now()), REPS))  # fmt: skip
    report(f"transparency board of the city (/reports/board/?year={YEAR}, the stored figures)",
           median_ms(page(f"/reports/board/?year={YEAR}", anonymous), REPS),
           median_ms(lambda: raw_board(since, until, now()), REPS))  # fmt: skip
    from lamtheo.feedback import services

    report("counting the board again (the hourly sweep's board_refresh: one grouped query, stored)",
           median_ms(lambda: services.board_refresh(year=YEAR), max(3, REPS // 3)),
           median_ms(lambda: raw_board(since, until, now()), max(3, REPS // 3)))  # fmt: skip


if __name__ == "__main__":
    main()
