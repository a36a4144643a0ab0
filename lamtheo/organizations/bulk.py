"""The fast path for rosters: lookups and set-based writes of thousands of people or organizations.

Importers validate every row first (with the same rules as the one-by-one services, `person_validate`),
then hand complete row tuples here. Writes are `executemany` inside the caller's transaction, and the audit
trail gets one history row per created or changed record, written set-based (INSERT … SELECT).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, Max
from django.db.models.functions import Cast
from django.utils import timezone

from lamtheo.core import audit
from lamtheo.core.actor import Actor

from . import policies
from .models import Organization, ParentLink, Person, Position, organization_search_text, path_segment

# The whole module is the bulk path: codes are global, so it reads every person and organization by code,
# and decides for each row whether the actor may see and change it (the importers report the refused rows).
CROSS_SCOPE = "the roster fast path reads global codes and checks each row against the actor's grants"

# Column order of the person tuples exchanged with importers (ids of organizations, not objects).
PERSON_COLUMNS = (
    "code", "full_name", "search_name", "gender", "date_of_birth", "is_party_member", "admission_date",
    "official_date", "party_cell_id", "workplace_id", "residence_cell_id", "phone", "email",
)  # fmt: skip
# The part of a person that decides "unchanged" on re-import (the code is the key, search_name is derived).
SIGNATURE = PERSON_COLUMNS[1:2] + PERSON_COLUMNS[3:]
POSITION_COLUMNS = ("person_id", "organization_id", "title", "is_head", "from_date", "to_date")


@dataclass(frozen=True, slots=True)
class OrgRef:
    """What an importer needs to know about an organization it may reference."""

    id: int
    code: str
    name: str
    path: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    can_add_person: bool
    can_change_person: bool
    can_add_position: bool

    @property
    def is_closed(self) -> bool:
        return self.valid_to is not None


def org_index(*, actor: Actor) -> dict[str, OrgRef]:
    """Organizations in the actor's scope by code, with the roster permissions the actor holds on each."""
    index = {}
    rows = Organization.objects.values_list("id", "code", "name", "path", "kind", "valid_from", "valid_to")
    for oid, code, name, path, kind, valid_from, valid_to in rows.iterator(chunk_size=5000):
        index[code] = OrgRef(
            oid, code, name, path, kind, valid_from, valid_to,
            actor.has_perm(policies.ADD_PERSON, path),
            actor.has_perm(policies.CHANGE_PERSON, path),
            actor.has_perm(policies.ADD_POSITION, path),
        )  # fmt: skip
    return index


@dataclass(frozen=True, slots=True)
class PersonRef:
    id: int
    signature: int
    visible: bool
    manageable_paths: tuple[str, ...]
    kept: tuple = ()


_PERSON_DATES = frozenset({"date_of_birth", "admission_date", "official_date"})
_PLACES = ("party_cell_id", "workplace_id", "residence_cell_id")


def person_index(*, actor: Actor, keep: Sequence[str] = ()) -> dict[str, PersonRef]:
    """Every existing person by code (codes are global), with a hash of their fields, whether the actor may
    see them, the paths a change is authorised from (party cell, workplace), and the current values of
    the `keep` fields (those a file without their columns must leave as they are).

    A city's roster is hundreds of thousands of rows: the ORM writes the query and a plain cursor reads it
    (no per-value converters), dates are hashed as the ISO text the query returns (see `signature_of`), and
    what depends on a person's organizations (paths, visibility) is worked out once per organization."""
    scope = actor.scope
    places: dict[int, tuple[str, bool]] = {
        oid: (path, scope.covers(path))
        for oid, path in Organization.objects.unscoped(reason="paths of every person's organizations")
        .values_list("id", "path")
        .iterator(chunk_size=5000)
    }
    fields = [*SIGNATURE, *_PLACES, *keep]
    as_text = {name: Cast(name, output_field=CharField()) for name in fields if name in _PERSON_DATES}
    query = (
        Person.objects.unscoped(reason="codes are global; visibility is computed per row")
        .annotate(**{f"{name}_text": value for name, value in as_text.items()})
        .order_by()
        .values_list("code", "id", *(f"{name}_text" if name in as_text else name for name in fields))
    )
    sql, params = query.query.sql_with_params()
    n = len(SIGNATURE)
    kept_dates = [i for i, name in enumerate(keep) if name in _PERSON_DATES]
    kept_bools = [i for i, name in enumerate(keep) if name == "is_party_member"]
    nowhere = (None, False)
    get = places.get
    index = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(5000):
            for row in batch:
                cell, work, home = get(row[2 + n], nowhere), get(row[3 + n], nowhere), get(row[4 + n], nowhere)
                kept = row[5 + n :]
                if kept_dates or kept_bools:
                    kept = _typed(kept, kept_dates, kept_bools)
                index[row[0]] = PersonRef(
                    row[1], hash(row[2 : 2 + n]), cell[1] or work[1] or home[1],
                    tuple(filter(None, (cell[0], work[0]))), kept,
                )  # fmt: skip
    return index


def _typed(kept: tuple, dates: list[int], bools: list[int]) -> tuple:
    values = list(kept)
    for i in dates:
        if values[i] is not None:
            values[i] = dt.date.fromisoformat(values[i][:10])
    for i in bools:
        values[i] = bool(values[i])
    return tuple(values)


def org_refs_by_id() -> dict[int, OrgRef]:
    """Every organization by id, without permissions: to keep a person's current placement as it is."""
    rows = Organization.objects.unscoped(reason="a person's current placement, kept unchanged").values_list(
        "id", "code", "name", "path", "kind", "valid_from", "valid_to"
    )
    return {r[0]: OrgRef(*r, False, False, False) for r in rows.iterator(chunk_size=5000)}


ORG_SIGNATURE = ("name", "short_name", "kind", "valid_from", "is_grassroots", "note")


def org_codes() -> set[str]:
    """Every organization code in the system (codes are global, whoever can see them)."""
    return set(Organization.objects.unscoped(reason="codes are global").values_list("code", flat=True))


def org_details() -> dict[int, tuple[str | None, int]]:
    """For each visible organization: its parent's code and a hash of the fields an import may change."""
    rows = Organization.objects.values_list("id", "parent__code", *ORG_SIGNATURE)
    return {row[0]: (row[1], hash(tuple(row[2:]))) for row in rows.iterator(chunk_size=5000)}


_RECORD_DATES = tuple(PERSON_COLUMNS.index(name) for name in ("date_of_birth", "admission_date", "official_date"))


def signature_of(values: Sequence[object]) -> int:
    """The hash `person_index` stores, computed from an importer's person tuple (dates as ISO text, as the
    index reads them; a boolean hashes as the 0/1 a database may return)."""
    record = list(values)
    for i in _RECORD_DATES:
        if record[i] is not None:
            record[i] = record[i].isoformat()
    return hash(tuple(record[1:2]) + tuple(record[3:]))


def open_heads() -> dict[int, object]:
    """Organization id → the person id of its head in office (one open head per organization)."""
    qs = Position.objects.unscoped(reason="one head per organization, checked by imports").filter(
        to_date__isnull=True, is_head=True
    )
    return dict(qs.values_list("organization_id", "person_id").iterator(chunk_size=5000))


def open_positions(*, person_ids: Iterable[int] | None = None) -> set[tuple[int, int, str]]:
    """(person, organization, title) of positions still held, to avoid recording one twice."""
    qs = Position.objects.unscoped(reason="duplicate check for a roster import").filter(to_date__isnull=True)
    return set(qs.values_list("person_id", "organization_id", "title").iterator(chunk_size=5000))


def history_stamp(reason: str) -> tuple:
    """The audit columns of history rows written now by the active audit context, for `reason`."""
    ctx = audit.bulk_history_kwargs()
    attrs = ctx.get("custom_historical_attrs", {})
    user = ctx.get("default_user")
    return (
        timezone.now(), reason, user.pk if user is not None else None,
        attrs.get("actor_role", ""), attrs.get("actor_org", ""), attrs.get("actor_label", ""),
    )  # fmt: skip


def lock_for_bulk_write(*models) -> None:  # type: ignore[no-untyped-def]
    """History rows of a bulk write are found by id (`id > the largest id before`). On PostgreSQL other
    transactions could commit rows in between, so the tables are locked against other writers until this
    transaction ends (readers go on). SQLite already has a single writer (BEGIN IMMEDIATE)."""
    if connection.vendor == "postgresql":
        tables = ", ".join(_quote(m._meta.db_table) for m in models)
        with connection.cursor() as cur:
            cur.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


def _large_write_cache() -> None:
    """SQLite keeps 2 MB of pages by default; index inserts of a big roster in random name order thrash it.
    128 MB for this connection makes the write about a third faster (PostgreSQL needs nothing here)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -131072")


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _history_from_rows(
    model, columns: Sequence[str], where: str, params: Sequence[object], kind: str, stamp: tuple
):  # type: ignore[no-untyped-def]
    """INSERT INTO <historical table> SELECT <columns>, <stamp> FROM <table> WHERE <where>: set-based."""
    hist = model.history.model
    cols = ", ".join(_quote(c) for c in columns)
    stamp_cols = "history_date, history_change_reason, history_type, history_user_id, actor_role, actor_org, actor_label"
    date, why, user, role, org, label = stamp
    sql = (
        f"INSERT INTO {_quote(hist._meta.db_table)} ({cols}, {stamp_cols}) "
        f"SELECT {cols}, %s, %s, %s, %s, %s, %s, %s FROM {_quote(model._meta.db_table)} WHERE {where}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [date, why, kind, user, role, org, label, *params])


def _history_columns(model) -> list[str]:  # type: ignore[no-untyped-def]
    hist_fields = {f.attname for f in model.history.model._meta.concrete_fields}
    return [f.column for f in model._meta.concrete_fields if f.attname in hist_fields]


class PeopleWriter:
    """Writes a roster in batches on the calling thread's connection; the caller holds the transaction.

    `start`, any number of `write` calls, then `finish` (history and positions). The audit stamp is taken
    when the writer is made, so a writer built under `audit.acting` may run on another thread."""

    def __init__(self, *, reason: str) -> None:
        self.stamp = history_stamp(reason)
        self.before = 0
        self.created = 0
        self.updated_ids: list[int] = []
        table = _quote(Person._meta.db_table)
        cols = ", ".join(_quote(c) for c in PERSON_COLUMNS)
        self.insert_sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(PERSON_COLUMNS))})"
        sets = ", ".join(f"{_quote(c)} = %s" for c in PERSON_COLUMNS)
        self.update_sql = f"UPDATE {table} SET {sets} WHERE id = %s"

    def start(self) -> None:
        """Note where new ids begin (for the history of created rows) and size the page cache."""
        lock_for_bulk_write(Person, Position)
        self.before = Person.objects.unscoped(reason="id watermark").aggregate(m=Max("id"))["m"] or 0
        _large_write_cache()

    def write(self, creates: list[tuple], updates: list[tuple[int, tuple]]) -> None:
        """One batch of new rows and of (id, row) updates."""
        with connection.cursor() as cur:
            if creates:
                cur.executemany(self.insert_sql, creates)
            if updates:
                cur.executemany(self.update_sql, [(*row, pid) for pid, row in updates])
        self.created += len(creates)
        self.updated_ids.extend(pid for pid, _row in updates)

    def finish(self, positions: list[tuple]) -> dict[str, int]:
        """History rows of everything written, then the positions (person codes resolved to ids)."""
        history_cols = _history_columns(Person)
        if self.created:
            _history_from_rows(Person, history_cols, "id > %s", [self.before], "+", self.stamp)
        for start in range(0, len(self.updated_ids), 500):
            ids = self.updated_ids[start : start + 500]
            _history_from_rows(
                Person, history_cols, f"id IN ({', '.join(['%s'] * len(ids))})", ids, "~", self.stamp
            )
        return {
            "created": self.created,
            "updated": len(self.updated_ids),
            "positions": self._positions(positions),
        }

    def _positions(self, positions: list[tuple]) -> int:
        if not positions:
            return 0
        codes = sorted({row[0] for row in positions})
        ids: dict[str, int] = {}
        people = Person.objects.unscoped(reason="resolve the codes of this import")
        for start in range(0, len(codes), 900):
            ids.update(people.filter(code__in=codes[start : start + 900]).values_list("code", "id"))
        rows = [(ids[code], *rest) for code, *rest in positions]
        pos_before = Position.objects.unscoped(reason="id watermark").aggregate(m=Max("id"))["m"] or 0
        cols = ", ".join(_quote(c) for c in POSITION_COLUMNS)
        marks = ", ".join(["%s"] * len(POSITION_COLUMNS))
        with connection.cursor() as cur:
            cur.executemany(f"INSERT INTO {_quote(Position._meta.db_table)} ({cols}) VALUES ({marks})", rows)
        _history_from_rows(Position, _history_columns(Position), "id > %s", [pos_before], "+", self.stamp)
        return len(rows)


def people_write(
    *,
    actor: Actor,
    creates: list[tuple],
    updates: list[tuple[int, tuple]],
    positions: list[tuple],
    reason: str,
) -> dict[str, int]:
    """Insert `creates`, update `updates` ((id, person tuple)), add `positions` (with person codes resolved),
    and write their history; call inside a transaction (the import's all-or-nothing)."""
    writer = PeopleWriter(reason=reason)
    writer.start()
    for start in range(0, max(len(creates), len(updates)), 50_000):
        writer.write(creates[start : start + 50_000], updates[start : start + 50_000])
    return writer.finish(positions)


def organizations_write(
    *, actor: Actor, creates: list[dict], updates: list[tuple[int, dict]], reason: str
) -> dict[str, int]:
    """Insert new organizations parents-first (paths need the parent's id), update changed ones, and
    write their parent links and history; call inside a transaction."""
    table = _quote(Organization._meta.db_table)
    lock_for_bulk_write(Organization, ParentLink)
    before = Organization.objects.unscoped(reason="id watermark").aggregate(m=Max("id"))["m"] or 0
    known = {
        code: (oid, path, depth)
        for oid, code, path, depth in Organization.objects.unscoped(
            reason="parents of this import"
        ).values_list("id", "code", "path", "depth")
    }
    pending = {row["code"]: row for row in creates}
    cols = ("code", "name", "short_name", "kind", "parent_id", "path", "depth", "is_grassroots", "valid_from",
            "valid_to", "note", "search_name")  # fmt: skip
    insert = (
        f"INSERT INTO {table} ({', '.join(_quote(c) for c in cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
    )
    links = []
    with connection.cursor() as cur:
        while pending:
            ready = [row for row in pending.values() if row["parent"] in known]
            if not ready:  # the importer refuses cycles and unknown parents; this is a last guard
                raise ValueError("organizations with unresolved parents")
            batch = []
            for row in ready:
                parent_id, parent_path, parent_depth = known[row["parent"]]
                batch.append((
                    row["code"], row["name"], row["short_name"], row["kind"], parent_id, "", parent_depth + 1,
                    row["is_grassroots"], row["valid_from"], None, row["note"],
                    organization_search_text(row["name"], row["code"], row["short_name"]),
                ))  # fmt: skip
            cur.executemany(insert, batch)
            ids = dict(
                Organization.objects.unscoped(reason="ids of this import")
                .filter(code__in=[r["code"] for r in ready])
                .values_list("code", "id")
            )
            paths = []
            for row in ready:
                parent_id, parent_path, parent_depth = known[row["parent"]]
                oid = ids[row["code"]]
                path = f"{parent_path}{path_segment(oid)}/"
                known[row["code"]] = (oid, path, parent_depth + 1)
                paths.append((path, oid))
                links.append((oid, parent_id, row["valid_from"]))
                del pending[row["code"]]
            cur.executemany(f"UPDATE {table} SET path = %s WHERE id = %s", paths)
        if links:
            link_table = _quote(ParentLink._meta.db_table)
            cur.executemany(
                f"INSERT INTO {link_table} (organization_id, parent_id, valid_from, valid_to) VALUES (%s, %s, %s, NULL)",
                links,
            )
        if updates:
            sets = ", ".join(f"{_quote(c)} = %s" for c in (*ORG_SIGNATURE, "search_name"))
            cur.executemany(
                f"UPDATE {table} SET {sets} WHERE id = %s",
                [
                    (
                        *(row[c] for c in ORG_SIGNATURE),
                        organization_search_text(row["name"], row["code"], row["short_name"]),
                        oid,
                    )
                    for oid, row in updates
                ],
            )
    history_cols = _history_columns(Organization)
    stamp = history_stamp(reason)
    if creates:
        _history_from_rows(Organization, history_cols, "id > %s", [before], "+", stamp)
    for start in range(0, len(updates), 500):
        ids_ = [oid for oid, _row in updates[start : start + 500]]
        _history_from_rows(
            Organization, history_cols, f"id IN ({', '.join(['%s'] * len(ids_))})", ids_, "~", stamp
        )
    return {"created": len(creates), "updated": len(updates)}
