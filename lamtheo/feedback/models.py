"""Citizens' reports (phản ánh, kiến nghị): received from the public form, Open311 clients and the other
channels, routed to the unit that handles them, held to working-hour deadlines, answered in public, rated and
reopened by the citizen. One report has one holder at a time; every holding is kept (`Holding`)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lamtheo.core.audit import AuditFields
from lamtheo.core.scoping import ScopedModel, public_model


class Channel(models.TextChoices):
    WEB = "web", _("Public web form")
    OPEN311 = "open311", _("Open311 client")
    HOTLINE = "hotline", _("Hotline")
    RECEPTION = "reception", _("Citizen reception day")
    MEETING = "meeting", _("Meeting with voters or residents")
    FRONT = "front", _("Fatherland Front and mass organizations")
    PRESS = "press", _("Press and social media (public opinion)")


STAFF_CHANNELS = tuple(c for c in Channel if c not in (Channel.WEB, Channel.OPEN311))


class Severity(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    COMPLEX = "complex", _("Complex")
    NORMAL = "normal", _("Normal")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRANSFERRED = "transferred", _("Transferred")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    REOPENED = "reopened", _("Reopened")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate (merged)")


# Waiting for the holder to accept it (the acceptance clock runs).
WAITING = (Status.RECEIVED, Status.TRANSFERRED, Status.REOPENED)
# Accepted and being handled (the resolution clock runs).
HANDLING = (Status.ACCEPTED, Status.IN_PROGRESS)
OPEN = (*WAITING, *HANDLING)
# Handled: the unit has answered (Open311 "closed").
DONE = (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.DUPLICATE)


@public_model(reason="the categories of citizens' reports: the same public list for every unit")
class Category(models.Model):
    """What a report is about (Open311 "service"): name, group, the severity it starts with, the extra
    questions it asks (Open311 attributes: [{code, datatype, required, description, values}])."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    group = models.CharField(_("group"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=255, blank=True)
    severity = models.CharField(_("default severity"), max_length=16, choices=Severity.choices,
                                default=Severity.NORMAL)  # fmt: skip
    attributes = models.JSONField(_("extra questions"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


@public_model(reason="the wards a citizen picks on the public form: public reference data")
class Area(models.Model):
    """A ward (or commune) a citizen can report from, and the organization whose subtree follows it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("committee of the area"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@public_model(reason="routing rules: which unit handles which category in which area, public by design")
class RoutingRule(models.Model):
    """(category, area) → the organization that handles such reports; a rule without a category is the area's
    default. Without any rule the report goes to the area's own organization."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="rules")
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")  # fmt: skip
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("handled by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["area", "category"], name="routing_area_category"),
            models.UniqueConstraint(fields=["area"], condition=Q(category__isnull=True), name="routing_area_default"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.area} · {self.category or '*'} → {self.organization}"


@public_model(reason="the reasons a unit may give for rejecting a report: public templates")
class RejectionTemplate(models.Model):
    """A reason for rejecting a report, shown to the citizen (editable by administrators)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    text = models.TextField(_("text shown to the citizen"))
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.text[:80]


@public_model(reason="third-party Open311 clients are managed in the admin and found only by key hash")
class ApiClient(models.Model):
    """A third-party Open311 client allowed to post reports; its key is stored hashed, shown once."""

    name = models.CharField(_("name"), max_length=160)
    key_prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API client")
        verbose_name_plural = _("Open311 API clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class Report(ScopedModel):
    """One citizen's report. In scope for the subtree of its holder and of the area's organization; the
    reporter's personal data is read only by the holder's handlers (`ReportPermissions.can_see_reporter`)."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path", "area__organization__path")
    scope_by_ids: ClassVar[bool] = True  # a city's year is a million rows: filter by ids, not path joins

    code = models.CharField(_("tracking code"), max_length=9, unique=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"))
    attributes = models.JSONField(_("answers to the category's questions"), default=dict, blank=True)
    area = models.ForeignKey(Area, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    reporter_name = models.CharField(_("name"), max_length=160, blank=True)
    reporter_phone = models.CharField(_("phone"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("e-mail"), blank=True)
    anonymous = models.BooleanField(_("stay anonymous"), default=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    api_client = models.ForeignKey(
        ApiClient, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, default=Severity.NORMAL
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("responsible unit"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    escalated_to = models.ForeignKey(
        "organizations.Organization", verbose_name=_("escalated to"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    received_at = models.DateTimeField(_("received at"), db_index=True)
    accept_due = models.DateTimeField(_("to accept by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    resolve_due = models.DateTimeField(_("to resolve by"), null=True, blank=True)
    committed_on = models.DateField(_("committed date"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    public_response = models.TextField(_("public response"), blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    duplicate_of = models.ForeignKey("self", verbose_name=_("duplicate of"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="duplicates")  # fmt: skip
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_reason = models.TextField(_("reason for the rating"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    was_reopened = models.BooleanField(default=False)
    # Closed on time: the resolution came before its deadline (kept, so the board counts it in the database).
    on_time = models.BooleanField(null=True, blank=True)
    # Evidence photos posted with the answer (kept, so the board counts the answers that show their result).
    evidence_photos = models.PositiveSmallIntegerField(default=0)
    subject_text = models.CharField(_("cadre or unit named by the citizen"), max_length=300, blank=True)
    subject_person = models.ForeignKey("organizations.Person", verbose_name=_("cadre concerned"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")  # fmt: skip
    subject_organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("unit concerned"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    subject_confirmed = models.BooleanField(_("confirmed"), default=False)
    search = models.TextField(blank=True, editable=False)

    history = HistoricalRecords(bases=[AuditFields], excluded_fields=["search"])

    class Meta:
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        ordering = ["-received_at", "-id"]
        permissions = [("handle_report", "Can accept, transfer, answer and reject citizens' reports")]
        indexes = [
            models.Index(fields=["organization", "status", "received_at"], name="report_holder_status"),
            models.Index(fields=["area", "category", "status"], name="report_area_category"),
            models.Index(fields=["status", "resolve_due"], name="report_status_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="report_rating_range"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def due(self):  # type: ignore[no-untyped-def]
        """The deadline that runs now: acceptance while waiting, resolution while handled."""
        if self.status in WAITING:
            return self.accept_due
        return self.resolve_due if self.status in HANDLING else None


class Holding(ScopedModel):
    """One unit's time holding a report: from when it received it to when it passed it on or answered."""

    scope_paths: ClassVar[tuple[str, ...]] = (
        "report__organization__path",
        "report__area__organization__path",
    )

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="holdings")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "id"]


class EventKind(models.TextChoices):
    STATUS = "status", _("Status change")
    TRANSFER = "transfer", _("Transfer")
    NOTE = "note", _("Internal note")
    PROGRESS = "progress", _("Progress note")
    RESPONSE = "response", _("Public response")
    ESCALATION = "escalation", _("Escalation")
    RATING = "rating", _("Rating")


class Event(ScopedModel):
    """One line of a report's timeline. Public lines are shown to the citizen; internal notes never are."""

    scope_paths: ClassVar[tuple[str, ...]] = (
        "report__organization__path",
        "report__area__organization__path",
    )

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    is_public = models.BooleanField(default=True)
    text = models.TextField(blank=True)
    committed_on = models.DateField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")  # fmt: skip

    class Meta:
        ordering = ["at", "id"]


class PhotoKind(models.TextChoices):
    CITIZEN = "citizen", _("From the citizen")
    EVIDENCE = "evidence", _("Evidence of the handling")


class Photo(ScopedModel):
    """A photo of a report: sent by the citizen, or the unit's evidence of what it did (re-encoded JPEG,
    without location metadata)."""

    scope_paths: ClassVar[tuple[str, ...]] = (
        "report__organization__path",
        "report__area__organization__path",
    )

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=16, choices=PhotoKind.choices)
    file = models.FileField(upload_to="feedback/%Y/%m/")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


@public_model(reason="the transparency board's figures: counts per ward and category, public by design")
class BoardFigure(models.Model):
    """The transparency board of a year, per ward and category, as the hourly sweep last counted it (a city's
    year is a million reports: the public page reads these rows, not the reports)."""

    year = models.PositiveSmallIntegerField()
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    open_overdue = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    evidenced = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "area", "category"], name="board_year_area_category")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.area_id} {self.category_id}"
