"""Form pieces shared by every context: date and number inputs, pickers, the choice placeholder."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The placeholder of a choice list, instead of Django's "---------".
CHOOSE = _("— Choose —")


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy, the way Vietnamese offices write it.

    A browser's own date input shows the date in the browser's locale (mm/dd/yyyy on an English
    Windows), so a plain text box with the format spelled out is the honest choice. The server also
    accepts yyyy-mm-dd (settings.DATE_INPUT_FORMATS)."""

    def __init__(self, attrs: dict | None = None) -> None:
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "class": "date",
                "maxlength": "10", "size": "10"}  # fmt: skip
        super().__init__(attrs=base | (attrs or {}), format="%d/%m/%Y")


DATE = DateInput()
# What a date field accepts whatever the interface language (English would otherwise read 03/04 as 4 March).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]


class DateField(forms.DateField):
    """A date field typed as dd/mm/yyyy in every language (also yyyy-mm-dd)."""

    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": _("Enter a date as dd/mm/yyyy.")}


class NumberInput(forms.NumberInput):
    """A number box that shows 78 rather than 78.00 (trailing zeros of a decimal dropped)."""

    def format_value(self, value):  # type: ignore[no-untyped-def]
        from decimal import Decimal, InvalidOperation

        if isinstance(value, str):
            try:
                value = Decimal(value)
            except InvalidOperation:
                return value
        if isinstance(value, Decimal):
            text = format(value, "f")
            return text.rstrip("0").rstrip(".") if "." in text else text
        return super().format_value(value)


class OrgChoiceField(forms.ModelChoiceField):
    """A choice of organization, indented by depth so that the list reads like the tree."""

    def label_from_instance(self, obj) -> str:  # type: ignore[no-untyped-def, override]
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


class PickerSelect(forms.Select):
    """A select that searches as one types (core/pickers.js loads options from a JSON endpoint).

    It renders only the chosen option(s), never the whole table (a city has 500,000 people), unless the
    field's choices are few (up to `inline_limit`): then they are all rendered, so that the form also
    works without JavaScript. The endpoint answers `{"results": [{"value", "text", "hint"}]}`."""

    picker_multiple = False
    inline_limit = 60

    def __init__(self, url_name: str, *, params: dict | None = None, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.url_name = url_name
        self.params = params or {}

    def picker_url(self) -> str:
        url = reverse(self.url_name)
        params = {k: v for k, v in self.params.items() if v not in (None, "")}
        return f"{url}?{urlencode(params)}" if params else url

    def get_context(self, name, value, attrs):  # type: ignore[no-untyped-def]
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-picker"] = self.picker_url()
        widget_attrs.setdefault("data-placeholder", str(_("Type to search…")))
        widget_attrs["data-no-results"] = str(_("Nothing found."))
        return context

    def _pairs(self, selected: list[str]) -> tuple[list[tuple[str, str]], bool]:
        """(value, label) of the options to render, and whether they are all the choices."""
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        field = getattr(choices, "field", None)
        if queryset is None or field is None:  # plain choices: small by nature
            return [(str(k), str(v)) for k, v in choices if k not in ("", None)], True
        few = list(queryset[: self.inline_limit + 1])
        if len(few) <= self.inline_limit:
            return [(str(field.prepare_value(o)), field.label_from_instance(o)) for o in few], True
        keys = [v for v in selected if v.isdigit()]
        chosen = list(queryset.filter(pk__in=keys)) if keys else []
        return [(str(field.prepare_value(o)), field.label_from_instance(o)) for o in chosen], False

    def optgroups(self, name, value, attrs=None):  # type: ignore[no-untyped-def]
        selected = [str(v) for v in value if v not in ("", None)]
        pairs, _complete = self._pairs(selected)
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", str(CHOOSE), not selected, 0, attrs=attrs))
        for index, (key, label) in enumerate(pairs, start=len(options)):
            options.append(self.create_option(name, key, label, key in selected, index, attrs=attrs))
        return [(None, options, 0)]


class PickerSelectMultiple(PickerSelect, forms.SelectMultiple):
    """The multiple-choice picker (co-operating units, regulations): chosen options only, as chips."""

    allow_multiple_selected = True


class PickerChoiceField(forms.ModelChoiceField):
    """A model choice through a picker; an id out of the queryset (or scope) is a plain form error."""

    default_error_messages = {
        "invalid_choice": _("Choose one from the list: this one was not found among those you may choose."),
    }

    def __init__(self, *, picker: str, params: dict | None = None, label_with=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("widget", PickerSelect(picker, params=params))
        kwargs.setdefault("empty_label", None)
        self._label_with = label_with
        super().__init__(**kwargs)

    def label_from_instance(self, obj) -> str:  # type: ignore[no-untyped-def, override]
        return self._label_with(obj) if self._label_with else super().label_from_instance(obj)


class PickerMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several model choices through a picker; ids out of the queryset (or scope) are a form error."""

    default_error_messages = {
        "invalid_choice": _("Choose from the list: %(value)s was not found among those you may choose."),
        "invalid_pk_value": _("Choose from the list: %(pk)s is not a valid choice."),
    }

    def __init__(self, *, picker: str, params: dict | None = None, label_with=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("widget", PickerSelectMultiple(picker, params=params))
        self._label_with = label_with
        super().__init__(**kwargs)

    def label_from_instance(self, obj) -> str:  # type: ignore[no-untyped-def, override]
        return self._label_with(obj) if self._label_with else super().label_from_instance(obj)


class RowForm(forms.Form):
    """One row of a repeating group (milestones, shortcomings); its caption names it in errors."""

    caption_text = _("Row %(n)s")
    row_number: int | None = None

    @property
    def caption(self) -> str:
        # The empty row the "add a row" script copies says __n__, replaced by the row's number.
        return self.caption_text % {"n": self.row_number or "__n__"}


class RowFormSet(forms.BaseFormSet):
    """Repeating rows with add/remove: N empty rows without JavaScript, more added by core/pickers.js."""

    def _construct_form(self, i, **kwargs):  # type: ignore[no-untyped-def]
        form = super()._construct_form(i, **kwargs)
        form.row_number = i + 1
        return form

    def filled(self) -> list[dict]:
        """The cleaned data of the rows that were filled in and not removed."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not self._should_delete_form(form)
        ]

    def error_links(self) -> list[tuple[str, str]]:
        """(field id, 'Row n — field: message') for every error of a kept row, for the error summary."""
        links = [("", str(error)) for error in self.non_form_errors()]
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            for name, errors in form.errors.items():
                bound = form[name] if name in form.fields else None
                for error in errors:
                    label = f"{form.caption} — {bound.label}" if bound else form.caption
                    links.append((bound.auto_id if bound else "", f"{label}: {error}"))
        return links


def rows_formset(form: type[RowForm], *, extra: int = 3, max_num: int = 50) -> type[RowFormSet]:
    """A formset class of `form` rows that can be removed, at most `max_num` of them."""
    return forms.formset_factory(
        form, formset=RowFormSet, extra=extra, can_delete=True, max_num=max_num, validate_max=True
    )


def bind_rows(rows_class: type[RowFormSet], form: forms.Form, prefix: str) -> RowFormSet:
    """The rows of `form`, bound to its data when the post carries them (an older client's post does not)."""
    posted = form.is_bound and f"{prefix}-TOTAL_FORMS" in form.data
    return rows_class(form.data if posted else None, prefix=prefix)


def org_label(obj) -> str:  # type: ignore[no-untyped-def]
    """An organization as a picker shows it: name and code."""
    return f"{obj.name} ({obj.code})"
