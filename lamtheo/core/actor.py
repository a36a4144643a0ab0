"""The Actor: who is acting, with which roles on which organization subtrees. One per request."""

from __future__ import annotations

from dataclasses import dataclass

from .scoping import Scope

# The one role that holds every permission on the whole tree (the others are plain data).
SYSTEM_ADMIN = "system_admin"


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
    def scope(self) -> Scope:
        """The union of the granted subtrees (or the whole tree for a system actor)."""
        if self.is_system:
            return Scope.everything(reason=self.system_reason or "system")
        if any(g.role_code == SYSTEM_ADMIN and g.org_path.count("/") <= 2 for g in self.grants):
            # Only a system administrator of a root (or a superuser) reads the whole tree; the role granted
            # lower down is bound to its subtree like any other.
            return Scope.everything(reason="system administrator")
        return Scope.of((g.org_path for g in self.grants), label=self.display_name)

    @property
    def role_codes(self) -> frozenset[str]:
        return frozenset(g.role_code for g in self.grants)

    def has_perm(self, perm: str, path: str | None = None) -> bool:
        """True when a grant carries `perm` and (if given) covers the organization at `path`."""
        return self.grant_for(perm, path) is not None

    def grant_for(self, perm: str, path: str | None = None) -> Grant | None:
        """The most specific grant that carries `perm` over `path`: recorded in the audit trail."""
        if self.is_system:
            return Grant("system", "system", 0, "/", self.system_reason, frozenset({perm}))
        best: Grant | None = None
        for grant in self.grants:
            allowed = perm in grant.permissions or grant.role_code == SYSTEM_ADMIN
            if allowed and (path is None or grant.covers(path)):
                if best is None or len(grant.org_path) > len(best.org_path):
                    best = grant
        return best

    def paths_with(self, *perms: str) -> list[str]:
        """The subtrees (paths) where the actor holds one of `perms` (a system administrator holds them all)."""
        return [g.org_path for g in self.grants if g.role_code == SYSTEM_ADMIN or not g.permissions.isdisjoint(perms)]

    def can_see(self, path: str) -> bool:
        """True when the organization at `path` is inside the actor's scope."""
        return self.scope.covers(path)
