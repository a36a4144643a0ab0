"""Shortcomings to remedy: one home for what evaluations, inspections, Front supervision and citizens'
reports point out, each tracked to a remedy that someone other than its owner verifies (ADR 0008)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lamtheo.core.audit import AuditFields
from lamtheo.core.scoping import ScopedModel


class Source(models.TextChoices):
    EVALUATION = "evaluation", _("Annual evaluation")
    INSPECTION = "inspection", _("Party inspection or supervision")
    FRONT = "front", _("Fatherland Front supervision")
    CITIZEN_REPORT = "citizen_report", _("Citizens' report")
    OTHER = "other", _("Other")


# Sources whose remedy is proven by a document: a Party inspection or the Front's supervision concluded in
# writing, and the unit answers with the scan, photo or document of what it did.
EVIDENCE_SOURCES = (Source.INSPECTION, Source.FRONT)
# The files accepted as evidence (by extension): scans, photos and the documents offices write.
EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".odt")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class Severity(models.TextChoices):
    """How serious an inspection's or the Front's finding is (the rulebook's FINDING_SEVERITIES); an
    evaluation's shortcomings have none."""

    SHORTCOMING = "shortcoming", pgettext_lazy("severity", "Shortcoming")
    VIOLATION = "violation", pgettext_lazy("severity", "Violation")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    EXTENDED = "extended", _("Extended")
    REPORTED = "reported", _("Remedy reported")
    VERIFIED = "verified", _("Verified")


# Not yet verified (carried into the next plan, followed by the successor of a merged unit).
OPEN_STATUSES = (Status.OPEN, Status.EXTENDED, Status.REPORTED)
# Waiting for the owner's remedy: what can be reported, extended, and falls overdue.
TO_REMEDY = (Status.OPEN, Status.EXTENDED)


class RemediationItem(ScopedModel):
    """A shortcoming to remedy, with an owner and a due date, tracked until someone verifies the remedy."""

    # The unit that remedies may sit outside the tracking organization's subtree (an inspection committee
    # tracks what a cell must remedy): its officers read the item through its own path.
    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path", "owner_organization__path")

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
    owner_organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("unit that remedies"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, blank=True, default=""
    )
    due_date = models.DateField(_("due"))
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("extensions granted"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    report_note = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(
        _("evidence of the remedy"), upload_to="remediation/evidence/%Y/%m/", blank=True, max_length=255
    )
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

    @property
    def awaits_remedy(self) -> bool:
        """Open or extended: the owner has still to report the remedy."""
        return self.status in TO_REMEDY

    @property
    def effective_due(self) -> dt.date:
        """The due date in force: the last extension granted, or the original due date."""
        return self.extended_until or self.due_date

    def is_overdue(self, today: dt.date) -> bool:
        """Not yet verified and past the due date in force."""
        return self.is_open and self.effective_due < today

    @property
    def evidence_filename(self) -> str:
        """The evidence file's name as uploaded (without the storage folders)."""
        return self.evidence.name.rsplit("/", 1)[-1] if self.evidence else ""

    @property
    def evidence_required(self) -> bool:
        """An inspection's or the Front's finding is remedied with a document to show for it."""
        return self.source in EVIDENCE_SOURCES


class Extension(ScopedModel):
    """More time granted to remedy a shortcoming: the due date before, the new one, why, and by whom."""

    scope_paths: ClassVar[tuple[str, ...]] = ("item__organization__path", "item__owner_organization__path")

    item = models.ForeignKey(
        RemediationItem, verbose_name=_("shortcoming"), on_delete=models.PROTECT, related_name="extensions"
    )
    previous_due = models.DateField(_("due before"))
    until = models.DateField(_("extended until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("extension of a due date")
        verbose_name_plural = _("extensions of due dates")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.previous_due:%d/%m/%Y} → {self.until:%d/%m/%Y}"
