"""Import and export jobs: each one is scoped to the organization it was run for, and is its audit record."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lamtheo.core.audit import AuditFields
from lamtheo.core.scoping import ScopedModel


class RosterKind(models.TextChoices):
    PEOPLE = "people", _("People")
    ORGANIZATIONS = "organizations", _("Organizations")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PREVIEWING = "previewing", _("Checking")
    PREVIEWED = "previewed", _("Checked, waiting for confirmation")
    REJECTED = "rejected", _("Has errors")
    COMMITTING = "committing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class RosterJob(ScopedModel):
    """What imports and exports share: a public id for URLs, the organization it belongs to, who and when."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path",)
    keep_on_merge: ClassVar[tuple[str, ...]] = ("organization",)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=RosterKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class ImportJob(RosterJob):
    """One uploaded file: its dry-run report, then (once confirmed) its all-or-nothing commit."""

    file_name = models.CharField(_("file name"), max_length=255)
    file_path = models.CharField(max_length=500, editable=False)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    text_encoding = models.CharField(_("text encoding"), max_length=32, blank=True)
    legacy_encoding = models.CharField(_("legacy Vietnamese encoding"), max_length=16, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("to create"), default=0)
    updated_count = models.PositiveIntegerField(_("to update"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    note_count = models.PositiveIntegerField(_("values changed on the way in"), default=0)
    notes = models.JSONField(_("changes on the way in"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(bases=[AuditFields], excluded_fields=["errors", "notes"])

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.PREVIEWING, ImportStatus.COMMITTING)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Writing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(RosterJob):
    """An .xlsx export written in the background; the file is downloadable by whoever may see the list."""

    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    file_path = models.CharField(max_length=500, blank=True, editable=False)
    file_name = models.CharField(max_length=255, blank=True)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name or str(self.public_id)
