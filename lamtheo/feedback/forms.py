"""Forms of citizens' reports (business rules stay in services: the forms collect, the services judge)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lamtheo.core.forms import CHOOSE, DateField, OrgChoiceField, PickerChoiceField
from lamtheo.organizations import selectors as org_selectors

from . import selectors
from .models import STAFF_CHANNELS, Severity

TEXT = {"rows": 4}


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to five photos in one input; each is checked from its content by the service."""

    widget = MultiplePhotoInput(attrs={"accept": "image/*", "multiple": True})

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    """The citizen's public form (and the core of the staff intake form)."""

    category = forms.ModelChoiceField(label=_("What is it about?"), queryset=None, empty_label=CHOOSE,  # type: ignore[arg-type]
                                      to_field_name="code")  # fmt: skip
    area = forms.ModelChoiceField(label=_("Ward"), queryset=None, empty_label=CHOOSE, to_field_name="code")  # type: ignore[arg-type]
    description = forms.CharField(label=_("Describe the problem"), widget=forms.Textarea(attrs=TEXT), max_length=5000,
                                  help_text=_("What you saw, since when, how it affects people."))  # fmt: skip
    address = forms.CharField(label=_("Address or place"), max_length=300, required=False,
                              help_text=_("House number, street, residential group, a landmark."))  # fmt: skip
    latitude = forms.CharField(label=_("Latitude"), required=False, max_length=20)
    longitude = forms.CharField(label=_("Longitude"), required=False, max_length=20)
    photos = PhotosField(label=_("Photos (up to 5)"), required=False,
                         help_text=_("JPEG, PNG, WebP or GIF. Location data in photos is removed."))  # fmt: skip
    subject_text = forms.CharField(
        label=_("Cadre or unit concerned (if any)"), max_length=300, required=False
    )
    anonymous = forms.BooleanField(label=_("Stay anonymous"), required=False,
                                   help_text=_("Your name and contacts are not recorded; you follow the report with its code."))  # fmt: skip
    name = forms.CharField(label=_("Your name"), max_length=160, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    # Left empty by people, filled in by spam robots (hidden by the stylesheet, not offered to screen readers).
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.categories()
        self.fields["area"].queryset = selectors.areas()
        self.fields["latitude"].widget.attrs.update({"inputmode": "decimal", "data-map": "lat"})
        self.fields["longitude"].widget.attrs.update({"inputmode": "decimal", "data-map": "lon"})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


class IntakeForm(ReportForm):
    """A report heard on another channel, entered by staff of a unit."""

    organization = OrgChoiceField(label=_("Entered by (unit)"), queryset=None, empty_label=CHOOSE)  # type: ignore[arg-type]
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", CHOOSE), *[(c.value, c.label) for c in STAFF_CHANNELS]]
    )
    received_on = DateField(label=_("Heard on"), required=False, help_text=_("Leave empty for today."))
    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=[("", _("The category's default")), *Severity.choices])  # fmt: skip

    field_order = ["organization", "channel", "received_on", "category", "severity", "area", "description", "address",
                   "latitude", "longitude", "photos", "subject_text", "anonymous", "name", "phone", "email"]  # fmt: skip

    def __init__(self, *args, organizations, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk


class AcceptForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, required=False,
                                 help_text=_("Urgent: danger to people's safety; complex: several agencies or legal procedures."))  # fmt: skip


class TransferForm(forms.Form):
    organization = PickerChoiceField(label=_("Transfer to"), queryset=None, picker="feedback:unit-picker",  # type: ignore[arg-type]
                                     help_text=_("Type a few words of the unit's name."))  # fmt: skip
    reason = forms.CharField(
        label=_("Reason (the citizen reads it)"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, targets, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = targets


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("What has been done (the citizen reads it)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    committed_on = DateField(label=_("Committed date"), required=False,
                             help_text=_("Required once the deadline has passed."))  # fmt: skip


class ResolveForm(forms.Form):
    response = forms.CharField(label=_("Answer to the citizen"), widget=forms.Textarea(attrs=TEXT))
    photos = PhotosField(label=_("Evidence photos"), required=False,
                         help_text=_("Photos of the result: citizens trust an answer they can see."))  # fmt: skip


class RejectForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Reason"), queryset=None, empty_label=CHOOSE)  # type: ignore[arg-type]
    text = forms.CharField(
        label=_("More details (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = selectors.rejection_templates()


class DuplicateForm(forms.Form):
    original_code = forms.CharField(label=_("Tracking code of the original report"), max_length=20)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note (not shown to the citizen)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class SubjectForm(forms.Form):
    person = PickerChoiceField(label=_("Cadre concerned"), queryset=None, required=False,  # type: ignore[arg-type]
                               picker="organizations:person-picker", help_text=_("Type a name."))  # fmt: skip
    unit = PickerChoiceField(label=_("Unit concerned"), queryset=None, required=False,  # type: ignore[arg-type]
                             picker="organizations:org-picker", help_text=_("Type a few words of the name."))  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = org_selectors.person_choices()
        self.fields["unit"].queryset = org_selectors.organization_choices()


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("How satisfied are you?"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(5, _("5 — very satisfied")), (4, _("4 — satisfied")), (3, _("3 — acceptable")),
                                             (2, _("2 — not satisfied")), (1, _("1 — not at all"))])  # fmt: skip
    reason = forms.CharField(
        label=_("Why?"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still not fixed?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20, help_text=_("For example K7QM-3XRA."))
