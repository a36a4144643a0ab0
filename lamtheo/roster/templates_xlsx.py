"""The downloadable import templates: Vietnamese headers, one example row, a notes sheet."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lamtheo.organizations.models import OrgKind

from .columns import columns_for


def template_bytes(kind: str) -> bytes:
    """The .xlsx template of a roster kind."""
    columns = columns_for(kind)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    data = workbook.add_worksheet(_("Data"))
    head = workbook.add_format({"bold": True, "bg_color": "#FDECEC", "border": 1})
    required = workbook.add_format({"bold": True, "bg_color": "#F7C5C8", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    for col, column in enumerate(columns):
        data.write_string(0, col, column.header, required if column.required else head)
        data.write_string(1, col, column.example, text)
        data.set_column(col, col, max(14, len(column.header) + 4), text)
    data.freeze_panes(1, 0)
    notes = workbook.add_worksheet(_("Notes"))
    bold = workbook.add_format({"bold": True})
    notes.write_row(0, 0, [_("Column"), _("Required"), _("What to write")], bold)
    for row, column in enumerate(columns, start=1):
        notes.write_row(row, 0, [column.header, _("yes") if column.required else "", str(column.note)])
    row = len(columns) + 2
    notes.write_string(row, 0, pgettext("template", "How to fill it in"), bold)
    for line in (
        _("Keep the header row; columns may come in any order, and headers without accents are accepted."),
        _("Dates: dd/mm/yyyy (e.g. 15/03/1980); Excel date cells are accepted."),
        _("Type values, not formulas."),
        _("Text typed in TCVN3 (.Vn fonts) or VNI is recognised and converted to Unicode."),
        _("Re-importing the same file changes nothing; rows are matched by their code."),
        _("Nothing is written until you confirm, and a file with any problem writes nothing."),
    ):
        row += 1
        notes.write_string(row, 0, line)
    if kind == "organizations":
        row += 2
        notes.write_string(row, 0, _("Kinds"), bold)
        for value, label in OrgKind.choices:
            row += 1
            notes.write_row(row, 0, [str(label), value])
    notes.set_column(0, 0, 28)
    notes.set_column(2, 2, 90)
    workbook.close()
    return buffer.getvalue()
