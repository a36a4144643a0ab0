"""Forms validate input shapes; business rules live in services (their errors come back as form errors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lamtheo.core.forms import DATE, DateField, PickerChoiceField, org_label
from lamtheo.core.vocabulary import PARTY_KINDS

from .models import Gender, Organization, OrgKind

# The party kinds in a fixed order (the picker's URL parameter stays the same from one run to the next).
PARTY_KIND_LIST = sorted(PARTY_KINDS)


def _open_orgs():  # type: ignore[no-untyped-def]
    return Organization.objects.filter(valid_to__isnull=True).order_by("path")


def _org_picker(label, *, required: bool = True, kinds: list[str] | None = None, **kwargs):  # type: ignore[no-untyped-def]
    """An organization chosen by typing its name or code (open organizations in the actor's scope)."""
    return PickerChoiceField(
        label=label, queryset=Organization.objects.none(), required=required, picker="organizations:org-picker",
        params={"kind": ",".join(kinds)} if kinds else None, label_with=org_label, **kwargs,
    )  # fmt: skip


class OrganizationForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    parent = _org_picker(_("Parent organization"))
    valid_from = DateField(label=_("Valid from"), widget=DATE)
    is_grassroots = forms.BooleanField(label=_("Grassroots level"), required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _open_orgs()
        if editing:
            del self.fields["parent"]


class MoveForm(forms.Form):
    new_parent = _org_picker(_("New parent organization"))
    effective = DateField(label=_("Effective from"), widget=DATE)

    def __init__(self, *args, organization: Organization, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = _open_orgs().exclude(path__startswith=organization.path)
        self.fields["new_parent"].widget.params = {"not_under": organization.pk}


class MergeForm(forms.Form):
    target = _org_picker(_("Successor organization"))
    effective = DateField(
        label=_("Effective from"),
        widget=DATE,
        help_text=_("The merged organization closes the day before; the successor takes over on this day."),
    )
    note = forms.CharField(label=_("Note (decision number)"), max_length=255, required=False)

    def __init__(self, *args, organization: Organization, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = _open_orgs().exclude(pk=organization.pk)


class PersonForm(forms.Form):
    code = forms.CharField(label=_("Person code"), max_length=40)
    full_name = forms.CharField(label=_("Full name"), max_length=160)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    date_of_birth = DateField(label=_("Date of birth"), widget=DATE, required=False)
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)
    admission_date = DateField(label=_("Admission date"), widget=DATE, required=False)
    official_date = DateField(label=_("Official membership date"), widget=DATE, required=False)
    party_cell = _org_picker(_("Party cell (active)"), required=False, kinds=PARTY_KIND_LIST)
    workplace = _org_picker(_("Workplace"), required=False)
    residence_cell = _org_picker(
        _("Residence party cell"), required=False, kinds=PARTY_KIND_LIST,
        help_text=_("The party cell where the member lives (Quy định 213)."),
    )  # fmt: skip
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        party = _open_orgs().filter(kind__in=PARTY_KINDS)
        self.fields["party_cell"].queryset = party
        self.fields["residence_cell"].queryset = party
        self.fields["workplace"].queryset = _open_orgs()


class PositionForm(forms.Form):
    organization = _org_picker(_("Organization"))
    title = forms.CharField(label=_("Title"), max_length=160)
    is_head = forms.BooleanField(label=_("Head of the organization"), required=False)
    from_date = DateField(label=_("From"), widget=DATE)
    to_date = DateField(label=_("To"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _open_orgs()


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    member = forms.ChoiceField(
        label=_("Party membership"),
        required=False,
        choices=[("", _("Everyone")), ("yes", _("Party members")), ("no", _("Not party members"))],
    )


class OrgFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrgKind.choices]
    )
    closed = forms.BooleanField(label=_("Include closed organizations"), required=False)
