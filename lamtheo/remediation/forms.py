"""Forms of the remediation screens (rules stay in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lamtheo.core.forms import DateField

from .models import EVIDENCE_EXTENSIONS


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )


class ReportForm(NoteForm):
    """What was done, and the file that shows it (the service decides whether one is needed)."""

    evidence = forms.FileField(
        label=_("Evidence of the remedy"), required=False,
        help_text=_("A scan, a photo or a document: PDF, JPG, PNG, DOCX, XLSX or ODT, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"class": "file", "accept": ",".join(EVIDENCE_EXTENSIONS)}),
    )  # fmt: skip


class ExtendForm(forms.Form):
    """A later due date and why (the service checks the date and how many extensions the rules allow)."""

    until = DateField(label=_("New due date"), required=False)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
