"""The streaming .xlsx reader gives what an independent reader (python-calamine) gives, on workbooks written
by different programs and with the features offices' files carry; memory-hostile sheets are read in
bounded memory or refused with a clear reason."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from lamtheo.core.spreadsheets import Limits, SpreadsheetError, open_table


def _rows(path: Path, limits: Limits | None = None) -> list[list[object]]:
    table = open_table(path, limits or Limits())
    return [table.header, *(row for _n, row in table.rows)]


def _oracle(path: Path) -> list[list[object]]:
    import python_calamine as pc

    rows = []
    for row in pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows():
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        rows.append(row)
    return rows


def _same_as_oracle(path: Path) -> list[list[object]]:
    """Our rows, checked against calamine's (blank rows, which the importer skips, left out of both)."""
    ours = [list(r) for r in _rows(path)]
    for row in ours:
        while row and row[-1] == "":
            row.pop()
    ours[0] = [str(c).strip() for c in ours[0]]
    expected = [row for row in _oracle(path) if row]
    expected[0] = [str(c).strip() for c in expected[0]]
    assert ours == expected
    return ours


def _rewrite(data: bytes, member: str, change) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, change(body) if info.filename == member else body)
    return buffer.getvalue()


def _book(tmp_path: Path, fill, options: dict | None = None, name: str = "book.xlsx") -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, **(options or {})})
    fill(book, book.add_worksheet())
    book.close()
    return path


def _features(book, sheet) -> None:  # type: ignore[no-untyped-def]
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    custom = book.add_format({"num_format": '[$-42A]d" tháng "m" năm "yyyy'})
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, ["Mã", "Tên & ghi chú", "Ngày", "Giờ", "Số", "Đúng", "Riêng"])
    sheet.write_string(1, 0, "A<1>&\"'")
    sheet.write_rich_string(1, 1, "Nguyễn ", bold, "Văn", " An")
    sheet.write_datetime(1, 2, dt.datetime(1990, 3, 15), date)
    sheet.write_datetime(1, 3, dt.datetime(2024, 1, 2, 8, 30), stamp)
    sheet.write_number(1, 4, 912345678)
    sheet.write_boolean(1, 5, True)
    sheet.write_datetime(1, 6, dt.datetime(2001, 9, 2), custom)
    sheet.write_string(3, 1, "  khoảng trắng  ")  # row 3 left empty: a gap
    sheet.write_number(3, 4, 2.5)
    sheet.write_string(4, 0, "dòng\nmới")
    sheet.write_string(4, 9, "xa")  # a cell beyond the others


@pytest.mark.parametrize("options", [{}, {"constant_memory": True}], ids=["shared strings", "inline strings"])
def test_the_reader_gives_what_calamine_gives(tmp_path, options):  # type: ignore[no-untyped-def]
    rows = _same_as_oracle(_book(tmp_path, _features, options))
    assert rows[1][:7] == ["A<1>&\"'", "Nguyễn Văn An", dt.date(1990, 3, 15), dt.datetime(2024, 1, 2, 8, 30),
                           912345678.0, True, dt.date(2001, 9, 2)]  # fmt: skip


def test_a_workbook_written_by_openpyxl(tmp_path):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Mã", "Họ và tên", "Ngày sinh", "Số"])
    sheet.append(["P1", "Trần Thị Bình", dt.date(1985, 6, 1), 7])
    sheet.append(["P2", "=1+1", None, 3.25])
    sheet["C3"].number_format = "yyyy-mm-dd"
    path = tmp_path / "openpyxl.xlsx"
    book.save(path)
    table = open_table(path)
    rows = [row for _n, row in table.rows]
    assert rows[0][:4] == ["P1", "Trần Thị Bình", dt.date(1985, 6, 1), 7.0]
    assert table.formula_cells == ["B3"]


def test_the_1904_date_system(tmp_path):  # type: ignore[no-untyped-def]
    def fill(book, sheet):  # type: ignore[no-untyped-def]
        sheet.write_row(0, 0, ["Ngày"])
        sheet.write_datetime(1, 0, dt.datetime(2020, 5, 17), book.add_format({"num_format": "dd/mm/yyyy"}))

    path = _book(tmp_path, fill, {"date_1904": True})
    assert _same_as_oracle(path)[1] == [dt.date(2020, 5, 17)]


def test_escapes_phonetic_guides_prefixes_and_cells_without_positions(tmp_path):  # type: ignore[no-untyped-def]
    """What other writers do: Excel's _xHHHH_ escapes, a phonetic guide in a shared string, a namespace
    prefix on every element, rows and cells without their r attribute, attributes in another order."""

    def fill(book, sheet):  # type: ignore[no-untyped-def]
        sheet.write_row(0, 0, ["Mã", "Tên"])
        sheet.write_row(1, 0, ["K1", "Lê Văn Tám"])
        sheet.write_row(2, 0, ["K2", "tab_x0009_here"])

    data = _book(tmp_path, fill).read_bytes()
    data = _rewrite(data, "xl/sharedStrings.xml",
                    lambda b: b.replace(b"<t>L\xc3\xaa V\xc4\x83n T\xc3\xa1m</t>",
                                        b'<r><t xml:space="preserve">L\xc3\xaa </t></r><r><t>V\xc4\x83n T\xc3\xa1m</t></r>'
                                        b"<rPh sb=\"0\" eb=\"1\"><t>le</t></rPh>").replace(b"tab_x005F_x0009_here", b"tab_x0009_here"
                                        ))  # fmt: skip

    def prefixed(body: bytes) -> bytes:
        body = re.sub(rb"<(/?)(worksheet|sheetData|row|c|v|dimension|sheetViews|sheetView|sheetFormatPr|"
                      rb"pageMargins|selection)\b", rb"<\1x:\2", body)  # fmt: skip
        body = body.replace(b'xmlns="http', b'xmlns:x="http')
        body = body.replace(b'<x:row r="3"', b"<x:row").replace(b'<x:c r="B3" t="s">', b'<x:c t="s">')
        return body.replace(b'<x:c r="A2" t="s">', b'<x:c t="s" r="A2">')

    data = _rewrite(data, "xl/worksheets/sheet1.xml", prefixed)
    path = tmp_path / "odd.xlsx"
    path.write_bytes(data)
    rows = _same_as_oracle(path)
    assert rows[1:] == [["K1", "Lê Văn Tám"], ["K2", "tab\there"]]


def test_a_sheet_wider_and_longer_than_its_cells_costs_no_memory(tmp_path):  # type: ignore[no-untyped-def]
    """Two cells at A1 and XFD90 make a grid reader allocate 90 × 16,384 cells (and A1 with XFD1000000
    asks it for terabytes); the stream reads the cells that are there."""

    def fill(book, sheet):  # type: ignore[no-untyped-def]
        sheet.write_row(0, 0, ["Mã", "Tên"])
        sheet.write_string(89, 16383, "far away")

    rows = _rows(_book(tmp_path, fill))
    assert rows[0] == ["Mã", "Tên"] and len(rows) == 2
    assert rows[1][16383] == "far away" and len(rows[1]) == 16384


def test_a_dimension_that_lies_does_not_get_past_the_row_limit(tmp_path):  # type: ignore[no-untyped-def]
    def fill(book, sheet):  # type: ignore[no-untyped-def]
        for r in range(151):
            sheet.write_row(r, 0, ["Mã" if r == 0 else f"R{r}"])

    data = _rewrite(_book(tmp_path, fill).read_bytes(), "xl/worksheets/sheet1.xml",
                    lambda b: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:A2"/>', b))  # fmt: skip
    path = tmp_path / "liar.xlsx"
    path.write_bytes(data)
    with pytest.raises(SpreadsheetError, match="more rows than the limit of 100"):  # the dimension says 1
        list(open_table(path, Limits(max_rows=100)).rows)


def test_a_table_of_texts_over_its_limit_is_refused(tmp_path):  # type: ignore[no-untyped-def]
    def fill(book, sheet):  # type: ignore[no-untyped-def]
        for r in range(300):
            sheet.write_row(r, 0, [f"text number {r} " * 20])

    with pytest.raises(SpreadsheetError, match="table of texts is larger than"):
        open_table(_book(tmp_path, fill), Limits(max_shared_strings=1 << 16))


def test_a_shared_string_index_out_of_range_reads_as_blank(tmp_path):  # type: ignore[no-untyped-def]
    def fill(book, sheet):  # type: ignore[no-untyped-def]
        sheet.write_row(0, 0, ["Mã", "Tên"])
        sheet.write_row(1, 0, ["K1", "An"])

    data = _rewrite(_book(tmp_path, fill).read_bytes(), "xl/worksheets/sheet1.xml",
                    lambda b: b.replace(b'<c r="B2" t="s"><v>3</v>', b'<c r="B2" t="s"><v>99999</v>'))  # fmt: skip
    path = tmp_path / "bad-index.xlsx"
    path.write_bytes(data)
    assert _rows(path)[1] == ["K1", ""]


def test_a_sheet_whose_compressed_data_is_damaged_midway_is_refused(tmp_path):  # type: ignore[no-untyped-def]
    def fill(book, sheet):  # type: ignore[no-untyped-def]
        for r in range(3000):
            sheet.write_row(r, 0, [f"R{r}", r * 1.5])

    data = bytearray(_book(tmp_path, fill).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 64] = bytes(64)  # the first rows read; then the stream breaks
    path = tmp_path / "broken.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(SpreadsheetError, match="damaged"):
        table = open_table(path)
        list(table.rows)
