"""Small template helpers of the design system: sortable headers, query strings, dates."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:  # type: ignore[no-untyped-def]
    """The current query string with `changes` applied (None removes a key); keeps filters across pages."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str) -> str:  # type: ignore[no-untyped-def]
    """A column header that sorts by `key`, toggling the direction, with aria-sort for screen readers."""
    current = context.get("sort", "")
    params = context["request"].GET.copy()
    params.pop("page", None)
    if current == key:
        params["sort"], aria, arrow = f"-{key}", "ascending", "▲"
    elif current == f"-{key}":
        params["sort"], aria, arrow = key, "descending", "▼"
    else:
        params["sort"], aria, arrow = key, "none", ""
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}">{} <span aria-hidden="true">{}</span></a></th>',
        aria,
        params.urlencode(),
        label,
        arrow,
    )


@register.filter
def vndate(value) -> str:  # type: ignore[no-untyped-def]
    """dd/mm/yyyy, the way Vietnamese offices write dates."""
    return value.strftime("%d/%m/%Y") if value else ""


@register.filter
def vndatetime(value) -> str:  # type: ignore[no-untyped-def]
    """hh:mm dd/mm/yyyy in Vietnam's time (a stored UTC moment shown where the office is)."""
    if not value:
        return ""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


@register.filter
def percent(value, digits: int = 1) -> str:  # type: ignore[no-untyped-def]
    """A share (0.925) as a percentage the Vietnamese way: "92,5%"; "—" when unknown."""
    if value is None or value == "":
        return "—"
    return f"{num(float(value) * 100, digits)}%"


@register.filter
def num(value, digits: int = 1) -> str:  # type: ignore[no-untyped-def]
    """A number the Vietnamese way: 1.234,5 — no trailing zeros ("78", not "78.00"), "—" when unknown."""
    if value is None or value == "":
        return "—"
    from decimal import Decimal, InvalidOperation

    from django.utils.formats import get_format, number_format

    if type(value) is int:  # counts: a large table has thousands of them, grouped without Decimal rounding
        if -1000 < value < 1000:
            return str(value)
        grouped = f"{abs(value):,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))
        return f"-{grouped}" if value < 0 else grouped

    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    rounded = round(number, int(digits))
    places = 0 if rounded == rounded.to_integral_value() else int(digits)
    return number_format(rounded, decimal_pos=places, force_grouping=True)


@register.filter
def signed(value) -> str:  # type: ignore[no-untyped-def]
    """A change with its sign: "+3,5", "−2", "0"."""
    if value is None:
        return ""
    text = num(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)
