"""Reading uploaded spreadsheets safely: refuse what is not a spreadsheet before parsing, then stream rows.

Checks, in order and before any parsing: empty, over the size limit, what the first bytes say the file is
(a renamed .exe or .pdf, an old .xls, a password-protected workbook), a damaged zip, a zip bomb
(uncompressed size), too many rows. `.xlsx` sheets are read as a stream by `xlsx_rows` (bounded memory;
the row limit is enforced again while reading, and formula cells are listed as they are met, so that the
importer can refuse them); `.csv` in UTF-8 (with or without BOM), UTF-16, Windows-1258 or Windows-1252,
separated by `,`, `;` or tabs.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .errors import DomainError
from .legacy import decode_bytes, utf16_order
from .xlsx_rows import RowLimit, SheetError, SheetReader, date_styles, read_shared_strings, uses_1904


class SpreadsheetError(DomainError):
    """The uploaded file cannot be read as a spreadsheet; the message says why."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 1_000_000
    max_cell_chars: int = 2_000
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_shared_strings: int = 256 * 1024 * 1024  # the workbook's table of texts, unpacked


@dataclass
class Table:
    """A sheet: its header and an iterator of (row number as the user sees it, cell values)."""

    kind: str
    header: list[str]
    rows: Iterator[tuple[int, list[object]]]
    total_rows: int
    text_encoding: str = ""
    formula_cells: list[str] = field(default_factory=list)


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# A cell whose first child is a formula, with or without a namespace prefix and whatever the attribute order.
_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}[0-9]+)"[^>]*?>\s*<(?:\w+:)?f[\s>/]')
_FIRST_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"')


def _count(n: int) -> str:
    """A count in a message, grouped the local way (2.000.000 in Vietnamese)."""
    return number_format(n, force_grouping=True)


def _sniff(path: Path, limits: Limits) -> str:
    size = path.stat().st_size
    if size == 0:
        raise SpreadsheetError(_("The file is empty."))
    if size > limits.max_bytes:
        raise SpreadsheetError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": limits.max_bytes // 1048576}
        )
    with path.open("rb") as fh:
        head = fh.read(8192)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx"
    if head.startswith(_OLE):
        with path.open("rb") as fh:
            if _ENCRYPTED in fh.read():
                raise SpreadsheetError(
                    _("The workbook is password-protected: remove the password and upload it again.")
                )
        raise SpreadsheetError(_("This is an old Excel (.xls) file: save it as .xlsx and upload it again."))
    if head.startswith(b"%PDF"):
        raise SpreadsheetError(_("This is a PDF document, not a spreadsheet (.xlsx or .csv)."))
    if utf16_order(head) is not None:
        return "csv"  # Excel's "Unicode text": UTF-16, tab-separated
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF") or b"\x00" in head:
        raise SpreadsheetError(_("This is not a spreadsheet: upload an .xlsx or .csv file."))
    return "csv"


def _check_zip(path: Path, limits: Limits) -> str:
    """The first worksheet's member name, after refusing damaged archives and zip bombs."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                raise SpreadsheetError(_("The file is a zip archive but not an Excel workbook."))
            total = sum(i.file_size for i in infos)
            if total > limits.max_uncompressed_bytes or any(
                i.file_size > 50 * 1048576 and i.file_size > 200 * max(i.compress_size, 1) for i in infos
            ):
                raise SpreadsheetError(
                    _("The workbook expands to %(size)s MB when unpacked: refused as a possible zip bomb.")
                    % {"size": total // 1048576}
                )
            member = _first_sheet_member(zf, names)
            if member is None:
                raise SpreadsheetError(_("The workbook has no worksheet."))
            return member
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(_("The file is damaged (not a readable .xlsx).")) from exc


def _first_sheet_member(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """The XML part of the workbook's first sheet in workbook order (the one calamine reads), through the
    workbook's relationships; the lowest-numbered sheet part when those cannot be read."""
    try:
        first = _FIRST_SHEET.search(zf.read("xl/workbook.xml"))
        rels = zf.read("xl/_rels/workbook.xml.rels")
        if first is not None:
            rid = re.escape(first.group(1))
            target = re.search(
                rb'<Relationship\b[^>]*?\bId="' + rid + rb'"[^>]*?\bTarget="([^"]+)"', rels
            ) or re.search(rb'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="' + rid + rb'"', rels)
            if target is not None:
                path = target.group(1).decode().lstrip("/")
                member = path if path.startswith("xl/") else f"xl/{path}"
                if member in names:
                    return member
    except KeyError:
        pass
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    return sheets[0] if sheets else None


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="[A-Z]{1,3}([0-9]+)(?::[A-Z]{1,3}([0-9]+))?"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")


def _declared_rows(path: Path, member: str) -> int:
    """How many rows the worksheet holds, read before it is loaded: the `<dimension>` its writer records at
    the top of the sheet, else a streamed count of its row tags (memory stays flat whatever the sheet).
    A dimension can lie: the reader also stops at the limit while it reads."""
    with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
        head = fh.read(65536)
        found = _DIMENSION.search(head)
        if found is not None:
            return int(found.group(2) or found.group(1))
        count, carry, data = 0, b"", head
        while data:
            buffer = carry + data
            # A tag that lay wholly in the carried bytes was counted with the previous chunk.
            count += sum(1 for m in _ROW_TAG.finditer(buffer) if m.end() > len(carry))
            carry, data = buffer[-16:], fh.read(4 << 20)
        return count


_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError)


def _damaged() -> SpreadsheetError:
    return SpreadsheetError(_("The file is damaged (not a readable .xlsx)."))


def _too_many(limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("The sheet has more rows than the limit of %(limit)s.") % {"limit": _count(limit)}
    )


def _xlsx(path: Path, limits: Limits) -> Table:
    member = _check_zip(path, limits)
    try:
        declared = _declared_rows(path, member)
    except _BROKEN as exc:
        raise _damaged() from exc
    # The row limit is checked before the sheet is read, and again while it is read.
    if declared - 1 > limits.max_rows:
        raise SpreadsheetError(
            _("The sheet has %(n)s rows; the limit is %(limit)s.")
            % {"n": _count(declared - 1), "limit": _count(limits.max_rows)}
        )
    zf = zipfile.ZipFile(path)
    try:
        names = set(zf.namelist())
        reader = SheetReader(
            zf, member, read_shared_strings(zf, names, limits.max_shared_strings), date_styles(zf, names),
            uses_1904(zf), limits.max_rows,
        )  # fmt: skip
        rows = _guarded(reader.rows(), zf, limits)
        header_row = next((row for _n, row in rows if any(str(c).strip() for c in row)), None)
    except SheetError as exc:
        zf.close()
        raise SpreadsheetError(exc.message) from exc
    except _BROKEN as exc:
        zf.close()
        raise _damaged() from exc
    if header_row is None:
        zf.close()
        raise SpreadsheetError(_("The sheet is empty: the first row must hold the column headers."))
    header = [str(c).strip() if c is not None else "" for c in header_row]
    return Table("xlsx", header, rows, max(declared - 1, 0), "", reader.formula_cells)


def _guarded(rows: Iterator[tuple[int, list[object]]], zf: zipfile.ZipFile, limits: Limits):  # type: ignore[no-untyped-def]
    """The reader's rows, with a damaged archive or a sheet past the limit turned into a clear refusal
    (they can show only while reading), and the archive closed at the end."""
    try:
        yield from rows
    except RowLimit as exc:
        raise _too_many(limits.max_rows) from exc
    except SheetError as exc:
        raise SpreadsheetError(exc.message) from exc
    except _BROKEN as exc:
        raise _damaged() from exc
    finally:
        zf.close()


def _csv(path: Path, limits: Limits) -> Table:
    try:
        text, encoding = decode_bytes(path.read_bytes())
    except ValueError as exc:
        raise SpreadsheetError(
            _("The file looks like UTF-16 text (Excel's \"Unicode text\") but cannot be read as such: save it "
              "as .xlsx or as \"CSV UTF-8\" and upload it again.")
        ) from exc
    sample = text[:20000]
    counts = {",": sample.count(","), ";": sample.count(";"), "\t": sample.count("\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines - 1 > limits.max_rows:
        raise SpreadsheetError(
            _("The sheet has %(n)s rows; the limit is %(limit)s.")
            % {"n": _count(lines - 1), "limit": _count(limits.max_rows)}
        )
    csv.field_size_limit(max(limits.max_cell_chars * 4, 131072))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header_row = next(reader, None)
    except csv.Error as exc:
        raise SpreadsheetError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    if header_row is None or not any(c.strip() for c in header_row):
        raise SpreadsheetError(_("The sheet is empty: the first row must hold the column headers."))
    header = [c.strip().lstrip("\ufeff") for c in header_row]

    def generate() -> Iterator[tuple[int, list[object]]]:
        number = 1
        try:
            for number, row in enumerate(reader, start=2):  # noqa: B007
                yield number, list(row)
        except csv.Error as exc:
            raise SpreadsheetError(
                _("Row %(row)s cannot be read: a cell is too long or a quote is not closed.")
                % {"row": number + 1}
            ) from exc

    return Table("csv", header, generate(), max(lines - 1, 0), encoding, [])


def open_table(path: Path, limits: Limits | None = None) -> Table:
    """Open the first sheet of an uploaded .xlsx or .csv, or raise SpreadsheetError with a clear reason."""
    limits = limits or Limits()
    kind = _sniff(path, limits)
    return _xlsx(path, limits) if kind == "xlsx" else _csv(path, limits)
