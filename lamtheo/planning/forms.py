"""Forms of plans, tasks and reports (business rules stay in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lamtheo.core.forms import (
    CHOOSE,
    DATE,
    DateField,
    NumberInput,
    PickerChoiceField,
    PickerMultipleChoiceField,
    RowForm,
    bind_rows,
    org_label,
    rows_formset,
)
from lamtheo.organizations import selectors as org_selectors
from lamtheo.rulebook import selectors as rulebook_selectors

from .models import ContentArea, ReportPeriod, Theme, ValueType


class PlanForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("plan", "Title"), max_length=300)
    period_start = DateField(label=_("Period from"), widget=DATE)
    period_end = DateField(label=_("Period to"), widget=DATE)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False, empty_label=CHOOSE
    )
    content_areas = forms.MultipleChoiceField(
        label=_("Content areas"),
        choices=ContentArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(
        label=_("Purpose and requirements"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=20000
    )
    regulations = PickerMultipleChoiceField(
        label=_("Directive and resolutions"), queryset=rulebook_selectors.regulation_choices(), required=False,
        picker="rulebook:regulation-picker", label_with=lambda r: f"{r.key} — {r.title}",
        help_text=_("Type a number or words of the title."),
    )  # fmt: skip


class MilestoneRow(RowForm):
    """One milestone: a date and what is due then."""

    caption_text = _("Milestone %(n)s")
    due = DateField(label=_("Date"), widget=DATE, required=False)
    title = forms.CharField(label=_("What is due"), max_length=200, required=False)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if self.errors:
            return data
        if data.get("due") and not (data.get("title") or "").strip():
            self.add_error("title", _("Say what is due on this date."))
        elif (data.get("title") or "").strip() and not data.get("due"):
            self.add_error("due", _("Give the date as dd/mm/yyyy."))
        return data


MilestoneRows = rows_formset(MilestoneRow)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    responsible = PickerChoiceField(
        label=_("Responsible unit"), queryset=org_selectors.organization_none(), picker="organizations:org-picker",
        label_with=org_label, help_text=_("This unit or a unit below it; type a name or a code."),
    )  # fmt: skip
    start = DateField(label=_("Start"), widget=DATE)
    due = DateField(label=_("Due"), widget=DATE)
    value_type = forms.ChoiceField(label=_("Measured as"), choices=ValueType.choices)
    indicator = forms.CharField(label=_("Indicator"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)
    target_value = forms.DecimalField(label=_("Target"), required=False, max_digits=14, decimal_places=2,
                                      widget=NumberInput(attrs={"step": "any"}))  # fmt: skip
    weight = forms.DecimalField(label=_("Weight"), required=False, max_digits=6, decimal_places=2,
                                widget=NumberInput(attrs={"step": "any", "min": "0"}),
                                help_text=_("Leave empty for equal weights."))  # fmt: skip
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    cooperating = PickerMultipleChoiceField(
        label=_("Co-operating units"), queryset=org_selectors.organization_none(), required=False,
        picker="organizations:org-picker", label_with=org_label,
    )  # fmt: skip
    owner = PickerChoiceField(
        label=_("Person in charge"), queryset=org_selectors.person_none(), required=False,
        picker="organizations:person-picker",
        help_text=_("Optional: the task then counts in that person's yearly evaluation."),
    )  # fmt: skip

    def __init__(self, *args, plan, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = org_selectors.organization_choices(under=plan.organization)
        self.fields["responsible"].widget.params = {"under": plan.organization.pk}
        self.fields["cooperating"].queryset = org_selectors.organization_choices()
        self.fields["owner"].queryset = org_selectors.person_choices()
        self.milestone_rows = bind_rows(MilestoneRows, self, "milestones")

    @property
    def extra_error_links(self) -> list[tuple[str, str]]:
        return self.milestone_rows.error_links() if self.is_bound else []

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        # The service finds the person in charge by code, among the people the actor can see.
        owner = data.pop("owner", None)
        data["owner_code"] = owner.code if owner else ""
        if not self.milestone_rows.is_bound:
            data["milestones"] = []
        elif self.milestone_rows.is_valid():
            data["milestones"] = [(row["title"].strip(), row["due"]) for row in self.milestone_rows.filled()]
        else:
            raise forms.ValidationError(_("Some milestones need correcting: see the rows below."))
        return data


class ReportForm(forms.Form):
    reported_on = DateField(label=_("As of"), widget=DATE)
    period = forms.ChoiceField(label=_("Period"), choices=ReportPeriod.choices)
    achieved_value = forms.DecimalField(
        label=_("Value reached"), max_digits=14, decimal_places=2, required=False,
        widget=NumberInput(attrs={"step": "any"}),
    )  # fmt: skip
    narrative = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    evidence = forms.FileField(
        label=_("Evidence file"), required=False, widget=forms.ClearableFileInput(attrs={"class": "file"})
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
