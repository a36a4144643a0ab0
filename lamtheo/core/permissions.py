"""One way to ask "may this person do this to this record?", and one way to fetch a record for them.

- A context declares one permission class per kind of record in its ``policies.py``, subclassing
  :class:`Permissions`: ``PlanPermissions(actor, plan).can_submit()`` returns the :class:`Grant` that allows
  the action (the audit row records it) or ``None``. Its ``messages`` say, per action, why it was refused;
  ``require("submit")`` raises :class:`PermissionDenied` with that message and returns the grant.
- A context declares one access helper per kind of record in its ``selectors.py``
  (``plan_for_actor(actor=, pk=)``): it reads under the actor's scope, asks the permission class whether the
  actor may see the record, and raises ``Http404`` alike for "missing" and "not yours" (:func:`get_or_404`).
- Every public service and selector that takes an ``actor`` is decorated with :func:`actor_scoped`: the
  scope it reads through is the actor's own, never a wider one left active by the caller
  (``tests/test_authorization_rules.py`` checks that each one is).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from django.db import models
from django.http import Http404
from django.utils.functional import Promise

from .actor import Actor, Grant
from .errors import PermissionDenied
from .scoping import activate

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=models.Model)


def require(grant: Grant | None, message: str | Promise) -> Grant:
    """The grant, or PermissionDenied with `message` when there is none (the one `require` of the project)."""
    if grant is None:
        raise PermissionDenied(str(message))
    return grant


class Permissions:
    """What one actor may do to one record. Subclasses define ``can_<verb>() -> Grant | None`` and the
    refusal ``messages`` by verb; nothing else in the code base restates the rule."""

    messages: ClassVar[Mapping[str, str | Promise]] = {}

    def __init__(self, actor: Actor, record: Any) -> None:
        self.actor = actor
        self.record = record

    def check(self, verb: str) -> Grant | None:
        """The grant allowing `verb`, or None."""
        return getattr(self, f"can_{verb}")()  # type: ignore[no-any-return]

    def require(self, verb: str) -> Grant:
        """The grant allowing `verb`; PermissionDenied with the verb's message otherwise."""
        return require(self.check(verb), self.reason(verb))

    def reason(self, verb: str) -> str:
        """Why `verb` is refused, in the user's language."""
        return str(self.messages.get(verb) or self.messages.get("*", "You may not do this."))

    def allowed(self, *verbs: str) -> dict[str, bool]:
        """`{verb: True/False}` for the template (which shows only what the actor may do)."""
        return {verb: self.check(verb) is not None for verb in verbs}


def get_or_404(queryset: models.QuerySet[M], **lookup: Any) -> M:
    """One row, or Http404 (a missing row, a row outside the scope and a malformed id look the same)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def actor_scoped(fn: F) -> F:
    """Run the service or selector under its actor's own scope (keyword argument ``actor``).

    Generators keep the scope while they are iterated (a streamed export is read after the view returns)."""
    signature = inspect.signature(fn)
    if "actor" not in signature.parameters:
        raise TypeError(f"{fn.__qualname__} takes no `actor`: it cannot be scoped by one.")

    def actor_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Actor:
        actor = kwargs.get("actor")
        if actor is None:
            actor = signature.bind_partial(*args, **kwargs).arguments.get("actor")
        if not isinstance(actor, Actor):
            raise TypeError(f"{fn.__qualname__} needs an Actor, not {actor!r}.")
        return actor

    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generator(*args: Any, **kwargs: Any) -> Any:
            actor = actor_of(args, kwargs)
            inner = fn(*args, **kwargs)
            while True:
                with activate(actor.scope):
                    try:
                        item = next(inner)
                    except StopIteration:
                        return
                yield item

        wrapper: Any = generator
    else:

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            with activate(actor_of(args, kwargs).scope):
                return fn(*args, **kwargs)

        wrapper = call
    wrapper.actor_scoped = True
    return wrapper  # type: ignore[no-any-return]
