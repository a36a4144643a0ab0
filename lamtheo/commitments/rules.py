"""The classification rules of a scheme (pure functions over rulebook data; no database)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from lamtheo.core.errors import DomainError
from lamtheo.rulebook.models import GRADE_ORDER, EvaluationScheme, Grade


def rank(grade: str) -> int:
    """0 for the best grade; larger is worse."""
    return GRADE_ORDER.index(grade)


def grade_label(grade: str) -> str:
    return str(Grade(grade).label) if grade in Grade.values else grade


def check_score(scheme: EvaluationScheme, score: Decimal | None, *, field: str = "score") -> None:
    """A score is required on a points scheme, forbidden on one without points, and inside the scale."""
    if scheme.scale_max is None:
        if score is not None:
            raise DomainError(
                _("The %(scheme)s gives no points: leave the score empty.") % {"scheme": scheme.name},
                field=field,
            )
        return
    if score is None:
        raise DomainError(_("Enter the score (0–%(max)s).") % {"max": scheme.scale_max}, field=field)
    if score < 0 or score > scheme.scale_max:
        raise DomainError(
            _("The score must be between 0 and %(max)s (got %(score)s).")
            % {"max": scheme.scale_max, "score": score},
            field=field,
        )


def band_for(scheme: EvaluationScheme, score: Decimal | None) -> str | None:
    """The best grade a score reaches on a points scheme (None without points)."""
    if scheme.scale_max is None or score is None:
        return None
    for row in scheme.grades:
        if score >= Decimal(str(row["min_score"])):
            return row["grade"]
    return Grade.NOT_COMPLETED


@dataclass(frozen=True)
class Cap:
    grade: str
    reasons: tuple[str, ...]


def cap_for(scheme: EvaluationScheme, codes: list[str]) -> Cap | None:
    """The best grade still allowed under the chosen disqualifiers, and why (None: nothing caps it)."""
    known = {d["code"]: d for d in scheme.disqualifiers}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DomainError(
            _("Unknown disqualifier for this scheme: %(c)s") % {"c": ", ".join(unknown)},
            field="disqualifiers",
        )
    if not codes:
        return None
    worst = max((known[c]["caps_at"] for c in codes), key=rank)
    return Cap(worst, tuple(known[c]["title"] for c in codes))


def check_grade(
    scheme: EvaluationScheme, grade: str, score: Decimal | None, disqualifiers: list[str]
) -> None:
    """Refuse a grade above what the score band or a disqualifier allows, saying why."""
    if grade not in GRADE_ORDER:
        raise DomainError(_("Choose a grade."), field="grade")
    check_score(scheme, score)
    band = band_for(scheme, score)
    if band is not None and rank(grade) < rank(band):
        raise DomainError(
            _("A score of %(score)s allows at most “%(band)s”.")
            % {"score": score, "band": grade_label(band)},
            field="grade",
        )
    cap = cap_for(scheme, disqualifiers)
    if cap is not None and rank(grade) < rank(cap.grade):
        raise DomainError(
            _("The grade can be at most “%(cap)s” because: %(why)s.")
            % {"cap": grade_label(cap.grade), "why": "; ".join(cap.reasons)},
            field="grade",
        )


@dataclass(frozen=True)
class Quota:
    grade: str
    count: int
    base: int
    limit: int
    ratio: Decimal

    @property
    def ok(self) -> bool:
        return self.count <= self.limit


def quota_of(scheme: EvaluationScheme, counts: dict[str, int]) -> Quota | None:
    """The quota status from grade counts (None when the scheme has no quota)."""
    return quota_from(scheme.quota or {}, counts)


def quota_from(q: dict, counts: dict[str, int]) -> Quota | None:  # type: ignore[type-arg]
    """A quota rule ({"grade", "of_grades", "ratio"}) applied to grade counts (None without a rule)."""
    if not q:
        return None
    ratio = Decimal(str(q["ratio"]))
    base = sum(counts.get(g, 0) for g in q["of_grades"])
    return Quota(q["grade"], counts.get(q["grade"], 0), base, math.floor(ratio * base), ratio)


def authority_paths(
    levels: list[str], *, cell_path: str, grassroots_path: str, grassroots_marked: bool
) -> tuple[str, ...]:
    """The organizations (as paths) that the levels of a scheme's `authority` name for a member's cell, read
    from the paths alone: the cell; the đảng bộ bộ phận between it and its grassroots organization; that
    grassroots committee; the cell itself when it is the grassroots organization (chi bộ cơ sở); the
    committees above the grassroots. A grassroots level names nothing when no grassroots is marked above."""
    cell = cell_path.strip("/").split("/")
    top = grassroots_path.strip("/").split("/")
    marked = grassroots_marked and cell[: len(top)] == top

    def path(segments: list[str]) -> str:
        return "/" + "/".join(segments) + "/"

    found: list[str] = []
    for level in levels:
        if level == "cell":
            found.append(cell_path)
        elif level == "grassroots_cell" and marked and len(top) == len(cell):
            found.append(cell_path)
        elif level == "grassroots_committee" and marked and len(top) < len(cell):
            found.append(path(top))
        elif level == "intermediate_committee" and marked:
            found += [path(cell[:n]) for n in range(len(top) + 1, len(cell))]
        elif level == "above_grassroots" and marked:
            found += [path(top[:n]) for n in range(1, len(top))]
    return tuple(dict.fromkeys(found))
