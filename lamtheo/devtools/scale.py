"""City-scale synthetic data, deterministic from a seed, written through the roster fast path.

`--scale city`: the Hà Nội Party Committee with its 126 ward and commune committees (names from the
vietnam-provinces package), ~6,000 organizations down to depth 5, 500,000 people, a head position per
organization and an account per party-organization head. `--scale ward`: one ward, ~2,000 people.
Later modules extend `build_scale` with their own records (one function per module, called at the end).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from dataclasses import dataclass
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.scoping import activate
from lamtheo.core.text import fold
from lamtheo.core.vocabulary import PARTY_KINDS, OrgKind
from lamtheo.organizations import bulk, services
from lamtheo.organizations.models import Organization, Role, User

from . import names

CROSS_SCOPE = "demo and scale data are generated for the whole tree"

SYSTEM = Actor.system(reason="generate_scale")
START = dt.date(2025, 7, 1)


@dataclass(frozen=True)
class Scale:
    wards: int
    units_per_ward: int  # đảng bộ bộ phận
    cells_per_unit: int
    people: int


SCALES = {"city": Scale(wards=126, units_per_ward=7, cells_per_unit=4, people=500_000),
          "ward": Scale(wards=1, units_per_ward=4, cells_per_unit=4, people=2_000)}  # fmt: skip


def _ward_names(count: int) -> list[str]:
    from vietnam_provinces import ProvinceCode, Ward

    wards = sorted(Ward.iter_by_province(ProvinceCode(1)), key=lambda w: w.code)
    return [w.name for w in wards[:count]]


def _org_rows(scale: Scale) -> list[dict]:
    """The organization tree as import rows (parents before children), depth 0 to 5."""
    rows: list[dict] = []

    def add(code: str, name: str, kind: str, parent: str, grassroots: bool = False) -> None:
        rows.append({"code": code, "name": name, "short_name": "", "kind": kind, "parent": parent,
                     "valid_from": START, "is_grassroots": grassroots, "note": ""})  # fmt: skip

    for w, ward in enumerate(_ward_names(scale.wards), start=1):
        wc = f"S{w:03d}"
        level = "phường" if ward.startswith("Phường") else "xã"
        base = ward.split(" ", 1)[1]
        add(wc, f"Đảng bộ {level} {base}", "party_committee", "SCALE-HN", True)
        for u in range(1, scale.units_per_ward + 1):
            uc = f"{wc}-U{u}"
            add(uc, f"Đảng bộ bộ phận khu {u} ({base})", "party_committee", wc)
            for c in range(1, scale.cells_per_unit + 1):
                cc = f"{uc}-C{c}"
                add(
                    cc,
                    f"Chi bộ Tổ dân phố số {(u - 1) * scale.cells_per_unit + c} ({base})",
                    "party_cell",
                    uc,
                )
                if c == 1:
                    add(f"{cc}-T1", f"Tổ đảng 1, {cc}", "party_group", cc)
        add(f"{wc}-UB", f"UBND {level} {base}", "peoples_committee", wc)
        add(f"{wc}-UB-TT", f"Trung tâm phục vụ hành chính công {level} {base}", "agency", f"{wc}-UB")
        add(f"{wc}-UB-TT-1", f"Bộ phận một cửa ({base})", "agency", f"{wc}-UB-TT")
        add(f"{wc}-UB-TT-1-A", f"Tổ tiếp nhận hồ sơ ({base})", "agency", f"{wc}-UB-TT-1")
        add(f"{wc}-MT", f"Ủy ban MTTQ Việt Nam {level} {base}", "front", wc)
        add(f"{wc}-MT-PN", f"Hội Liên hiệp Phụ nữ {level} {base}", "mass_org", f"{wc}-MT")
        add(f"{wc}-MT-CCB", f"Hội Cựu chiến binh {level} {base}", "mass_org", f"{wc}-MT")
    return rows


class _Namer:
    """A fast, deterministic name source (the demo's name lists, drawn with cumulative weights)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = [s for s, _w in names.SURNAMES]
        self.surname_cum = list(itertools.accumulate(w for _s, w in names.SURNAMES))
        self.middles = {}
        for gender, table in ((names.MALE, names.MALE_MIDDLE), (names.FEMALE, names.FEMALE_MIDDLE)):
            for older in (True, False):
                values = [m for m, _o, _n in table]
                cum = list(itertools.accumulate(o if older else n for _m, o, n in table))
                self.middles[gender, older] = (values, cum)
        self.givens = {names.MALE: names.MALE_GIVEN, names.FEMALE: names.FEMALE_GIVEN}

    def __call__(self, gender: str, birth_year: int) -> str:
        rng = self.rng
        surname = rng.choices(self.surnames, cum_weights=self.surname_cum)[0]
        values, cum = self.middles[gender, birth_year < 1975]
        middle = rng.choices(values, cum_weights=cum)[0]
        given = rng.choice(self.givens[gender])
        return f"{surname} {middle} {given}"


def _people(scale: Scale, orgs: dict[str, bulk.OrgRef], rng: random.Random) -> list[tuple]:
    cells = [o for o in orgs.values() if o.kind == OrgKind.PARTY_CELL]
    workplaces = [
        o
        for o in orgs.values()
        if o.kind in (OrgKind.AGENCY, OrgKind.PEOPLES_COMMITTEE, OrgKind.FRONT, OrgKind.MASS_ORG)
    ]
    namer = _Namer(rng)
    rows = []
    for i in range(1, scale.people + 1):
        gender = names.MALE if rng.random() < 0.5 else names.FEMALE
        year = rng.randint(1945, 2004)
        born = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        full = namer(gender, year)
        member = rng.random() < 0.6 and year <= 2006
        cell = rng.choice(cells) if member else None
        admitted = official = None
        if member:
            admitted = dt.date(
                min(year + 18 + rng.randint(0, 25), 2024), rng.randint(1, 12), rng.randint(1, 28)
            )
            official = admitted + dt.timedelta(days=365)
        workplace = rng.choice(workplaces) if (not member or rng.random() < 0.3) else None
        residence = rng.choice(cells) if member and rng.random() < 0.7 else None
        rows.append((
            f"SC{i:07d}", full, fold(full), gender, born, member, admitted, official,
            cell.id if cell else None, workplace.id if workplace else None, residence.id if residence else None,
            f"09{rng.randint(10_000_000, 99_999_999)}", "",
        ))  # fmt: skip
    return rows


def build_scale(
    *, scale: str = "city", seed: int = 2025, people: int | None = None, stdout: TextIO | None = None
) -> dict[str, int]:
    """Generate the dataset (refuses to run twice on the same database); `people` overrides the count."""
    spec = SCALES[scale]
    if people is not None:
        spec = Scale(spec.wards, spec.units_per_ward, spec.cells_per_unit, people)
    rng = random.Random(seed)
    log = (lambda msg: stdout.write(msg + "\n")) if stdout else (lambda msg: None)
    started = time.perf_counter()
    with activate(SYSTEM.scope), audit.acting(SYSTEM, reason=f"generate_scale {scale} seed={seed}"):
        if Organization.objects.filter(code="SCALE-HN").exists():
            raise ValueError("The scale dataset is already in this database.")
        services.role_catalogue_load(actor=SYSTEM)
        root = services.organization_create(
            actor=SYSTEM, code="SCALE-HN", name="Đảng bộ Thành phố Hà Nội (dữ liệu quy mô)", kind="party_committee",
            parent=None, valid_from=dt.date(1930, 2, 3),
        )  # fmt: skip
        org_rows = _org_rows(spec)
        with transaction.atomic():
            bulk.organizations_write(actor=SYSTEM, creates=org_rows, updates=[], reason="generate_scale")
        orgs = {k: v for k, v in bulk.org_index(actor=SYSTEM).items() if k.startswith("S") or k == root.code}
        log(f"organizations: {len(orgs):,} ({time.perf_counter() - started:.1f} s)")
        people = _people(spec, orgs, rng)
        if not people:
            return {"organizations": len(orgs), "people": 0, "positions": 0, "accounts": 0}
        with transaction.atomic():
            bulk.people_write(actor=SYSTEM, creates=people, updates=[], positions=[], reason="generate_scale")
        log(f"people: {len(people):,} ({time.perf_counter() - started:.1f} s)")
        heads = _heads(orgs, people, rng)
        accounts = _accounts(orgs, heads)
        log(f"positions: {len(heads):,}; accounts: {accounts:,} ({time.perf_counter() - started:.1f} s)")
    return {"organizations": len(orgs), "people": len(people), "positions": len(heads), "accounts": accounts}


def _heads(orgs: dict[str, bulk.OrgRef], people: list[tuple], rng: random.Random) -> list[tuple]:
    """One head per organization, chosen among the people attached to it (or anyone)."""
    by_org: dict[int, list[str]] = {}
    for row in people:
        for oid in (row[8], row[9]):
            if oid is not None:
                by_org.setdefault(oid, []).append(row[0])
    members = [row[0] for row in people if row[5]]
    positions = []
    for ref in orgs.values():
        pool = by_org.get(ref.id) or members
        title = "Bí thư" if ref.kind in PARTY_KINDS else "Người đứng đầu"
        positions.append((rng.choice(pool), ref.id, title, True, START, None))
    with transaction.atomic():
        bulk.people_write(actor=SYSTEM, creates=[], updates=[], positions=positions, reason="generate_scale")
    return positions


def _accounts(orgs: dict[str, bulk.OrgRef], heads: list[tuple]) -> int:
    """An account for the head of every party organization, with the secretary role on it."""
    password = make_password("lamtheo@2025")
    party = {ref.id for ref in orgs.values() if ref.kind in (OrgKind.PARTY_COMMITTEE, OrgKind.PARTY_CELL)}
    codes = {code for code, oid, *_rest in heads if oid in party}
    ordered, person_ids = sorted(codes), {}
    for start in range(0, len(ordered), 900):
        person_ids.update(
            bulk.Person.objects.unscoped(reason="generator")
            .filter(code__in=ordered[start : start + 900])
            .values_list("code", "id")
        )
    role = Role.objects.get(code="secretary")
    users, grants, used = [], [], set()
    for code, oid, *_rest in heads:
        if oid not in party or code in used:
            continue
        used.add(code)
        users.append(User(username=f"sc-{code.lower()}", password=password, person_id=person_ids[code]))
        grants.append(oid)
    with transaction.atomic():
        created = User.objects.bulk_create(users, batch_size=2000)
        if connection.vendor == "sqlite" or not created or created[0].pk is None:
            ids = dict(
                User.objects.filter(username__in=[u.username for u in users]).values_list("username", "id")
            )
            created_ids = [ids[u.username] for u in users]
        else:
            created_ids = [u.pk for u in created]
        from lamtheo.organizations.models import RoleGrant

        RoleGrant.objects.unscoped(reason="generator").bulk_create(
            [
                RoleGrant(user_id=uid, role=role, organization_id=oid)
                for uid, oid in zip(created_ids, grants, strict=True)
            ],
            batch_size=2000,
        )
    return len(users)
