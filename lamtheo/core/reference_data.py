"""The reference data every installation needs, loaded by `manage.py load_reference_data`.

Each context registers its loader in its AppConfig.ready(): `register("themes", theme_catalogue_load,
order=30)`. A loader takes the acting `actor` (a system actor) and returns a count or a dict of counts; it is
idempotent (loading twice changes nothing). The command runs every loader in order and never imports a
context, so a new context adds its reference data without touching the command (nor creating a dependency of
organizations on it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .actor import Actor

Loader = Callable[..., Any]


@dataclass(frozen=True)
class ReferenceLoader:
    """One context's loader: its name (shown in the command's summary), the function and its place in line."""

    name: str
    load: Loader
    order: int


_loaders: dict[str, ReferenceLoader] = {}


def register(name: str, loader: Loader, *, order: int = 100) -> None:
    """Register `loader(actor=)` under `name`; lower `order` loads first (roles before what names roles)."""
    _loaders[name] = ReferenceLoader(name, loader, order)


def loaders() -> list[ReferenceLoader]:
    """The registered loaders, in the order they run."""
    return sorted(_loaders.values(), key=lambda entry: (entry.order, entry.name))


def load_all(*, actor: Actor) -> dict[str, Any]:
    """Run every registered loader under `actor`'s scope; `{name: what it returned}` in loading order."""
    results: dict[str, Any] = {}
    with actor.reading():
        for entry in loaders():
            results[entry.name] = entry.load(actor=actor)
    return results
