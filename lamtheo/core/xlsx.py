"""Writing .xlsx files in constant memory (xlsxwriter), with the same cell neutralising as CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import xlsxwriter


def write_xlsx(
    path: Path | BinaryIO,
    *,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    sheet_name: str = "Sheet1",
    progress: Callable[[int], None] | None = None,
    every: int = 5000,
) -> int:
    """Write `rows` under a bold, frozen header; dates as real dates (dd/mm/yyyy). Returns the row count."""
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    if isinstance(path, (str, Path)):
        workbook = xlsxwriter.Workbook(str(path), options)
    else:  # a file-like object (small exports answered straight from the view)
        workbook = xlsxwriter.Workbook(path, {**options, "constant_memory": False, "in_memory": True})
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#F0F2F5", "border": 1})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, list(header), bold)
    sheet.freeze_panes(1, 0)
    widths = [max(12, min(40, len(h) + 4)) for h in header]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    write_string, write_datetime, write = sheet.write_string, sheet.write_datetime, sheet.write
    n = 0
    for n, row in enumerate(rows, start=1):  # noqa: B007
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                # write_string always stores text (never a formula), so no apostrophe is needed or added.
                write_string(n, col, value)
            elif isinstance(value, dt.date):
                write_datetime(n, col, value, date_format)
            else:
                write(n, col, value)
        if progress is not None and n % every == 0:
            progress(n)
    workbook.close()
    return n
