"""Party inspection and supervision, the Fatherland Front's supervision and Party discipline: a case moves
through its documented steps to a conclusion whose recommendations become shortcomings to remedy (the
remediation context tracks them to a verified remedy, ADR 0008)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lamtheo.core.audit import AuditFields
from lamtheo.core.scoping import ScopedModel


class Kind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SUPERVISION = "supervision", _("Supervision")


class Mode(models.TextChoices):
    REGULAR = "regular", _("Regular")
    THEMATIC = "thematic", _("Thematic")
    VIOLATION = "violation", _("On signs of violation")


class Step(models.TextChoices):
    """The documented steps of a case, in order (Hướng dẫn 02-HD/TW; a working session may repeat)."""

    DECISION = "decision", _("Decision forming the team")
    PLAN = "plan", _("Plan of the inspection")
    NOTIFICATION = "notification", _("Notification to the subject")
    SELF_REPORT = "self_report", _("Self-report of the subject")
    SESSION = "session", _("Working session")
    RESULTS_REPORT = "results_report", _("Results report of the team")
    CONCLUSION = "conclusion", _("Conclusion of the committee")
    NOTICE = "notice", _("Notice of the results")


STEP_ORDER: tuple[str, ...] = tuple(Step.values)
# The document type each step issues, in the party format <n>-<TYPE>/<ISSUER>.
STEP_DOC_TYPES = {
    Step.DECISION: "QĐ", Step.PLAN: "KH", Step.NOTIFICATION: "TB", Step.SELF_REPORT: "BC", Step.SESSION: "BB",
    Step.RESULTS_REPORT: "BC", Step.CONCLUSION: "KL", Step.NOTICE: "TB",
}  # fmt: skip


class CaseStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    CONCLUDED = "concluded", _("Concluded")
    CLOSED = "closed", _("Results notified")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class Programme(ScopedModel):
    """A committee's (or a cell's) inspection and supervision programme for a year, adopted by the committee."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path",)

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(pgettext_lazy("programme", "Title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("inspection and supervision programme")
        verbose_name_plural = _("inspection and supervision programmes")
        ordering = ["-year", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="programme_org_year")]

    def __str__(self) -> str:
        return self.title


class ProgrammeItem(ScopedModel):
    """One planned inspection or supervision of the programme: subject, content, mode, period."""

    scope_paths: ClassVar[tuple[str, ...]] = ("programme__organization__path",)

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    subject_organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization inspected"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    subject_person = models.ForeignKey(
        "organizations.Person", verbose_name=_("party member inspected"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    content = models.TextField(_("content"))
    planned_from = models.DateField(_("planned from"))
    planned_to = models.DateField(_("planned to"))

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["planned_from", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_to__gte=models.F("planned_from")), name="item_period"),
        ]

    def __str__(self) -> str:
        return self.content[:80]


class Case(ScopedModel):
    """One inspection or supervision, by a committee, of an organization or a party member. In scope for the
    committee's subtree and for the subject (their unit, or the member's party cell): who of them reads it is
    the policy's (`CasePermissions`)."""

    scope_paths: ClassVar[tuple[str, ...]] = (
        "organization__path", "subject_organization__path", "subject_person__party_cell__path",
    )  # fmt: skip

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("conducted by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    programme_item = models.ForeignKey(
        ProgrammeItem, verbose_name=_("programme item"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="cases",
    )  # fmt: skip
    subject_organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization inspected"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    subject_person = models.ForeignKey(
        "organizations.Person", verbose_name=_("party member inspected"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    title = models.CharField(pgettext_lazy("case", "Title"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    leader = models.ForeignKey(
        "organizations.Person", verbose_name=_("team leader"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    team = models.ManyToManyField("organizations.Person", verbose_name=_("team members"), blank=True,
                                  related_name="+")  # fmt: skip
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    step = models.CharField(_("last step"), max_length=16, choices=Step.choices, blank=True)
    notified_on = models.DateField(_("subject notified on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[AuditFields], excluded_fields=["team"])

    class Meta:
        verbose_name = _("inspection or supervision case")
        verbose_name_plural = _("inspection and supervision cases")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_confidential", "Can see cases on signs of violation and disciplinary matters"),
        ]
        indexes = [models.Index(fields=["organization", "year"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_confidential(self) -> bool:
        """A case on signs of violation is seen only by the inspection side (and its subject once notified)."""
        return self.mode == Mode.VIOLATION

    @property
    def subject_label(self) -> str:
        if self.subject_person_id:
            return self.subject_person.full_name
        return self.subject_organization.name if self.subject_organization_id else ""


class CaseDocument(ScopedModel):
    """The document of one step of a case: number and symbol in the party format, date, file, summary."""

    scope_paths: ClassVar[tuple[str, ...]] = ("case__organization__path",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    doc_type = models.CharField(_("document type"), max_length=8, blank=True)
    issuer = models.CharField(_("issuing body (abbreviation)"), max_length=40, blank=True)
    issued_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("file"), upload_to="oversight/documents/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return self.symbol or self.get_step_display()

    @property
    def symbol(self) -> str:
        """The party format <n>-<TYPE>/<ISSUER> ("12-QĐ/UBKTĐU"); empty for a document without a number."""
        if self.number is None:
            return ""
        return (
            f"{self.number}-{self.doc_type}/{self.issuer}"
            if self.issuer
            else f"{self.number}-{self.doc_type}"
        )


class Severity(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    SHORTCOMING = "shortcoming", _("Shortcoming")
    VIOLATION = "violation", _("Violation")


class Finding(ScopedModel):
    """What the team found: condition, criterion, cause, consequence, severity, and what it recommends."""

    scope_paths: ClassVar[tuple[str, ...]] = ("case__organization__path",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="findings")
    condition = models.TextField(_("what was found"))
    criterion = models.ForeignKey(
        "rulebook.Criterion", verbose_name=_("criterion"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    cause = models.TextField(_("cause"), blank=True)
    consequence = models.TextField(_("consequence"), blank=True)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    recommendation = models.TextField(_("recommendation"), blank=True)
    owner_person = models.ForeignKey(
        "organizations.Person", verbose_name=_("to be remedied by (person)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    owner_organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("to be remedied by (unit)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.condition[:80]

    @property
    def source_ref(self) -> str:
        return f"oversight.finding:{self.pk}"


class MeasureKind(models.TextChoices):
    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    REMOVAL = "removal", _("Removal from post")
    EXPULSION = "expulsion", _("Expulsion from the Party")
    DISSOLUTION = "dissolution", _("Dissolution")


MEMBER_MEASURES = (MeasureKind.REPRIMAND, MeasureKind.WARNING, MeasureKind.REMOVAL, MeasureKind.EXPULSION)
ORGANIZATION_MEASURES = (MeasureKind.REPRIMAND, MeasureKind.WARNING, MeasureKind.DISSOLUTION)


class DisciplinaryMeasure(ScopedModel):
    """A disciplinary measure decided on a party member or a party organization (confidential)."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path", "person__party_cell__path")

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "organizations.Person", verbose_name=_("party member"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="disciplinary_measures",
    )  # fmt: skip
    subject_organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("party organization"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    measure = models.CharField(_("measure"), max_length=16, choices=MeasureKind.choices)
    number = models.PositiveIntegerField(_("decision number"))
    issuer = models.CharField(_("issuing body (abbreviation)"), max_length=40)
    decided_on = models.DateField(_("decided on"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    violation = models.TextField(_("violation"))
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("disciplinary measure")
        verbose_name_plural = _("disciplinary measures")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="measure_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} — {self.symbol}"

    @property
    def symbol(self) -> str:
        return f"{self.number}-QĐ/{self.issuer}"


class Supervision(ScopedModel):
    """A supervision by the Fatherland Front or a mass organization of a cadre or a unit."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path", "subject_person__party_cell__path")

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("supervising organization"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    subject_person = models.ForeignKey(
        "organizations.Person", verbose_name=_("cadre supervised"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    subject_organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("unit supervised"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    topic = models.CharField(_("what is supervised"), max_length=300)
    criteria_set = models.ForeignKey(
        "rulebook.CriteriaSet", verbose_name=_("against"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    opened_on = models.DateField(_("opened on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("Front supervision")
        verbose_name_plural = _("Front supervisions")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.topic

    @property
    def subject_label(self) -> str:
        if self.subject_person_id:
            return self.subject_person.full_name
        return self.subject_organization.name if self.subject_organization_id else ""


class Opinion(ScopedModel):
    """People's opinions gathered at a meeting during a supervision."""

    scope_paths: ClassVar[tuple[str, ...]] = ("supervision__organization__path",)

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="opinions")
    gathered_on = models.DateField(_("date"))
    gathered_at = models.CharField(_("meeting"), max_length=300)
    summary = models.TextField(_("opinions"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("opinion gathered")
        verbose_name_plural = _("opinions gathered")
        ordering = ["gathered_on", "id"]

    def __str__(self) -> str:
        return self.gathered_at


class ConfidentialAccess(ScopedModel):
    """Who opened a confidential record, when, in which role: reading such records is itself recorded."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path",)

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    record = models.CharField(_("record"), max_length=80, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=64, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("access to a confidential record")
        verbose_name_plural = _("accesses to confidential records")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.record
