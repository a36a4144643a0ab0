"""Versioned rules as data: the regulation register and criteria sets (standards, codes of conduct)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lamtheo.core.audit import AuditFields
from lamtheo.core.scoping import public_model
from lamtheo.core.vocabulary import OrgKind


class RegulationKind(models.TextChoices):
    DIRECTIVE = "directive", _("Directive")
    REGULATION = "regulation", _("Regulation")
    GUIDANCE = "guidance", _("Guidance")
    CONCLUSION = "conclusion", _("Conclusion")
    PLAN = "plan", _("Plan")
    RESOLUTION = "resolution", _("Resolution")
    LAW = "law", _("Law")
    DECREE = "decree", _("Decree")
    DECISION = "decision", _("Decision")
    RULES = "rules", _("Rules")


class RegulationStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("In force, amended")
    REPLACED = "replaced", _("Replaced")
    HISTORIC = "historic", _("Historic")


@public_model(reason="published legal and Party documents: the same reference for every organization")
class Regulation(models.Model):
    """A regulation, directive, guidance or law. Natural key: number, symbol, issue date, issuer."""

    number = models.CharField(_("number"), max_length=20)
    symbol = models.CharField(_("symbol"), max_length=60, help_text=_("e.g. CT/TW, QĐ/TW, QĐi/TW, HD/BTCTW"))
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=160)
    kind = models.CharField(_("kind"), max_length=16, choices=RegulationKind.choices)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=400)
    status = models.CharField(
        pgettext_lazy("regulation", "status"), max_length=16, choices=RegulationStatus.choices
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    is_uncertain = models.BooleanField(
        _("unverified"),
        default=False,
        help_text=_("Some facts (date, number) are not confirmed by a source."),
    )
    note = models.TextField(_("note"), blank=True)
    search_text = models.CharField(max_length=600, editable=False, default="")

    history = HistoricalRecords(bases=[AuditFields], excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        ordering = ["-issue_date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "symbol", "issue_date", "issuer"], name="regulation_natural_key"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        return f"{self.number}-{self.symbol}"


class CriteriaSetKind(models.TextChoices):
    ETHICS_STANDARDS = "ethics_standards", _("Ethics standards")
    EXEMPLARY_DUTIES = "exemplary_duties", _("Exemplary duties")
    CODE_OF_CONDUCT = "code_of_conduct", _("Code of conduct")
    RESIDENCE_DUTIES = "residence_duties", _("Duties at the place of residence")


@public_model(reason="published criteria of a regulation: the same reference for every organization")
class CriteriaSet(models.Model):
    """A versioned list of criteria belonging to a regulation (e.g. the 5 standards of Quy định 144)."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=24, choices=CriteriaSetKind.choices)
    regulation = models.ForeignKey(
        Regulation, verbose_name=_("regulation"), on_delete=models.PROTECT, related_name="criteria_sets"
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteriaset_code_version"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="criteriaset_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


@public_model(reason="published criteria of a regulation: the same reference for every organization")
class Criterion(models.Model):
    """One criterion of a set, with a stable code so that items and comments can be tagged with it."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField(_("code"), max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


@public_model(reason="the official calendar of days off: the same for every organization")
class Holiday(models.Model):
    """A public holiday (or a day off moved by decision): deadlines in working days skip it."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=160)
    is_uncertain = models.BooleanField(_("unverified"), default=False)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class Grade(models.TextChoices):
    """The four levels of the annual classification (unchanged across 132 → 124 → 366)."""

    EXCELLENT = "excellent", _("Excellent (HTXSNV)")
    GOOD = "good", _("Good (HTTNV)")
    COMPLETED = "completed", _("Completed (HTNV)")
    NOT_COMPLETED = "not_completed", _("Not completed (KHTNV)")


GRADE_ORDER = (Grade.EXCELLENT, Grade.GOOD, Grade.COMPLETED, Grade.NOT_COMPLETED)  # best first

# The levels an evaluation scheme's `authority` may name, each seen from a member's party cell: the cell itself;
# a đảng bộ bộ phận between the cell and the grassroots; the đảng ủy cơ sở above the cell; the cell when it is
# itself the grassroots organization (chi bộ cơ sở); a committee above the grassroots. Which of them proposes
# and which decides is data (rulebook.json), never code.
AUTHORITY_LEVELS = (
    "cell", "intermediate_committee", "grassroots_committee", "grassroots_cell", "above_grassroots",
)  # fmt: skip


@public_model(reason="published evaluation rules of a year: the same for every organization")
class EvaluationScheme(models.Model):
    """How party members are classified in a range of years: score bands, quota and disqualifiers.

    ``grades``: [{"grade", "min_score", "conditions": [text]}] (a band without points has no min_score);
    ``quota``: {"grade", "of_grades": [...], "ratio", "unit": "grassroots"};
    ``authority``: {"propose": [level], "decide": [level], "source": text} (levels: AUTHORITY_LEVELS);
    ``disqualifiers``: [{"code", "title", "caps_at"}]; ``exemptions``: [{"code", "title", "source"}], why a
    member is not rated in a year (a year is locked once every member is rated or excused with one of them);
    ``organizations``: how party organizations are rated the same year ({"kinds", "grades", "quota",
    "authority": {"propose": "self", "decide_cell", "decide_grassroots", "source"}, "head_cap", "source"}).
    A record keeps the scheme it was judged by: once one has, the ``frozen_fields`` never change again (a
    change is a new ``version``; ADR 0012).
    """

    frozen_fields: ClassVar[tuple[str, ...]] = (
        "code", "version", "scale_max", "grades", "quota", "disqualifiers", "exemptions", "organizations",
    )  # fmt: skip

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=255)
    regulation = models.ForeignKey(
        Regulation, verbose_name=_("regulation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="evaluation_schemes",
    )  # fmt: skip
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    scale_max = models.PositiveSmallIntegerField(
        _("points scale"), null=True, blank=True, help_text=_("Empty: this scheme gives no points.")
    )
    grades = models.JSONField(_("grades"), default=list)
    quota = models.JSONField(_("quota"), default=dict, blank=True)
    disqualifiers = models.JSONField(_("disqualifiers"), default=list, blank=True)
    authority = models.JSONField(_("who proposes and who decides"), default=dict, blank=True)
    exemptions = models.JSONField(_("reasons a member is not rated"), default=list, blank=True)
    organizations = models.JSONField(_("rating of party organizations"), default=dict, blank=True)
    is_uncertain = models.BooleanField(_("unverified"), default=False)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["-year_from", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=models.F("year_from")),
                name="evaluationscheme_years",
            ),
            models.UniqueConstraint(fields=["code", "version"], name="evaluationscheme_code_version"),
        ]

    def __str__(self) -> str:
        return self.name

    def exemption_title(self, code: str) -> str:
        """The words of an exemption reason (its code when the scheme has no such reason)."""
        return next((e["title"] for e in self.exemptions if e["code"] == code), code)


@public_model(reason="published form templates: administrators edit them for every organization")
class CommitmentTemplate(models.Model):
    """The starting form of a personal cultivation plan for a range of years, for members or for heads.

    ``sections``: [{"code", "title", "min_items", "min_items_for_heads", "criteria_set", "items": [...]}].
    Once a plan is written on it, the ``frozen_fields`` never change again (ADR 0012).
    """

    frozen_fields: ClassVar[tuple[str, ...]] = ("code", "version", "title", "for_heads", "sections")

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=255)
    title = models.CharField(
        _("document title"), max_length=255, help_text=_("{year} is replaced by the plan's year.")
    )
    for_heads = models.BooleanField(_("for heads of organizations"), default=False)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    sections = models.JSONField(_("sections"), default=list)
    is_uncertain = models.BooleanField(_("unverified"), default=False)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("commitment template")
        verbose_name_plural = _("commitment templates")
        ordering = ["-year_from", "for_heads", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="commitmenttemplate_code_version"),
        ]

    def __str__(self) -> str:
        return self.name


@public_model(reason="published form of the residence cell's comment (Quy định 213): the same everywhere")
class ResidenceCommentForm(models.Model):
    """The items a residence cell rates when commenting on a working member: [{"code","title","levels"}].
    Once a comment is requested on it, the ``frozen_fields`` never change again (ADR 0012)."""

    frozen_fields: ClassVar[tuple[str, ...]] = ("code", "version", "items")

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=255)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    items = models.JSONField(_("items"), default=list)
    is_uncertain = models.BooleanField(_("unverified"), default=False)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("residence comment form")
        verbose_name_plural = _("residence comment forms")
        ordering = ["-year_from", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="residencecommentform_code_version"),
        ]

    def __str__(self) -> str:
        return self.name


@public_model(reason="the deadlines of a year's cultivation-plan cycle: set once for every organization")
class CommitmentCalendar(models.Model):
    """Dates of one year's cycle: register by; the mid-year and year-end self-assessment, and the grading
    (the cell's proposal, the committee's decision), each open from a day and due by another. Before a
    window opens nothing is entered; after its due date an entry needs the reason it is late (`windows`)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    register_by = models.DateField(_("register by"))
    midyear_from = models.DateField(_("mid-year self-assessment opens"), null=True, blank=True)
    midyear_by = models.DateField(_("mid-year self-assessment by"), null=True, blank=True)
    yearend_from = models.DateField(_("year-end self-assessment opens"), null=True, blank=True)
    yearend_by = models.DateField(_("year-end self-assessment by"), null=True, blank=True)
    residence_by = models.DateField(_("residence comments by"), null=True, blank=True)
    grading_from = models.DateField(_("grading opens"), null=True, blank=True)
    proposal_by = models.DateField(_("grades proposed by"), null=True, blank=True)
    decision_by = models.DateField(_("grades decided by"), null=True, blank=True)
    is_uncertain = models.BooleanField(_("unverified"), default=False)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("commitment calendar")
        verbose_name_plural = _("commitment calendars")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def window(self, stage: str) -> tuple[dt.date | None, dt.date | None]:
        """(opens, due) of a stage: "midyear", "yearend", "propose" or "decide"."""
        return {
            "midyear": (self.midyear_from, self.midyear_by),
            "yearend": (self.yearend_from, self.yearend_by),
            "propose": (self.grading_from, self.proposal_by),
            "decide": (self.grading_from, self.decision_by),
        }[stage]

    def state(self, stage: str, day: dt.date) -> str:
        """Where `day` stands in a stage's window: "early" (not open yet), "open" or "late" (past its due date:
        an entry needs the reason)."""
        opens, due = self.window(stage)
        return "early" if opens and day < opens else "late" if due and day > due else "open"


@public_model(reason="which levels' implementation plans the level above approves: the same rule everywhere")
class PlanApproval(models.Model):
    """Whether the implementation plan of an organization of `kind` is approved by the level above, or issued
    by the organization itself (a committee issues its own plan). A kind without a row is approved from
    above: without data the stricter path applies."""

    kind = models.CharField(_("organization kind"), max_length=32, choices=OrgKind.choices, unique=True)
    needs_approval = models.BooleanField(_("approved by the level above"))
    source = models.TextField(_("source"))
    is_uncertain = models.BooleanField(_("unverified"), default=False)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("plan approval rule")
        verbose_name_plural = _("plan approval rules")
        ordering = ["kind"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


OVERSIGHT_MODES = ("regular", "thematic", "violation")
OVERSIGHT_STEPS = (
    "decision", "plan", "notification", "self_report", "session", "results_report", "conclusion", "notice",
)  # fmt: skip
FINDING_SEVERITIES = ("shortcoming", "violation")


@public_model(reason="the periods of inspection and supervision: the same rule for every committee")
class OversightRules(models.Model):
    """The periods of Party inspection and supervision and of following up what they find, for a range of
    years. The periods of inspection teams are not published in a text we hold (HD 02-HD/TW §5 and its
    Quy định 296 successor): they are data an administrator corrects, never constants.

    ``step_days``: {mode: {step: working days after the step before}} (modes: OVERSIGHT_MODES; steps:
    OVERSIGHT_STEPS); ``remedy_days``: {severity: days from the conclusion to remedy a finding};
    ``max_extensions``: {severity: how many times a due date may be extended};
    ``escalate_after_days``: working days overdue before an item is shown to the level above;
    ``reply_days``: days an addressee has to answer a recommendation of the Fatherland Front.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    step_days = models.JSONField(_("working days for each step, by mode"), default=dict)
    remedy_days = models.JSONField(_("days to remedy, by severity"), default=dict)
    max_extensions = models.JSONField(_("extensions allowed, by severity"), default=dict)
    escalate_after_days = models.PositiveSmallIntegerField(_("working days overdue before escalation"))
    reply_days = models.PositiveSmallIntegerField(_("days to answer a Front recommendation"))
    source = models.TextField(_("source"), blank=True)
    is_uncertain = models.BooleanField(_("unverified"), default=False)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("inspection and supervision periods")
        verbose_name_plural = _("inspection and supervision periods")
        ordering = ["-year_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=models.F("year_from")),
                name="oversightrules_years",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def step_period(self, mode: str, step: str) -> int | None:
        """Working days allowed for `step` after the step before it, in `mode` (None: no period set)."""
        value = (self.step_days.get(mode) or {}).get(step)
        return int(value) if value is not None else None

    def remedy_period(self, severity: str) -> int | None:
        """Days from the conclusion to remedy a finding of `severity` (None: not set)."""
        value = self.remedy_days.get(severity)
        return int(value) if value is not None else None

    def extensions_allowed(self, severity: str) -> int:
        """How many times the due date of an item of `severity` may be extended (0 when not set)."""
        return int(self.max_extensions.get(severity) or 0)


FEEDBACK_SEVERITIES = ("urgent", "complex", "normal")


@public_model(reason="the deadlines of citizens' reports: the same rule for every unit that handles them")
class FeedbackRules(models.Model):
    """The deadlines of citizens' reports, in working hours on the rulebook's calendar, for a range of years.

    ``office_hours``: the working day as [["08:00", "12:00"], ["13:00", "17:00"]] (local time);
    ``accept_hours``: working hours to accept a report (iHanoi, QĐ 1207/QĐ-UBND: 8);
    ``resolve_hours``: {severity: working hours from acceptance to a resolution} (urgent: 4 by QĐ 1207;
    normal and complex are not in a text we hold: data an administrator corrects);
    ``reopen_days``: calendar days after the resolution during which the citizen may reopen;
    ``escalate_after_hours``: working hours overdue before the parent organization is asked to step in.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    office_hours = models.JSONField(_("office hours"), default=list)
    accept_hours = models.PositiveSmallIntegerField(_("working hours to accept"))
    resolve_hours = models.JSONField(_("working hours to resolve, by severity"), default=dict)
    reopen_days = models.PositiveSmallIntegerField(_("days to reopen after the resolution"))
    escalate_after_hours = models.PositiveSmallIntegerField(_("working hours overdue before escalation"))
    source = models.TextField(_("source"), blank=True)
    is_uncertain = models.BooleanField(_("unverified"), default=False)

    history = HistoricalRecords(bases=[AuditFields])

    class Meta:
        verbose_name = _("deadlines of citizens' reports")
        verbose_name_plural = _("deadlines of citizens' reports")
        ordering = ["-year_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=models.F("year_from")),
                name="feedbackrules_years",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def resolve_period(self, severity: str) -> int | None:
        """Working hours from acceptance to a resolution for `severity` (None: not set)."""
        value = self.resolve_hours.get(severity)
        return int(value) if value is not None else None
