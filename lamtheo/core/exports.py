"""Streamed CSV export of what a list screen shows (same filters, same scope)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase

from .scoping import Scope, stream_in_scope

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(_FORMULA_START)
CHUNK_ROWS = 2000


def neutralise(value: object) -> str:
    """Text for a spreadsheet cell; a leading = + - @ is escaped so no formula ever runs; dates dd/mm/yyyy."""
    if value is None:
        return ""
    if value.__class__ is str:
        return "'" + value if value[:1] in _FORMULA_FIRST else value  # type: ignore[index, operator]
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    text = str(value)
    return "'" + text if text[:1] in _FORMULA_FIRST else text


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence[object]], scope: Scope):
    """A streamed UTF-8 CSV (with BOM, so Excel opens Vietnamese correctly), read inside `scope`.

    Rows go out in chunks of a few thousand: one write per row would cost more than the rows themselves."""

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow([neutralise(h) for h in header])
        n = 0
        safe = _FORMULA_FIRST.isdisjoint
        for row in rows:
            # Most cells are plain text: only those that are not (or could start a formula) take the call.
            writer.writerow([v if v.__class__ is str and safe(v[:1]) else neutralise(v) for v in row])
            n += 1
            if n % CHUNK_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(
        stream_in_scope(scope, generate()), content_type="text/csv; charset=utf-8"
    )
    return attachment(response, filename)


_UNSAFE_IN_NAMES = str.maketrans({c: "-" for c in '/\\:*?"<>|'})


def attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """Mark `response` as a download named `filename`, Vietnamese letters kept (RFC 6266 `filename*`, with an
    ASCII fallback for old clients)."""
    import unicodedata
    from urllib.parse import quote

    text = "".join(c for c in str(filename) if unicodedata.category(c)[0] != "C")  # no control characters
    stem, dot, ext = text.rpartition(".")
    if dot and len(ext) <= 5:  # long names are cut before the extension (file systems take 255 bytes)
        text = f"{stem[:120]}.{ext}"
    name = " ".join(text.translate(_UNSAFE_IN_NAMES).split())
    plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).encode("ascii", "replace").decode()
    plain = plain.replace("?", "-").replace("\\", "-")
    response["Content-Disposition"] = f"attachment; filename=\"{plain}\"; filename*=utf-8''{quote(name)}"
    return response
