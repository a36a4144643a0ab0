"""The words the rules are written in, defined once: organization kinds and the role codes code may name.

Roles are data (`organizations/data/roles.json`); code names only the few codes below. Every policy, form and
service compares against these, never against a literal string.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    """What an organization of the tree is (stored in `Organization.kind`)."""

    PARTY_COMMITTEE = "party_committee", _("Party committee")
    PARTY_CELL = "party_cell", _("Party cell")
    PARTY_GROUP = "party_group", _("Party group")
    ADVISORY_BODY = "advisory_body", _("Party advisory body")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    AGENCY = "agency", _("State agency or unit")
    FRONT = "front", _("Fatherland Front")
    MASS_ORG = "mass_org", _("Mass organization")


# Kinds that hold party members (a member's party cell or residence cell is one of these).
PARTY_KINDS = frozenset({OrgKind.PARTY_COMMITTEE, OrgKind.PARTY_CELL, OrgKind.PARTY_GROUP})


class RoleCode:
    """Role codes with a meaning in code. Every other role is a row of `Role` with permissions attached."""

    # Every permission on its subtree; granted on a root (or held by a superuser) it reads the whole tree.
    SYSTEM_ADMIN = "system_admin"
    # Stamped in the audit trail for commands and scheduled jobs (`Actor.system`).
    SYSTEM = "system"
    # Stamped when a person acts on their own record (their plan, their shortcoming), holding no role for it.
    SELF = "self"
    # Fatherland Front and mass-organization officers: the Front's supervision work list follows this role.
    FRONT_OFFICER = "front_officer"
