"""Foundation benchmarks: the scoped people directory against hand-written SQL on the demo ward."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="lamtheo-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from lamtheo.core.scoping import activate  # noqa: E402
from lamtheo.core.text import fold  # noqa: E402
from lamtheo.organizations import selectors  # noqa: E402
from lamtheo.organizations.models import Organization, Person, User  # noqa: E402

REPS = int(os.environ.get("BENCH_REPS", "200"))


def median_ms(fn) -> float:  # type: ignore[no-untyped-def]
    fn()
    samples = []
    for _ in range(REPS):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def report(name: str, ours: float, raw: float) -> None:
    print(f"{name:<48} ours {ours:8.3f} ms   raw SQL {raw:8.3f} ms   ratio {ours / raw:5.2f}x")


# The ward's subtree by hand, as its organization ids read from the path index: on SQLite a range of paths (it
# compares text byte by byte, and its LIKE, case-insensitive, never uses the index); on PostgreSQL a prefix
# LIKE, which the `varchar_pattern_ops` index Django adds to an indexed CharField serves (a range is no prefix
# test under a linguistic collation).
if connection.vendor == "sqlite":
    SUBTREE = "(SELECT id FROM organizations_organization WHERE path >= %s AND path < %s)"
    PATH_UNDER = "{0}.path >= %s AND {0}.path < %s"
else:
    SUBTREE = "(SELECT id FROM organizations_organization WHERE path LIKE %s)"
    PATH_UNDER = "{0}.path LIKE %s"


def under(path: str) -> list[str]:
    """The parameters of one SUBTREE or PATH_UNDER: the organizations at or below `path`."""
    if connection.vendor == "sqlite":
        return [path, path[:-1] + chr(ord(path[-1]) + 1)]  # "/1/7/" to "/1/70": every path starting "/1/7/"
    return [path + "%"]


def main() -> None:
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {connection.vendor}", flush=True
    )
    call_command("migrate", "-v0")
    call_command(
        "seed_demo", "--people", os.environ.get("BENCH_PEOPLE", "2000"), stdout=open(os.devnull, "w")
    )
    actor = selectors.actor_for_user(User.objects.get(username="bithu"))
    with activate(actor.scope):
        ward_path = Organization.objects.get(pk=actor.grants[0].org_id).path
        n_people = Person.objects.count()
    print(
        f"data: {n_people} people visible to 'bithu' (ward subtree {ward_path}); {REPS} repetitions, medians"
    )
    words = fold("nguyen van").split()

    def ours_search() -> None:
        with activate(actor.scope):
            list(selectors.person_list(actor=actor, q="nguyen van")[:25])

    # The subtree holds most of the people (1,713 of 2,000): the first page is found fastest by walking the
    # name index in order and keeping whoever belongs to the subtree; the unary + tells SQLite not to start
    # from the organization keys instead (then it would sort every match before taking 25).
    sql = (
        "SELECT p.id, p.full_name, c.name, w.name FROM organizations_person p "
        "LEFT JOIN organizations_organization c ON c.id = p.party_cell_id "
        "LEFT JOIN organizations_organization w ON w.id = p.workplace_id "
        f"WHERE (+p.party_cell_id IN {SUBTREE} OR +p.workplace_id IN {SUBTREE} "
        f"OR +p.residence_cell_id IN {SUBTREE})"
        + "".join(" AND p.search_name LIKE %s" for _ in words)
        + " ORDER BY p.search_name, p.id LIMIT 25"
    )
    params = under(ward_path) * 3 + [f"%{w}%" for w in words]

    def raw_search() -> None:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            cur.fetchall()

    with activate(actor.scope), connection.cursor() as cur:  # the same page, by hand
        cur.execute(sql, params)
        assert [r[0] for r in cur.fetchall()] == [
            p.pk for p in selectors.person_list(actor=actor, q="nguyen van")[:25]
        ]
    report("people directory search, first page (25 rows)", median_ms(ours_search), median_ms(raw_search))

    def ours_count() -> None:
        with activate(actor.scope):
            selectors.person_list(actor=actor, q="").count()

    count_sql = (
        f"SELECT COUNT(*) FROM organizations_person p WHERE p.party_cell_id IN {SUBTREE} "
        f"OR p.workplace_id IN {SUBTREE} OR p.residence_cell_id IN {SUBTREE}"
    )

    def raw_count() -> None:
        with connection.cursor() as cur:
            cur.execute(count_sql, under(ward_path) * 3)
            cur.fetchone()

    with connection.cursor() as cur:  # the same count, by hand
        cur.execute(count_sql, under(ward_path) * 3)
        assert cur.fetchone()[0] == n_people
    report("people in the ward subtree, count", median_ms(ours_count), median_ms(raw_count))

    # The authorization API on one record: the access helper (@actor_scoped activates the actor's scope, the
    # scoped manager filters, get_or_404) and the permission class asked for the history button, against
    # the same row read by hand with the same subtree filter.
    from lamtheo.organizations.policies import PersonPermissions

    with activate(actor.scope):
        target = Person.objects.filter(party_cell__isnull=False).order_by("id").first()

    def ours_access() -> None:
        person = selectors.person_for_actor(actor=actor, pk=target.pk)
        PersonPermissions(actor, person).can_view_history()

    # One row by its key: its three organizations are read by theirs, and only their paths are compared.
    one_sql = (
        "SELECT p.id, p.full_name, c.name FROM organizations_person p "
        "LEFT JOIN organizations_organization c ON c.id = p.party_cell_id "
        "LEFT JOIN organizations_organization w ON w.id = p.workplace_id "
        "LEFT JOIN organizations_organization r ON r.id = p.residence_cell_id "
        f"WHERE p.id = %s AND ({PATH_UNDER.format('c')} OR {PATH_UNDER.format('w')} "
        f"OR {PATH_UNDER.format('r')})"
    )

    def raw_access() -> None:
        with connection.cursor() as cur:
            cur.execute(one_sql, [target.pk, *under(ward_path) * 3])
            cur.fetchone()

    with connection.cursor() as cur:  # the same person, by hand
        cur.execute(one_sql, [target.pk, *under(ward_path) * 3])
        assert cur.fetchone()[0] == target.pk
    report("one person by id + may see history (access API)", median_ms(ours_access), median_ms(raw_access))

    # What the API itself adds: the same ORM read inside an already active scope, without the decorator,
    # the permission class or get_or_404.
    def orm_only() -> None:
        with activate(actor.scope):
            Person.objects.select_related("party_cell", "workplace", "residence_cell").get(pk=target.pk)

    report("— the same against the bare ORM read (API overhead)", median_ms(ours_access), median_ms(orm_only))
    print(f"database: {connection.vendor}")


if __name__ == "__main__":
    main()
