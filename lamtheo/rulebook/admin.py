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
    Regulation,
    ResidenceCommentForm,
)
from .services import scheme_check, template_check


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


class EvaluationSchemeForm(forms.ModelForm):
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
class EvaluationSchemeAdmin(SimpleHistoryAdmin):
    form = EvaluationSchemeForm
    list_display = ("code", "name", "year_from", "year_to", "scale_max", "is_uncertain")


class CommitmentTemplateForm(forms.ModelForm):
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
class CommitmentTemplateAdmin(SimpleHistoryAdmin):
    form = CommitmentTemplateForm
    list_display = ("code", "name", "for_heads", "year_from", "year_to", "is_uncertain")


@admin.register(ResidenceCommentForm)
class ResidenceCommentFormAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "year_from", "year_to", "is_uncertain")


@admin.register(CommitmentCalendar)
class CommitmentCalendarAdmin(SimpleHistoryAdmin):
    list_display = ("year", "register_by", "midyear_by", "yearend_by", "residence_by", "is_uncertain")
