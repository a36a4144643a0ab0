"""Demo data: ward-level Party committees of Hà Nội around the 2025 reorganisation (development only).

The history: Đảng bộ quận Long Biên (the Quận ủy) with some of its former ward Party committees and their
cells. On 1/7/2025 the district level ends (HD 31-HD/BTCTW): four new ward Party committees (Long Biên, Bồ
Đề, Việt Hưng, Phúc Lợi, official names from the `vietnam_provinces` package) take over, the old cells and
committees are merged into them through `services.organization_merge`, and the Quận ủy closes on 30/6/2025.
Đảng bộ phường Long Biên is built in detail; the three others are small, so scope can be shown between
sibling wards. Everything is drawn from one `random.Random(seed)`, so a seed always gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, TextIO

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from vietnam_provinces import ProvinceCode, Ward

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.scoping import activate
from lamtheo.core.text import clean, fold
from lamtheo.core.vocabulary import RoleCode
from lamtheo.organizations import services
from lamtheo.organizations.models import (
    Organization,
    OrgKind,
    Person,
    Position,
    Role,
    RoleGrant,
    Succession,
    User,
)
from lamtheo.planning.services import theme_catalogue_load
from lamtheo.rulebook.services import rulebook_load

from . import names

CROSS_SCOPE = "demo and scale data are generated for the whole tree"

# The demo's "today": dates are drawn up to this day (or the real today, if that is earlier).
DEMO_AS_OF = dt.date(2026, 11, 30)
REORG = dt.date(2025, 7, 1)  # two-tier local government; new ward Party committees
CLOSED = REORG - dt.timedelta(days=1)
PROPAGANDA_MERGE = dt.date(2025, 3, 1)  # Ban Tuyên giáo + Ban Dân vận → Ban Tuyên giáo và Dân vận
HD31 = "HD 31-HD/BTCTW"
MIN_PEOPLE = 250
MEMBER_SHARE = 0.6
SIBLING_SHARE = 0.03
OLD_WARD_SHARE = 0.10

# The four new wards carved out of the former Long Biên district: (org code, ward name in the package).
NEW_WARDS: tuple[tuple[str, str], ...] = (
    ("LB", "Phường Long Biên"),
    ("BD", "Phường Bồ Đề"),
    ("VH", "Phường Việt Hưng"),
    ("PL", "Phường Phúc Lợi"),
)
# Former wards of Long Biên district: (code, name, number of cells, successor ward). Old wards that share
# their name with a new ward (Long Biên, Bồ Đề, Việt Hưng, Phúc Lợi) are left out so that every committee
# name in the demo is unique.
OLD_WARDS: tuple[tuple[str, str, int, str], ...] = (
    ("QLB-TB", "Thạch Bàn", 3, "LB"),
    ("QLB-CK", "Cự Khối", 2, "LB"),
    ("QLB-PD", "Phúc Đồng", 2, "LB"),
    ("QLB-GT", "Gia Thụy", 3, "LB"),
    ("QLB-NL", "Ngọc Lâm", 3, "BD"),
    ("QLB-NT", "Ngọc Thụy", 2, "BD"),
    ("QLB-DG", "Đức Giang", 3, "VH"),
    ("QLB-GB", "Giang Biên", 2, "VH"),
    ("QLB-SD", "Sài Đồng", 2, "PL"),
)

# Đảng bộ phường Long Biên: cells of agencies (suffix, name, workplaces of their members) …
LB_AGENCY_CELLS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("CQDU", "Chi bộ Cơ quan Đảng ủy", ("LB", "LB-VP", "LB-BXDD", "LB-UBKT")),
    ("UBND", "Chi bộ UBND phường", ("LB-UBND", "LB-TTHCC")),
    (
        "MTDT",
        "Chi bộ Cơ quan Mặt trận và các đoàn thể",
        ("LB-MTTQ", "LB-HPN", "LB-DTN", "LB-CCB", "LB-CD", "LB-NCT"),
    ),
    ("THCS", "Chi bộ Trường THCS Thạch Bàn", ("LB-THCS",)),
    ("TH", "Chi bộ Trường Tiểu học Cự Khối", ("LB-TH",)),
    ("MN", "Chi bộ Trường Mầm non Long Biên", ("LB-MN",)),
    ("TYT", "Chi bộ Trạm Y tế", ("LB-TYT",)),
    ("CA", "Chi bộ Công an phường", ("LB-CA",)),
    ("QS", "Chi bộ Quân sự", ("LB-QS",)),
)
LB_RESIDENTIAL_CELLS = 26  # … and of residential groups: "Chi bộ Tổ dân phố số N"
SIBLING_RESIDENTIAL_CELLS = 4
ACCOUNT_CELL = "LB-CB-TDP05"  # the cell of the `bithuchibo` and `dangvien` accounts
HISTORY_CELLS = ("LB-CB-TDP02", "LB-CB-TDP03", "LB-CB-TDP07")  # the secretary changed on 1/1/2026

# Where people who are not party members work in Long Biên (relative weights).
LB_STAFF_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("LB-UBND", 6),
    ("LB-TTHCC", 6),
    ("LB-THCS", 14),
    ("LB-TH", 16),
    ("LB-MN", 14),
    ("LB-TYT", 8),
    ("LB-CA", 5),
    ("LB-QS", 2),
    ("LB-VP", 2),
    ("LB-BXDD", 1),
    ("LB-UBKT", 1),
    ("LB-MTTQ", 2),
    ("LB-HPN", 2),
    ("LB-DTN", 2),
    ("LB-CCB", 1),
    ("LB-CD", 1),
    ("LB-NCT", 1),
)

# The demo accounts: username, role, organization code, person tag.
ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", RoleCode.SYSTEM_ADMIN, "HN", "LB:acc:admin"),
    ("tochuc", "organization_officer", "LB", "LB:acc:tochuc"),
    ("tuyengiao", "propaganda_officer", "LB", "LB:acc:tuyengiao"),
    ("kiemtra", "inspection_officer", "LB", "LB:acc:kiemtra"),
    ("bithu", "secretary", "LB", "LB:ward_secretary"),
    ("bithuchibo", "secretary", ACCOUNT_CELL, f"LB:sec:{ACCOUNT_CELL}"),
    ("dangvien", "member", ACCOUNT_CELL, "LB:duc"),
    ("mattran", "front_officer", "LB-MTTQ", "LB:mttq_chair"),
    ("xuly", "feedback_handler", "LB", "LB:acc:xuly"),
    ("thidua", "emulation_officer", "LB", "LB:acc:thidua"),
    ("bientap", "editor", "LB", "LB:acc:bientap"),
    ("bithubode", "secretary", "BD", "BD:ward_secretary"),
)
FIXED_PERSON = names.Name("Nguyễn", "Văn", "Đức", names.MALE)  # present exactly once (tests search for him)

PHONE_PREFIXES = ("090", "091", "094", "096", "097", "098", "086", "088", "033", "035", "039", "070", "083")

# Birth-year ranges (low, high, mode) by kind of person.
RESIDENT = (1945, 2002, 1956)
WORKER = (1966, 2003, 1986)
CADRE = (1966, 1992, 1978)


def new_ward_committee_name(ward: Ward) -> str:
    """ "Phường Long Biên" → "Đảng bộ phường Long Biên"."""
    division, rest = ward.name.split(" ", 1)
    return f"Đảng bộ {division.lower()} {rest}"


def ward_note(ward: Ward) -> str:
    return f"{ward.name}, mã đơn vị hành chính {int(ward.code):05d} (NQ 1656/NQ-UBTVQH15); {HD31}."


def package_wards() -> dict[str, Ward]:
    """The four new wards as the `vietnam_provinces` package names them (Hà Nội, province code 1)."""
    by_name = {w.name: w for w in Ward.iter_by_province(ProvinceCode(1))}
    missing = [name for _code, name in NEW_WARDS if name not in by_name]
    if missing:
        raise RuntimeError(f"vietnam_provinces has no ward named {', '.join(missing)} in Hà Nội")
    return {code: by_name[name] for code, name in NEW_WARDS}


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class _Spec:
    """A person to create: org codes, not objects, so that the plan is cheap and deterministic."""

    prefix: str  # code prefix: the new ward the person belongs to
    member: bool
    party_cell: str | None
    workplace: str | None
    residence_cell: str | None
    birth: tuple[int, int, int]
    gender: str | None = None
    tag: str = ""
    fixed_name: names.Name | None = None
    group: str = ""  # for the head counts: "quan", "old", or the new ward's code


@dataclass(frozen=True)
class _Pos:
    tag: str
    org: str
    title: str
    is_head: bool
    from_date: dt.date
    to_date: dt.date | None = None


class _Builder:
    def __init__(self, *, seed: int, people: int, stdout: TextIO | None) -> None:
        self.rng = random.Random(seed)
        self.people = people
        self.stdout = stdout
        self.actor = Actor.system(reason="seed_demo")
        self.as_of = min(timezone.localdate(), DEMO_AS_OF)
        self.orgs: dict[str, Organization] = {}
        self.specs: list[_Spec] = []
        self.positions: list[_Pos] = []
        self.persons: dict[str, Person] = {}
        self.wards = package_wards()
        self.started = time.monotonic()

    # -- helpers -------------------------------------------------------------------------------------------

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"[{time.monotonic() - self.started:5.1f}s] {message}\n")

    def org(
        self,
        code: str,
        name: str,
        kind: str,
        parent: str | None,
        valid_from: dt.date,
        *,
        short_name: str = "",
        is_grassroots: bool = False,
        note: str = "",
    ) -> Organization:
        org = services.organization_create(
            actor=self.actor,
            code=code,
            name=name,
            kind=kind,
            parent=self.orgs[parent] if parent else None,
            valid_from=valid_from,
            short_name=short_name,
            is_grassroots=is_grassroots,
            note=note,
        )
        self.orgs[code] = org
        return org

    def spec(
        self,
        prefix: str,
        tag: str,
        *,
        cell: str | None,
        workplace: str | None = None,
        residence: str | None = None,
        birth: tuple[int, int, int] = CADRE,
        gender: str | None = None,
        fixed_name: names.Name | None = None,
        group: str = "",
    ) -> None:
        self.specs.append(
            _Spec(
                prefix=prefix,
                member=cell is not None,
                party_cell=cell,
                workplace=workplace,
                residence_cell=residence,
                birth=birth,
                gender=gender,
                tag=f"{prefix}:{tag}" if tag else "",
                fixed_name=fixed_name,
                group=group or prefix,
            )
        )

    def pos(
        self,
        tag: str,
        org: str,
        title: str,
        from_date: dt.date,
        *,
        head: bool = False,
        to_date: dt.date | None = None,
    ) -> None:
        self.positions.append(_Pos(tag, org, title, head, from_date, to_date))

    def cell_officers(
        self, prefix: str, cell: str, *, workplaces: tuple[str, ...] = (), since: dt.date, group: str = ""
    ) -> None:
        """A secretary and a deputy for `cell`, with their positions."""
        for role, title, head in (("sec", "Bí thư Chi bộ", True), ("dep", "Phó Bí thư Chi bộ", False)):
            if workplaces:
                self.spec(
                    prefix,
                    f"{role}:{cell}",
                    cell=cell,
                    workplace=self.rng.choice(workplaces),
                    residence=None,
                    birth=CADRE,
                    group=group,
                )
            else:
                self.spec(prefix, f"{role}:{cell}", cell=cell, residence=cell, birth=RESIDENT, group=group)
            self.pos(f"{prefix}:{role}:{cell}", cell, title, since, head=head)

    # -- the organization tree -----------------------------------------------------------------------------

    def build_history(self) -> None:
        """Thành ủy Hà Nội, the Quận ủy Long Biên (2003–2025) and former wards with their cells."""
        self.org(
            "HN",
            "Đảng bộ Thành phố Hà Nội",
            OrgKind.PARTY_COMMITTEE,
            None,
            dt.date(1930, 2, 3),
            short_name="Thành ủy Hà Nội",
            note="Dữ liệu minh họa (seed_demo).",
        )
        self.org(
            "QLB",
            "Đảng bộ quận Long Biên",
            OrgKind.PARTY_COMMITTEE,
            "HN",
            dt.date(2003, 11, 6),
            short_name="Quận ủy Long Biên",
            note="Quận Long Biên thành lập theo NĐ 132/2003/NĐ-CP; kết thúc hoạt động 30/6/2025.",
        )
        start = dt.date(2003, 11, 6)
        for code, name in (
            ("QLB-VP", "Văn phòng Quận ủy"),
            ("QLB-BTC", "Ban Tổ chức Quận ủy"),
            ("QLB-UBKT", "Ủy ban Kiểm tra Quận ủy"),
            ("QLB-BTG", "Ban Tuyên giáo Quận ủy"),
            ("QLB-BDV", "Ban Dân vận Quận ủy"),
        ):
            self.org(code, name, OrgKind.ADVISORY_BODY, "QLB", start)
        self.org(
            "QLB-BTGDV", "Ban Tuyên giáo và Dân vận Quận ủy", OrgKind.ADVISORY_BODY, "QLB", PROPAGANDA_MERGE
        )
        self.org("QLB-CB-CQ", "Chi bộ Cơ quan Quận ủy", OrgKind.PARTY_CELL, "QLB", start)
        old_start = dt.date(2004, 1, 1)
        for code, name, cells, _target in OLD_WARDS:
            self.org(
                code,
                f"Đảng bộ phường {name}",
                OrgKind.PARTY_COMMITTEE,
                "QLB",
                old_start,
                short_name=f"Đảng ủy phường {name}",
                is_grassroots=True,
            )
            numbers = sorted(self.rng.sample(range(1, 16), cells))
            for i, number in enumerate(numbers, start=1):
                self.org(
                    f"{code}-CB{i:02d}",
                    f"Chi bộ Tổ dân phố số {number}",
                    OrgKind.PARTY_CELL,
                    code,
                    old_start,
                    short_name=f"TDP {number} – phường {name} (cũ)",
                )

    def build_long_bien(self) -> None:
        ward = self.wards["LB"]
        wn = ward.name.split(" ", 1)[1]  # "Long Biên"
        self.org(
            "LB",
            new_ward_committee_name(ward),
            OrgKind.PARTY_COMMITTEE,
            "HN",
            REORG,
            short_name=f"Đảng ủy phường {wn}",
            is_grassroots=True,
            note=ward_note(ward),
        )
        for code, name in (
            ("LB-VP", "Văn phòng Đảng ủy"),
            ("LB-BXDD", "Ban Xây dựng Đảng"),
            ("LB-UBKT", "Ủy ban Kiểm tra Đảng ủy"),
        ):
            self.org(code, name, OrgKind.ADVISORY_BODY, "LB", REORG)
        self.org(
            "LB-UBND",
            f"UBND phường {wn}",
            OrgKind.PEOPLES_COMMITTEE,
            "LB",
            REORG,
            short_name=f"Ủy ban nhân dân phường {wn}",
        )
        for code, name in (
            ("LB-TTHCC", f"Trung tâm Phục vụ hành chính công phường {wn}"),
            ("LB-THCS", "Trường THCS Thạch Bàn"),
            ("LB-TH", "Trường Tiểu học Cự Khối"),
            ("LB-MN", f"Trường Mầm non {wn}"),
            ("LB-TYT", f"Trạm Y tế phường {wn}"),
            ("LB-CA", f"Công an phường {wn}"),
            ("LB-QS", f"Ban Chỉ huy Quân sự phường {wn}"),
        ):
            self.org(code, name, OrgKind.AGENCY, "LB-UBND", REORG)
        self.org(
            "LB-MTTQ",
            f"Ủy ban MTTQ Việt Nam phường {wn}",
            OrgKind.FRONT,
            "LB",
            REORG,
            short_name=f"MTTQ phường {wn}",
        )
        for code, name in (
            ("LB-HPN", f"Hội Liên hiệp Phụ nữ phường {wn}"),
            ("LB-DTN", f"Đoàn TNCS Hồ Chí Minh phường {wn}"),
            ("LB-CCB", f"Hội Cựu chiến binh phường {wn}"),
            ("LB-CD", f"Công đoàn phường {wn}"),
            ("LB-NCT", f"Hội Người cao tuổi phường {wn}"),
        ):
            self.org(code, name, OrgKind.MASS_ORG, "LB-MTTQ", REORG)
        for suffix, name, _workplaces in LB_AGENCY_CELLS:
            self.org(f"LB-CB-{suffix}", name, OrgKind.PARTY_CELL, "LB", REORG)
        for n in range(1, LB_RESIDENTIAL_CELLS + 1):
            self.org(f"LB-CB-TDP{n:02d}", f"Chi bộ Tổ dân phố số {n}", OrgKind.PARTY_CELL, "LB", REORG)

    def build_sibling(self, code: str) -> None:
        ward = self.wards[code]
        wn = ward.name.split(" ", 1)[1]
        self.org(
            code,
            new_ward_committee_name(ward),
            OrgKind.PARTY_COMMITTEE,
            "HN",
            REORG,
            short_name=f"Đảng ủy phường {wn}",
            is_grassroots=True,
            note=ward_note(ward),
        )
        self.org(
            f"{code}-UBND",
            f"UBND phường {wn}",
            OrgKind.PEOPLES_COMMITTEE,
            code,
            REORG,
            short_name=f"Ủy ban nhân dân phường {wn}",
        )
        self.org(
            f"{code}-MTTQ",
            f"Ủy ban MTTQ Việt Nam phường {wn}",
            OrgKind.FRONT,
            code,
            REORG,
            short_name=f"MTTQ phường {wn}",
        )
        self.org(f"{code}-CB-CQ", "Chi bộ Cơ quan Đảng ủy – UBND phường", OrgKind.PARTY_CELL, code, REORG)
        for n in range(1, SIBLING_RESIDENTIAL_CELLS + 1):
            self.org(f"{code}-CB-TDP{n:02d}", f"Chi bộ Tổ dân phố số {n}", OrgKind.PARTY_CELL, code, REORG)

    # -- the people plan -----------------------------------------------------------------------------------

    def residential_cells(self, ward: str) -> list[str]:
        return [c for c in self.orgs if c.startswith(f"{ward}-CB-TDP")]

    def fill(
        self,
        prefix: str,
        *,
        total: int,
        members: int,
        agency_cells: dict[str, tuple[str, ...]],
        staff_weights: tuple[tuple[str, float], ...],
        cross_ward: tuple[str, ...] = (),
    ) -> None:
        """Add random people to a new ward until it has `total` people, `members` of them party members."""
        existing = [s for s in self.specs if s.group == prefix]
        remaining = total - len(existing)
        if remaining < 0:
            raise ValueError(f"Too few people for ward {prefix}: its officers alone need {len(existing)}.")
        more_members = min(remaining, max(0, members - sum(s.member for s in existing)))
        residential = self.residential_cells(prefix)
        agency = list(agency_cells)
        other_cells = [c for ward in cross_ward for c in self.residential_cells(ward)]
        for _ in range(more_members):
            if self.rng.random() < 0.25:
                cell = self.rng.choice(agency)
                draw = self.rng.random()
                if draw < 0.03 and other_cells:
                    residence = self.rng.choice(other_cells)  # lives in a sibling ward (Quy định 213)
                elif draw < 0.33:
                    residence = self.rng.choice(residential)
                else:
                    residence = None
                self.spec(
                    prefix,
                    "",
                    cell=cell,
                    workplace=self.rng.choice(agency_cells[cell]),
                    residence=residence,
                    birth=WORKER,
                )
            else:
                cell = self.rng.choice(residential)
                residence = cell if self.rng.random() < 0.88 else None
                self.spec(prefix, "", cell=cell, residence=residence, birth=RESIDENT)
        places, weights = zip(*staff_weights, strict=True)
        for _ in range(remaining - more_members):
            self.spec(
                prefix,
                "",
                cell=None,
                workplace=self.rng.choices(places, weights=weights, k=1)[0],
                birth=WORKER,
            )

    def plan_people(self) -> None:
        rng = self.rng
        old_cells = {code: [c for c in self.orgs if c.startswith(f"{code}-CB")] for code, *_ in OLD_WARDS}
        n_old_cells = sum(len(v) for v in old_cells.values())
        old_total = max(2 * n_old_cells + len(OLD_WARDS), round(self.people * OLD_WARD_SHARE))
        quan_extra = round(self.people * 0.004)
        sibling_total = max(15, round(self.people * SIBLING_SHARE))

        # The Quận ủy (2003–2025): its leaders and staff work in its bodies, active in its agency cell.
        quan_bodies = ("QLB", "QLB-VP", "QLB-BTC", "QLB-UBKT", "QLB-BTG", "QLB-BDV")
        term = dt.date(2020, 9, 20)
        first_old_cell = old_cells[OLD_WARDS[0][0]][0]
        self.spec(
            "LB",
            "qlb:former_secretary",
            cell=first_old_cell,
            residence=first_old_cell,
            birth=(1952, 1960, 1956),
            group="quan",
        )
        self.pos(
            "LB:qlb:former_secretary",
            "QLB",
            "Bí thư Quận ủy",
            dt.date(2015, 9, 21),
            head=True,
            to_date=term - dt.timedelta(days=1),
        )
        for tag, workplace, title, head in (
            ("secretary", "QLB", "Bí thư Quận ủy", True),
            ("deputy", "QLB", "Phó Bí thư Thường trực Quận ủy", False),
            ("btc_head", "QLB-BTC", "Trưởng Ban Tổ chức Quận ủy", True),
            ("ubkt_head", "QLB-UBKT", "Chủ nhiệm Ủy ban Kiểm tra Quận ủy", True),
            ("vp_head", "QLB-VP", "Chánh Văn phòng Quận ủy", True),
            ("btg_head", "QLB-BTG", "Trưởng Ban Tuyên giáo Quận ủy", True),
            ("bdv_head", "QLB-BDV", "Trưởng Ban Dân vận Quận ủy", True),
        ):
            self.spec("LB", f"qlb:{tag}", cell="QLB-CB-CQ", workplace=workplace, birth=CADRE, group="quan")
            self.pos(f"LB:qlb:{tag}", workplace, title, term, head=head)
        # 1/3/2025: the two departments became one; its head and deputy came from them.
        self.pos(
            "LB:qlb:btg_head",
            "QLB-BTGDV",
            "Trưởng Ban Tuyên giáo và Dân vận Quận ủy",
            PROPAGANDA_MERGE,
            head=True,
        )
        self.pos(
            "LB:qlb:bdv_head", "QLB-BTGDV", "Phó Trưởng Ban Tuyên giáo và Dân vận Quận ủy", PROPAGANDA_MERGE
        )
        self.cell_officers("LB", "QLB-CB-CQ", workplaces=quan_bodies, since=dt.date(2022, 8, 1), group="quan")
        for _ in range(quan_extra):
            self.spec(
                "LB", "", cell="QLB-CB-CQ", workplace=rng.choice(quan_bodies), birth=WORKER, group="quan"
            )
        quan_total = len(self.specs)

        # Former wards: their committee secretaries, cell officers and members (all party members).
        old_specs_before = len(self.specs)
        for code, name, _cells, target in OLD_WARDS:
            cells = old_cells[code]
            self.spec(target, f"{code}:secretary", cell=cells[0], workplace=code, birth=CADRE, group="old")
            self.pos(
                f"{target}:{code}:secretary",
                code,
                f"Bí thư Đảng ủy phường {name}",
                dt.date(2020, 7, 1),
                head=True,
            )
            for cell in cells:
                self.cell_officers(target, cell, since=dt.date(2022, 8, 1), group="old")
        all_old_cells = [(c, target) for code, _n, _c, target in OLD_WARDS for c in old_cells[code]]
        for _ in range(old_total - (len(self.specs) - old_specs_before)):
            cell, target = rng.choice(all_old_cells)
            self.spec(
                target,
                "",
                cell=cell,
                residence=cell if rng.random() < 0.85 else None,
                birth=RESIDENT,
                group="old",
            )

        # Sibling wards: a few officers, 5 cells, ~60 people each.
        for code in ("BD", "VH", "PL"):
            cq = f"{code}-CB-CQ"
            for tag, workplace, title, org, head, gender in (
                ("ward_secretary", code, "Bí thư Đảng ủy", code, True, None),
                ("ward_deputy", code, "Phó Bí thư Thường trực Đảng ủy", code, False, None),
                ("ubnd_chair", f"{code}-UBND", "Chủ tịch UBND phường", f"{code}-UBND", True, None),
                (
                    "mttq_chair",
                    f"{code}-MTTQ",
                    "Chủ tịch Ủy ban MTTQ Việt Nam phường",
                    f"{code}-MTTQ",
                    True,
                    names.FEMALE,
                ),
            ):
                self.spec(
                    code,
                    tag,
                    cell=cq,
                    workplace=workplace,
                    birth=CADRE,
                    gender=gender,
                    residence=rng.choice(self.residential_cells(code)) if rng.random() < 0.5 else None,
                )
                self.pos(f"{code}:{tag}", org, title, REORG, head=head)
            self.pos(f"{code}:ubnd_chair", code, "Phó Bí thư Đảng ủy", REORG)
            self.cell_officers(code, cq, workplaces=(code, f"{code}-UBND", f"{code}-MTTQ"), since=REORG)
            for cell in self.residential_cells(code):
                self.cell_officers(code, cell, since=REORG)
            self.fill(
                code,
                total=sibling_total,
                members=round(sibling_total * MEMBER_SHARE),
                agency_cells={cq: (code, f"{code}-UBND", f"{code}-MTTQ")},
                staff_weights=((f"{code}-UBND", 5), (f"{code}-MTTQ", 2), (code, 1)),
            )

        # Đảng bộ phường Long Biên, in detail.
        lb_total = self.people - old_total - quan_total - 3 * sibling_total
        officers = (  # tag, cell suffix (None: not a member), workplace, birth, gender, positions
            ("ward_secretary", "CQDU", "LB", CADRE, None, (("LB", "Bí thư Đảng ủy", True),)),
            ("ward_deputy", "CQDU", "LB", CADRE, None, (("LB", "Phó Bí thư Thường trực Đảng ủy", False),)),
            (
                "ubnd_chair",
                "UBND",
                "LB-UBND",
                CADRE,
                None,
                (("LB", "Phó Bí thư Đảng ủy", False), ("LB-UBND", "Chủ tịch UBND phường", True)),
            ),
            ("ubnd_vice1", "UBND", "LB-UBND", CADRE, None, (("LB-UBND", "Phó Chủ tịch UBND phường", False),)),
            ("ubnd_vice2", "UBND", "LB-UBND", CADRE, None, (("LB-UBND", "Phó Chủ tịch UBND phường", False),)),
            ("vp_head", "CQDU", "LB-VP", CADRE, None, (("LB-VP", "Chánh Văn phòng Đảng ủy", True),)),
            ("bxdd_head", "CQDU", "LB-BXDD", CADRE, None, (("LB-BXDD", "Trưởng Ban Xây dựng Đảng", True),)),
            (
                "ubkt_head",
                "CQDU",
                "LB-UBKT",
                CADRE,
                None,
                (("LB-UBKT", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy", True),),
            ),
            (
                "mttq_chair",
                "MTDT",
                "LB-MTTQ",
                CADRE,
                names.FEMALE,
                (("LB-MTTQ", "Chủ tịch Ủy ban MTTQ Việt Nam phường", True),),
            ),
            (
                "mttq_vice",
                "MTDT",
                "LB-MTTQ",
                CADRE,
                None,
                (("LB-MTTQ", "Phó Chủ tịch Ủy ban MTTQ Việt Nam phường", False),),
            ),
            (
                "hpn_head",
                "MTDT",
                "LB-HPN",
                CADRE,
                names.FEMALE,
                (("LB-HPN", "Chủ tịch Hội Liên hiệp Phụ nữ phường", True),),
            ),
            (
                "dtn_head",
                "MTDT",
                "LB-DTN",
                (1990, 1999, 1995),
                None,
                (("LB-DTN", "Bí thư Đoàn phường", True),),
            ),
            (
                "ccb_head",
                "MTDT",
                "LB-CCB",
                (1950, 1962, 1956),
                names.MALE,
                (("LB-CCB", "Chủ tịch Hội Cựu chiến binh phường", True),),
            ),
            ("cd_head", "MTDT", "LB-CD", CADRE, None, (("LB-CD", "Chủ tịch Công đoàn phường", True),)),
            (
                "nct_head",
                "MTDT",
                "LB-NCT",
                (1946, 1958, 1952),
                None,
                (("LB-NCT", "Chủ tịch Hội Người cao tuổi phường", True),),
            ),
            (
                "tthcc_head",
                "UBND",
                "LB-TTHCC",
                CADRE,
                None,
                (("LB-TTHCC", "Giám đốc Trung tâm Phục vụ hành chính công", True),),
            ),
            ("thcs_head", "THCS", "LB-THCS", CADRE, None, (("LB-THCS", "Hiệu trưởng", True),)),
            ("th_head", "TH", "LB-TH", CADRE, names.FEMALE, (("LB-TH", "Hiệu trưởng", True),)),
            ("mn_head", "MN", "LB-MN", CADRE, names.FEMALE, (("LB-MN", "Hiệu trưởng", True),)),
            ("tyt_head", "TYT", "LB-TYT", CADRE, None, (("LB-TYT", "Trạm trưởng", True),)),
            ("ca_head", "CA", "LB-CA", CADRE, names.MALE, (("LB-CA", "Trưởng Công an phường", True),)),
            (
                "qs_head",
                "QS",
                "LB-QS",
                CADRE,
                names.MALE,
                (("LB-QS", "Chỉ huy trưởng Ban Chỉ huy Quân sự phường", True),),
            ),
            ("acc:admin", None, "LB-VP", WORKER, None, ()),
            (
                "acc:tochuc",
                "CQDU",
                "LB-BXDD",
                CADRE,
                None,
                (("LB-BXDD", "Phó Trưởng Ban Xây dựng Đảng", False),),
            ),
            ("acc:tuyengiao", "CQDU", "LB-BXDD", WORKER, None, ()),
            (
                "acc:kiemtra",
                "CQDU",
                "LB-UBKT",
                CADRE,
                None,
                (("LB-UBKT", "Phó Chủ nhiệm Ủy ban Kiểm tra Đảng ủy", False),),
            ),
            ("acc:xuly", "UBND", "LB-TTHCC", WORKER, None, ()),
            ("acc:thidua", "UBND", "LB-UBND", WORKER, None, ()),
            ("acc:bientap", None, "LB-VP", WORKER, None, ()),
        )
        lb_residential = self.residential_cells("LB")
        for tag, suffix, workplace, birth, gender, titles in officers:
            residence = rng.choice(lb_residential) if suffix and rng.random() < 0.4 else None
            self.spec(
                "LB",
                tag,
                cell=f"LB-CB-{suffix}" if suffix else None,
                workplace=workplace,
                residence=residence,
                birth=birth,
                gender=gender,
            )
            for org, title, head in titles:
                self.pos(f"LB:{tag}", org, title, REORG, head=head)
        self.spec(
            "LB",
            "duc",
            cell=ACCOUNT_CELL,
            residence=ACCOUNT_CELL,
            birth=(1962, 1975, 1968),
            gender=names.MALE,
            fixed_name=FIXED_PERSON,
        )
        agency_cells = {f"LB-CB-{s}": w for s, _n, w in LB_AGENCY_CELLS}
        for cell, workplaces in agency_cells.items():
            self.cell_officers("LB", cell, workplaces=workplaces, since=REORG)
        new_term = dt.date(2026, 1, 1)
        for cell in lb_residential:
            if cell in HISTORY_CELLS:
                # The first secretary after the reorganisation stepped down at the end of 2025.
                self.spec("LB", f"former_sec:{cell}", cell=cell, residence=cell, birth=RESIDENT)
                self.pos(
                    f"LB:former_sec:{cell}",
                    cell,
                    "Bí thư Chi bộ",
                    REORG,
                    head=True,
                    to_date=new_term - dt.timedelta(days=1),
                )
                self.spec("LB", f"sec:{cell}", cell=cell, residence=cell, birth=RESIDENT)
                self.pos(f"LB:sec:{cell}", cell, "Bí thư Chi bộ", new_term, head=True)
                self.spec("LB", f"dep:{cell}", cell=cell, residence=cell, birth=RESIDENT)
                self.pos(f"LB:dep:{cell}", cell, "Phó Bí thư Chi bộ", REORG)
            else:
                self.cell_officers("LB", cell, since=REORG)
        # Party members are ~60% of everyone; old wards and the Quận ủy are all members, so LB takes the rest.
        members_elsewhere = sum(sp.member for sp in self.specs if sp.group != "LB")
        self.fill(
            "LB",
            total=lb_total,
            members=round(self.people * MEMBER_SHARE) - members_elsewhere,
            agency_cells=agency_cells,
            staff_weights=LB_STAFF_WEIGHTS,
            cross_ward=("BD", "VH", "PL"),
        )

    # -- writing -------------------------------------------------------------------------------------------

    def create_people(self) -> None:
        rng = self.rng
        rng.shuffle(self.specs)  # codes are given in a mixed order, not officers first
        latest_admission = _add_years(self.as_of, -1)  # official membership comes a year later
        emails = {tag: f"{username}@example.com" for username, _r, _o, tag in ACCOUNTS}
        seq: dict[str, int] = defaultdict(int)
        objs, tags = [], {}
        for sp in self.specs:
            low, high, mode = sp.birth
            year = min(high, max(low, round(rng.triangular(low, high, mode))))
            dob = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
            name = sp.fixed_name or names.random_name(rng, gender=sp.gender, birth_year=year)
            admission = official = None
            if sp.member:
                admission = _add_years(dob, rng.randint(19, 35)) + dt.timedelta(days=rng.randint(0, 364))
                admission = max(_add_years(dob, 18), min(admission, latest_admission))
                official = _add_years(admission, 1)
            seq[sp.prefix] += 1
            phone = ""
            if rng.random() < 0.6:
                phone = f"{rng.choice(PHONE_PREFIXES)}{rng.randint(0, 9_999_999):07d}"
            data: dict[str, Any] = {
                "code": f"{sp.prefix}{seq[sp.prefix]:06d}",
                "full_name": clean(name.full_name),
                "gender": name.gender,
                "date_of_birth": dob,
                "is_party_member": sp.member,
                "admission_date": admission,
                "official_date": official,
                "party_cell": self.orgs[sp.party_cell] if sp.party_cell else None,
                "workplace": self.orgs[sp.workplace] if sp.workplace else None,
                "residence_cell": self.orgs[sp.residence_cell] if sp.residence_cell else None,
                "phone": phone,
                "email": emails.get(sp.tag, ""),
            }
            # The bulk path bypasses person_create: hold every row to the same rules.
            services.person_validate(data)
            objs.append(Person(**data, search_name=fold(data["full_name"])))
            if sp.tag:
                tags[sp.tag] = data["code"]
        bulk_create_with_history(objs, Person, batch_size=500, **audit.bulk_history_kwargs())
        created = Person.objects.unscoped(reason="demo seed").filter(code__in=tags.values())
        by_code = {p.code: p for p in created}
        self.persons = {tag: by_code[code] for tag, code in tags.items()}

    def create_positions(self) -> None:
        for p in self.positions:
            services.position_create(
                actor=self.actor,
                person=self.persons[p.tag],
                organization=self.orgs[p.org],
                title=p.title,
                is_head=p.is_head,
                from_date=p.from_date,
                to_date=p.to_date,
            )

    def merge(self, sources: list[str], target: str, effective: dt.date, note: str) -> None:
        services.organization_merge(
            actor=self.actor,
            sources=[self.orgs[c] for c in sources],
            target=self.orgs[target],
            effective=effective,
            note=note,
        )

    def reorganise(self) -> None:
        """1/3/2025 and 1/7/2025: merges close the old organizations and move their people."""
        self.merge(
            ["QLB-BTG", "QLB-BDV"],
            "QLB-BTGDV",
            PROPAGANDA_MERGE,
            "Hợp nhất Ban Tuyên giáo và Ban Dân vận Quận ủy (1/3/2025)",
        )
        # Old cells join the residential cells of the ward that took over their area.
        by_target: dict[str, list[str]] = defaultdict(list)
        next_cell: dict[str, int] = defaultdict(int)
        for code, _name, _cells, ward in OLD_WARDS:
            targets = self.residential_cells(ward)
            for cell in (c for c in self.orgs if c.startswith(f"{code}-CB")):
                by_target[targets[next_cell[ward] % len(targets)]].append(cell)
                next_cell[ward] += 1
        for target, sources in by_target.items():
            self.merge(sources, target, REORG, f"Sắp xếp tổ dân phố, chi bộ khi hợp nhất phường ({HD31})")
        for sources, target in (
            (["QLB-VP"], "LB-VP"),
            (["QLB-BTC", "QLB-BTGDV"], "LB-BXDD"),
            (["QLB-UBKT"], "LB-UBKT"),
            (["QLB-CB-CQ"], "LB-CB-CQDU"),
        ):
            self.merge(sources, target, REORG, f"Kết thúc hoạt động cấp huyện ({HD31})")
        for ward in ("LB", "BD", "VH", "PL"):
            sources = [code for code, _n, _c, target in OLD_WARDS if target == ward]
            self.merge(sources, ward, REORG, f"NQ 1656/NQ-UBTVQH15; {HD31}")
        # The Quận ủy ends; Long Biên is its main successor, the other wards take over part of its area.
        self.merge(["QLB"], "LB", REORG, f"{HD31}: kết thúc hoạt động Đảng bộ quận Long Biên")
        for ward in ("BD", "VH", "PL"):
            Succession.objects.create(
                predecessor=self.orgs["QLB"],
                successor=self.orgs[ward],
                kind=Succession.Kind.SPLIT,
                date=REORG,
                note=f"{HD31}: một phần địa bàn quận Long Biên",
            )

    def create_accounts(self) -> list[dict[str, str]]:
        roles = {r.code: r for r in Role.objects.all()}
        accounts = []
        for username, role, org_code, tag in ACCOUNTS:
            person = self.persons[tag]
            family, given = person.full_name.rsplit(" ", 1)
            is_admin = role == RoleCode.SYSTEM_ADMIN
            user = User.objects.create_user(
                username,
                email=person.email,
                password=settings.LAMTHEO_DEMO_PASSWORD,
                first_name=family,
                last_name=given,  # get_full_name() then reads "Nguyễn Văn Đức"
                person=person,
                is_staff=is_admin,
                is_superuser=is_admin,
            )
            organization = self.orgs[org_code]
            RoleGrant.objects.create(user=user, role=roles[role], organization=organization, valid_from=REORG)
            accounts.append(
                {
                    "username": username,
                    "role": role,
                    "organization": organization.name,
                    "person": person.full_name,
                    "password": settings.LAMTHEO_DEMO_PASSWORD,
                }
            )
        return accounts

    def counts(self) -> dict[str, Any]:
        orgs = Organization.objects.unscoped(reason="demo seed counts")
        people = Person.objects.unscoped(reason="demo seed counts")
        by_ward = {}
        for code, _name in NEW_WARDS:
            path = self.orgs[code].path
            by_ward[code] = people.filter(
                models.Q(party_cell__path__startswith=path) | models.Q(workplace__path__startswith=path)
            ).count()
        return {
            "organizations": orgs.count(),
            "open_organizations": orgs.filter(valid_to__isnull=True).count(),
            "open_party_cells": orgs.filter(valid_to__isnull=True, kind=OrgKind.PARTY_CELL).count(),
            "people": people.count(),
            "party_members": people.filter(is_party_member=True).count(),
            "with_workplace": people.filter(workplace__isnull=False).count(),
            "with_residence_cell": people.filter(residence_cell__isnull=False).count(),
            "people_by_ward": by_ward,
            "positions": Position.objects.unscoped(reason="demo seed counts").count(),
            "successions": Succession.objects.count(),
        }


def database_is_empty() -> bool:
    """True when no organization exists yet (what `seed_demo --if-empty` checks)."""
    return not Organization.objects.unscoped(reason="seed_demo --if-empty checks for any data").exists()


def build_demo(*, seed: int, people: int, stdout: TextIO | None = None) -> dict[str, Any]:
    """Load the reference data and build the demo; returns counts and the accounts (one transaction)."""
    if people < MIN_PEOPLE:
        raise ValueError(f"The demo needs at least {MIN_PEOPLE} people.")
    builder = _Builder(seed=seed, people=people, stdout=stdout)
    actor = builder.actor
    with activate(actor.scope), audit.acting(actor, reason="demo seed"), transaction.atomic():
        roles = services.role_catalogue_load(actor=actor)
        rules = rulebook_load(actor=actor)
        builder.log(f"reference data: {roles} roles, {rules['regulations']} regulations")
        builder.build_history()
        builder.build_long_bien()
        for code in ("BD", "VH", "PL"):
            builder.build_sibling(code)
        builder.log(f"organizations: {len(builder.orgs)}")
        builder.plan_people()
        builder.create_people()
        builder.log(f"people: {len(builder.specs)}")
        builder.create_positions()
        builder.log(f"positions: {len(builder.positions)}")
        builder.reorganise()
        builder.log("reorganisation of 1/7/2025 recorded")
        accounts = builder.create_accounts()
        theme_catalogue_load(actor=actor)  # themes name their issuing committees: the tree now holds them
        from . import demo_commitments

        plans = demo_commitments.build(
            orgs=builder.orgs, persons=builder.persons, cell_code=ACCOUNT_CELL, head_tag=f"LB:sec:{ACCOUNT_CELL}",
            member_tag="LB:duc", seed=seed,
        )  # fmt: skip
        builder.log(f"cultivation plans: {plans['commitment_plans']}")
        from . import demo_planning

        plans.update(demo_planning.build(orgs=builder.orgs, cell_code=ACCOUNT_CELL))
        plans.update(demo_planning.build_import(cell_code=ACCOUNT_CELL))
        builder.log(f"implementation plans: {plans['implementation_plans']}")
        from . import demo_oversight

        plans.update(demo_oversight.build(orgs=builder.orgs, persons=builder.persons, cell_code=ACCOUNT_CELL))
        builder.log(f"inspections and supervision: {plans['oversight_cases']} cases")
        from . import demo_feedback

        plans.update(demo_feedback.build(orgs=builder.orgs))
        builder.log(f"citizens' reports: {plans['citizen_reports']}")
        result = builder.counts()
        result.update(plans)
    result["accounts"] = accounts
    result["seconds"] = round(time.monotonic() - builder.started, 2)
    return result
