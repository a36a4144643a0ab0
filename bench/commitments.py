"""Personal cultivation plans at city scale: ~500,000 plans of the year with ~8 items each, evaluations and
residence comments (`generate_scale --commitments`). Our figures are the secretary's cockpit page (as the
committee's secretary sees it) and the city's registration and grade statistics; the raw figures are
hand-written SQL over the same rows."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import median_ms, report, setup_django

TMP = Path(tempfile.mkdtemp(prefix="lamtheo-bench-commitments-"))
DB = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{TMP}/commitments.sqlite3")
setup_django(DB)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

REPS = int(os.environ.get("BENCH_REPS", "20"))
PER_PAGE = 100  # members a cockpit page lists
YEAR = 2026
# The grassroots committee: the biggest one with at most this many party members.
MAX_MEMBERS = 2_000
# Pages are rendered without collectstatic: plain static names (the manifest needs collectstatic).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The raw path does what the page shows, by hand: one page of 100 members with plan, residence comment and
# grade; the member count (once); the plans by state and the grade distribution, counted as the page counts
# them (the year's plans of the members whose cell is in the subtree, wherever the plan was written).
# The subtree is the organization ids under a path, read from the path index: on SQLite a range of paths
# (it compares text byte by byte, and its LIKE, case-insensitive, never uses the index); on PostgreSQL a
# prefix LIKE, which the `varchar_pattern_ops` index Django adds to an indexed CharField serves (a range is no
# prefix test under a linguistic collation).
if connection.vendor == "sqlite":
    SUBTREE = "(SELECT id FROM organizations_organization WHERE path >= %s AND path < %s)"
else:
    SUBTREE = "(SELECT id FROM organizations_organization WHERE path LIKE %s)"


def under(path: str) -> list[str]:
    """The parameters of one SUBTREE: the organizations at or below `path`."""
    if connection.vendor == "sqlite":
        return [path, path[:-1] + chr(ord(path[-1]) + 1)]  # "/1/7/" to "/1/70": every path starting "/1/7/"
    return [path + "%"]


# The page first (the members in order, 100 of them), then their plans, residence comments and grades.
COCKPIT_SQL = (
    "SELECT m.id, m.full_name, m.name, pl.id, pl.status, pl.yearend_at, rc.status, rc.due_date, e.grade "
    "FROM (SELECT p.id, p.full_name, c.name, c.path FROM organizations_person p "
    "JOIN organizations_organization c ON c.id = p.party_cell_id WHERE p.is_party_member "
    f"AND p.party_cell_id IN {SUBTREE} ORDER BY c.path, p.full_name, p.id LIMIT 100) m "
    "LEFT JOIN commitments_commitmentplan pl ON pl.person_id = m.id AND pl.year = %s "
    "LEFT JOIN commitments_residencecomment rc ON rc.plan_id = pl.id "
    "LEFT JOIN commitments_evaluation e ON e.plan_id = pl.id ORDER BY m.path, m.full_name, m.id"
)
# Members first (their cells' index), then each one's plan by the (person, year) key: CROSS JOIN keeps that
# order on SQLite, whose planner (no statistics) would otherwise start from the 500,000 plans of the year.
STATES_SQL = (
    "SELECT pl.status, pl.yearend_at IS NULL, COUNT(*) FROM organizations_person p "
    "CROSS JOIN commitments_commitmentplan pl "
    f"WHERE p.party_cell_id IN {SUBTREE} AND pl.person_id = p.id AND pl.year = %s GROUP BY 1, 2"
)
GRADES_SQL = (
    "SELECT e.grade, COUNT(*) FROM organizations_person p CROSS JOIN commitments_commitmentplan pl "
    f"CROSS JOIN commitments_evaluation e WHERE p.party_cell_id IN {SUBTREE} AND pl.person_id = p.id "
    "AND pl.year = %s AND e.plan_id = pl.id AND e.grade <> '' GROUP BY e.grade"
)
MEMBERS_SQL = (
    f"SELECT COUNT(*) FROM organizations_person p WHERE p.is_party_member AND p.party_cell_id IN {SUBTREE}"
)
# Who stops a year lock: members of the subtree (or with a plan there) neither rated nor excused.
UNRATED_SQL = (
    "SELECT p.full_name FROM organizations_person p WHERE ((p.is_party_member "
    f"AND p.party_cell_id IN {SUBTREE} AND (p.admission_date IS NULL OR p.admission_date <= %s)) "
    f"OR p.id IN (SELECT person_id FROM commitments_commitmentplan WHERE year = %s AND cell_id IN {SUBTREE})) "
    "AND p.id NOT IN (SELECT pl.person_id FROM commitments_evaluation e JOIN commitments_commitmentplan pl "
    "ON pl.id = e.plan_id WHERE e.year = %s AND e.decided_grade <> '') "
    "AND p.id NOT IN (SELECT person_id FROM commitments_gradingexemption WHERE year = %s) "
    "ORDER BY p.search_name, p.id"
)
RESIDENCE_SQL = (
    "SELECT COUNT(*) FROM commitments_residencecomment rc "
    f"WHERE rc.status = 'requested' AND rc.residence_id IN {SUBTREE}"
)
# The whole city is the one tree: its statistics need no subtree filter, by hand as in the selector.
CITY_SQL = (
    "SELECT COUNT(*) FROM organizations_person WHERE is_party_member AND party_cell_id IS NOT NULL",
    "SELECT status, COUNT(*) FROM commitments_commitmentplan WHERE year = %s GROUP BY status",
    "SELECT grade, COUNT(*) FROM commitments_evaluation WHERE year = %s AND grade <> '' GROUP BY grade",
)


def members_by_organization() -> dict[int, int]:
    """Party members of every organization's subtree (the cells' counts added up their paths)."""
    from django.db.models import Count

    from lamtheo.organizations.models import Organization, Person

    per_cell = dict(
        Person.objects.unscoped(reason="benchmark")
        .filter(is_party_member=True)
        .values_list("party_cell_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    paths = dict(Organization.objects.unscoped(reason="benchmark").values_list("id", "path"))
    totals: Counter[int] = Counter()
    for cell, n in per_cell.items():
        for ancestor in paths[cell].strip("/").split("/"):
            totals[int(ancestor)] += n
    return dict(totals)


def _check_cockpit(org, secretary) -> None:  # type: ignore[no-untyped-def]
    """The hand-written SQL reads what the cockpit shows: the same first page of members, the same member
    count, counts by state and grades."""
    from lamtheo.commitments import selectors
    from lamtheo.core.scoping import activate

    with activate(secretary.scope):
        page = selectors.cockpit(actor=secretary, organization=org, year=YEAR)
        first = [p.pk for p in page.people[:PER_PAGE]]
    with connection.cursor() as cur:
        cur.execute(COCKPIT_SQL, [*under(org.path), YEAR])
        assert [row[0] for row in cur.fetchall()] == first
        cur.execute(MEMBERS_SQL, under(org.path))
        assert cur.fetchone()[0] == page.counts["members"]
        cur.execute(STATES_SQL, [*under(org.path), YEAR])
        by_state: Counter[str] = Counter()
        for status, no_yearend, n in cur.fetchall():
            by_state["yearend" if status == "approved" and not no_yearend else status] += n
        assert all(page.counts[state] == n for state, n in by_state.items())
        assert page.counts["none"] == page.counts["members"] - sum(by_state.values())
        cur.execute(GRADES_SQL, [*under(org.path), YEAR])
        assert dict(cur.fetchall()) == {grade: n for grade, _label, n in page.grades if n}


def main() -> None:
    """Build the data, then measure the cockpit pages and the city statistics against raw SQL."""
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {connection.vendor}", flush=True
    )
    call_command("migrate", "-v0")
    from lamtheo.commitments import selectors
    from lamtheo.core.actor import Actor
    from lamtheo.core.scoping import activate
    from lamtheo.devtools.scale import build_scale
    from lamtheo.devtools.scale_commitments import PEOPLE_FOR_500K_PLANS, build_commitments
    from lamtheo.organizations.models import Organization, RoleGrant, User
    from lamtheo.organizations.selectors import actor_for_user
    from lamtheo.rulebook.services import rulebook_load

    system = Actor.system(reason="benchmark")
    start = time.perf_counter()
    scale = build_scale(scale="city", people=PEOPLE_FOR_500K_PLANS)
    built = time.perf_counter() - start
    rulebook_load(actor=system)
    start = time.perf_counter()
    counts = build_commitments(year=YEAR)
    generated = time.perf_counter() - start
    print(f"data: {scale['organizations']:,} organizations, {scale['people']:,} people ({built:.1f} s); "
          f"{counts['members']:,} party members, {counts['plans']:,} plans, {counts['items']:,} items, "
          f"{counts['evaluations']:,} evaluations, {counts['residence_comments']:,} residence comments "
          f"(generated in {generated:.1f} s)", flush=True)  # fmt: skip
    if connection.vendor == "postgresql":
        # Autovacuum would gather the planner's statistics soon after such a load in production (it is off
        # on some test servers): measure the steady state, not plans made without statistics.
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    admin = User.objects.create_superuser("bench-commitments", password="bench-only-0")
    orgs = {o.pk: o for o in Organization.objects.unscoped(reason="benchmark").filter(kind="party_committee")}
    members = members_by_organization()
    grassroots = sorted((o for o in orgs.values() if o.is_grassroots), key=lambda o: members.get(o.pk, 0))
    small = [o for o in grassroots if members.get(o.pk, 0) <= MAX_MEMBERS]
    targets = []
    if small:
        targets.append(("biggest grassroots committee with ≤ 2,000 members", small[-1]))
    else:
        # The generator spreads the members evenly over the wards, so every ward may be above 2,000:
        # then the biggest committee of any level within the limit stands for the case.
        within = sorted(
            (o for o in orgs.values() if members.get(o.pk, 0) <= MAX_MEMBERS), key=lambda o: members[o.pk]
        )
        print(f"no grassroots committee has ≤ {MAX_MEMBERS:,} members (smallest: "
              f"{members[grassroots[0].pk]:,}); measuring the biggest committee within the limit too", flush=True)  # fmt: skip
        targets.append(
            (f"biggest committee with ≤ {MAX_MEMBERS:,} members (depth {within[-1].depth})", within[-1])
        )
    if grassroots[-1] not in [o for _label, o in targets]:
        targets.append(("biggest grassroots committee", grassroots[-1]))

    for label, org in targets:
        grant = (
            RoleGrant.objects.unscoped(reason="benchmark")
            .filter(organization=org, role__code="secretary")
            .select_related("user")
            .first()
        )
        client = Client(SERVER_NAME="localhost")  # an allowed host of the settings
        client.force_login(grant.user if grant else admin)
        url = f"/commitments/cockpit/{org.pk}/?year={YEAR}"
        print(f"{label}: {org.code}, {members[org.pk]:,} party members, "
              f"logged in as {'its secretary' if grant else 'a superuser'}", flush=True)  # fmt: skip

        # The first page lists 100 members (a checkbox each): a page that lists nothing is not measured.
        page = client.get(url)
        assert page.status_code == 200 and page.content.count(b'name="person"') == min(
            PER_PAGE, members[org.pk]
        )

        def ours(client=client, url=url) -> None:
            """The cockpit page as its secretary gets it."""
            assert client.get(url).status_code == 200

        def raw(org=org) -> None:
            """One page of members with plan, residence comment and grade, the counts, the grades, by hand."""
            with connection.cursor() as cur:
                cur.execute(COCKPIT_SQL, [*under(org.path), YEAR])
                cur.fetchall()
                cur.execute(MEMBERS_SQL, under(org.path))
                cur.fetchall()
                cur.execute(STATES_SQL, [*under(org.path), YEAR])
                cur.fetchall()
                cur.execute(GRADES_SQL, [*under(org.path), YEAR])
                cur.fetchall()

        secretary = actor_for_user(grant.user) if grant else system
        _check_cockpit(org, secretary)
        raw_ms = median_ms(raw, REPS)
        report(f"cockpit page, {members[org.pk]:,} members (100 a page)", median_ms(ours, REPS), raw_ms)

        def data(org=org, secretary=secretary) -> None:
            """What the page shows, without the HTML: counts, grades, quotas and one page of rows."""
            with activate(secretary.scope):
                c = selectors.cockpit(actor=secretary, organization=org, year=YEAR)
                selectors.cockpit_rows(actor=secretary, people=c.people[:PER_PAGE], year=YEAR)

        report(f"  the cockpit's data only (selectors, no HTML), {members[org.pk]:,} members", median_ms(data, REPS),
               raw_ms)  # fmt: skip

        def home(client=client) -> None:
            """The secretary's home page: the work list and the unit's figures against last year."""
            assert client.get("/").status_code == 200

        def raw_home(org=org) -> None:
            """What the home page counts for the cultivation plans, by hand: members, plans by state and grades
            of this year and last year, plans waiting for approval, residence comments awaited."""
            with connection.cursor() as cur:
                cur.execute(MEMBERS_SQL, under(org.path))
                cur.fetchall()
                for year in (YEAR, YEAR - 1):
                    cur.execute(STATES_SQL, [*under(org.path), year])
                    cur.fetchall()
                    cur.execute(GRADES_SQL, [*under(org.path), year])
                    cur.fetchall()
                cur.execute(RESIDENCE_SQL, under(org.path))
                cur.fetchall()

        report(f"home page (work list + figures), {members[org.pk]:,} members", median_ms(home, REPS),
               median_ms(raw_home, REPS))  # fmt: skip

    root = Organization.objects.unscoped(reason="benchmark").get(code="SCALE-HN")

    def stats() -> None:
        """The city's statistics through the selector, as the system actor."""
        with activate(system.scope):
            selectors.statistics(actor=system, organization=root, year=YEAR)

    def raw_stats() -> None:
        """The same three counts by hand."""
        with connection.cursor() as cur:
            for sql in CITY_SQL:
                cur.execute(sql, [YEAR] if "%s" in sql else [])
                cur.fetchall()

    report(
        "statistics of the whole city (members, plans, grades)",
        median_ms(stats, REPS),
        median_ms(raw_stats, REPS),
    )

    from lamtheo.commitments import cross_scope

    for label, org in [*targets, ("the whole city", root)]:

        def unrated(org=org) -> None:
            """The year lock's check: who is neither rated nor excused (names, in order)."""
            cross_scope.unrated_members_under(org.path, YEAR)

        def raw_unrated(org=org) -> None:
            with connection.cursor() as cur:
                end = f"{YEAR}-12-31"
                cur.execute(UNRATED_SQL, [*under(org.path), end, YEAR, *under(org.path), YEAR, YEAR])
                cur.fetchall()

        report(f"year lock: members neither rated nor excused, {label}", median_ms(unrated, REPS),
               median_ms(raw_unrated, REPS))  # fmt: skip
    connection.close()
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
