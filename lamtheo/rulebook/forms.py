"""Filter form of the regulation register."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RegulationKind


class RegulationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *RegulationKind.choices]
    )
