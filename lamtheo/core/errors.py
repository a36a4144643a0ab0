"""Domain errors raised by services; views turn them into form errors, the API into one JSON shape."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the operation; the message is translatable and shown to the user."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class PermissionDenied(DomainError):
    """The actor lacks the role needed for this operation inside their scope."""


class NotFound(DomainError):
    """The record does not exist or lies outside the actor's scope (the two are never told apart)."""


class ScopeNotActive(RuntimeError):
    """A scoped model was queried outside an active scope: a programming error, never a user error."""
