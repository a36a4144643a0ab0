"""Forms of inspection and supervision (business rules stay in services)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lamtheo.core.forms import (
    CHOOSE,
    DATE,
    DateField,
    NumberInput,
    PickerChoiceField,
    PickerMultipleChoiceField,
)
from lamtheo.organizations import selectors as org_selectors
from lamtheo.rulebook import selectors as rulebook_selectors

from .models import Kind, MeasureKind, Mode, Severity, Step

TEXT = {"rows": 3}


def _person(label, required: bool = False, picker: str = "organizations:person-picker", **kw) -> PickerChoiceField:  # type: ignore[no-untyped-def]
    return PickerChoiceField(
        label=label, queryset=org_selectors.person_none(), required=required, picker=picker,
        help_text=_("Type a name or a party card number."), **kw,
    )  # fmt: skip


def _org(label, required: bool = False, picker: str = "organizations:org-picker", **kw) -> PickerChoiceField:  # type: ignore[no-untyped-def]
    return PickerChoiceField(
        label=label, queryset=org_selectors.organization_none(), required=required,
        picker=picker, help_text=_("Type a few words of the name."), **kw,
    )  # fmt: skip


class SubjectMixin:
    """A subject picked as a person or an organization, with both fields' choices read in scope."""

    def _subjects(self, person_field: str, org_field: str) -> None:
        self.fields[person_field].queryset = org_selectors.person_choices()  # type: ignore[attr-defined]
        self.fields[org_field].queryset = org_selectors.organization_choices()  # type: ignore[attr-defined]


class ProgrammeForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Committee or cell"), queryset=None, empty_label=CHOOSE)  # type: ignore[arg-type]
    year = forms.IntegerField(label=_("Year"), min_value=2016, max_value=2100, widget=NumberInput)
    title = forms.CharField(label=pgettext_lazy("programme", "Title"), max_length=300)

    def __init__(self, *args, organizations, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk


class ProgrammeItemForm(SubjectMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", CHOOSE), *Kind.choices])
    # Signs of violation are never planned: such a case is opened when they appear.
    mode = forms.ChoiceField(label=_("Mode"), choices=[("", CHOOSE), *[c for c in Mode.choices if c[0] != Mode.VIOLATION]])
    subject_organization = _org(_("Organization inspected"))
    subject_person = _person(_("Or the party member inspected"))
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs=TEXT), max_length=5000)
    planned_from = DateField(label=_("Planned from"), widget=DATE)
    planned_to = DateField(label=_("Planned to"), widget=DATE)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._subjects("subject_person", "subject_organization")


class AdoptForm(forms.Form):
    adopted_on = DateField(label=_("Adopted by the committee on"), widget=DATE)


class CaseForm(SubjectMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Conducted by"), queryset=None, empty_label=CHOOSE)  # type: ignore[arg-type]
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", CHOOSE), *Kind.choices])
    mode = forms.ChoiceField(
        label=_("Mode"), choices=[("", CHOOSE), *Mode.choices],
        help_text=_("A case on signs of violation is seen only by the inspection side and, once notified, its subject."),
    )  # fmt: skip
    subject_organization = _org(_("Organization inspected"))
    subject_person = _person(_("Or the party member inspected"))
    title = forms.CharField(label=pgettext_lazy("case", "Title"), max_length=300)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000)
    year = forms.IntegerField(label=_("Year"), min_value=2016, max_value=2100, widget=NumberInput)

    def __init__(self, *args, organizations, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["year"].initial = timezone.localdate().year
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk
        self._subjects("subject_person", "subject_organization")


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=Step.choices)
    issued_on = DateField(label=_("Date"), widget=DATE)
    number = forms.IntegerField(label=_("Document number"), min_value=1, required=False, widget=NumberInput)
    issuer = forms.CharField(
        label=_("Issuing body (abbreviation)"), max_length=40, required=False,
        help_text=_("As in the symbol: 12-QĐ/UBKTĐU → UBKTĐU."),
    )  # fmt: skip
    summary = forms.CharField(label=pgettext_lazy("document", "Summary"), widget=forms.Textarea(attrs=TEXT), required=False, max_length=20000)
    file = forms.FileField(label=_("File"), required=False)
    leader = _person(_("Team leader"))
    team = PickerMultipleChoiceField(
        label=_("Team members"), queryset=org_selectors.person_none(), required=False,
        picker="organizations:person-picker",
    )  # fmt: skip

    def __init__(self, *args, steps: tuple[str, ...], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s, Step(s).label) for s in steps]
        if steps:
            self.fields["step"].initial = steps[-1]
        self.fields["issued_on"].initial = timezone.localdate()
        if Step.DECISION in steps:
            self.fields["leader"].queryset = org_selectors.person_choices()
            self.fields["team"].queryset = org_selectors.person_choices()
        else:
            del self.fields["leader"], self.fields["team"]


class FindingForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", CHOOSE), *Severity.choices])
    condition = forms.CharField(label=pgettext_lazy("finding", "What was found"), widget=forms.Textarea(attrs=TEXT), max_length=10000)
    criterion = forms.ModelChoiceField(
        label=_("Criterion"), queryset=None, required=False, empty_label=CHOOSE,  # type: ignore[arg-type]
        help_text=_("The standard, code of conduct or plan the finding is judged against."),
    )  # fmt: skip
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000)
    consequence = forms.CharField(
        label=_("Consequence"), widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    recommendation = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000,
        help_text=_("On the conclusion it becomes a shortcoming to remedy, with a due date by severity."),
    )  # fmt: skip
    owner_person = _person(_("To be remedied by (person)"))
    owner_organization = _org(_("Or by the unit"))

    def __init__(self, *args, day: dt.date, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = rulebook_selectors.criteria_in_force(day)
        self.fields["criterion"].label_from_instance = lambda c: f"{c.criteria_set.name} — {c.code}. {c.title}"[:160]
        self.fields["owner_person"].queryset = org_selectors.person_choices()
        self.fields["owner_organization"].queryset = org_selectors.organization_choices()


class MeasureForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Decided by"), queryset=None, empty_label=CHOOSE)  # type: ignore[arg-type]
    person = _person(_("Party member"))
    subject_organization = _org(_("Or the party organization"))
    measure = forms.ChoiceField(label=_("Measure"), choices=[("", CHOOSE), *MeasureKind.choices])
    number = forms.IntegerField(label=_("Decision number"), min_value=1, widget=NumberInput)
    issuer = forms.CharField(label=_("Issuing body (abbreviation)"), max_length=40)
    decided_on = DateField(label=_("Decided on"), widget=DATE)
    effective_from = DateField(label=_("Effective from"), widget=DATE)
    effective_to = DateField(label=_("Effective until"), widget=DATE, required=False)
    violation = forms.CharField(label=_("Violation"), widget=forms.Textarea(attrs=TEXT), max_length=10000)

    def __init__(self, *args, organizations, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk
        self.fields["person"].queryset = org_selectors.person_choices()
        self.fields["subject_organization"].queryset = org_selectors.organization_choices()


class SupervisionForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Supervising organization"), queryset=None, empty_label=CHOOSE)  # type: ignore[arg-type]
    subject_person = _person(_("Cadre supervised"), picker="oversight:supervision-person-picker")
    subject_organization = _org(_("Or the unit supervised"), picker="oversight:supervision-unit-picker")
    topic = forms.CharField(
        label=_("What is supervised"), max_length=300,
        help_text=_("For example: carrying out the commitments of 2026; the code of conduct at work."),
    )  # fmt: skip
    criteria_set = forms.ModelChoiceField(label=_("Against"), queryset=None, required=False, empty_label=CHOOSE)  # type: ignore[arg-type]
    opened_on = DateField(label=_("Opened on"), widget=DATE)

    def __init__(self, *args, organizations, people, units, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk
        self.fields["opened_on"].initial = timezone.localdate()
        self.fields["criteria_set"].queryset = rulebook_selectors.criteria_sets_in_force(timezone.localdate())
        # Whom the Front may supervise: its community, wider than its officers' own scope (cross_scope).
        self.fields["subject_person"].queryset = people
        self.fields["subject_organization"].queryset = units


class OpinionForm(forms.Form):
    gathered_on = DateField(label=_("Date"), widget=DATE)
    gathered_at = forms.CharField(
        label=_("Meeting"), max_length=300, help_text=_("For example: meeting of residential group 5.")
    )
    summary = forms.CharField(label=_("Opinions"), widget=forms.Textarea(attrs=TEXT), max_length=20000)


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs=TEXT), max_length=5000)
    issued_on = DateField(label=_("Issued on"), widget=DATE)
    reply_by = DateField(
        label=_("Reply by"), widget=DATE, required=False,
        help_text=_("Empty: the period for replies set in the rules."),
    )  # fmt: skip
