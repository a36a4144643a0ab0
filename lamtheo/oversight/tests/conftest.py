"""Oversight fixtures: in ward A, an inspection officer (confidential reading), the cell's own secretary, a
peer member of the cell with an account, the ward's Fatherland Front with its officer; the rulebook loaded
(the periods of inspection and follow-up)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from conftest import SYSTEM, actor_of
from lamtheo.commitments.tests.conftest import cast  # noqa: F401  (the cultivation-plan cast, for discipline)
from lamtheo.core import audit
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations import services as org_services
from lamtheo.organizations.models import Role, RoleGrant
from lamtheo.rulebook.services import rulebook_load

D = dt.date


@dataclass
class Team:
    inspector: object  # user: inspection_officer on ward A
    cell_secretary: object  # user: secretary of cell A1 (no confidential reading)
    peer: object  # Person: a member of cell A1
    peer_user: object
    front: object  # Organization: the Fatherland Front committee of ward A
    front_officer: object  # user: front_officer on the Front

    def actor(self, name: str):  # type: ignore[no-untyped-def]
        return actor_of(getattr(self, name))


def _team(world) -> Team:  # type: ignore[no-untyped-def]
    users = get_user_model()
    with activate(Scope.everything(reason="test fixture")), audit.acting(SYSTEM):
        rulebook_load(actor=SYSTEM)
        front = org_services.organization_create(
            actor=SYSTEM, code="WA-MTTQ", name="Ủy ban MTTQ phường A", kind="front", parent=world.a.committee,
            valid_from=D(2025, 7, 1),
        )  # fmt: skip
        peer = org_services.person_create(
            actor=SYSTEM, code="PA9", full_name="Phạm Văn Bình A", gender="male", date_of_birth=D(1975, 2, 2),
            is_party_member=True, admission_date=D(2000, 1, 1), official_date=D(2001, 1, 1),
            party_cell=world.a.cell, residence_cell=world.a.cell,
        )  # fmt: skip
        role = Role.objects.get
        inspector = users.objects.create_user("kiemtra-a", password="x-pass-123", first_name="Kiểm tra A")
        RoleGrant.objects.create(user=inspector, role=role(code="inspection_officer"), organization=world.a.committee)
        cell_sec = users.objects.create_user("bithu-chibo-a1", password="x-pass-123")
        RoleGrant.objects.create(user=cell_sec, role=role(code="secretary"), organization=world.a.cell)
        peer_user = users.objects.create_user("binh", password="x-pass-123", person=peer)
        RoleGrant.objects.create(user=peer_user, role=role(code="member"), organization=world.a.cell)
        front_officer = users.objects.create_user("mattran-a", password="x-pass-123")
        RoleGrant.objects.create(user=front_officer, role=role(code="front_officer"), organization=front)
    return Team(inspector, cell_sec, peer, peer_user, front, front_officer)


@pytest.fixture
def team(world):  # type: ignore[no-untyped-def]
    return _team(world)


@pytest.fixture
def team_tx(world_tx):  # type: ignore[no-untyped-def]
    return _team(world_tx)


@pytest.fixture
def client(client):  # type: ignore[no-untyped-def]
    """Screens are asserted in English (the interface itself opens in Vietnamese)."""
    client.cookies["django_language"] = "en"
    return client
