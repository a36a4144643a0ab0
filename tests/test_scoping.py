"""Scoped managers fail closed, filter by subtree, and only `unscoped(reason=...)` escapes."""

import pytest

from lamtheo.core.errors import ScopeNotActive
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations.models import Organization, Person


@pytest.mark.django_db
def test_query_without_scope_raises(world):  # type: ignore[no-untyped-def]
    with pytest.raises(ScopeNotActive):
        list(Person.objects.all())
    with pytest.raises(ScopeNotActive):
        Organization.objects.filter(code="HN").exists()


@pytest.mark.django_db
def test_scope_filters_to_the_subtree(world):  # type: ignore[no-untyped-def]
    with activate(Scope.of([world.a.committee.path])):
        codes = set(Organization.objects.values_list("code", flat=True))
        people = set(Person.objects.values_list("code", flat=True))
    assert codes == {"WA", "WA-C1", "WA-UB"}
    assert people == {"PA1", "PA2"}


@pytest.mark.django_db
def test_an_actor_reads_the_subtrees_of_their_grants(world, as_actor):  # type: ignore[no-untyped-def]
    with as_actor(world.a.secretary_user):
        codes = set(Organization.objects.values_list("code", flat=True))
    with as_actor(world.b.officer_user):
        people = set(Person.objects.values_list("code", flat=True))
    assert codes == {"WA", "WA-C1", "WA-UB"}
    assert people == {"PB1", "PB2"}


@pytest.mark.django_db
def test_reverse_relations_are_scoped_too(world):  # type: ignore[no-untyped-def]
    with activate(Scope.of([world.a.committee.path])):
        root = Organization.objects.unscoped(reason="test").get(pk=world.root.pk)
        assert {o.code for o in root.children.all()} == {"WA"}


def test_unscoped_needs_a_reason():  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        Person.objects.unscoped(reason=" ")
    with pytest.raises(ValueError):
        Scope.everything(reason="")


def test_scope_of_drops_nested_paths():  # type: ignore[no-untyped-def]
    assert Scope.of(["/1/2/", "/1/", "/3/"]).paths == ("/1/", "/3/")
    assert Scope.of(["/1/"]).covers("/1/2/") and not Scope.of(["/1/"]).covers("/12/")


@pytest.mark.django_db
def test_system_admin_below_the_root_is_bound_to_its_subtree(world):  # type: ignore[no-untyped-def]
    from lamtheo.organizations.selectors import actor_for_user
    from lamtheo.organizations.tests.factories import RoleGrantFactory

    RoleGrantFactory(user=world.a.officer_user, role_code="system_admin", organization=world.a.cell)
    actor = actor_for_user(world.a.officer_user)
    assert not actor.scope.is_global and not actor.scope.covers(world.b.cell.path)
    assert actor_for_user(world.admin_user).scope.is_global  # a superuser reads everything


@pytest.mark.django_db
def test_a_deactivated_account_acts_as_nobody(world):  # type: ignore[no-untyped-def]
    from lamtheo.organizations.selectors import actor_for_user

    world.a.officer_user.is_active = False
    world.a.officer_user.save()
    actor = actor_for_user(world.a.officer_user)
    assert not actor.grants and not actor.scope.covers(world.a.cell.path)
