"""The organization tree: create, re-parent, merge, cycle refusal, history as of a date."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import actor_of
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.organizations import selectors, services
from lamtheo.organizations.models import Organization, ParentLink, Person, Position, Succession

D = dt.date


def _snapshot():  # type: ignore[no-untyped-def]
    orgs = (
        Organization.objects.unscoped(reason="test")
        .order_by("pk")
        .values_list("pk", "parent_id", "path", "valid_to")
    )
    people = (
        Person.objects.unscoped(reason="test")
        .order_by("pk")
        .values_list("pk", "party_cell_id", "workplace_id")
    )
    return (
        list(orgs),
        list(people),
        ParentLink.objects.unscoped(reason="t").count(),
        Succession.objects.count(),
    )


@pytest.mark.django_db
def test_paths_follow_the_tree(world):  # type: ignore[no-untyped-def]
    a = world.a
    assert world.root.path == f"/{world.root.pk:09d}/"
    assert a.cell.path == f"{world.root.path}{a.committee.pk:09d}/{a.cell.pk:09d}/"
    assert a.cell.depth == 2


@pytest.mark.django_db
def test_move_rewrites_the_whole_subtree_and_keeps_history(world, system):  # type: ignore[no-untyped-def]
    a, b = world.a, world.b
    sub = services.organization_create(
        actor=system,
        code="WA-C1-T1",
        name="Tổ đảng 1",
        kind="party_group",
        parent=a.cell,
        valid_from=D(2025, 8, 1),
    )
    services.organization_move(
        actor=system, organization=a.cell, new_parent=b.committee, effective=D(2026, 1, 1)
    )
    a.cell.refresh_from_db()
    sub.refresh_from_db()
    assert a.cell.parent_id == b.committee.pk
    assert a.cell.path == f"{b.committee.path}{a.cell.pk:09d}/"
    assert sub.path == f"{a.cell.path}{sub.pk:09d}/" and sub.depth == 3
    # As of 2025 the cell was still under ward A; as of 2026 it is under ward B.
    before = selectors.organization_children(actor=system, organization=a.committee, day=D(2025, 12, 31))
    after = selectors.organization_children(actor=system, organization=b.committee, day=D(2026, 1, 2))
    assert a.cell.pk in [o.pk for o in before]
    assert a.cell.pk in [o.pk for o in after]
    assert a.cell.pk not in [
        o.pk for o in selectors.organization_children(actor=system, organization=a.committee)
    ]
    # The audit trail has the move.
    last = a.cell.history.first()
    assert last.history_change_reason == "move" and last.parent_id == b.committee.pk


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_move_refuses_cycles_and_changes_nothing(world, system, target):  # type: ignore[no-untyped-def]
    a = world.a
    grandchild = services.organization_create(
        actor=system,
        code="WA-C1-T1",
        name="Tổ đảng 1",
        kind="party_group",
        parent=a.cell,
        valid_from=D(2025, 8, 1),
    )
    new_parent = {"self": a.committee, "child": a.cell, "grandchild": grandchild}[target]
    before = _snapshot()
    with pytest.raises(DomainError, match="cannot be moved under itself"):
        services.organization_move(actor=system, organization=a.committee, new_parent=new_parent)
    assert _snapshot() == before


@pytest.mark.django_db
def test_move_outside_the_actors_subtree_is_refused(world):  # type: ignore[no-untyped-def]
    from lamtheo.core.scoping import activate

    actor = actor_of(world.a.officer_user)
    with activate(actor.scope):
        cell = Organization.objects.get(pk=world.a.cell.pk)
        with pytest.raises(DomainError):
            services.organization_move(actor=actor, organization=cell, new_parent=world.b.committee)
    with activate(actor.scope):
        assert Organization.objects.get(pk=world.a.cell.pk).parent_id == world.a.committee.pk


@pytest.mark.django_db
def test_secretary_role_cannot_move(world):  # type: ignore[no-untyped-def]
    from lamtheo.core.scoping import activate

    actor = actor_of(world.a.secretary_user)
    with activate(actor.scope):
        extra = Organization.objects.get(pk=world.a.agency.pk)
        with pytest.raises(PermissionDenied):
            services.organization_move(actor=actor, organization=world.a.cell, new_parent=extra)


@pytest.mark.django_db
def test_merge_moves_members_and_children_and_closes_the_source(world, system):  # type: ignore[no-untyped-def]
    a, b = world.a, world.b
    services.organization_merge(
        actor=system, sources=[a.committee], target=b.committee, effective=D(2026, 1, 1), note="QĐ 01"
    )
    a.committee.refresh_from_db()
    assert a.committee.valid_to == D(2025, 12, 31)
    assert Succession.objects.filter(
        predecessor=a.committee, successor=b.committee, date=D(2026, 1, 1)
    ).exists()
    a.cell.refresh_from_db()
    assert a.cell.parent_id == b.committee.pk and a.cell.path.startswith(b.committee.path)
    # Records that pointed at the closed committee itself moved; the cell's members stay in their cell.
    member = Person.objects.get(pk=a.member.pk)
    assert member.party_cell_id == a.cell.pk
    # As of before the merge the old tree is intact; after it the old committee is gone.
    roots_2025 = selectors.organization_children(actor=system, organization=world.root, day=D(2025, 9, 1))
    roots_2026 = selectors.organization_children(actor=system, organization=world.root, day=D(2026, 2, 1))
    assert a.committee.pk in [o.pk for o in roots_2025]
    assert a.committee.pk not in [o.pk for o in roots_2026]
    assert a.cell.pk in [
        o.pk
        for o in selectors.organization_children(actor=system, organization=a.committee, day=D(2025, 9, 1))
    ]
    # The closed organization is still readable, with its history.
    assert Organization.objects.get(pk=a.committee.pk).is_closed
    assert a.committee.history.count() >= 2


@pytest.mark.django_db
def test_merge_of_cells_moves_people_and_ends_positions(world, system):  # type: ignore[no-untyped-def]
    a = world.a
    other = services.organization_create(
        actor=system,
        code="WA-C2",
        name="Chi bộ Tổ dân phố A2",
        kind="party_cell",
        parent=a.committee,
        valid_from=D(2025, 7, 1),
    )
    services.organization_merge(actor=system, sources=[a.cell], target=other, effective=D(2026, 3, 1))
    member = Person.objects.get(pk=a.member.pk)
    assert member.party_cell_id == other.pk and member.residence_cell_id == other.pk
    assert member.history.first().history_change_reason == "merge into WA-C2"
    position = Position.objects.get(person=a.member, organization=a.cell)
    assert position.to_date == D(2026, 2, 28)
    assert position.history.first().to_date == D(2026, 2, 28)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case,message",
    [
        ("kinds", "kinds are incompatible"),
        ("self", "cannot be merged into itself"),
        ("inside", "lies inside"),
        ("closed", "already closed"),
        ("early", "after"),
    ],
)
def test_bad_merges_are_refused_and_change_nothing(world, system, case, message):  # type: ignore[no-untyped-def]
    a = world.a
    if case == "closed":
        services.organization_merge(
            actor=system, sources=[a.agency], target=world.b.agency, effective=D(2026, 1, 1)
        )
    before = _snapshot()
    sources, target, effective = {
        "kinds": ([a.cell], a.agency, D(2026, 1, 1)),
        "self": ([a.cell], a.cell, D(2026, 1, 1)),
        "inside": ([a.committee], a.cell, D(2026, 1, 1)),
        "closed": ([a.agency], world.b.agency, D(2026, 6, 1)),
        "early": ([a.cell], world.b.cell, D(2020, 1, 1)),
    }[case]
    if case == "inside":
        target = services.organization_create(
            actor=system,
            code="WA-PC",
            name="Đảng bộ bộ phận",
            kind="party_committee",
            parent=a.committee,
            valid_from=D(2025, 7, 1),
        )
        before = _snapshot()
    with pytest.raises(DomainError, match=message):
        services.organization_merge(actor=system, sources=sources, target=target, effective=effective)
    assert _snapshot() == before


@pytest.mark.django_db
def test_tree_roots_for_a_branch_user_are_their_granted_organizations(world):  # type: ignore[no-untyped-def]
    from lamtheo.core.scoping import activate

    actor = actor_of(world.a.secretary_user)
    with activate(actor.scope):
        roots = selectors.organization_roots(actor=actor)
    assert [r.pk for r in roots] == [world.a.committee.pk]
    assert roots[0].has_children


@pytest.mark.django_db
def test_create_validates_and_writes_nothing_on_error(world, system):  # type: ignore[no-untyped-def]
    before = _snapshot()
    with pytest.raises(DomainError, match="already uses the code"):
        services.organization_create(
            actor=system,
            code="WA-C1",
            name="X",
            kind="party_cell",
            parent=world.a.committee,
            valid_from=D(2025, 8, 1),
        )
    with pytest.raises(DomainError, match="cannot start before its parent"):
        services.organization_create(
            actor=system,
            code="NEW",
            name="X",
            kind="party_cell",
            parent=world.a.committee,
            valid_from=D(2020, 1, 1),
        )
    with pytest.raises(DomainError, match="name is required"):
        services.organization_create(
            actor=system,
            code="NEW",
            name="   ",
            kind="party_cell",
            parent=world.a.committee,
            valid_from=D(2025, 8, 1),
        )
    assert _snapshot() == before


@pytest.mark.django_db
def test_move_dates_must_keep_one_tree(world, system):  # type: ignore[no-untyped-def]
    a, b = world.a, world.b
    before = _snapshot()
    with pytest.raises(DomainError, match="in the future"):
        services.organization_move(
            actor=system, organization=a.cell, new_parent=b.committee, effective=D(2099, 1, 1)
        )
    services.organization_move(
        actor=system, organization=a.cell, new_parent=b.committee, effective=D(2026, 1, 1)
    )
    before = _snapshot()
    with pytest.raises(DomainError, match="only since 01/01/2026"):
        services.organization_move(
            actor=system, organization=a.cell, new_parent=a.agency, effective=D(2025, 12, 1)
        )
    assert _snapshot() == before


@pytest.mark.django_db
def test_a_party_group_folds_into_a_cell_but_not_the_reverse(world, system):  # type: ignore[no-untyped-def]
    group = services.organization_create(actor=system, code="WA-T1", name="Tổ đảng 1", kind="party_group",
                                         parent=world.a.cell, valid_from=D(2025, 8, 1))  # fmt: skip
    other = services.organization_create(actor=system, code="WA-C2", name="Chi bộ 2", kind="party_cell",
                                         parent=world.a.committee, valid_from=D(2025, 8, 1))  # fmt: skip
    with pytest.raises(DomainError, match="incompatible"):
        services.organization_merge(actor=system, sources=[other], target=group, effective=D(2026, 1, 1))
    services.organization_merge(actor=system, sources=[group], target=other, effective=D(2026, 1, 1))
    group.refresh_from_db()
    assert group.valid_to == D(2025, 12, 31)


@pytest.mark.django_db
def test_merge_refuses_a_date_before_a_position_began(world, system):  # type: ignore[no-untyped-def]
    services.position_create(actor=system, person=world.a.staff, organization=world.a.agency, title="Chủ tịch",
                             is_head=True, from_date=D(2026, 2, 1))  # fmt: skip
    before = _snapshot()
    with pytest.raises(DomainError, match="choose a later date"):
        services.organization_merge(
            actor=system, sources=[world.a.agency], target=world.b.agency, effective=D(2026, 1, 1)
        )
    assert _snapshot() == before
