"""The base of every context's test factories (factory-boy): rows of scoped models, built with or without a scope.

factory-boy's `DjangoModelFactory` creates through `Model.objects.create()`, and a scoped model's default manager
fails closed without an active scope. `ScopedModelFactory` saves through `Model.save()` instead, which inserts
through the model's base manager and never reads the scope: a factory builds its rows wherever the test is,
and the test then reads them back through the scope of the actor it is checking (see `as_actor` in the root
conftest). Each context keeps its factories in `lamtheo/<context>/tests/factories.py`.
"""

from __future__ import annotations

from typing import Any

from factory.django import DjangoModelFactory


class ScopedModelFactory(DjangoModelFactory):
    """A factory for a `ScopedModel`: `create()` works inside any active scope and outside every scope."""

    class Meta:
        abstract = True
        # Post-generation hooks save what they change themselves (factory-boy 4 stops saving again).
        skip_postgeneration_save = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        # Model.save() inserts through `_base_manager` (a plain Manager), so no scope is needed or checked.
        instance = model_class(*args, **kwargs)
        instance.save(using=cls._meta.database)
        return instance
