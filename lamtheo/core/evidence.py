"""What the system knows about a person in a year, contributed by each context (the evaluation reads it).

A context registers a provider in its AppConfig.ready(); the evaluation screen calls `collect`. New
modules (oversight findings, citizens' reports, models, awards) plug in without changing the reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .actor import Actor


@dataclass(frozen=True)
class EvidenceEntry:
    """One fact about a person in a year: a task they own, a shortcoming, a finding, an award…"""

    title: str
    detail: str = ""
    status: str = ""
    date: dt.date | None = None
    url: str = ""
    flags: tuple[str, ...] = ()  # e.g. "overdue", "open": the evaluator's attention points
    # The code of the evaluation scheme's disqualifier this fact applies by itself ("discipline": a
    # disciplinary measure in the year caps the grade); empty for facts the evaluator weighs.
    caps: str = ""


@dataclass(frozen=True)
class EvidenceGroup:
    key: str
    label: Any
    entries: list[EvidenceEntry] = field(default_factory=list)


Provider = Callable[..., list[EvidenceEntry]]
_providers: dict[str, tuple[Any, Provider]] = {}


def register(key: str, label: Any, provider: Provider) -> None:
    """Add (or replace) the provider `key`: provider(actor=, person_id=, year=) -> [EvidenceEntry]."""
    _providers[key] = (label, provider)


def forced_disqualifiers(*, actor: Actor, person_id: int, year: int) -> list[EvidenceEntry]:
    """The facts about the person in `year` that apply a disqualifier by themselves (`EvidenceEntry.caps`):
    the evaluation applies them whatever the evaluator ticks, and shows which record capped the grade."""
    return [
        entry
        for _key, (_label, provider) in sorted(_providers.items())
        for entry in provider(actor=actor, person_id=person_id, year=year)
        if entry.caps
    ]


def collect(*, actor: Actor, person_id: int, year: int) -> list[EvidenceGroup]:
    """Every provider's entries about the person in `year`, read within the actor's scope."""
    return [
        EvidenceGroup(key, label, list(provider(actor=actor, person_id=person_id, year=year)))
        for key, (label, provider) in sorted(_providers.items())
    ]
