"""Personal cultivation plans (bản cam kết tu dưỡng, rèn luyện, phấn đấu): items, self-assessment,
the residence cell's comment (Quy định 213), evaluation and classification, publication of heads' plans."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lamtheo.core.audit import AuditFields
from lamtheo.core.scoping import ScopedModel
from lamtheo.rulebook.models import Grade


class CultivationPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


CULTIVATION_EDITABLE = (CultivationPlanStatus.DRAFT, CultivationPlanStatus.RETURNED)


class CommitmentPlan(ScopedModel):
    """One person's plan for one year, kept by their party cell."""

    scope_paths: ClassVar[tuple[str, ...]] = ("cell__path",)

    person = models.ForeignKey(
        "organizations.Person", verbose_name=_("party member"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    cell = models.ForeignKey(
        "organizations.Organization", verbose_name=_("party cell"), on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(
        "rulebook.CommitmentTemplate", verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    theme = models.ForeignKey(
        "planning.Theme", verbose_name=_("theme of the year"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    is_head = models.BooleanField(_("head of an organization"), default=False)
    position_title = models.CharField(_("position"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CultivationPlanStatus.choices, default=CultivationPlanStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(_("comment of the secretary"), blank=True)
    midyear_at = models.DateTimeField(_("mid-year self-assessment"), null=True, blank=True)
    midyear_summary = models.TextField(_("mid-year summary"), blank=True)
    yearend_at = models.DateTimeField(_("year-end self-assessment"), null=True, blank=True)
    yearend_summary = models.TextField(_("year-end summary"), blank=True)
    # Entered after the calendar's due date: why (CommitmentCalendar.window); empty when on time.
    midyear_late_reason = models.CharField(
        _("why the mid-year self-assessment is late"), max_length=500, blank=True, db_default=""
    )
    yearend_late_reason = models.CharField(
        _("why the year-end self-assessment is late"), max_length=500, blank=True, db_default=""
    )
    self_grade = models.CharField(_("self-proposed grade"), max_length=16, choices=Grade.choices, blank=True)
    self_score = models.DecimalField(
        _("self-proposed score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    on_notice_board = models.BooleanField(_("on the unit notice board"), default=False)
    on_portal = models.BooleanField(_("on the public portal"), default=False)
    on_residence = models.BooleanField(_("in the residential area"), default=False)
    result_published = models.BooleanField(_("year-end result published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A member without an account hands in the paper form: the cell's officer enters it for them.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # db_default: rows written in bulk outside the ORM (the scale generator) have no scanned form either.
    paper_form = models.FileField(
        _("scanned form"), upload_to="commitments/forms/%Y/", blank=True, db_default=""
    )

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("cultivation plan")
        verbose_name_plural = _("cultivation plans")
        ordering = ["-year", "cell__path", "person__full_name"]
        permissions = [
            ("review_commitmentplan", "Can approve, return and follow the cultivation plans of members"),
            ("publish_commitmentplan", "Can publish the commitments of heads"),
            ("lock_commitmentyear", "Can lock a year of cultivation plans"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="commitmentplan_one_per_year"),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=0), name="commitmentplan_score"
            ),
        ]
        indexes = [models.Index(fields=["cell", "year"]), models.Index(fields=["year", "status", "cell"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.year}"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class ItemSource(models.TextChoices):
    TEMPLATE = "template", _("From the template")
    OWN = "own", _("Own item")
    CARRIED = "carried", _("Unfinished last year")
    REMEDIATION = "remediation", _("Shortcoming to remedy")


class Result(models.TextChoices):
    DONE = "done", _("Done")
    PARTLY = "partly", _("Partly done")
    NOT_DONE = "not_done", _("Not done")


class CommitmentItem(ScopedModel):
    """One commitment of a plan, in a section of the template, with measures, a timeline and results."""

    scope_paths: ClassVar[tuple[str, ...]] = ("plan__cell__path",)

    plan = models.ForeignKey(CommitmentPlan, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(_("section"), max_length=40)
    order = models.PositiveIntegerField(default=0)
    content = models.TextField(_("commitment"))
    measures = models.TextField(_("measures"), blank=True)
    timeline = models.CharField(_("timeline"), max_length=200, blank=True)
    target = models.CharField(_("quantified target"), max_length=200, blank=True)
    standards = models.JSONField(_("standards"), default=list, blank=True)
    source = models.CharField(_("origin"), max_length=16, choices=ItemSource.choices, default=ItemSource.OWN)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    remediation = models.ForeignKey(
        "remediation.RemediationItem", verbose_name=_("shortcoming to remedy"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    midyear_result = models.CharField(_("mid-year result"), max_length=16, choices=Result.choices, blank=True)
    midyear_evidence = models.TextField(_("mid-year evidence"), blank=True)
    yearend_result = models.CharField(_("year-end result"), max_length=16, choices=Result.choices, blank=True)
    yearend_evidence = models.TextField(_("year-end evidence"), blank=True)
    evidence_link = models.CharField(_("link to a record"), max_length=300, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="commitments/%Y/", blank=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("commitment item")
        verbose_name_plural = _("commitment items")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.content[:80]


class ResidenceStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    RETURNED = "returned", _("Returned")
    EXEMPT = "exempt", _("Exempt")


class ResidenceComment(ScopedModel):
    """The residence cell's comment on a working member (Quy định 213): requested by the workplace cell,
    filled in by the residence cell's secretary; the Front's part (the opinion of the Front working committee
    where the member lives) is written by the Front's officer. Visible to both cells and to that Front."""

    scope_paths: ClassVar[tuple[str, ...]] = ("plan__cell__path", "residence__path", "front__path")

    plan = models.OneToOneField(CommitmentPlan, on_delete=models.CASCADE, related_name="residence_comment")
    residence = models.ForeignKey(
        "organizations.Organization", verbose_name=_("residence party cell"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    form = models.ForeignKey(
        "rulebook.ResidenceCommentForm", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=ResidenceStatus.choices)
    exempt_reason = models.CharField(_("exemption"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    ratings = models.JSONField(_("ratings"), default=dict, blank=True)
    comment = models.TextField(_("comments"), blank=True)
    signed_by = models.CharField(_("secretary of the residence cell"), max_length=200, blank=True)
    front = models.ForeignKey(
        "organizations.Organization", verbose_name=_("Fatherland Front committee"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    front_opinion = models.TextField(_("opinion of the Front"), blank=True, db_default="")
    front_head = models.CharField(_("head of the Front working committee"), max_length=200, blank=True)
    front_at = models.DateTimeField(_("Front's opinion given at"), null=True, blank=True)
    front_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("residence comment")
        verbose_name_plural = _("residence comments")
        ordering = ["due_date", "id"]
        permissions = [
            ("give_front_opinion", "Can give the Front's opinion on residence comments of its area"),
        ]

    def __str__(self) -> str:
        return str(self.plan)

    def is_overdue(self, today) -> bool:  # type: ignore[no-untyped-def]
        return (
            self.status == ResidenceStatus.REQUESTED and self.due_date is not None and today > self.due_date
        )


class Evaluation(ScopedModel):
    """The classification of a member for the year: proposed by the cell, decided by the level its scheme
    names.

    `grade` is the effective grade (decided, else proposed) and is what quotas and statistics count.
    `version` detects concurrent edits: a save based on an older version is refused."""

    scope_paths: ClassVar[tuple[str, ...]] = ("plan__cell__path",)

    plan = models.OneToOneField(CommitmentPlan, on_delete=models.CASCADE, related_name="evaluation")
    scheme = models.ForeignKey("rulebook.EvaluationScheme", on_delete=models.PROTECT, related_name="+")
    grassroots = models.ForeignKey(
        "organizations.Organization", verbose_name=_("grassroots organization"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    proposed_grade = models.CharField(_("proposed grade"), max_length=16, choices=Grade.choices, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    decided_grade = models.CharField(_("decided grade"), max_length=16, choices=Grade.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    proposed_late_reason = models.CharField(
        _("why the proposal is late"), max_length=500, blank=True, db_default=""
    )
    decided_late_reason = models.CharField(
        _("why the decision is late"), max_length=500, blank=True, db_default=""
    )
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True, db_index=True)
    disqualifiers = models.JSONField(_("disqualifiers"), default=list, blank=True)
    comment = models.TextField(_("comments"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        permissions = [
            ("evaluate_commitmentplan", "Can propose the grade of members"),
            ("decide_evaluation", "Can decide the grade of members from the committee above the cell"),
        ]
        indexes = [models.Index(fields=["grassroots", "year", "grade"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0), name="evaluation_score"
            ),
        ]

    def __str__(self) -> str:
        return str(self.plan)


class YearLock(ScopedModel):
    """A committee closed a year: no plan, assessment, comment or evaluation of its subtree changes after."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path",)

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    locked_at = models.DateTimeField(auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("locked year")
        verbose_name_plural = _("locked years")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="yearlock_once")]

    def __str__(self) -> str:
        return f"{self.organization} — {self.year}"


class CommitmentReminder(ScopedModel):
    """A reminder a secretary sent about a member's plan (in the app and by e-mail)."""

    scope_paths: ClassVar[tuple[str, ...]] = ("plan__cell__path", "cell__path")

    cell = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("organizations.Person", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(
        CommitmentPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=24)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("commitment reminder")
        verbose_name_plural = _("commitment reminders")
        ordering = ["-sent_at"]


class GradingExemption(ScopedModel):
    """A member not rated in a year, for one of the reasons the year's evaluation scheme lists (e.g. exempted
    from party work and activities): recorded by the member's cell, so that the year can be locked with every
    member either rated or excused."""

    scope_paths: ClassVar[tuple[str, ...]] = ("cell__path",)

    person = models.ForeignKey(
        "organizations.Person", verbose_name=_("party member"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    cell = models.ForeignKey(
        "organizations.Organization", verbose_name=_("party cell"), on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(
        "rulebook.EvaluationScheme", verbose_name=_("evaluation scheme"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reason = models.CharField(_("reason"), max_length=60)
    note = models.CharField(_("details"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("exemption from rating")
        verbose_name_plural = _("exemptions from rating")
        ordering = ["-year", "cell__path", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="gradingexemption_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.year}"

    @property
    def reason_title(self) -> str:
        return self.scheme.exemption_title(self.reason)


class OrganizationRating(ScopedModel):
    """The year's quality rating of a party organization (Quy định 124 / 366 rate collectives too): proposed by
    the organization's own committee, decided by the committee its scheme names (for a cell, its grassroots
    committee; for a grassroots organization, the committee directly above), under that committee's quota.
    `grade` is the effective grade (decided, else proposed); `decider` is the committee whose quota it counts
    in, fixed when it is first proposed (ADR 0013)."""

    scope_paths: ClassVar[tuple[str, ...]] = ("organization__path",)

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    scheme = models.ForeignKey("rulebook.EvaluationScheme", on_delete=models.PROTECT, related_name="+")
    decider = models.ForeignKey(
        "organizations.Organization", verbose_name=_("deciding committee"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    proposed_grade = models.CharField(_("proposed grade"), max_length=16, choices=Grade.choices, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    proposed_late_reason = models.CharField(_("why the proposal is late"), max_length=500, blank=True)
    decided_grade = models.CharField(_("decided grade"), max_length=16, choices=Grade.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_late_reason = models.CharField(_("why the decision is late"), max_length=500, blank=True)
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True, db_index=True)
    comment = models.TextField(_("comments"), blank=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("quality rating of a party organization")
        verbose_name_plural = _("quality ratings of party organizations")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="organizationrating_one_per_year"),
        ]
        indexes = [models.Index(fields=["decider", "year", "grade"])]

    def __str__(self) -> str:
        return f"{self.organization} — {self.year}"
