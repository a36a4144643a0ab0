"""Organization scoping that cannot be forgotten.

Every scoped model's default manager filters by the organization paths of the active scope and *fails
closed*: querying it with no active scope raises ScopeNotActive. The only exit is
``Model.objects.unscoped(reason=...)``. The request scope is activated by middleware; commands, jobs and
tests activate one explicitly with ``activate(...)``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q

from .errors import ScopeNotActive


@dataclass(frozen=True)
class Scope:
    """The organization subtrees (materialised path prefixes) a piece of code may read."""

    paths: tuple[str, ...] = ()
    is_global: bool = False
    label: str = ""

    @classmethod
    def of(cls, paths: Iterable[str], *, label: str = "") -> Scope:
        """Build a scope from path prefixes, dropping any path already covered by a shorter one."""
        kept: list[str] = []
        for path in sorted(set(paths), key=len):
            if not any(path.startswith(p) for p in kept):
                kept.append(path)
        return cls(paths=tuple(sorted(kept)), label=label)

    @classmethod
    def everything(cls, *, reason: str) -> Scope:
        """The whole tree: for system administrators, commands and jobs; a reason is mandatory."""
        if not reason.strip():
            raise ValueError("A global scope needs a reason.")
        return cls(is_global=True, label=reason)

    def covers(self, path: str) -> bool:
        """True when the organization at `path` lies inside this scope."""
        return self.is_global or any(path.startswith(p) for p in self.paths)


_current: ContextVar[Scope | None] = ContextVar("lamtheo_scope", default=None)


@contextlib.contextmanager
def activate(scope: Scope) -> Iterator[Scope]:
    """Activate `scope` for the code inside the block (and only there)."""
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


def current_scope() -> Scope:
    """The active scope; raises ScopeNotActive when there is none."""
    scope = _current.get()
    if scope is None:
        raise ScopeNotActive(
            "A scoped model was queried with no active scope. Activate one (request middleware, "
            "scoping.activate) or use .objects.unscoped(reason=...)."
        )
    return scope


def has_active_scope() -> bool:
    """True inside an activated scope."""
    return _current.get() is not None


def stream_in_scope(scope: Scope, items: Iterable[Any]) -> Iterator[Any]:
    """Iterate `items` with `scope` active: streamed responses run after the middleware has returned."""
    with activate(scope):
        yield from items


def path_filter(lookups: Iterable[str], scope: Scope) -> Q:
    """Q object keeping rows whose path (through any of `lookups`) lies under one of the scope's paths."""
    q = Q(pk__in=[])
    for lookup in lookups:
        for path in scope.paths:
            q |= Q(**{f"{lookup}__startswith": path})
    return q


def id_filter(model: type[models.Model], scope: Scope) -> Q:
    """The scope of a large table as foreign-key id lists instead of path joins (`scope_by_ids`).

    The organizations under the scope's paths are read first (a few thousand ids at most); a lookup
    `unit__path` becomes `unit_id IN (…)` and `area__unit__path` becomes `area_id IN (areas of those units)`,
    so the database answers from the table's own indexes (an OR of path joins makes it walk every row).
    Deeper lookups keep the path filter. Read fresh on every query: never a stale tree."""
    organization: Any = model
    for part in model.scope_paths[0].split("__")[:-1]:  # the model every lookup ends at (core names none)
        organization = organization._meta.get_field(part).related_model
    ids = list(organization._base_manager.filter(path_filter(["path"], scope)).values_list("pk", flat=True))
    q = Q(pk__in=[])
    for lookup in model.scope_paths:
        parts = lookup.split("__")[:-1]
        if len(parts) == 1:
            q |= Q(**{f"{parts[0]}_id__in": ids})
        elif len(parts) == 2:
            related = model._meta.get_field(parts[0]).related_model
            keys = related._base_manager.filter(**{f"{parts[1]}_id__in": ids}).values_list("pk", flat=True)
            q |= Q(**{f"{parts[0]}_id__in": list(keys)})
        else:
            q |= path_filter([lookup], scope)
    return q


class ScopedQuerySet(models.QuerySet):
    """QuerySet of a scoped model (the filtering itself happens in the manager)."""


class ScopedManager(models.Manager):
    """Default manager of scoped models: filters to the active scope and fails closed without one."""

    def get_queryset(self) -> models.QuerySet:
        scope = current_scope()
        qs = super().get_queryset()
        if scope.is_global:
            return qs
        if getattr(self.model, "scope_by_ids", False):
            return qs.filter(id_filter(self.model, scope))
        return qs.filter(path_filter(self.model.scope_paths, scope))

    def none(self) -> models.QuerySet:
        """An empty queryset needs no scope (forms declare their choices before a request exists)."""
        return models.QuerySet(model=self.model, using=self._db).none()

    def unscoped(self, *, reason: str) -> models.QuerySet:
        """Every row, ignoring the scope: the explicit, greppable exit. `reason` says why it is safe."""
        if not reason or not reason.strip():
            raise ValueError("unscoped() needs a reason.")
        return models.QuerySet(model=self.model, using=self._db)


class ScopedModel(models.Model):
    """Base for every model whose rows belong to an organization subtree."""

    # Lookups (relative to the model) that end at an Organization.path; a row is visible when any matches.
    scope_paths: ClassVar[tuple[str, ...]] = ()
    # A large table filters by the ids of the organizations in scope rather than by path joins (`id_filter`).
    scope_by_ids: ClassVar[bool] = False

    objects = ScopedManager()

    class Meta:
        abstract = True


def public_model(*, reason: str):  # type: ignore[no-untyped-def]
    """Class decorator: this model is deliberately unscoped, and `reason` says why (checked by a test)."""

    def decorate(cls):  # type: ignore[no-untyped-def]
        if not reason.strip():
            raise ValueError("A public model needs a reason.")
        cls.public_reason = reason
        return cls

    return decorate
