"""Test factories of the organizations context: the tree, people, accounts and role grants.

    cell = OrganizationFactory(cell=True, parent=ward)          # a party cell under `ward`, its path right
    member = PersonFactory(party_cell=cell)                    # a party member of that cell
    user = UserFactory(person=member, roles=[("secretary", cell)])
    with as_actor(user) as actor: ...                          # reads what the secretary of `cell` reads

Rows are written directly (not through the services) so that a factory does not depend on who may do what;
they work inside or outside an active scope (see lamtheo.core.tests.factories).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.db import transaction
from factory.django import DjangoModelFactory, Password

from lamtheo.core.actor import Actor
from lamtheo.core.tests.factories import ScopedModelFactory
from lamtheo.core.text import fold
from lamtheo.core.vocabulary import OrgKind
from lamtheo.organizations.models import (
    Organization,
    ParentLink,
    Person,
    Role,
    RoleGrant,
    User,
    organization_search_text,
    path_segment,
)

PASSWORD = "x-pass-123"


class OrganizationFactory(ScopedModelFactory):
    """An organization under `parent` (a root without one), with its materialised path, depth and parent link
    written as `organizations.services.organization_create` writes them."""

    class Meta:
        model = Organization

    class Params:
        cell = factory.Trait(
            kind=OrgKind.PARTY_CELL, name=factory.LazyAttribute(lambda o: f"Chi bộ {o.code}")
        )
        agency = factory.Trait(
            kind=OrgKind.PEOPLES_COMMITTEE, name=factory.LazyAttribute(lambda o: f"UBND {o.code}")
        )

    code = factory.Sequence(lambda n: f"F{n:04d}")
    name = factory.LazyAttribute(lambda o: f"Đảng bộ {o.code}")
    kind = OrgKind.PARTY_COMMITTEE
    parent = None
    valid_from = factory.LazyAttribute(lambda o: o.parent.valid_from if o.parent else dt.date(2000, 1, 1))

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Organization:
        parent = kwargs.get("parent")
        if parent is not None and not parent.path:
            raise ValueError(
                f"The parent {parent} has no path: build it with OrganizationFactory or a service."
            )
        org = model_class(*args, **kwargs)
        org.search_name = organization_search_text(org.name, org.code, org.short_name)
        with transaction.atomic():
            # The path holds the row's own id: insert without history, then write one history row with the path.
            org.skip_history_when_saving = True
            org.save()
            del org.skip_history_when_saving
            org.path = f"{parent.path if parent else '/'}{path_segment(org.pk)}/"
            org.depth = parent.depth + 1 if parent else 0
            org.save(update_fields=["path", "depth"])
            if parent is not None:
                ParentLink(
                    organization=org, parent=parent, valid_from=org.valid_from, valid_to=org.valid_to
                ).save()
        return org


class PersonFactory(ScopedModelFactory):
    """A party member of a new party cell by default; `is_party_member=False` makes a non-member with no cell
    (give them a `workplace`, or nobody below a tree administrator sees them)."""

    class Meta:
        model = Person

    code = factory.Sequence(lambda n: f"FP{n:05d}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    gender = "male"
    date_of_birth = dt.date(1980, 1, 1)
    is_party_member = True
    admission_date = factory.Maybe("is_party_member", dt.date(2005, 1, 1), None)
    official_date = factory.Maybe("is_party_member", dt.date(2006, 1, 1), None)
    party_cell = factory.Maybe("is_party_member", factory.SubFactory(OrganizationFactory, cell=True), None)
    workplace = None
    residence_cell = None
    search_name = factory.LazyAttribute(lambda p: fold(p.full_name))


def role_by_code(code: str) -> Role:
    """The seeded role with `code`, loading the role catalogue (organizations/data/roles.json) the first time."""
    found = Role.objects.filter(code=code).first()
    if found is None:
        from lamtheo.organizations.services import role_catalogue_load

        role_catalogue_load(actor=Actor.system(reason="test factory: role catalogue"))
        found = Role.objects.get(code=code)
    return found


class UserFactory(DjangoModelFactory):
    """A login account (password "x-pass-123"); `roles=[("secretary", org), ...]` grants roles on organizations."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = Password(PASSWORD)
    person = None

    @factory.post_generation
    def roles(self, create: bool, extracted: list[tuple[str, Organization]] | None, **kwargs: Any) -> None:
        for code, organization in extracted or ():
            RoleGrantFactory(user=self, role_code=code, organization=organization)


class RoleGrantFactory(ScopedModelFactory):
    """A role granted to a user on an organization (its whole subtree); the role is picked by `role_code`."""

    class Meta:
        model = RoleGrant

    class Params:
        role_code = "secretary"

    user = factory.SubFactory(UserFactory)
    role = factory.LazyAttribute(lambda o: role_by_code(o.role_code))
    organization = factory.SubFactory(OrganizationFactory)
