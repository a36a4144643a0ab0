"""The Actor: who is acting, with which roles on which organization subtrees. One per request."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from .scoping import Scope, activate
from .vocabulary import RoleCode

# The one role that holds every permission on its subtree (the others are plain data); kept for old imports.
SYSTEM_ADMIN = RoleCode.SYSTEM_ADMIN


@dataclass(frozen=True)
class Grant:
    """A role granted on an organization; it applies to the organization's whole subtree."""

    role_code: str
    role_name: str
    org_id: int
    org_path: str
    org_name: str
    permissions: frozenset[str] = frozenset()

    def covers(self, path: str) -> bool:
        """True when the organization at `path` lies in this grant's subtree."""
        return path.startswith(self.org_path)

    def carries(self, perm: str) -> bool:
        """True when the grant's role holds `perm` (a system administrator holds every permission)."""
        return self.role_code == RoleCode.SYSTEM_ADMIN or perm in self.permissions

    @property
    def is_root_admin(self) -> bool:
        """A system administrator granted on a root of the tree: reads and does everything everywhere."""
        return self.role_code == RoleCode.SYSTEM_ADMIN and self.org_path.count("/") <= 2


@dataclass(frozen=True)
class Actor:
    """The user behind a request or command, with their grants; builds the scope everything reads through."""

    user_id: int | None
    display_name: str
    person_id: int | None = None
    is_party_member: bool = False
    grants: tuple[Grant, ...] = ()
    is_system: bool = False
    system_reason: str = ""

    @classmethod
    def anonymous(cls) -> Actor:
        """A visitor with no login: sees no scoped record."""
        return cls(user_id=None, display_name="")

    @classmethod
    def system(cls, *, reason: str) -> Actor:
        """Commands and scheduled jobs: the whole tree, with a stated reason (kept in the audit trail)."""
        return cls(user_id=None, display_name="system", is_system=True, system_reason=reason)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_tree_admin(self) -> bool:
        """The whole tree is the actor's: a command or job, or a system administrator of a root (a
        superuser gets that grant). The role granted lower down is bound to its subtree like any other."""
        return self.is_system or any(g.is_root_admin for g in self.grants)

    @cached_property
    def scope(self) -> Scope:
        """The union of the granted subtrees (or the whole tree for a system actor): what the actor reads."""
        if self.is_system:
            return Scope.everything(reason=self.system_reason or "system")
        if self.is_tree_admin:
            return Scope.everything(reason="system administrator")
        return Scope.of((g.org_path for g in self.grants), label=self.display_name)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Scope]:
        """Activate the actor's own scope for the block, whatever scope was active around it."""
        with activate(self.scope) as scope:
            yield scope

    @property
    def role_codes(self) -> frozenset[str]:
        return frozenset(g.role_code for g in self.grants)

    def has_perm(self, perm: str, path: str | None = None) -> bool:
        """True when a grant carries `perm` and (if given) covers the organization at `path`."""
        return self.grant_for(perm, path) is not None

    def grant_for(self, perm: str, path: str | None = None) -> Grant | None:
        """The most specific grant that carries `perm` over `path`: recorded in the audit trail."""
        if self.is_system:
            return Grant(RoleCode.SYSTEM, RoleCode.SYSTEM, 0, "/", self.system_reason, frozenset({perm}))
        best: Grant | None = None
        for grant in self.grants:
            if grant.carries(perm) and (path is None or grant.covers(path)):
                if best is None or len(grant.org_path) > len(best.org_path):
                    best = grant
        return best

    def grant_for_any(self, perms: tuple[str, ...], path: str) -> Grant | None:
        """The first of `perms` (in order) the actor holds over `path`, as its grant."""
        for perm in perms:
            grant = self.grant_for(perm, path)
            if grant is not None:
                return grant
        return None

    def grant_above(self, perm: str, path: str) -> Grant | None:
        """The nearest grant carrying `perm` on an organization strictly above `path` (decisions taken by
        the level above). A command, job or whole-tree administrator decides at any level, the root too."""
        if self.is_tree_admin:
            return self.grant_for(perm, path)
        above = [g for g in self.grants if g.carries(perm) and g.covers(path) and len(g.org_path) < len(path)]
        return max(above, key=lambda g: len(g.org_path), default=None)

    def widest_grant(self, perm: str) -> Grant | None:
        """The grant carrying `perm` over the largest subtree (work that belongs to the actor's top unit)."""
        if self.is_system:
            return self.grant_for(perm)
        return min((g for g in self.grants if g.carries(perm)), key=lambda g: len(g.org_path), default=None)

    def own_grant(self, *, org_id: int, org_path: str, org_name: str) -> Grant:
        """The grant a person acts under on their own record: no role, just themself (for the audit row)."""
        return Grant(RoleCode.SELF, self.display_name, org_id, org_path, org_name, frozenset())

    def paths_with(self, *perms: str) -> list[str]:
        """The subtrees (paths) where the actor holds one of `perms` (a system administrator holds them all)."""
        return [g.org_path for g in self.grants if any(g.carries(p) for p in perms)]

    def units_with(self, *perms: str) -> list[Grant]:
        """The grants on a real organization that carry one of `perms` (the units the actor follows)."""
        return [g for g in self.grants if g.org_id and any(g.carries(p) for p in perms)]

    def can_see(self, path: str) -> bool:
        """True when the organization at `path` is inside the actor's scope."""
        return self.scope.covers(path)
