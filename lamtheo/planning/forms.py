"""Forms of plans, tasks and reports (business rules stay in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lamtheo.core.forms import DATE, OrgChoiceField
from lamtheo.organizations.models import Organization
from lamtheo.rulebook.models import Regulation

from .models import ContentArea, ReportPeriod, Theme, ValueType


class PlanForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("plan", "Title"), max_length=300)
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
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
    regulations = forms.ModelMultipleChoiceField(
        label=_("Directive and resolutions"), queryset=Regulation.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    responsible = OrgChoiceField(label=_("Responsible unit"), queryset=Organization.objects.none())
    start = forms.DateField(label=_("Start"), widget=DATE)
    due = forms.DateField(label=_("Due"), widget=DATE)
    value_type = forms.ChoiceField(label=_("Measured as"), choices=ValueType.choices)
    indicator = forms.CharField(label=_("Indicator"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)
    target_value = forms.DecimalField(label=_("Target"), required=False, max_digits=14, decimal_places=2)
    weight = forms.DecimalField(label=_("Weight"), required=False, max_digits=6, decimal_places=2,
                                help_text=_("Leave empty for equal weights."))  # fmt: skip
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    cooperating = forms.ModelMultipleChoiceField(
        label=_("Co-operating units"), queryset=Organization.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )  # fmt: skip
    owner_code = forms.CharField(
        label=_("Person in charge (person code)"), max_length=40, required=False,
        help_text=_("Optional: the task then counts in that person's yearly evaluation."),
    )  # fmt: skip
    milestones = forms.CharField(
        label=_("Milestones"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("One per line: the date (dd/mm/yyyy), a space, then what is due."),
    )  # fmt: skip

    def __init__(self, *args, plan, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organization.objects.filter(
            path__startswith=plan.organization.path, valid_to__isnull=True
        ).order_by("path")
        self.fields["cooperating"].queryset = Organization.objects.filter(valid_to__isnull=True).order_by(
            "path"
        )

    def clean_milestones(self) -> list[tuple[str, object]]:
        """'15/03/2026 Sơ kết quý I' per line → (title, date); anything else is an error on that line."""
        import datetime as dt

        out = []
        for number, raw in enumerate((self.cleaned_data.get("milestones") or "").splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            day, _sep, title = line.partition(" ")
            try:
                date = dt.datetime.strptime(day, "%d/%m/%Y").date()
            except ValueError as exc:
                raise forms.ValidationError(
                    _("Line %(n)s: start with a date as dd/mm/yyyy.") % {"n": number}
                ) from exc
            if not title.strip():
                raise forms.ValidationError(_("Line %(n)s: say what is due after the date.") % {"n": number})
            out.append((title.strip(), date))
        return out


class ReportForm(forms.Form):
    reported_on = forms.DateField(label=_("As of"), widget=DATE)
    period = forms.ChoiceField(label=_("Period"), choices=ReportPeriod.choices)
    achieved_value = forms.DecimalField(
        label=_("Value reached"), max_digits=14, decimal_places=2, required=False
    )
    narrative = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    evidence = forms.FileField(label=_("Evidence file"), required=False)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
