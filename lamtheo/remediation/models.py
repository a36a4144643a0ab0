"""Shortcomings to remedy: one home for what evaluations, inspections, Front supervision and citizens'
reports point out, each tracked to a remedy that someone other than its owner verifies (ADR 0008)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lamtheo.core.audit import AuditFields
from lamtheo.core.scoping import ScopedModel


class Source(models.TextChoices):
    EVALUATION = "evaluation", _("Annual evaluation")
    INSPECTION = "inspection", _("Party inspection or supervision")
    FRONT = "front", _("Fatherland Front supervision")
    CITIZEN_REPORT = "citizen_report", _("Citizens' report")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    REPORTED = "reported", _("Remedy reported")
    VERIFIED = "verified", _("Verified")


OPEN_STATUSES = (Status.OPEN, Status.REPORTED)


class RemediationItem(ScopedModel):
    """A shortcoming to remedy, with an owner and a due date, tracked until someone verifies the remedy."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path",)

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("tracked by"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "organizations.Person", verbose_name=_("person concerned"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="remediation_items",
    )  # fmt: skip
    source = models.CharField(_("pointed out by"), max_length=16, choices=Source.choices)
    source_ref = models.CharField(_("source record"), max_length=80, blank=True, db_index=True)
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("shortcoming"))
    owner = models.ForeignKey(
        "organizations.Person", verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    report_note = models.TextField(_("what was done"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_note = models.TextField(_("verification"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("shortcoming to remedy")
        verbose_name_plural = _("shortcomings to remedy")
        ordering = ["due_date", "id"]
        permissions = [("verify_remediationitem", "Can verify the remedy of a shortcoming")]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
