"""The upload form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RosterKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=RosterKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        help_text=_(
            "Use the template: Vietnamese headers, one row per record. Nothing is written before you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
