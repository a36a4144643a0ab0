"""Forms of the cultivation-plan screens (rules stay in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lamtheo.core.forms import (
    CHOOSE,
    DATE,
    DateField,
    NumberInput,
    PickerChoiceField,
    RowForm,
    bind_rows,
    org_label,
    rows_formset,
)
from lamtheo.core.vocabulary import OrgKind
from lamtheo.organizations import selectors as org_selectors
from lamtheo.rulebook import selectors as rulebook_selectors

from .models import Result


class RegisterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs={"class": "year"})
    )
    copy_unfinished = forms.BooleanField(
        label=_("Copy last year's unfinished items"), required=False, initial=True
    )
    copy_remediation = forms.BooleanField(
        label=_("Copy the shortcomings I still have to remedy"), required=False, initial=True
    )


class ItemForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"))
    content = forms.CharField(label=_("Commitment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000,
                              required=False)  # fmt: skip
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 2}), max_length=3000,
                               required=False)  # fmt: skip
    timeline = forms.CharField(label=_("Timeline"), max_length=200, required=False,
                               help_text=_("e.g. Quarter I, monthly, by 30/06"))  # fmt: skip
    target = forms.CharField(label=_("Quantified target"), max_length=200, required=False)
    standards = forms.MultipleChoiceField(
        label=_("Standards (Quy định 144 and others)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, plan, sections, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.code, s.title) for s in sections]
        choices = {}
        for s in sections:
            for code, title in s.criteria.items():
                choices.setdefault(code, f"{code}. {title}")
        self.fields["standards"].choices = sorted(choices.items())
        if not choices:
            del self.fields["standards"]


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=5000)  # fmt: skip


class PaperFormForm(forms.Form):
    """The scanned paper form a plan was entered from (its type and size are checked by the service)."""

    paper_form = forms.FileField(
        label=_("Scanned form"),
        help_text=_("A scan or photo of the member's paper form (PDF or image, at most 10 MB)."),
    )


class ResidenceRequestForm(forms.Form):
    residence = PickerChoiceField(
        label=_("Residence party cell"), queryset=org_selectors.organization_none(), required=False,
        picker="organizations:org-picker", params={"kind": OrgKind.PARTY_CELL.value}, label_with=org_label,
        help_text=_("Type the name of the party cell where the member lives."),
    )  # fmt: skip
    residence_code = forms.CharField(
        label=_("Or a party cell outside your organizations (code)"), max_length=40, required=False,
        help_text=_("Any cell of the city can be asked: give its code when the list above does not have it."),
    )  # fmt: skip
    due_date = DateField(label=_("Due"), widget=DATE, required=False)
    exempt_reason = forms.CharField(
        label=_("Exempt (Hướng dẫn 33): reason"), max_length=300, required=False,
        help_text=_("e.g. lives in barracks, works far from home, full-time student for 12 months."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["residence"].queryset = org_selectors.organization_choices(kind=OrgKind.PARTY_CELL)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        # A cell chosen in the list wins over a typed code; the view looks the cell up by its code.
        if data.get("residence") is not None:
            data["residence_code"] = data["residence"].code
        return data


class ResidenceCommentFormView(forms.Form):
    """The residence cell's comment: one rating per item of the rulebook's form, free text, signatures."""

    comment = forms.CharField(label=_("Other comments"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                              max_length=5000)  # fmt: skip
    signed_by = forms.CharField(label=_("Secretary of the residence cell"), max_length=200, required=False)

    def __init__(self, *args, items, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"rating-{item['code']}"] = forms.ChoiceField(
                label=item["title"], required=False, widget=forms.RadioSelect,
                choices=[(lvl["code"], lvl["title"]) for lvl in item["levels"]],
            )  # fmt: skip
        self.order_fields([f"rating-{i['code']}" for i in items])


class FrontOpinionForm(forms.Form):
    """The Front's part of the residence comment: the working committee's opinion and who signs it."""

    front_opinion = forms.CharField(
        label=_("Opinion of the Front working committee"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000, required=False,
    )  # fmt: skip
    front_head = forms.CharField(label=_("Head of the Front working committee"), max_length=200, required=False)


class ShortcomingRow(RowForm):
    """One shortcoming to remedy and the date its remedy is due."""

    caption_text = _("Shortcoming %(n)s")
    description = forms.CharField(label=_("Shortcoming"), max_length=1000, required=False)
    due_date = DateField(label=_("Remedy due"), widget=DATE, required=False)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not self.errors and (data.get("description") or "").strip() and not data.get("due_date"):
            self.add_error("due_date", _("Give the due date of the remedy as dd/mm/yyyy."))
        return data


ShortcomingRows = rows_formset(ShortcomingRow)


def late_reason_field() -> forms.CharField:
    """Why a grade is entered after the calendar's due date (the form keeps it only when it is late)."""
    return forms.CharField(
        label=_("Why this is entered after the deadline"), max_length=500, required=False,
        help_text=_("The calendar's date has passed: the reason is kept with the grade."),
    )  # fmt: skip


class EvaluationForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("Grade"), choices=[("", CHOOSE), *rulebook_selectors.grade_choices()], required=False
    )
    score = forms.DecimalField(label=_("Score"), required=False, max_digits=5, decimal_places=2,
                               widget=NumberInput(attrs={"step": "any", "min": "0"}))  # fmt: skip
    disqualifiers = forms.MultipleChoiceField(
        label=_("Disqualifiers this year"), required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=5000)  # fmt: skip
    late_reason = late_reason_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, scheme, late: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if not late:
            del self.fields["late_reason"]
        self.fields["disqualifiers"].choices = [(d["code"], d["title"]) for d in scheme.disqualifiers]
        self.shortcoming_rows = bind_rows(ShortcomingRows, self, "shortcomings")
        if scheme.scale_max is None:
            del self.fields["score"]
        else:
            self.fields["score"].help_text = _("0–%(max)s points") % {"max": scheme.scale_max}

    @property
    def extra_error_links(self) -> list[tuple[str, str]]:
        return self.shortcoming_rows.error_links() if self.shortcoming_rows.is_bound else []

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        rows = self.shortcoming_rows
        if rows.is_bound and not rows.is_valid():
            raise forms.ValidationError(_("Some shortcomings need correcting: see the rows below."))
        # (description, due date) per filled row; the service checks them as before.
        data["shortcomings"] = (
            [(r["description"], r["due_date"]) for r in rows.filled()] if rows.is_bound else []
        )
        return data


class ExemptionForm(forms.Form):
    """Why a member is not rated this year: a reason from the evaluation rules' list, and details (e.g. the
    decision that exempted them)."""

    person = forms.ChoiceField(label=_("Party member"))
    reason = forms.ChoiceField(label=_("Reason"))
    note = forms.CharField(
        label=_("Details"), max_length=500, required=False,
        help_text=_("e.g. the number and date of the decision"),
    )  # fmt: skip

    def __init__(self, *args, reasons, people, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            ("", CHOOSE), *((p.pk, f"{p.full_name} — {p.party_cell.name}") for p in people)
        ]  # fmt: skip
        self.fields["reason"].choices = [("", CHOOSE), *((r["code"], r["title"]) for r in reasons)]


class OrganizationRatingForm(forms.Form):
    """The grade of a party organization's year, a comment, and (after the calendar's date) why it is late."""

    grade = forms.ChoiceField(label=_("Grade"), choices=[("", CHOOSE), *rulebook_selectors.grade_choices()])
    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=5000)  # fmt: skip
    late_reason = late_reason_field()

    def __init__(self, *args, late: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if not late:
            del self.fields["late_reason"]


class PublishForm(forms.Form):
    on_notice_board = forms.BooleanField(label=_("Unit notice board"), required=False)
    on_portal = forms.BooleanField(label=_("Public portal"), required=False)
    on_residence = forms.BooleanField(label=_("Residential area"), required=False)
    published_on = DateField(label=_("Published on"), widget=DATE, required=False)
    result_published = forms.BooleanField(label=_("Publish the year-end result too"), required=False)


RESULT_CHOICES = [("", "—"), *Result.choices]
