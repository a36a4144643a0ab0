"""Rows of an .xlsx worksheet read as a stream, so that memory stays bounded whatever the upload holds.

Why not a library: python-calamine (fast) builds the whole sheet in memory as a dense grid — a 49 MB
sheet inside our limits took 1.3 GB, and two cells at A1 and XFD1000000 ask it for terabytes; openpyxl's
read-only mode streams but is several times slower (ADR 0014). This reader keeps only the shared-string
table (one string plus offsets, capped by `Limits.max_shared_strings`) and one decompressed block of
whole rows. The cells of a block are taken by one regular expression (C speed); a block holding a cell
that pattern does not describe (rich text, a formula, attributes in another order, a namespace prefix,
a cell without its position) is read row by row with a general pattern.

Values come out as python-calamine gave them: text as `str`, numbers as `float`, booleans as `bool`,
date-formatted numbers as `datetime.date` (or `datetime.datetime` with a time of day), empty cells as "".
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate, islice

from django.utils.translation import gettext as _

from .errors import DomainError

CHUNK = 4 << 20  # decompressed bytes handled at a time
MAX_ROW_BYTES = 64 << 20  # one row's XML; beyond it the sheet is refused rather than buffered


class SheetError(DomainError):
    """The worksheet cannot be read; the message says why (spreadsheets.py turns it into its own error)."""


_ENTITY = re.compile(rb"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));")
_NAMED = {b"amp": "&", b"lt": "<", b"gt": ">", b"quot": '"', b"apos": "'"}
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # Excel's own escape of characters XML cannot hold


def _entity(m: re.Match) -> bytes:
    if m.group(3):
        return _NAMED[m.group(3)].encode()
    code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    try:
        return chr(code).encode("utf-8", "surrogatepass")
    except ValueError:
        return b"\xef\xbf\xbd"


def text(raw: bytes) -> str:
    """An XML text node's bytes as the string Excel shows: entities and `_xHHHH_` escapes resolved."""
    if b"&" in raw:
        raw = _ENTITY.sub(_entity, raw)
    value = raw.decode("utf-8", "replace")
    if "_x" in value:
        value = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
        value = value.replace("\ud800", "\ufffd") if "\ud800" in value else value
    return value


# ---------------------------------------------------------------------------------------------- strings


_SI_FAST = re.compile(rb"<si><t(?: xml:space=\"preserve\")?>([^<]*)</t></si>|<si><t/></si>|<si/>")
_SI_ANY = re.compile(rb"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_RUN_TEXT = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?t>)")
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)


@dataclass
class SharedStrings:
    """The workbook's shared-string table: every item's text, resolved, in one string, and where each
    item starts (a slice per cell, no decoding)."""

    text: str = ""
    offsets: array = field(default_factory=lambda: array("Q", [0]))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> str:
        offsets = self.offsets
        return self.text[offsets[index] : offsets[index + 1]]


def _decoded(items: list[bytes]) -> list[str]:
    """Items' bytes as text: at C speed (one decode, one split) unless one holds an entity or escape."""
    joined = b"\x00".join(items)
    if b"&" in joined or b"_x" in joined or joined.count(b"\x00") != len(items) - 1:
        return [text(item) for item in items]
    return joined.decode("utf-8", "replace").split("\x00")


def _items(chunk: bytes) -> list[bytes]:
    """The text of every string item in `chunk` (whole items only)."""
    found = _SI_FAST.findall(chunk)
    if b":si" not in chunk and len(found) == chunk.count(b"</si>") + chunk.count(b"<si/>"):
        return found
    # Rich text (several runs), phonetic guides, other attributes or a namespace prefix: the general way.
    items = []
    for m in _SI_ANY.finditer(chunk):
        inner = _PHONETIC.sub(b"", m.group(1) or b"")
        items.append(b"".join(t or b"" for t in _RUN_TEXT.findall(inner)))
    return items


def read_shared_strings(zf: zipfile.ZipFile, names: set[str], limit: int) -> SharedStrings:
    """The table, streamed; a table larger than `limit` bytes unpacked is refused before it is read."""
    member = "xl/sharedStrings.xml"
    if member not in names:
        return SharedStrings()
    if zf.getinfo(member).file_size > limit:
        raise SheetError(
            _("The workbook's table of texts is larger than %(n)s MB unpacked: split the file and upload the "
              "parts one by one.") % {"n": limit // 1048576}
        )  # fmt: skip
    parts: list[str] = []
    offsets = array("Q", [0])
    tail = b""
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(CHUNK)
            data = tail + chunk
            if chunk:
                end = max(data.rfind(b"</si>") + 5, data.rfind(b"<si/>") + 5, data.rfind(b":si>") + 4, 0)
            else:
                end = len(data)
            items = _items(data[:end])
            tail = data[end:]
            if items:
                strings = _decoded(items)
                offsets.extend(islice(accumulate(map(len, strings), initial=offsets[-1]), 1, None))
                parts.append("".join(strings))
            if not chunk:
                break
            if len(tail) > MAX_ROW_BYTES:
                raise SheetError(_("The workbook's table of texts cannot be read: one text is too long."))
    return SharedStrings("".join(parts), offsets)


# ----------------------------------------------------------------------------------------------- styles

_BUILTIN_DATES = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))
_NUMFMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?\bnumFmtId="(\d+)"[^>]*?\bformatCode="([^"]*)"')
_NUMFMT_REV = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?\bformatCode="([^"]*)"[^>]*?\bnumFmtId="(\d+)"')
_CELLXFS = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)")
_XF_FMT = re.compile(rb'\bnumFmtId="(\d+)"')
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def is_date_format(code: str) -> bool:
    """A number format that shows a date or time (d, m, y, h or s outside quotes, colours and escapes)."""
    bare = _FORMAT_NOISE.sub("", code).lower()
    return any(ch in bare for ch in "dmyhs") and "general" not in bare


def date_styles(zf: zipfile.ZipFile, names: set[str]) -> list[bool]:
    """For each cell style (the `s` of a cell), whether its number format is a date."""
    if "xl/styles.xml" not in names or zf.getinfo("xl/styles.xml").file_size > 64 << 20:
        return []
    xml = zf.read("xl/styles.xml")
    custom = {int(i): text(c) for i, c in _NUMFMT.findall(xml)}
    custom.update({int(i): text(c) for c, i in _NUMFMT_REV.findall(xml)})
    block = _CELLXFS.search(xml)
    result = []
    for attrs in _XF.findall(block.group(0) if block else b""):
        found = _XF_FMT.search(attrs)
        fmt = int(found.group(1)) if found else 0
        result.append(fmt in _BUILTIN_DATES or (fmt in custom and is_date_format(custom[fmt])))
    return result


def uses_1904(zf: zipfile.ZipFile) -> bool:
    head = zf.read("xl/workbook.xml")[:65536]
    return re.search(rb'\bdate1904="(?:1|true)"', head) is not None


_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


def serial_date(value: float, date1904: bool) -> dt.date | dt.datetime | float:
    """An Excel serial as the date (with its time of day, if any) it stands for; the number if none."""
    if date1904:
        base = _EPOCH_1904
    elif value < 60:
        base = _EPOCH_1900 + dt.timedelta(days=1)  # Excel counts a 29/02/1900 that never was
    else:
        base = _EPOCH_1900
    if not 0 <= value < 2958466:
        return value
    days = int(value)
    if value == days:
        return (base + dt.timedelta(days=days)).date()
    # To the second, as Excel shows it (a serial's binary fraction lands a hair before or after it).
    return base + dt.timedelta(days=days, seconds=round((value - days) * 86400))


# ------------------------------------------------------------------------------------------------ sheet

_COLUMNS: dict[bytes, int] = {}
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')


def column_index(letters: bytes) -> int:
    """A → 0, Z → 25, AA → 26 … (cached: a sheet uses few distinct columns)."""
    found = _COLUMNS.get(letters)
    if found is None:
        found = 0
        for ch in letters:
            found = found * 26 + ch - 64
        found -= 1
        if len(_COLUMNS) < 20000:
            _COLUMNS[letters] = found
    return found


@dataclass
class SheetReader:
    """Iterates (row number, cell values) of one worksheet member; formula cells are listed as met."""

    zf: zipfile.ZipFile
    member: str
    strings: SharedStrings
    dates: list[bool]
    date1904: bool
    max_rows: int
    formula_cells: list[str] = field(default_factory=list)
    prefix: bytes = b""
    _date_cache: dict = field(default_factory=dict)
    _style_is_date: dict = field(default_factory=dict)

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        with self.zf.open(self.member) as fh:
            head = fh.read(CHUNK)
            found = re.search(rb"<(\w+:)?sheetData\b", head)
            self.prefix = (found.group(1) or b"") if found else b""
            self._compile()
            yield from self._rows(fh, head)

    def _compile(self) -> None:
        p = re.escape(self.prefix)
        self.row_end = b"</" + self.prefix + b"row>"
        self.row_open = b"<" + self.prefix + b"row"
        self.cell_opens = (b"<" + self.prefix + b"c ", b"<" + self.prefix + b"c>", b"<" + self.prefix + b"c/>")
        self.any = re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.S)
        self.block_cells = re.compile(
            rb'<' + p + rb'c r="([A-Z]{1,3})([0-9]+)"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?'
            rb'(?:/>|><' + p + rb'v>([^<]*)</' + p + rb'v></' + p + rb'c>'
            rb'|><' + p + rb'is><' + p + rb't(?: xml:space="preserve")?>([^<]*)</' + p + rb't></' + p + rb'is></'
            + p + rb'c>|(>))'
        )  # fmt: skip

    def _rows(self, fh, data: bytes) -> Iterator[tuple[int, list[object]]]:  # type: ignore[no-untyped-def]
        row_end, number = self.row_end, 0
        tail = b""
        while True:
            data = tail + data
            end = data.rfind(row_end)
            if end < 0:
                tail = data
            else:
                end += len(row_end)
                block, tail = data[:end], data[end:]
                rows = self._block(block)
                if rows is None:  # something the one-pass reading does not describe: row by row
                    rows = []
                    for part in block.split(row_end)[:-1]:
                        number = self._number(part, number)
                        rows.append((number, self._general(part, number)))
                if rows:
                    number = rows[-1][0]
                    if number - 1 > self.max_rows:
                        raise RowLimit(number - 1)
                yield from rows
            if len(tail) > MAX_ROW_BYTES:
                raise SheetError(_("Row %(row)s of the sheet is too large to read.") % {"row": number + 1})
            data = fh.read(CHUNK)
            if not data:
                break
        # Rows written without an end tag (<row r="9"/>) hold no cells: nothing is left to read.

    def _block(self, block: bytes) -> list[tuple[int, list[object]]] | None:
        """Every row of a block of whole rows in one pass (the usual case: every cell has its position and
        the common attribute order), or None when a cell needs the general reading."""
        cells = self.block_cells.findall(block)
        opens = block.count(self.cell_opens[0]) + block.count(self.cell_opens[1]) + block.count(self.cell_opens[2])
        if len(cells) != opens:
            return None
        rows: list[tuple[int, list[object]]] = []
        row: list[object] = []
        current = b""
        strings = self.strings
        shared, offsets = strings.text, strings.offsets
        date_style, date_cache, columns = self._date_style, self._date_cache, _COLUMNS
        for letters, digits, style, kind, raw, inline, complex_ in cells:
            if complex_:
                return None
            if digits != current:
                current = digits
                row = []
                rows.append((int(digits), row))
            index = columns.get(letters)
            if index is None:
                index = column_index(letters)
            if index != len(row):
                if index < len(row):
                    return None
                row.extend([""] * (index - len(row)))
            if kind == b"s":
                try:
                    at = int(raw)
                    row.append(shared[offsets[at] : offsets[at + 1]])
                except (ValueError, IndexError):
                    row.append("")
            elif not kind:
                if style and raw and date_style(style):
                    value = date_cache.get(raw)
                    if value is None:
                        value = _value(raw, kind, style, strings, self.dates, self.date1904)
                        if len(date_cache) < 100_000:
                            date_cache[raw] = value
                    row.append(value)
                elif raw:
                    try:
                        row.append(float(raw))
                    except ValueError:
                        row.append(text(raw))
                else:
                    row.append("")
            elif kind == b"inlineStr":
                row.append(text(inline))
            else:
                row.append(_value(raw, kind, style, strings, self.dates, self.date1904))
        return rows

    def _date_style(self, style: bytes) -> bool:
        found = self._style_is_date.get(style)
        if found is None:
            index = int(style)
            found = index < len(self.dates) and self.dates[index]
            self._style_is_date[style] = found
        return found

    def _number(self, part: bytes, previous: int) -> int:
        start = part.rfind(self.row_open)
        if start < 0:
            return previous + 1
        found = _ROW_NUMBER.search(part, start, part.find(b">", start))
        return int(found.group(1)) if found else previous + 1

    def _general(self, part: bytes, number: int) -> list[object]:
        row: list[object] = []
        for attrs, inner in self.any.findall(part):
            ref = re.search(rb'\br="([A-Z]{1,3})([0-9]+)"', attrs)
            index = column_index(ref.group(1)) if ref else len(row)
            kind = re.search(rb'\bt="([a-zA-Z]+)"', attrs)
            style = re.search(rb'\bs="([0-9]+)"', attrs)
            kind_b = kind.group(1) if kind else b""
            if re.search(rb"<(?:\w+:)?f[\s>/]", inner) and len(self.formula_cells) < 20:
                letters = ref.group(1).decode() if ref else column_letters(index)
                self.formula_cells.append(f"{letters}{number}")
            if kind_b == b"inlineStr":
                is_block = re.search(rb"<(?:\w+:)?is\b[^>]*>(.*?)</(?:\w+:)?is>", inner, re.S)
                body = _PHONETIC.sub(b"", is_block.group(1)) if is_block else b""
                value: object = text(b"".join(t or b"" for t in _RUN_TEXT.findall(body)))
            else:
                v = re.search(rb"<(?:\w+:)?v\b[^>]*>([^<]*)</(?:\w+:)?v>", inner)
                value = _value(v.group(1) if v else b"", kind_b, style.group(1) if style else b"",
                               self.strings, self.dates, self.date1904)  # fmt: skip
            if index >= len(row):
                row.extend([""] * (index - len(row)))
                row.append(value)
            else:
                row[index] = value
        return row


class RowLimit(Exception):  # noqa: N818 - a signal, caught where the limit's message is written
    """The sheet goes on past the row limit (its declared size said otherwise)."""

    def __init__(self, rows: int) -> None:
        super().__init__(rows)
        self.rows = rows


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA … (the inverse of column_index)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _value(raw: bytes, kind: bytes, style: bytes, strings: SharedStrings, dates: list[bool], date1904: bool):  # type: ignore[no-untyped-def]
    """One cell's value from its type (`t`), style (`s`) and raw `<v>` text."""
    if kind == b"s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            return ""
    if not kind or kind == b"n":
        if not raw:
            return ""
        try:
            number = float(raw)
        except ValueError:
            return text(raw)
        if style:
            s = int(style)
            if s < len(dates) and dates[s]:
                return serial_date(number, date1904)
        return number
    if kind == b"b":
        return raw.strip() in (b"1", b"true")
    if kind == b"d":
        value = text(raw)
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.date() if moment.time() == dt.time() and "T" not in value else moment
    return text(raw)  # str (a formula's text), e (an error such as #N/A), anything else
