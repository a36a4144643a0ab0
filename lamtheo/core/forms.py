"""Form pieces shared by every context."""

from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrgChoiceField(forms.ModelChoiceField):
    """A choice of organization, indented by depth so that the list reads like the tree."""

    def label_from_instance(self, obj) -> str:  # type: ignore[no-untyped-def, override]
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"
