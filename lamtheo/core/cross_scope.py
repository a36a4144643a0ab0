"""core's one read across scopes (see tests/test_authorization_rules.py): each function says why it is safe."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


def existing_ids(model: type[models.Model], ids: Iterable[int]) -> set[int]:
    """Which of `ids` still exist, scope aside: a history names a record outside the reader's scope as
    "elsewhere" rather than "deleted", and reveals nothing but that it exists (no field is read)."""
    manager = model._default_manager
    if not hasattr(manager, "unscoped"):
        return set(manager.filter(pk__in=list(ids)).values_list("pk", flat=True))
    return set(
        manager.unscoped(reason="whether a record named in a history still exists (ids only)")
        .filter(pk__in=list(ids))
        .values_list("pk", flat=True)
    )
