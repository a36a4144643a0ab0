"""core.permissions and the Actor helpers it rests on: behaviour the contexts rely on."""

from __future__ import annotations

import pytest
from django.http import Http404

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.errors import PermissionDenied
from lamtheo.core.permissions import Permissions, actor_scoped, get_or_404, require
from lamtheo.core.scoping import Scope, activate, current_scope
from lamtheo.core.vocabulary import RoleCode

REVIEW = "commitments.review_commitmentplan"
ROOT, WARD, CELL = "/000000001/", "/000000001/000000002/", "/000000001/000000002/000000003/"


def grant(role: str, path: str, *perms: str) -> Grant:
    return Grant(role, role, int(path.rstrip("/").rsplit("/", 1)[-1]), path, path, frozenset(perms))


def actor(*grants: Grant, person_id: int | None = None) -> Actor:
    return Actor(user_id=7, display_name="Nguyễn Văn A", person_id=person_id, grants=grants)


class NotePermissions(Permissions):
    messages = {"edit": "Only the author edits a note.", "*": "Not allowed."}

    def can_edit(self) -> Grant | None:
        if self.actor.person_id == self.record["author"]:
            return self.actor.own_grant(org_id=3, org_path=CELL, org_name="cell")
        return None

    def can_review(self) -> Grant | None:
        return self.actor.grant_for(REVIEW, CELL)


def test_require_returns_the_grant_or_raises_with_the_message():  # type: ignore[no-untyped-def]
    g = grant("secretary", WARD, REVIEW)
    assert require(g, "no") is g
    with pytest.raises(PermissionDenied, match="^no$"):
        require(None, "no")


def test_permission_class_gives_grants_reasons_and_template_flags():  # type: ignore[no-untyped-def]
    author = actor(person_id=5)
    perms = NotePermissions(author, {"author": 5})
    own = perms.require("edit")
    assert own.role_code == RoleCode.SELF and own.org_path == CELL  # the audit row says "themself"
    assert perms.allowed("edit", "review") == {"edit": True, "review": False}
    with pytest.raises(PermissionDenied, match="Not allowed"):
        perms.require("review")
    stranger = NotePermissions(actor(grant("secretary", WARD, REVIEW)), {"author": 5})
    with pytest.raises(PermissionDenied, match="Only the author"):
        stranger.require("edit")
    assert stranger.require("review").org_path == WARD


def test_grant_above_is_strictly_above_and_the_nearest():  # type: ignore[no-untyped-def]
    ward = grant("secretary", WARD, "x.decide")
    cell = grant("secretary", CELL, "x.decide")
    officer = actor(ward, cell)
    assert officer.grant_above("x.decide", CELL) is ward  # the cell's own grant does not decide for it
    assert officer.grant_above("x.decide", WARD) is None
    assert actor(grant(RoleCode.SYSTEM_ADMIN, ROOT)).grant_above("x.decide", ROOT) is not None  # whole tree
    assert actor(grant(RoleCode.SYSTEM_ADMIN, WARD)).grant_above("x.decide", WARD) is None  # bound to subtree


def test_the_root_administrator_rule_lives_in_one_place():  # type: ignore[no-untyped-def]
    assert actor(grant(RoleCode.SYSTEM_ADMIN, ROOT)).is_tree_admin
    assert actor(grant(RoleCode.SYSTEM_ADMIN, ROOT)).scope.is_global
    lower = actor(grant(RoleCode.SYSTEM_ADMIN, WARD))
    assert not lower.is_tree_admin and lower.scope.paths == (WARD,)
    assert Actor.system(reason="job").is_tree_admin
    assert lower.widest_grant("anything").org_path == WARD  # a system administrator carries every permission


@actor_scoped
def _scope_seen(*, actor: Actor) -> Scope:
    return current_scope()


@actor_scoped
def _scopes_streamed(*, actor: Actor, n: int):  # type: ignore[no-untyped-def]
    for _ in range(n):
        yield current_scope()


def test_actor_scoped_reads_through_the_actor_never_a_wider_ambient_scope():  # type: ignore[no-untyped-def]
    officer = actor(grant("secretary", WARD, REVIEW))
    with activate(Scope.everything(reason="a command")):
        assert _scope_seen(actor=officer).paths == (WARD,)
        assert not _scope_seen(actor=officer).is_global
        assert current_scope().is_global  # restored after the call
    # A generator keeps the actor's scope while it is iterated, after the caller's block has ended.
    with activate(Scope.everything(reason="a view")):
        stream = _scopes_streamed(actor=officer, n=2)
    assert [s.paths for s in stream] == [(WARD,), (WARD,)]


def test_actor_scoped_refuses_a_function_without_an_actor_or_a_call_without_one():  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match="takes no `actor`"):

        @actor_scoped
        def no_actor(*, year: int) -> None: ...

    with pytest.raises(TypeError, match="needs an Actor"):
        _scope_seen(actor=None)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_get_or_404_treats_missing_malformed_and_out_of_scope_alike(world):  # type: ignore[no-untyped-def]
    from lamtheo.organizations.models import Organization

    with activate(Scope.of([world.a.committee.path])):
        assert get_or_404(Organization.objects.all(), pk=world.a.cell.pk) == world.a.cell
        for pk in (world.b.cell.pk, 10**9, "abc"):
            with pytest.raises(Http404):
                get_or_404(Organization.objects.all(), pk=pk)
