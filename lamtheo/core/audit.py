"""Audit trail: every history row of a domain record also says who acted and through which role.

Rows themselves are written by django-simple-history on every create/update/delete; this module fills in
the actor's user, role and organization from the active audit context.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from .actor import Actor, Grant


@dataclass(frozen=True)
class AuditContext:
    actor: Actor
    grant: Grant | None = None
    reason: str = ""


_current: ContextVar[AuditContext | None] = ContextVar("lamtheo_audit", default=None)


@contextlib.contextmanager
def acting(actor: Actor, *, grant: Grant | None = None, reason: str = "") -> Iterator[AuditContext]:
    """Within the block, history rows record `actor`, the `grant` used, and `reason`."""
    token = _current.set(AuditContext(actor=actor, grant=grant, reason=reason))
    try:
        yield _current.get()  # type: ignore[misc]
    finally:
        _current.reset(token)


class AuditFields(models.Model):
    """Extra columns on every historical table: the role and organization the actor acted through."""

    actor_role = models.CharField(max_length=64, blank=True, default="")
    actor_org = models.CharField(max_length=255, blank=True, default="")
    actor_label = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def _stamp_actor(sender, history_instance, **kwargs):  # type: ignore[no-untyped-def]
    ctx = _current.get()
    if ctx is None:
        return
    if ctx.actor.user_id is not None and getattr(history_instance, "history_user_id", None) is None:
        history_instance.history_user_id = ctx.actor.user_id
    if ctx.grant is not None:
        history_instance.actor_role = ctx.grant.role_code
        history_instance.actor_org = ctx.grant.org_name[:255]
    history_instance.actor_label = (ctx.actor.display_name or ctx.actor.system_reason)[:255]
    if ctx.reason and not getattr(history_instance, "history_change_reason", None):
        history_instance.history_change_reason = ctx.reason


def history_entries(instance: models.Model, *, limit: int = 200) -> list:
    """The record's history in words, newest first (see core.history)."""
    from .history import history_entries as entries

    return entries(instance, limit=limit)


def bulk_history_kwargs() -> dict:
    """Arguments for simple-history's bulk helpers so bulk writes carry the same actor stamp."""
    ctx = _current.get()
    if ctx is None:
        return {}
    attrs = {"actor_label": (ctx.actor.display_name or ctx.actor.system_reason)[:255]}
    if ctx.grant is not None:
        attrs.update(actor_role=ctx.grant.role_code, actor_org=ctx.grant.org_name[:255])
    kwargs: dict = {"custom_historical_attrs": attrs, "default_change_reason": ctx.reason or None}
    if ctx.actor.user_id is not None:
        from django.contrib.auth import get_user_model

        kwargs["default_user"] = get_user_model()(pk=ctx.actor.user_id)
    return kwargs
