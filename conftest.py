"""Shared test fixtures: a small two-branch tree, actors with roles on each branch, logged-in clients.

Acting as someone
    `as_actor(who)` (a fixture; `acting_as` outside fixtures) is a context manager that does what the request
    middleware does: it builds the Actor of a user (`organizations.selectors.actor_for_user`; an Actor is used
    as it is), activates the actor's scope and puts the actor in the audit context, and yields the actor::

        def test_the_secretary_sees_only_ward_a(world, as_actor):
            with as_actor(world.a.secretary_user) as actor:
                plan = services.plan_create(actor=actor, ...)    # audited as the secretary
                assert not Person.objects.filter(pk=world.b.member.pk).exists()

    `as_actor(SYSTEM)` is the whole tree with a system actor (what the `system` fixture holds for a whole test).

Building rows
    factory-boy factories live next to each context's tests (`lamtheo/<context>/tests/factories.py`, base
    class in `lamtheo/core/tests/factories.py`); they write rows directly and work with or without an
    active scope, e.g. ``PersonFactory(party_cell=OrganizationFactory(cell=True, parent=world.a.committee))``.

Running in parallel
    `pytest -n 2` (pytest-xdist) gives each worker its own test database, settings temp directory and
    `tmp_path_factory` base; module-scoped fixtures run once per worker that gets tests of that module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.scoping import activate

CHROMIUM = os.environ.get("LAMTHEO_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Browser tests need Chromium: CI requires it; elsewhere they skip with a printed reason."""
    have_browser = shutil.which(CHROMIUM) is not None
    if have_browser:
        return
    if os.environ.get("LAMTHEO_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            f"Browser tests are required but {CHROMIUM} is missing (apt-get install chromium)."
        )
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed: run `make test` as root to install it")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):  # type: ignore[no-untyped-def]
    """An English-speaking browser: the interface must still open in Vietnamese."""
    return {**browser_context_args, "locale": "en-US", "timezone_id": "Asia/Ho_Chi_Minh"}


SYSTEM = Actor.system(reason="test fixture")


@contextlib.contextmanager
def acting_as(who, *, day: dt.date | None = None) -> Iterator[Actor]:  # type: ignore[no-untyped-def]
    """Act as `who` (a user, or an Actor) as a request of theirs would: the actor's scope and audit context."""
    actor = who if isinstance(who, Actor) else actor_of(who, day=day)
    with activate(actor.scope), audit.acting(actor):
        yield actor


@pytest.fixture
def as_actor() -> Callable[..., contextlib.AbstractContextManager[Actor]]:
    """`with as_actor(user_or_actor) as actor:` — the actor's scope and audit context inside the block."""
    return acting_as


@pytest.fixture
def system():  # type: ignore[no-untyped-def]
    """Run the test body with the whole tree in scope and a system actor in the audit context."""
    with acting_as(SYSTEM):
        yield SYSTEM


@dataclass
class Branch:
    committee: object
    cell: object
    agency: object
    member: object
    staff: object
    secretary_user: object
    officer_user: object


@dataclass
class World:
    root: object
    a: Branch
    b: Branch
    admin_user: object


def _branch(letter: str, root, role_secretary, role_officer, user_model):  # type: ignore[no-untyped-def]
    from lamtheo.organizations import services
    from lamtheo.organizations.models import RoleGrant

    committee = services.organization_create(
        actor=SYSTEM,
        code=f"W{letter}",
        name=f"Đảng bộ phường {letter}",
        kind="party_committee",
        parent=root,
        valid_from=dt.date(2025, 7, 1),
        is_grassroots=True,
    )
    cell = services.organization_create(
        actor=SYSTEM,
        code=f"W{letter}-C1",
        name=f"Chi bộ Tổ dân phố {letter}1",
        kind="party_cell",
        parent=committee,
        valid_from=dt.date(2025, 7, 1),
    )
    agency = services.organization_create(
        actor=SYSTEM,
        code=f"W{letter}-UB",
        name=f"UBND phường {letter}",
        kind="peoples_committee",
        parent=committee,
        valid_from=dt.date(2025, 7, 1),
    )
    member = services.person_create(
        actor=SYSTEM,
        code=f"P{letter}1",
        full_name=f"Nguyễn Văn Đức {letter}",
        gender="male",
        date_of_birth=dt.date(1980, 1, 1),
        is_party_member=True,
        admission_date=dt.date(2005, 1, 1),
        official_date=dt.date(2006, 1, 1),
        party_cell=cell,
        residence_cell=cell,
    )
    staff = services.person_create(
        actor=SYSTEM,
        code=f"P{letter}2",
        full_name=f"Trần Thị Mai {letter}",
        gender="female",
        date_of_birth=dt.date(1990, 5, 5),
        workplace=agency,
    )
    services.position_create(
        actor=SYSTEM,
        person=member,
        organization=cell,
        title="Bí thư Chi bộ",
        is_head=True,
        from_date=dt.date(2025, 7, 1),
    )
    secretary_user = user_model.objects.create_user(
        f"bithu{letter.lower()}", password="x-pass-123", person=member
    )
    officer_user = user_model.objects.create_user(f"tochuc{letter.lower()}", password="x-pass-123")
    RoleGrant.objects.create(user=secretary_user, role=role_secretary, organization=committee)
    RoleGrant.objects.create(user=officer_user, role=role_officer, organization=committee)
    return Branch(committee, cell, agency, member, staff, secretary_user, officer_user)


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    """A root with two sibling wards A and B, each with a cell, an agency, two people and two accounts."""
    with acting_as(SYSTEM):
        return _build_world()


@pytest.fixture
def world_tx(transactional_db):  # type: ignore[no-untyped-def]
    """The same world, committed, for tests that use a live server in another thread (browser tests)."""
    with acting_as(SYSTEM):
        return _build_world()


def _build_world() -> World:
    from django.contrib.auth import get_user_model

    from lamtheo.organizations import services
    from lamtheo.organizations.models import Role

    services.role_catalogue_load(actor=SYSTEM)
    user_model = get_user_model()
    root = services.organization_create(
        actor=SYSTEM,
        code="HN",
        name="Đảng bộ Thành phố Hà Nội",
        kind="party_committee",
        parent=None,
        valid_from=dt.date(1930, 2, 3),
    )
    secretary, officer = Role.objects.get(code="secretary"), Role.objects.get(code="organization_officer")
    a = _branch("A", root, secretary, officer, user_model)
    b = _branch("B", root, secretary, officer, user_model)
    admin_user = user_model.objects.create_superuser("admin", password="x-pass-123")
    return World(root, a, b, admin_user)


def actor_of(user, *, day: dt.date | None = None) -> Actor:  # type: ignore[no-untyped-def]
    """The Actor the middleware would build for `user` (on `day`, today by default)."""
    from lamtheo.organizations.selectors import actor_for_user

    return actor_for_user(user, day=day)


@pytest.fixture(autouse=True)
def _english_outside_requests():  # type: ignore[no-untyped-def]
    """Service-level messages are asserted in English; requests still pick their language per request."""
    from django.utils import translation

    with translation.override("en"):
        yield
