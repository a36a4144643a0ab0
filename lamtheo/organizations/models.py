"""The organization tree (any depth, effective-dated, successor links), people, positions, roles."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, Permission
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lamtheo.core.audit import AuditFields
from lamtheo.core.scoping import ScopedModel, public_model
from lamtheo.core.text import fold

# The vocabulary lives in core; re-exported here for the models and migrations that name it.
from lamtheo.core.vocabulary import PARTY_KINDS as PARTY_KINDS
from lamtheo.core.vocabulary import OrgKind as OrgKind


def path_segment(pk: int) -> str:
    """One level of the materialised path: the id zero-padded, so that sorting by path is tree order."""
    return f"{pk:09d}"


def organization_search_text(name: str, code: str, short_name: str) -> str:
    """What the organization search matches: name, code and short name, folded (services and imports)."""
    return fold(f"{name} {code} {short_name}")


class Organization(ScopedModel):
    """A node of the organization tree. `path` is the materialised path of ids, e.g. "/1/7/42/"."""

    scope_paths: ClassVar[tuple[str, ...]] = ("path",)
    # Foreign keys to Organization that stay with a closed organization when it is merged (history).
    keep_on_merge: ClassVar[tuple[str, ...]] = ("parent",)

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    is_grassroots = models.BooleanField(_("grassroots level"), default=False)
    valid_from = models.DateField(_("valid from"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    search_name = models.CharField(max_length=255, editable=False, default="", db_index=True)
    successors = models.ManyToManyField(
        "self",
        through="Succession",
        symmetrical=False,
        related_name="predecessors",
        verbose_name=_("successors"),
        blank=True,
    )

    history = HistoricalRecords(bases=[AuditFields], excluded_fields=["search_name"])

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="org_valid_range",
            ),
        ]
        permissions = [
            ("move_organization", "Can move an organization to another parent"),
            ("merge_organization", "Can merge organizations"),
            ("view_history", "Can view the audit history of records"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        """True when the organization exists on `day`."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def is_closed(self) -> bool:
        return self.valid_to is not None


class ParentLink(ScopedModel):
    """Which parent an organization had over which period: the tree as of any date is built from these."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path",)
    keep_on_merge: ClassVar[tuple[str, ...]] = ("organization", "parent")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="child_links")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("parent link")
        verbose_name_plural = _("parent links")
        indexes = [models.Index(fields=["parent", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="parentlink_valid_range",
            ),
        ]


@public_model(reason="links between two organizations; read only through the scoped organization pages")
class Succession(models.Model):
    """A predecessor → successor link made by a merge, split or renaming (effective on `date`)."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        RENAME = "rename", _("Renaming")

    predecessor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    successor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MERGE)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.date:%d/%m/%Y})"


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")


class Person(ScopedModel):
    """A cadre, party member, civil servant or public employee (one person can be several)."""

    # Visible to whoever holds the person's party cell, workplace or residence cell (Quy định 213).
    scope_paths: ClassVar[tuple[str, ...]] = ("party_cell__path", "workplace__path", "residence_cell__path")

    code = models.CharField(_("person code"), max_length=40, unique=True)
    full_name = models.CharField(_("full name"), max_length=160)
    search_name = models.CharField(max_length=160, editable=False, default="", db_index=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    is_party_member = models.BooleanField(_("party member"), default=False)
    admission_date = models.DateField(_("admission date"), null=True, blank=True)
    official_date = models.DateField(_("official membership date"), null=True, blank=True)
    party_cell = models.ForeignKey(
        Organization,
        verbose_name=_("party cell (active)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cell_members",
    )
    workplace = models.ForeignKey(
        Organization,
        verbose_name=_("workplace"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    residence_cell = models.ForeignKey(
        Organization,
        verbose_name=_("residence party cell"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    # History is read per person (by id): the other indexes would only slow down bulk imports.
    history = HistoricalRecords(
        bases=[AuditFields], excluded_fields=["search_name"],
        no_db_index=["code", "party_cell", "workplace", "residence_cell"],
    )  # fmt: skip

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["search_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_party_member=True)
                | (Q(admission_date__isnull=True) & Q(official_date__isnull=True)),
                name="person_dates_only_for_members",
            ),
            models.CheckConstraint(
                condition=Q(official_date__isnull=True)
                | Q(admission_date__isnull=True)
                | Q(official_date__gte=models.F("admission_date")),
                name="person_official_after_admission",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Position(ScopedModel):
    """A position held by a person in an organization over a period (secretary, chairperson, …)."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path",)
    keep_on_merge: ClassVar[tuple[str, ...]] = ("organization",)

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("title"), max_length=160)
    is_head = models.BooleanField(_("head of the organization"), default=False)
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"), null=True, blank=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-is_head", "from_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
                name="position_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.organization}"


@public_model(reason="reference data: the catalogue of roles is the same for every organization")
class Role(models.Model):
    """A role (data, not code): a named set of permissions, granted on an organization subtree."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=160)
    name_en = models.CharField(_("name in English"), max_length=160, blank=True)
    description = models.TextField(_("description"), blank=True)
    permissions = models.ManyToManyField(Permission, verbose_name=_("permissions"), blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    history = HistoricalRecords(bases=[AuditFields], m2m_fields=[permissions])

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the interface's language (the Vietnamese name is the record's own)."""
        from django.utils.translation import get_language

        return self.name_en if self.name_en and (get_language() or "").startswith("en") else self.name


@public_model(reason="accounts are managed by system administrators in the admin only")
class User(AbstractUser):
    """A login account, linked to the person who uses it."""

    person = models.OneToOneField(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    class Meta:
        verbose_name = _("user account")
        verbose_name_plural = _("user accounts")


class RoleGrant(ScopedModel):
    """A role given to a user on an organization; it applies to the organization's whole subtree."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path",)
    keep_on_merge: ClassVar[tuple[str, ...]] = ("organization",)

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="grants")
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="grants")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="grants"
    )
    valid_from = models.DateField(_("valid from"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.role} @ {self.organization}"
