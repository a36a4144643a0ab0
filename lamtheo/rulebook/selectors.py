"""Reads on the rulebook (public reference data)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import models
from django.db.models import Q, QuerySet

from lamtheo.core.actor import Actor
from lamtheo.core.permissions import actor_scoped, get_or_404
from lamtheo.core.text import clean, search_q

from .models import (
    CommitmentCalendar,
    CommitmentTemplate,
    CriteriaSet,
    Criterion,
    EvaluationScheme,
    FeedbackRules,
    Grade,
    Holiday,
    OversightRules,
    PlanApproval,
    Regulation,
    ResidenceCommentForm,
)

# Who judges records by a rule version: {model label: [count of records that reference row pk]}. A higher
# context registers its counter in AppConfig.ready() (the rulebook imports no context above it).
_uses: dict[str, list[Callable[[int], int]]] = {}


def register_rule_use(model: type[models.Model], counter: Callable[[int], int]) -> None:
    """Declare that records of a higher context are judged by rows of `model`: `counter(pk)` counts them."""
    _uses.setdefault(model._meta.label, []).append(counter)


def rule_version_uses(row: models.Model) -> int:
    """How many records were judged by this rule version (0: it may still change; else it is frozen)."""
    if row.pk is None:
        return 0
    return sum(counter(row.pk) for counter in _uses.get(row._meta.label, []))


def rule_version_next(model: type[models.Model], code: str) -> int:
    """The version number a new version of rule `code` takes."""
    last = model._default_manager.filter(code=code).aggregate(last=models.Max("version"))["last"]
    return (last or 0) + 1


def grade_choices() -> list[tuple[str, str]]:
    """The grades of the yearly evaluation (Quy định 124), best first, as form choices."""
    return list(Grade.choices)


def regulation_choices() -> QuerySet[Regulation]:
    """Every regulation, for a form field that names them (lazy)."""
    return Regulation.objects.all()


def regulation_list(*, q: str = "", kind: str = "", status: str = "") -> QuerySet[Regulation]:
    """Regulations matching folded words of `q`, newest first."""
    qs = Regulation.objects.filter(search_q("search_text", q))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("replaced_by")


def regulation_pick(*, q: str = "", limit: int = 20) -> list[Regulation]:
    """Regulations whose number, symbol, title or issuer hold every folded word of `q`, for pickers;
    those numbered `q` ("05" or "05-CT/TW") come first, before the ones that only mention it."""
    number, _sep, symbol = clean(q).partition("-")
    first: list[Regulation] = []
    if number and " " not in number:
        exact = Regulation.objects.filter(number=number)
        if symbol:
            exact = exact.filter(symbol__iexact=symbol.strip())
        first = list(exact.order_by("-issue_date")[:limit])
    rest = (
        Regulation.objects.filter(search_q("search_text", q))
        .exclude(pk__in=[r.pk for r in first])
        .order_by("-issue_date", "number")[: limit - len(first)]
    )
    return first + list(rest)


@actor_scoped
def regulation_for_actor(*, actor: Actor, pk: int | str) -> Regulation:
    """One regulation, or 404 (public reference data: every signed-in person reads the register)."""
    return get_or_404(Regulation.objects.select_related("replaced_by"), pk=pk)


def criteria_set_list(*, regulation: Regulation | None = None) -> QuerySet[CriteriaSet]:
    """Criteria sets, optionally those of one regulation, with their criteria."""
    qs = CriteriaSet.objects.select_related("regulation").prefetch_related("criteria")
    if regulation is not None:
        qs = qs.filter(regulation=regulation)
    return qs


def criteria_in_force(day: dt.date) -> QuerySet[Criterion]:
    """Every criterion of the sets valid on `day` (a finding is judged against one: a standard of Quy định
    144, an article of a code of conduct), by set and order."""
    return (
        Criterion.objects.filter(criteria_set__valid_from__lte=day)
        .filter(Q(criteria_set__valid_to__isnull=True) | Q(criteria_set__valid_to__gte=day))
        .select_related("criteria_set")
        .order_by("criteria_set__name", "order", "code")
    )


def criteria_by_ids(ids: set[int]) -> QuerySet[Criterion]:
    """Criteria by id, with their set (to name what a finding was judged against)."""
    return Criterion.objects.filter(pk__in=ids).select_related("criteria_set")


def criteria_sets_in_force(day: dt.date) -> QuerySet[CriteriaSet]:
    """The criteria sets valid on `day` (what a Front supervision checks a cadre against)."""
    return (
        CriteriaSet.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("name")
    )


def criteria_set_in_force(*, code: str, day: dt.date) -> CriteriaSet | None:
    """The version of criteria set `code` valid on `day` (records keep the version they were judged by)."""
    return (
        CriteriaSet.objects.filter(code=code, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-version")
        .first()
    )


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (weekends and public holidays skipped)."""
    if end <= start:
        return 0
    holidays = set(Holiday.objects.filter(date__gt=start, date__lte=end).values_list("date", flat=True))
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days += 1
    return days


def holiday_set(low: dt.date, high: dt.date) -> set[dt.date]:
    """The public holidays from `low` to `high` (to count many deadlines with one read)."""
    return set(Holiday.objects.filter(date__gte=low, date__lte=high).values_list("date", flat=True))


def add_working_days(start: dt.date, days: int, holidays: set[dt.date] | None = None) -> dt.date:
    """The date `days` working days after `start` (negative: before); `holidays` when the caller read them
    for a range that covers this one."""
    step = 1 if days >= 0 else -1
    span = abs(days) * 2 + 30
    low, high = (
        (start, start + dt.timedelta(days=span)) if step > 0 else (start - dt.timedelta(days=span), start)
    )
    if holidays is None:
        holidays = holiday_set(low, high)
    day, left = start, abs(days)
    while left:
        day += dt.timedelta(days=step)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


def _for_year(qs: QuerySet, year: int):  # type: ignore[no-untyped-def]
    return (
        qs.filter(year_from__lte=year)
        .filter(Q(year_to__isnull=True) | Q(year_to__gte=year))
        .order_by("-year_from", "-version")
        .first()
    )


def evaluation_scheme_for_year(year: int) -> EvaluationScheme | None:
    """The classification scheme in force for `year` (a record keeps the one it was judged by)."""
    return _for_year(EvaluationScheme.objects.all(), year)


def commitment_template_for(*, year: int, for_heads: bool) -> CommitmentTemplate | None:
    """The starting form of a cultivation plan for `year`, for heads or for members."""
    return _for_year(CommitmentTemplate.objects.filter(for_heads=for_heads), year) or _for_year(
        CommitmentTemplate.objects.all(), year
    )


def residence_form_for_year(year: int) -> ResidenceCommentForm | None:
    """The residence cell's comment form in force for `year`."""
    return _for_year(ResidenceCommentForm.objects.all(), year)


def commitment_calendar_for(year: int) -> CommitmentCalendar | None:
    """The deadlines of `year`'s cycle, or None when administrators have not set them."""
    return CommitmentCalendar.objects.filter(year=year).first()


def criteria_titles(code: str, day: dt.date) -> dict[str, str]:
    """Code → title of the criteria of set `code` in force on `day` (for tagging commitment items)."""
    cs = criteria_set_in_force(code=code, day=day)
    return {c.code: c.title for c in cs.criteria.all()} if cs else {}


def oversight_rules_for(year: int) -> OversightRules | None:
    """The periods of inspection, supervision and follow-up in force for `year` (None: not set)."""
    return (
        OversightRules.objects.filter(year_from__lte=year)
        .filter(Q(year_to__isnull=True) | Q(year_to__gte=year))
        .order_by("-year_from")
        .first()
    )


def feedback_rules_for(year: int) -> FeedbackRules | None:
    """The deadlines of citizens' reports in force for `year` (None: not set)."""
    return (
        FeedbackRules.objects.filter(year_from__lte=year)
        .filter(Q(year_to__isnull=True) | Q(year_to__gte=year))
        .order_by("-year_from")
        .first()
    )


def plan_needs_approval(*, kind: str) -> bool:
    """Whether the implementation plan of an organization of `kind` goes to the level above for approval
    (rulebook data; a kind without a rule does, the stricter path)."""
    rule = PlanApproval.objects.filter(kind=kind).values_list("needs_approval", flat=True).first()
    return True if rule is None else bool(rule)
