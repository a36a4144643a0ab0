"""Streamed CSV export of what a list screen shows (same filters, same scope)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

from .scoping import Scope, stream_in_scope

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """Text for a spreadsheet cell; a leading = + - @ is escaped so no formula ever runs; dates dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence[object]], scope: Scope):
    """A streamed UTF-8 CSV (with BOM, so Excel opens Vietnamese correctly), read inside `scope`."""
    writer = csv.writer(_Echo())

    def generate() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([neutralise(h) for h in header])
        for row in rows:
            yield writer.writerow([neutralise(v) for v in row])

    response = StreamingHttpResponse(
        stream_in_scope(scope, generate()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
