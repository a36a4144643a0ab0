"""The remediation context's reads across scopes (see tests/test_authorization_rules.py). Each function is
small and says why crossing the actor's scope is safe; services and selectors call these, nothing else in
the context calls `unscoped()`."""

from __future__ import annotations

from .models import OPEN_STATUSES, RemediationItem


def item_for_update(pk: int) -> RemediationItem:
    """The item as stored now, row-locked for the transaction: a service re-reads the item it was handed
    (which the caller read under its scope, or which the owner holds through their own plan) and then checks
    the permission class on this fresh row."""
    return (
        RemediationItem.objects.unscoped(reason="re-read of an item the actor already holds")
        .select_for_update(of=("self",))
        .select_related("organization", "owner_organization")
        .get(pk=pk)
    )


def open_items_of_person(person_id: int) -> list[RemediationItem]:
    """Every shortcoming of the person not yet verified, whoever tracks it: they are carried into the
    person's next plan (the caller may read that person's plan; only these items are read)."""
    return list(
        RemediationItem.objects.unscoped(
            reason="a person's own open shortcomings are carried into their plan"
        )
        .filter(person_id=person_id, status__in=OPEN_STATUSES)
        .order_by("due_date", "id")
    )
