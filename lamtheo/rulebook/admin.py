from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from lamtheo.core.errors import DomainError

from .models import (
    CommitmentCalendar,
    CommitmentTemplate,
    CriteriaSet,
    Criterion,
    EvaluationScheme,
    FeedbackRules,
    OversightRules,
    PlanApproval,
    Regulation,
    ResidenceCommentForm,
)
from .selectors import rule_version_next
from .services import (
    feedback_rules_check,
    oversight_rules_check,
    rule_version_check_change,
    scheme_check,
    template_check,
)


@admin.register(Regulation)
class RegulationAdmin(SimpleHistoryAdmin):
    list_display = ("number", "symbol", "issue_date", "issuer", "kind", "status", "is_uncertain")
    list_filter = ("kind", "status", "is_uncertain")
    search_fields = ("number", "symbol", "title")


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    list_display = ("code", "version", "name", "kind", "valid_from", "valid_to")
    inlines = [CriterionInline]


class RuleVersionForm(forms.ModelForm):
    """A rule version that has judged records refuses changes to its rules (ADR 0012); "Save as new" adds the
    next version of the same code, which then applies to the records judged from now on."""

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if self.instance.pk is None:
            if data.get("code"):
                self.instance.version = rule_version_next(type(self.instance), data["code"])
            return data
        # Compared with the stored row, not `changed_data` (that trusts the "initial-" values the page posts
        # back for JSON fields): the instance still holds the stored values until the form is saved.
        stored = self.instance
        changed = [
            name for name in stored.frozen_fields if name in data and data[name] != getattr(stored, name)
        ]
        try:
            rule_version_check_change(row=stored, changed=changed)
        except DomainError as exc:
            raise ValidationError(str(exc)) from exc
        return data


class RuleVersionAdmin(SimpleHistoryAdmin):
    save_as = True
    readonly_fields = ("version",)


class EvaluationSchemeForm(RuleVersionForm):
    class Meta:
        model = EvaluationScheme
        fields = ("code", "name", "regulation", "year_from", "year_to", "scale_max", "grades", "quota",
                  "disqualifiers", "is_uncertain", "note")  # fmt: skip

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        try:
            scheme_check({"code": data.get("code"), "grades": data.get("grades") or [], "scale_max": data.get("scale_max"),
                          "quota": data.get("quota") or {}, "disqualifiers": data.get("disqualifiers") or []})  # fmt: skip
        except (DomainError, KeyError, TypeError) as exc:
            raise ValidationError(str(exc)) from exc
        return data


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(RuleVersionAdmin):
    form = EvaluationSchemeForm
    list_display = ("code", "version", "name", "year_from", "year_to", "scale_max", "is_uncertain")


class CommitmentTemplateForm(RuleVersionForm):
    class Meta:
        model = CommitmentTemplate
        fields = ("code", "name", "title", "for_heads", "year_from", "year_to", "sections", "is_uncertain")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        try:
            template_check({"code": data.get("code"), "sections": data.get("sections")})
        except DomainError as exc:
            raise ValidationError(str(exc)) from exc
        return data


@admin.register(CommitmentTemplate)
class CommitmentTemplateAdmin(RuleVersionAdmin):
    form = CommitmentTemplateForm
    list_display = ("code", "version", "name", "for_heads", "year_from", "year_to", "is_uncertain")


class ResidenceCommentFormForm(RuleVersionForm):
    class Meta:
        model = ResidenceCommentForm
        fields = ("code", "name", "year_from", "year_to", "items", "is_uncertain")


@admin.register(ResidenceCommentForm)
class ResidenceCommentFormAdmin(RuleVersionAdmin):
    form = ResidenceCommentFormForm
    list_display = ("code", "version", "name", "year_from", "year_to", "is_uncertain")


@admin.register(CommitmentCalendar)
class CommitmentCalendarAdmin(SimpleHistoryAdmin):
    list_display = ("year", "register_by", "midyear_by", "yearend_by", "residence_by", "is_uncertain")


@admin.register(PlanApproval)
class PlanApprovalAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "needs_approval", "is_uncertain")


class OversightRulesForm(forms.ModelForm):
    class Meta:
        model = OversightRules
        fields = (
            "code", "name", "year_from", "year_to", "step_days", "remedy_days", "max_extensions",
            "escalate_after_days", "reply_days", "source", "is_uncertain",
        )  # fmt: skip

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        try:
            oversight_rules_check(dict(data))
        except DomainError as exc:
            raise ValidationError(str(exc)) from exc
        return data


@admin.register(OversightRules)
class OversightRulesAdmin(SimpleHistoryAdmin):
    form = OversightRulesForm
    list_display = (
        "code",
        "name",
        "year_from",
        "year_to",
        "escalate_after_days",
        "reply_days",
        "is_uncertain",
    )


class FeedbackRulesForm(forms.ModelForm):
    class Meta:
        model = FeedbackRules
        fields = (
            "code", "name", "year_from", "year_to", "office_hours", "accept_hours", "resolve_hours",
            "reopen_days", "escalate_after_hours", "source", "is_uncertain",
        )  # fmt: skip

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        try:
            feedback_rules_check(dict(data))
        except DomainError as exc:
            raise ValidationError(str(exc)) from exc
        return data


@admin.register(FeedbackRules)
class FeedbackRulesAdmin(SimpleHistoryAdmin):
    form = FeedbackRulesForm
    list_display = ("code", "name", "year_from", "year_to", "accept_hours", "reopen_days", "is_uncertain")
