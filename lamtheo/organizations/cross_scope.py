"""The organizations context's reads and writes across scopes (tests/test_authorization_rules.py): each says
why crossing the actor's scope is safe there."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from lamtheo.core.vocabulary import OrgKind

from .models import Organization, Person, Position, RoleGrant


def role_grants_of_user(*, user_id: int, day: dt.date) -> QuerySet[RoleGrant]:
    """The user's own role grants valid on `day`: the actor is built from them before any scope exists."""
    return (
        RoleGrant.objects.unscoped(reason="building the actor of the logged-in user")
        .filter(user_id=user_id, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("role", "organization")
        .prefetch_related("role__permissions__content_type")
    )


def is_party_member(*, person_id: int) -> bool:
    """Whether the user's own person is a party member: one fact about the user, read to build their actor."""
    return (
        Person.objects.unscoped(reason="building the actor of the logged-in user")
        .filter(pk=person_id, is_party_member=True)
        .exists()
    )


def open_party_cell_by_code(*, code: str) -> Organization | None:
    """An open party cell by its code, anywhere in the tree: a member's residence cell may lie outside the
    scope of their own cell, and asking it for a comment reveals only that the code exists."""
    return (
        Organization.objects.unscoped(
            reason="any party cell of a place of residence can be asked for a comment"
        )
        .filter(code=code, kind=OrgKind.PARTY_CELL, valid_to__isnull=True)
        .first()
    )


def head_position_of(*, person_id: int, day: dt.date) -> Position | None:
    """The person's position as head of an organization on `day`: one fact about a person already visible
    (their plan gets the heads' items), wherever that organization lies."""
    return (
        Position.objects.unscoped(reason="whether a person heads an organization: one fact about them")
        .filter(person_id=person_id, is_head=True, from_date__lte=day)
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=day))
        .select_related("organization")
        .order_by("from_date")
        .first()
    )


def grassroots_above(*, organization: Organization) -> Organization | None:
    """The nearest grassroots organization at or above a visible organization: its ancestors are named in
    its path already, and quotas are counted there even when the actor's grant is lower down."""
    ids = [int(x) for x in organization.path.strip("/").split("/")]
    rows = Organization.objects.unscoped(reason="ancestors of a visible organization").filter(
        pk__in=ids, is_grassroots=True
    )
    return max(rows, key=lambda o: len(o.path), default=None)


def organization_code_taken(*, code: str, exclude_pk: int | None = None) -> bool:
    """Whether another organization uses `code`: codes are unique over the whole tree, and the answer names
    no organization."""
    qs = Organization.objects.unscoped(reason="code uniqueness is global").filter(code=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def person_code_taken(*, code: str, exclude_pk: int | None = None) -> bool:
    """Whether another person uses `code`: codes are unique over the whole tree, and the answer names no one."""
    qs = Person.objects.unscoped(reason="code uniqueness is global").filter(code=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()
