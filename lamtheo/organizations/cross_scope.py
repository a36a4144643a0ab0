"""The organizations context's reads and writes across scopes (tests/test_authorization_rules.py): each says
why crossing the actor's scope is safe there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from lamtheo.core.vocabulary import OrgKind

from .models import Organization, Person, Position, RoleGrant, Succession


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


@dataclass(frozen=True)
class ParentHistory:
    """Which parent each organization had when, as recorded in the tree's audit history (a merge or a move
    writes a history row on the organization whose parent changed; its sub-organizations keep theirs)."""

    parents: dict[int, list[tuple[dt.datetime, int | None]]]  # id -> (recorded at, parent id), oldest first

    def parent_at(self, organization_id: int, moment: dt.datetime) -> int | None:
        """The parent recorded last before `moment`; an organization recorded only later was created
        under its first parent (it was born there)."""
        rows = self.parents.get(organization_id, [])
        before = [parent for at, parent in rows if at <= moment]
        if before:
            return before[-1]
        return rows[0][1] if rows else None

    def above_at(self, organization_id: int, moment: dt.datetime) -> set[int]:
        """The organization and every organization above it as the tree stood at `moment`."""
        chain: set[int] = set()
        current: int | None = organization_id
        while current is not None and current not in chain:
            chain.add(current)
            current = self.parent_at(current, moment)
        return chain

    def ever_above(self) -> set[int]:
        """Every organization that was ever at or above the organization this history was read for."""
        return set(self.parents)


def parent_history(*, organization: Organization) -> ParentHistory:
    """Every parent the organization and those above it ever had, as recorded (history rows of the tree:
    the organizations once above a visible one, as ids and times only; a year lock binds the subtree as it
    stood when it was set, ADR 0013)."""
    history = Organization.history.model.objects
    current = [int(x) for x in organization.path.strip("/").split("/")]
    # The chain of today, from the path, for organizations written without a history row.
    fallback = {pk: (current[i - 1] if i else None) for i, pk in enumerate(current)}
    parents: dict[int, list[tuple[dt.datetime, int | None]]] = {}
    frontier = set(current)
    while frontier:
        for pk in frontier:
            parents[pk] = []
        rows = history.filter(id__in=frontier).order_by("history_date", "history_id")
        for pk, at, parent in rows.values_list("id", "history_date", "parent_id"):
            parents[pk].append((at, parent))
        for pk in frontier:
            if not parents[pk] and pk in fallback:
                parents[pk] = [(dt.datetime.min.replace(tzinfo=dt.UTC), fallback[pk])]
        frontier = {parent for rows_ in parents.values() for _at, parent in rows_} - set(parents) - {None}
    return ParentHistory(parents)


def merged_into_in_year(*, ids: list[int], year: int) -> dict[int, list[Organization]]:
    """For each of `ids`, the closed organizations merged into it (and into those, at any depth) that still
    existed in `year`: a successor's reports of that year read the records the closed units keep (ADR 0013).
    The closed units may lie outside the reader's scope; their names and ids are shown with the successor."""
    # Successions are few (one per merged unit): read once, followed in memory (`ids` may be a whole city).
    links: dict[int, set[int]] = {}
    merges = Succession.objects.filter(date__year__gte=year)
    for succ, pred in merges.values_list("successor_id", "predecessor_id"):
        links.setdefault(succ, set()).add(pred)
    if not links:
        return {pk: [] for pk in ids}
    reached: dict[int, set[int]] = {}
    for pk in ids:
        seen: set[int] = set()
        frontier = links.get(pk, set())
        while frontier:
            seen |= frontier
            frontier = {p for f in frontier for p in links.get(f, set())} - seen - {pk}
        reached[pk] = seen
    every = set().union(*reached.values())
    closed = Organization.objects.unscoped(reason="closed units read through their successor").filter(
        pk__in=every, valid_from__year__lte=year, valid_to__year__gte=year
    )
    by_id = {o.pk: o for o in closed}
    return {pk: sorted((by_id[p] for p in reached[pk] if p in by_id), key=lambda o: o.path) for pk in ids}


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
