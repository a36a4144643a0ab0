"""Annual themes, implementation plans cascaded to sub-units, tasks, milestones and progress reports."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lamtheo.core.audit import AuditFields
from lamtheo.core.scoping import ScopedModel, public_model


class ContentArea(models.TextChoices):
    IDEOLOGY = "ideology", _("Thought (ideology)")
    MORALITY = "morality", _("Morality")
    STYLE = "style", _("Style")


class ThemeKind(models.TextChoices):
    CENTRAL_TOPIC = "central_topic", _("Central study topic")
    ANNUAL_THEME = "annual_theme", _("Annual theme")
    UNIT_FOCUS = "unit_focus", _("Unit focus")


@public_model(reason="published themes of a year: every unit under the issuing level works to them")
class Theme(models.Model):
    """The theme of a year at one level: the central study topic, a city or ward theme, a unit's focus."""

    year = models.PositiveSmallIntegerField(_("year"))
    end_year = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ThemeKind.choices)
    title = models.CharField(_("title"), max_length=500)
    issuer = models.CharField(_("issued by"), max_length=160, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    source = models.ForeignKey(
        "rulebook.Regulation", verbose_name=_("source document"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    source_note = models.CharField(_("source"), max_length=400, blank=True)
    content_areas = models.JSONField(_("content areas"), default=list, blank=True)
    is_uncertain = models.BooleanField(_("unverified"), default=False)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["-year", "kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "title"], name="theme_unique_title"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
REPORTABLE = (PlanStatus.APPROVED, PlanStatus.IN_PROGRESS)


def takes_reports(*, plan_status: str, given_below: bool) -> bool:
    """Whether a task takes progress reports: while its plan is approved or running; a task given to a unit
    below also while the plan waits for approval above (the approval never holds up the units below)."""
    return plan_status in REPORTABLE or (given_below and plan_status == PlanStatus.SUBMITTED)


class Plan(ScopedModel):
    """An organization's implementation plan (kế hoạch thực hiện) for a year or a term."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path",)

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent_plan = models.ForeignKey(
        "self", verbose_name=_("concretises the plan"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="child_plans",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    purpose = models.TextField(_("purpose and requirements"), blank=True)
    content = models.TextField(_("content"), blank=True)
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    regulations = models.ManyToManyField(
        "rulebook.Regulation", verbose_name=_("directive and resolutions"), blank=True, related_name="+"
    )
    content_areas = models.JSONField(_("content areas"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    review_comment = models.TextField(_("comment of the reviewer"), blank=True)
    progress = models.DecimalField(_("progress (%)"), max_digits=5, decimal_places=2, default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[AuditFields], m2m_fields=[regulations])

    class Meta:
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        ordering = ["-period_start", "organization__path"]
        permissions = [("approve_plan", "Can approve or return the plans of sub-units")]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="plan_period"),
        ]

    def __str__(self) -> str:
        return self.title


class ValueType(models.TextChoices):
    PERCENT_DONE = "percent_done", _("Percent done")
    NUMBER = "number", _("Number")
    PERCENT = "percent", _("Percentage")
    YES_NO = "yes_no", _("Yes / no")


class Task(ScopedModel):
    """A task of a plan. Visible to the planning organization and to the one responsible for it (its inbox)."""

    scope_paths: ClassVar[tuple[str, ...]] = ("plan__organization__path", "responsible__path")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", verbose_name=_("concretises the task"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )  # fmt: skip
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ForeignKey(
        "organizations.Organization", verbose_name=_("responsible unit"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    owner = models.ForeignKey(
        "organizations.Person", verbose_name=_("person in charge"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    cooperating = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("co-operating units"), blank=True, related_name="+"
    )
    start = models.DateField(_("start"))
    due = models.DateField(_("due"))
    value_type = models.CharField(
        _("measured as"), max_length=16, choices=ValueType.choices, default=ValueType.PERCENT_DONE
    )
    indicator = models.CharField(_("indicator"), max_length=200, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    progress = models.DecimalField(_("progress (%)"), max_digits=5, decimal_places=2, default=0)
    # The number reached, rolled up like `progress` (rules.rollup): a number task's latest report, or the sum
    # of its sub-tasks' when they count the same unit; None otherwise.
    reached_value = models.DecimalField(
        _("value reached"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    last_reported_on = models.DateField(_("last report"), null=True, blank=True)

    history = HistoricalRecords(
        bases=[AuditFields], excluded_fields=["progress", "reached_value", "last_reported_on"]
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order", "id"]
        indexes = [models.Index(fields=["responsible", "due"])]
        constraints = [
            models.CheckConstraint(condition=Q(due__gte=models.F("start")), name="task_dates"),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gt=0), name="task_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(ScopedModel):
    """An intermediate step of a task with its own date."""

    scope_paths: ClassVar[tuple[str, ...]] = ("task__plan__organization__path", "task__responsible__path")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title


class ReportPeriod(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    AD_HOC = "ad_hoc", _("Ad hoc")


class ProgressReport(ScopedModel):
    """What the responsible unit reports on a task: the value reached, a narrative, evidence."""

    scope_paths: ClassVar[tuple[str, ...]] = ("task__plan__organization__path", "task__responsible__path")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(
        _("period"), max_length=16, choices=ReportPeriod.choices, default=ReportPeriod.AD_HOC
    )
    reported_on = models.DateField(_("as of"))
    achieved_value = models.DecimalField(
        _("value reached"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    percent_done = models.DecimalField(_("percent done"), max_digits=5, decimal_places=2)
    narrative = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(_("evidence file"), upload_to="evidence/%Y/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_done__gte=0) & Q(percent_done__lte=100), name="report_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} — {self.reported_on:%d/%m/%Y}"


class Reminder(ScopedModel):
    """An in-app reminder about a task's deadline (also sent by e-mail): each kind once per task and person."""

    scope_paths: ClassVar[tuple[str, ...]] = ("task__plan__organization__path", "task__responsible__path")

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_on = models.DateField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "user", "kind"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.task}"
