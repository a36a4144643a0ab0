"""A member's commitment plan as a Word (.docx) or PDF document, laid out after Hướng dẫn 36-HD/VPTW.

Pure functions: callers pass everything in a PlanDocument; nothing here touches the database, the
network or the clock beyond stamping the .docx with its creation time. Both renderers share the same
wording helpers so the two formats never drift apart.

The .docx names Times New Roman, the font Word users have. The PDF embeds Liberation Serif (metric
compatible with Times New Roman, with every Vietnamese glyph), shipped in ``fonts/`` beside this module,
so a PDF looks the same on any server whatever fonts the system has.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
DIRECTIVE = (
    "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo "
    "tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)
EMPTY_SECTION = "(Không có nội dung)"
SELF_ASSESSMENT_TITLE = "BẢN TỰ KIỂM ĐIỂM"
# Left blank on paper so the member can write the grade by hand when none was recorded.
BLANK = "…………………"
BASE_COLUMNS = ("STT", "Nội dung cam kết", "Biện pháp", "Thời gian", "Chỉ tiêu")
RESULT_COLUMNS = ("Kết quả giữa năm", "Kết quả cuối năm", "Minh chứng")
# Column widths in mm; each set adds up to the 165 mm between the margins of an A4 page.
BASE_WIDTHS = (12, 58, 45, 22, 28)
RESULT_WIDTHS = (12, 33, 25, 17, 18, 20, 20, 20)
# Cell padding of the item tables (Word's default is 1.9 mm): "STT" then fits its 12 mm on one line.
CELL_PADDING_MM = 1.2
# The signatures: the confirming committee's heading is the longer one.
SIGNATURE_WIDTHS = (92, 73)
# The header: committee and cell on the left, the party's name and the place-date line on the right.
HEADER_WIDTHS = (75, 90)
FONT = "Times New Roman"
FONT_SIZE = Pt(13)
# The PDF's one font family, shipped with the project (SIL Open Font License, see fonts/LICENSE-OFL.txt).
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
PDF_FONTS = (
    ("LiberationSerif-Regular.ttf", "normal", "normal"),
    ("LiberationSerif-Bold.ttf", "bold", "normal"),
    ("LiberationSerif-Italic.ttf", "normal", "italic"),
    ("LiberationSerif-BoldItalic.ttf", "bold", "italic"),
)

# Characters that XML 1.0 cannot carry: pasted text sometimes holds them and python-docx refuses them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class DocItem:
    content: str
    measures: str = ""
    timeline: str = ""
    target: str = ""
    standards: str = ""  # the standards' names, already formatted, may be empty
    midyear_result: str = ""  # display labels, may be empty
    yearend_result: str = ""
    yearend_evidence: str = ""


@dataclass
class DocSection:
    title: str
    items: list[DocItem]


@dataclass
class PlanDocument:
    committee_name: str  # the party committee above the cell, e.g. "ĐẢNG BỘ PHƯỜNG LONG BIÊN"
    cell_name: str
    title: str
    person_name: str
    date_of_birth: str  # dd/mm/yyyy or ""
    position: str
    workplace: str
    theme: str  # the annual theme's title or ""
    sections: list[DocSection]
    place: str  # the locality the place-date line starts with, e.g. "Long Biên"
    date: dt.date | None  # the document's own date (registration or self-assessment); None: left to write
    with_assessment: bool  # the self-assessment version: its title, the result columns and the grade
    self_grade: str = ""
    self_score: str = ""
    yearend_summary: str = ""
    approved_by: str = ""  # who confirmed (never the member themself), or "" to sign by hand
    document_no: str = ""
    is_head: bool = False  # a head's plan is confirmed by the committee above, not by the cell
    confirming_committee: str = ""  # that committee's organization, e.g. "Đảng bộ phường Long Biên"


# --- wording shared by both formats -------------------------------------------------------------


def _clean(value: str | None) -> str:
    """NFC text without XML-illegal control characters; None becomes ""."""
    text = _CONTROL.sub("", value or "").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


def _cleaned(obj):  # type: ignore[no-untyped-def]
    """A copy of a dataclass tree with every string cleaned, so callers may pass NFD text from anywhere."""
    if isinstance(obj, str):
        return _clean(obj)
    if isinstance(obj, list):
        return [_cleaned(x) for x in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(
            obj, **{f.name: _cleaned(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        )
    return obj


def _upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


def _roman(n: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"))
    numerals += ((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for value, letters in numerals:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _title_lines(title: str) -> tuple[str, str]:
    """Split a title into its upper-case first line and the rest ("BẢN CAM KẾT" / "Tu dưỡng, …").

    An explicit line break wins; otherwise the leading words already written in capitals form the
    first line, as in "BẢN CAM KẾT tu dưỡng, rèn luyện, phấn đấu năm 2026".
    """
    if "\n" in title:
        first, rest = title.split("\n", 1)
    else:
        words = title.split()
        k = 0
        while k < len(words) and any(c.isalpha() for c in words[k]) and words[k] == words[k].upper():
            k += 1
        if k == 0:
            k = len(words)
        first, rest = " ".join(words[:k]), " ".join(words[k:])
    rest = " ".join(rest.split())
    # The rest starts a new line, so it starts with a capital like a sentence.
    return _upper(first.strip()), (rest[:1].upper() + rest[1:])


def _titles(doc: PlanDocument) -> tuple[str, str]:
    """The two title lines: the plan's own, or for the self-assessment "BẢN TỰ KIỂM ĐIỂM" and what it
    assesses ("Việc thực hiện bản cam kết tu dưỡng, rèn luyện, phấn đấu năm 2026")."""
    first, rest = _title_lines(doc.title)
    if not doc.with_assessment:
        return first, rest
    plan_title = " ".join(part for part in (first.lower(), rest[:1].lower() + rest[1:]) if part)
    return SELF_ASSESSMENT_TITLE, f"Việc thực hiện {plan_title}"


def _document_title(doc: PlanDocument) -> str:
    first, rest = _titles(doc)
    return f"{first} {rest}".strip()


def _date_text(day: dt.date | None) -> str:
    """The date as written in administrative documents, "ngày 05 tháng 01 năm 2026": a day below 10 and
    the months 1 and 2 take a leading zero (nobody can then add a digit); no date leaves dots to fill in."""
    if day is None:
        return "ngày …… tháng …… năm ………"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _place_date(doc: PlanDocument) -> str:
    """The place-date line, "Long Biên, ngày 12 tháng 01 năm 2026", printed on one line."""
    date = _date_text(doc.date)
    return f"{doc.place}, {date}" if doc.place else date[:1].upper() + date[1:]


def _identity(doc: PlanDocument) -> list[tuple[str, str]]:
    return [
        ("Họ và tên", doc.person_name),
        ("Ngày sinh", doc.date_of_birth),
        ("Chức vụ", doc.position),
        ("Đơn vị công tác", doc.workplace),
        ("Chi bộ", doc.cell_name),
    ]


def _basis(doc: PlanDocument) -> str:
    theme = f" và chuyên đề năm “{doc.theme}”" if doc.theme else ""
    if doc.with_assessment:
        return (
            f"Căn cứ {DIRECTIVE}{theme} và bản cam kết đã đăng ký, tôi tự kiểm điểm kết quả thực hiện "
            "như sau:"
        )
    return f"Căn cứ {DIRECTIVE}{theme}, tôi xin cam kết thực hiện những nội dung sau:"


def _committee(organization_name: str) -> str:
    """The committee that signs for an organization: "Đảng bộ phường X" → "Đảng ủy phường X"."""
    for body, committee in (("đảng bộ", "Đảng ủy"), ("chi bộ", "Chi ủy")):
        if organization_name.lower().startswith(body + " "):
            return committee + organization_name[len(body) :]
    return organization_name


@dataclass
class _Signature:
    roles: list[str]  # bold lines at the top
    hint: str  # an italic line under them, may be empty
    name: str  # printed under the room left for the handwritten signature


def _signatures(doc: PlanDocument) -> tuple[_Signature, _Signature]:
    """(who confirms, the member). A member's plan is confirmed by the cell's secretary; a head's by the
    committee above the cell. Neither is ever the member: the member's own name is never a confirmer's."""
    if doc.is_head:
        roles = ["XÁC NHẬN CỦA CẤP ỦY CẤP TRÊN"]
        if doc.confirming_committee:
            roles.append(f"T/M {_upper(_committee(doc.confirming_committee))}")
        hint = "(Ký, ghi rõ họ tên, đóng dấu)"
    else:
        roles, hint = ["XÁC NHẬN CỦA CHI BỘ", "BÍ THƯ"], ""
    same = unicodedata.normalize("NFC", doc.approved_by).casefold() == doc.person_name.casefold()
    confirmer = _Signature(roles, hint, "" if same else doc.approved_by)
    member_role = "NGƯỜI TỰ KIỂM ĐIỂM" if doc.with_assessment else "NGƯỜI CAM KẾT"
    return confirmer, _Signature([member_role], "(Ký, ghi rõ họ tên)", doc.person_name)


def _columns(with_assessment: bool) -> tuple[tuple[str, ...], tuple[int, ...]]:
    if with_assessment:
        return BASE_COLUMNS + RESULT_COLUMNS, RESULT_WIDTHS
    return BASE_COLUMNS, BASE_WIDTHS


def _other_cells(item: DocItem, with_assessment: bool) -> list[str]:
    """The cells after STT and content, in column order."""
    cells = [item.measures, item.timeline, item.target]
    if with_assessment:
        cells += [item.midyear_result, item.yearend_result, item.yearend_evidence]
    return cells


def _grade_line(doc: PlanDocument) -> tuple[str, str]:
    """("Tự đánh giá, xếp loại: ", "Hoàn thành tốt nhiệm vụ (85 điểm)"): label and value."""
    value = doc.self_grade or BLANK
    if doc.self_score:
        value += f" ({doc.self_score} điểm)"
    return "Tự đánh giá, xếp loại: ", value


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


# --- Word ---------------------------------------------------------------------------------------


def _set_font(style_or_run, *, size: Pt = FONT_SIZE) -> None:
    """Times New Roman for every script slot, so Word never swaps in a font without Vietnamese glyphs."""
    style_or_run.font.name = FONT
    style_or_run.font.size = size
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        # Word rejects a run property out of schema order, so it goes before its successors.
        lang = rpr.insert_element_before(
            OxmlElement("w:lang"), "w:eastAsianLayout", "w:specVanish", "w:oMath"
        )
    lang.set(qn("w:val"), "vi-VN")  # spelling and hyphenation in Vietnamese


def _no_borders(table) -> None:  # type: ignore[no-untyped-def]
    """Header and signature tables only place text side by side; no viewer may draw their grid."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"
    )


def _cell_padding(table, mm: float) -> None:  # type: ignore[no-untyped-def]
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(mm * 1440 / 25.4)))  # twentieths of a point
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    """A long plan spills over pages; the column titles are repeated on each one."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _widths(table, widths_mm) -> None:  # type: ignore[no-untyped-def]
    # Word reads the cell widths, LibreOffice the grid: both are set.
    table.autofit = False
    for col, width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(width)
        for cell in col.cells:
            cell.width = Mm(width)


@dataclass
class _Line:
    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER
    space_after: int = 0


def _cell_lines(cell, lines: list[_Line]) -> None:  # type: ignore[no-untyped-def]
    """Write a fresh cell's lines, one paragraph each, the first into the empty paragraph it holds."""
    for i, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.alignment = line.align
        paragraph.paragraph_format.space_after = Pt(line.space_after)
        if line.text:
            # python-docx turns "\n" in run text into line breaks, so multi-line answers stay multi-line.
            run = paragraph.add_run(line.text)
            # None inherits from the style instead of writing an explicit "off" into every run.
            run.bold, run.italic, run.underline = (
                line.bold or None,
                line.italic or None,
                line.underline or None,
            )


def _para(document, text="", *, bold=False, italic=False, align=None, indent=False, space_after=6):  # type: ignore[no-untyped-def]
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
    return paragraph


def _docx_header(document, doc: PlanDocument) -> None:  # type: ignore[no-untyped-def]
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, HEADER_WIDTHS)
    left, right = table.rows[0].cells
    left_lines = [_Line(_upper(doc.committee_name)), _Line(_upper(doc.cell_name), bold=True), _Line("*")]
    if doc.document_no:
        left_lines.append(_Line(f"Số: {doc.document_no}"))
    _cell_lines(left, left_lines)
    place_date = _place_date(doc)
    _cell_lines(
        right,
        [_Line(PARTY_NAME, bold=True, underline=True, space_after=8), _Line(place_date, italic=True)],
    )
    # Word has no "never wrap" for a paragraph: an unusually long locality gets a smaller size instead,
    # so the place-date line stays on one line (13 pt holds about 42 characters in this column).
    if len(place_date) > 42:
        right.paragraphs[-1].runs[0].font.size = Pt(12 if len(place_date) <= 45 else 11)


def _docx_section(document, index: int, section: DocSection, with_assessment: bool) -> None:  # type: ignore[no-untyped-def]
    heading = _para(document, f"{_roman(index)}. {section.title}", bold=True, space_after=3)
    heading.paragraph_format.keep_with_next = True
    if not section.items:
        _para(document, EMPTY_SECTION, italic=True, indent=True)
        return
    columns, widths = _columns(with_assessment)
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_padding(table, CELL_PADDING_MM)
    for cell, title in zip(table.rows[0].cells, columns, strict=True):
        _cell_lines(cell, [_Line(title, bold=True)])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    left = WD_ALIGN_PARAGRAPH.LEFT
    for number, item in enumerate(section.items, start=1):
        cells = table.add_row().cells
        _cell_lines(cells[0], [_Line(str(number))])
        content = [_Line(item.content, align=left)]
        if item.standards:
            content.append(_Line(item.standards, italic=True, align=left))
        _cell_lines(cells[1], content)
        for cell, text in zip(cells[2:], _other_cells(item, with_assessment), strict=True):
            _cell_lines(cell, [_Line(text, align=left)])
    _widths(table, widths)
    _para(document, space_after=0)  # Word glues adjacent tables together without a paragraph between


def _docx_signatures(document, doc: PlanDocument) -> None:  # type: ignore[no-untyped-def]
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, SIGNATURE_WIDTHS)
    signatures = _signatures(doc)
    heads = [[_Line(r, bold=True) for r in s.roles] + ([_Line(s.hint, italic=True)] if s.hint else [])
             for s in signatures]  # fmt: skip
    height = max(len(h) for h in heads)
    # Room for the handwritten signature, the names on the same line on both sides.
    for cell, head, signature in zip(table.rows[0].cells, heads, signatures, strict=True):
        blank = [_Line("")] * (4 + height - len(head))
        _cell_lines(cell, head + blank + [_Line(signature.name, bold=True)])
    # The headings and the names stay on one page: a name alone at the top of a page signs nothing.
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def plan_docx(doc: PlanDocument) -> bytes:
    """Render the commitment plan as a Word document in the Party's administrative layout."""
    doc = _cleaned(doc)
    document = Document()
    page = document.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.top_margin, page.bottom_margin = Mm(20), Mm(20)
    page.left_margin, page.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    _set_font(normal)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.1

    properties = document.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    properties.title, properties.author, properties.comments = _document_title(doc), doc.person_name, ""
    properties.last_modified_by, properties.created, properties.modified = "", now, now
    properties.language = "vi-VN"

    _docx_header(document, doc)
    _para(document, space_after=6)
    first, rest = _titles(doc)
    _para(document, first, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    if rest:
        _para(document, rest, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)

    for label, value in _identity(doc):
        paragraph = _para(document, f"{label}: ", space_after=2)
        paragraph.add_run(value)
    _para(document, _basis(doc), align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)

    for index, section in enumerate(doc.sections, start=1):
        _docx_section(document, index, section, doc.with_assessment)

    if doc.with_assessment:
        label, value = _grade_line(doc)
        paragraph = _para(document, label, bold=True, space_after=3)
        paragraph.add_run(value)
        for line in _paragraphs(doc.yearend_summary):
            _para(document, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, space_after=3)

    _para(document, space_after=6)
    _docx_signatures(document, doc)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------------


def _pdf_context(doc: PlanDocument) -> dict[str, object]:
    columns, widths = _columns(doc.with_assessment)
    total = sum(widths)
    title_first, title_rest = _titles(doc)
    sections = [
        {
            "heading": f"{_roman(index)}. {section.title}",
            "rows": [
                {
                    "number": number,
                    "content": item.content,
                    "standards": item.standards,
                    "cells": _other_cells(item, doc.with_assessment),
                }
                for number, item in enumerate(section.items, start=1)
            ],
        }
        for index, section in enumerate(doc.sections, start=1)
    ]
    grade_label, grade_value = _grade_line(doc)
    confirmer, member = _signatures(doc)
    return {
        "doc": doc,
        "fonts": [((FONTS_DIR / name).as_uri(), weight, style) for name, weight, style in PDF_FONTS],
        "document_title": _document_title(doc),
        "place_date": _place_date(doc),
        "signatures": (confirmer, member),
        "party_name": PARTY_NAME,
        "committee_upper": _upper(doc.committee_name),
        "cell_upper": _upper(doc.cell_name),
        "title_first": title_first,
        "title_rest": title_rest,
        "identity": _identity(doc),
        "basis": _basis(doc),
        # Percentages keep the columns proportional to the .docx without fixing the page width twice.
        "columns": [(title, f"{100 * w / total:.2f}%") for title, w in zip(columns, widths, strict=True)],
        "sections": sections,
        "empty_section": EMPTY_SECTION,
        "grade_label": grade_label,
        "grade_value": grade_value,
        "summary": _paragraphs(doc.yearend_summary),
    }


def _shipped_font(url: str) -> bool:
    """A file: URL of one of the fonts shipped beside this module (and nothing else on the disk)."""
    return url in {(FONTS_DIR / name).as_uri() for name, _, _ in PDF_FONTS}


def plan_pdf(doc: PlanDocument) -> bytes:
    """Render the commitment plan as an A4 PDF with WeasyPrint in the shipped serif font."""
    # Imported here: WeasyPrint loads Pango through cffi, which only the PDF path needs to pay for.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class ShippedFontsOnly(URLFetcher):  # type: ignore[misc]
        """The page loads the shipped fonts and data: URLs; anything else (user text may name a URL)
        is refused, so rendering stays offline and reads no other file."""

        def fetch(self, url, headers=None):  # type: ignore[no-untyped-def]
            if url.startswith("data:") or _shipped_font(url):
                return super().fetch(url, headers)
            raise ValueError(f"Refused: {url[:80]}")

    doc = _cleaned(doc)
    html = render_to_string("commitments/document_pdf.html", _pdf_context(doc))
    return HTML(string=html, base_url=None, url_fetcher=ShippedFontsOnly()).write_pdf()
