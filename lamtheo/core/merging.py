"""Merging organizations, context by context (ADR 0011).

`organizations` merges the tree itself (closes the sources, moves open sub-organizations, people and
positions). Every other context that keeps rows per organization registers a merge hook in its
AppConfig.ready(): `register_merge_hook("planning", planning_merge)`. The hook moves that context's own rows
and decides what follows the successor (open work) and what stays with the closed organization (decided
records, history): `hook(sources=, target=, day=, actor=)`, called inside the merge's transaction and audit
context, under the actor's scope (the actor holds the merge permission over every source's subtree, so every
row pointing at a source is visible to it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import models
from simple_history.utils import bulk_update_with_history

from . import audit
from .actor import Actor

MergeHook = Callable[..., None]

_hooks: dict[str, MergeHook] = {}


def register_merge_hook(name: str, hook: MergeHook) -> None:
    """Register `hook(sources=, target=, day=, actor=)` for the context (app label) `name`."""
    _hooks[name] = hook


def merge_hooks() -> dict[str, MergeHook]:
    """The registered hooks by context name (app label)."""
    return dict(_hooks)


def run_merge_hooks(*, sources: Sequence[Any], target: Any, day: dt.date, actor: Actor) -> None:
    """Let every context move its own rows from `sources` to `target` (the merge takes effect on `day`)."""
    for name in sorted(_hooks):
        _hooks[name](sources=list(sources), target=target, day=day, actor=actor)


def _plain_manager(model: type[models.Model]) -> models.Manager:  # type: ignore[type-arg]
    """An unfiltered manager for simple-history's bulk helpers: the rows were already read in scope."""
    manager: models.Manager = models.Manager()  # type: ignore[type-arg]
    manager.model = model
    return manager


def save_with_history(objs: Sequence[models.Model], fields: list[str]) -> None:
    """Save `fields` of `objs` (rows of one model keeping history) set-based, with one history row each,
    stamped with the acting person, their grant and the reason of the audit context."""
    if objs:
        model = type(objs[0])
        bulk_update_with_history(
            list(objs),
            model,
            fields,
            batch_size=500,
            manager=_plain_manager(model),
            **audit.bulk_history_kwargs(),
        )


def move_rows(rows: models.QuerySet, field: str, target: Any) -> int:  # type: ignore[type-arg]
    """Point `field` of every row of `rows` at `target` (with one history row each when the model keeps
    history). Returns how many rows moved."""
    if not hasattr(rows.model, "history"):
        return rows.update(**{field: target})
    objs = list(rows)
    for obj in objs:
        setattr(obj, f"{field}_id", target.pk)
    save_with_history(objs, [field])
    return len(objs)
