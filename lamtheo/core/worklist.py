"""The home page of every signed-in person: "Việc cần làm" (their work list) and their unit's headline figures.

Like the evidence providers, each context registers providers in its AppConfig.ready(); the home page asks
them all and never knows what a plan or an import is. A new module (oversight, citizens' reports, models,
awards) adds its work to every home page by registering one function.

- A *work provider* answers "what is waiting for this person": `provider(actor=, today=) -> [WorkItem]`.
- A *figure provider* answers "how is the unit doing this year, against last year":
  `provider(actor=, year=) -> [FigureGroup]`.

Providers read through the actor's scope like every selector; one that fails does not take the home page
down with it (the failure is logged and the page says that part could not be shown).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from .actor import Actor, Grant

log = logging.getLogger("lamtheo.worklist")

# How urgent a piece of work is; the list shows the most urgent first.
OVERDUE, DUE_SOON, OPEN = "overdue", "soon", "open"
_URGENCY_ORDER = {OVERDUE: 0, DUE_SOON: 1, OPEN: 2}
# Work due within this many days counts as "due soon".
SOON_DAYS = 14


@dataclass(frozen=True)
class WorkItem:
    """One piece of work waiting for the person: what, how many, by when, and the link straight to it."""

    title: Any  # translated text, e.g. "Plans waiting for your approval"
    url: str
    area: Any = ""  # the part of the product, e.g. "Cultivation plans"
    detail: Any = ""
    count: int | None = None
    due: dt.date | None = None
    action: Any = ""  # the button text, e.g. "Approve"
    urgency: str = OPEN

    @property
    def sort_key(self) -> tuple:  # type: ignore[type-arg]
        return (_URGENCY_ORDER.get(self.urgency, 3), self.due or dt.date.max, str(self.title))


def number(n: int | float) -> str:
    """A count in a sentence, grouped the local way ("1.234 đảng viên")."""
    from django.utils.formats import number_format

    return number_format(n, force_grouping=True)


def urgency_of(due: dt.date | None, today: dt.date) -> str:
    """Overdue once the day has passed, due soon within SOON_DAYS, otherwise open."""
    if due is None:
        return OPEN
    if due < today:
        return OVERDUE
    return DUE_SOON if (due - today).days <= SOON_DAYS else OPEN


@dataclass(frozen=True)
class Figure:
    """A headline figure of the unit: this year's value against last year's (None when unknown)."""

    label: Any
    value: float | int | None
    previous: float | int | None = None
    unit: str = ""  # "%" or ""
    url: str = ""

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return round(float(self.value) - float(self.previous), 1)


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a label, a value and the largest value of the chart (for the bar's length)."""

    label: Any
    value: float | int
    maximum: float | int
    note: Any = ""
    tone: str = ""  # "", "ok", "warn", "err"

    @property
    def percent(self) -> float:
        return round(100 * float(self.value) / float(self.maximum), 1) if self.maximum else 0.0


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart drawn by the server (prints, needs no script and no network)."""

    title: Any
    bars: list[Bar]
    marker: float | None = None  # a vertical line in percent of the maximum, e.g. a quota
    marker_label: Any = ""
    caption: Any = ""


@dataclass(frozen=True)
class FigureGroup:
    """The figures and charts one context shows for one unit and year."""

    title: Any
    organization: str
    year: int
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    url: str = ""


def top_grants(actor: Actor, perms: tuple[str, ...] = ()) -> list[Grant]:
    """The actor's grants carrying one of `perms` (any grant when empty), without those inside another
    kept grant's subtree: one entry per organization the person answers for, highest first."""
    kept: list[Grant] = []
    candidates = [g for g in actor.grants if g.org_id and (not perms or any(g.carries(p) for p in perms))]
    for grant in sorted(candidates, key=lambda g: (len(g.org_path), g.org_path)):
        if not any(grant.org_path.startswith(k.org_path) for k in kept):
            kept.append(grant)
    return kept


WorkProvider = Callable[..., list[WorkItem]]
FigureProvider = Callable[..., list[FigureGroup]]
_work: dict[str, WorkProvider] = {}
_figures: dict[str, tuple[int, FigureProvider]] = {}


def register_work(key: str, provider: WorkProvider) -> None:
    """Add (or replace) the work provider `key`: provider(actor=, today=) -> [WorkItem]."""
    _work[key] = provider


def register_figures(key: str, provider: FigureProvider, *, order: int = 50) -> None:
    """Add (or replace) the figure provider `key`: provider(actor=, year=) -> [FigureGroup]."""
    _figures[key] = (order, provider)


@dataclass
class Home:
    work: list[WorkItem]
    figures: list[FigureGroup]
    failed: list[str]


_memo: ContextVar[dict[Any, Any] | None] = ContextVar("lamtheo_worklist_memo", default=None)


def shared(key: Any, compute: Callable[[], Any]) -> Any:
    """Within one home page, providers share what they computed (a unit's figures of a year, say): `compute`
    runs once per key. Outside `collect` it simply runs."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def collect(*, actor: Actor, today: dt.date) -> Home:
    """Every provider's work (most urgent first) and figures for the actor, read within their scope."""
    token = _memo.set({})
    try:
        return _collect(actor, today)
    finally:
        _memo.reset(token)


def _collect(actor: Actor, today: dt.date) -> Home:
    work: list[WorkItem] = []
    groups: list[FigureGroup] = []
    failed: list[str] = []
    for key, provider in sorted(_work.items()):
        try:
            work.extend(provider(actor=actor, today=today))
        except Exception:  # one broken provider must not hide everyone's work list
            if settings.LAMTHEO_WORKLIST_RAISE:
                raise
            log.exception("work provider %s failed", key)
            failed.append(key)
    for key, (_order, fig_provider) in sorted(_figures.items(), key=lambda kv: (kv[1][0], kv[0])):
        try:
            groups.extend(fig_provider(actor=actor, year=today.year))
        except Exception:
            if settings.LAMTHEO_WORKLIST_RAISE:
                raise
            log.exception("figure provider %s failed", key)
            failed.append(key)
    work.sort(key=lambda w: w.sort_key)
    return Home(work=work, figures=groups, failed=failed)
