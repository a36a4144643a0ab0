"""Plausible Vietnamese personal names for demo data (deterministic from a random.Random).

A name is "Họ + tên đệm + tên" (surname, middle name, given name). Surnames follow their rough frequency in
the North; middle names are gendered and shift with the generation (Văn / Thị are far more common among
people born before 1975).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from lamtheo.core.text import fold

MALE = "male"
FEMALE = "female"

# (surname, weight ~ per-mille share, skewed to Hà Nội: Huỳnh and Võ are mostly southern).
SURNAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 50),
    ("Phan", 30),
    ("Vũ", 45),
    ("Đặng", 22),
    ("Bùi", 22),
    ("Đỗ", 22),
    ("Hồ", 10),
    ("Ngô", 14),
    ("Dương", 10),
    ("Lý", 5),
    ("Huỳnh", 4),
    ("Võ", 5),
    ("Đinh", 12),
    ("Đào", 12),
    ("Trịnh", 10),
    ("Lương", 6),
    ("Mai", 6),
    ("Tạ", 5),
    ("Chu", 4),
    ("Cao", 6),
    ("Lưu", 5),
    ("Tô", 4),
    ("Hà", 6),
    ("Nghiêm", 2),
    ("Kiều", 2),
    ("Khuất", 1),
    ("Lã", 1),
    ("Phí", 1),
    ("Quách", 2),
    ("Triệu", 2),
    ("Doãn", 1),
)

# (middle name, weight for people born before 1975, weight for people born 1975 or later)
MALE_MIDDLE: tuple[tuple[str, float, float], ...] = (
    ("Văn", 60, 18),
    ("Đức", 6, 10),
    ("Hữu", 6, 5),
    ("Minh", 4, 12),
    ("Quang", 4, 8),
    ("Xuân", 4, 4),
    ("Mạnh", 2, 5),
    ("Công", 4, 5),
    ("Tiến", 2, 4),
    ("Đình", 5, 4),
    ("Thế", 3, 4),
    ("Ngọc", 3, 4),
    ("Trung", 1, 4),
    ("Tuấn", 1, 5),
    ("Duy", 1, 5),
    ("Hoàng", 1, 5),
    ("Thanh", 3, 5),
    ("Viết", 2, 2),
    ("Trọng", 2, 3),
    ("Anh", 0.5, 4),
    ("Việt", 1, 3),
    ("Bá", 2, 1),
    ("Khắc", 1, 1),
)
FEMALE_MIDDLE: tuple[tuple[str, float, float], ...] = (
    ("Thị", 75, 35),
    ("Ngọc", 3, 8),
    ("Thu", 4, 8),
    ("Thanh", 4, 8),
    ("Minh", 1, 6),
    ("Phương", 1, 5),
    ("Hồng", 3, 4),
    ("Thúy", 2, 4),
    ("Kim", 2, 3),
    ("Bích", 2, 3),
    ("Diệu", 0.5, 3),
    ("Hải", 0.5, 3),
    ("Khánh", 0.5, 4),
    ("Mai", 1, 3),
    ("Lan", 1, 2),
    ("Quỳnh", 0.5, 2),
    ("Hoài", 1, 2),
    ("Tuyết", 1, 1),
)

MALE_GIVEN: tuple[str, ...] = (
    "Hùng",
    "Dũng",
    "Tuấn",
    "Minh",
    "Hải",
    "Long",
    "Nam",
    "Sơn",
    "Thắng",
    "Cường",
    "Đức",
    "Hoàng",
    "Quân",
    "Trung",
    "Bình",
    "Thành",
    "Hưng",
    "Phong",
    "Khánh",
    "Huy",
    "Toàn",
    "Tùng",
    "Kiên",
    "Lâm",
    "Việt",
    "Hiếu",
    "Tiến",
    "Đạt",
    "Phúc",
    "An",
    "Bảo",
    "Khoa",
    "Nghĩa",
    "Thịnh",
    "Vinh",
    "Quang",
    "Hòa",
    "Tâm",
    "Trọng",
    "Chiến",
    "Lợi",
    "Thái",
    "Hiệp",
    "Hậu",
    "Tú",
    "Đông",
    "Hiển",
    "Thuận",
    "Tài",
    "Lực",
    "Công",
    "Duy",
    "Giang",
    "Hà",
    "Ninh",
    "Quý",
    "Sáng",
    "Tân",
    "Thọ",
    "Vượng",
)
FEMALE_GIVEN: tuple[str, ...] = (
    "Hương",
    "Lan",
    "Hoa",
    "Mai",
    "Hằng",
    "Thảo",
    "Trang",
    "Linh",
    "Ngọc",
    "Hà",
    "Thủy",
    "Nga",
    "Yến",
    "Phương",
    "Huyền",
    "Nhung",
    "Loan",
    "Hạnh",
    "Dung",
    "Oanh",
    "Vân",
    "Hiền",
    "Liên",
    "Thu",
    "Anh",
    "Quỳnh",
    "Giang",
    "Châu",
    "Ly",
    "My",
    "Tâm",
    "Hồng",
    "Bích",
    "Nhàn",
    "Tuyết",
    "Xuân",
    "Chi",
    "Vy",
    "Nhi",
    "Lụa",
    "Thơm",
    "Hòa",
    "Thanh",
    "Huệ",
    "Lý",
    "Ngân",
    "Diệp",
    "Thúy",
    "Trinh",
    "Uyên",
)

# Names the generator never produces, because the demo inserts them itself exactly once (tests search for
# them). A generated name is also refused when its folded form contains every folded word of a reserved
# name ("Nguyễn Đức Văn" or "Nguyễn Văn Đức Anh" would match a search for "Nguyễn Văn Đức").
RESERVED: tuple[str, ...] = ("Nguyễn Văn Đức",)


@dataclass(frozen=True)
class Name:
    surname: str
    middle: str
    given: str
    gender: str

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.middle} {self.given}"

    @property
    def family_part(self) -> str:
        """Surname and middle name ("Nguyễn Văn"): printed first in Vietnamese."""
        return f"{self.surname} {self.middle}"


def _weighted(rng: random.Random, items: Iterable[tuple[str, float]]) -> str:
    names, weights = zip(*items, strict=True)
    return rng.choices(names, weights=weights, k=1)[0]


def _collides(full_name: str, reserved: Iterable[str]) -> bool:
    folded = fold(full_name)
    return any(all(word in folded for word in fold(name).split()) for name in reserved)


def random_name(
    rng: random.Random,
    *,
    gender: str | None = None,
    birth_year: int | None = None,
    reserved: Iterable[str] = RESERVED,
) -> Name:
    """One name; `gender` (male/female) is drawn at random when not given."""
    gender = gender or rng.choice((MALE, FEMALE))
    older = birth_year is not None and birth_year < 1975
    middles = MALE_MIDDLE if gender == MALE else FEMALE_MIDDLE
    givens = MALE_GIVEN if gender == MALE else FEMALE_GIVEN
    while True:
        surname = _weighted(rng, SURNAMES)
        middle = _weighted(rng, ((m, old if older else new) for m, old, new in middles))
        given = rng.choice(givens)
        if given == middle:
            continue
        name = Name(surname, middle, given, gender)
        if not _collides(name.full_name, reserved):
            return name


def generate(seed: int, count: int) -> list[Name]:
    """`count` names, the same ones for the same seed."""
    rng = random.Random(seed)
    return [random_name(rng, birth_year=rng.randint(1945, 2004)) for _ in range(count)]
