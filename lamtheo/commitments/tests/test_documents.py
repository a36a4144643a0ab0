"""The commitment plan documents: a .docx and a PDF that read back with the Vietnamese text intact."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import docx
import pypdf

from lamtheo.commitments.documents import DocItem, DocSection, PlanDocument, plan_docx, plan_pdf


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def make_doc(*, with_assessment: bool) -> PlanDocument:
    return PlanDocument(
        committee_name="Đảng bộ phường Long Biên",
        cell_name="Chi bộ Tổ dân phố 5",
        title="BẢN CAM KẾT tu dưỡng, rèn luyện, phấn đấu năm 2026",
        # Decomposed on purpose: text pasted from some keyboards arrives in NFD.
        person_name=unicodedata.normalize("NFD", "Nguyễn Văn Đức"),
        date_of_birth="01/01/1980",
        position="Tổ trưởng Tổ dân phố",
        workplace="Tổ dân phố 5, phường Long Biên",
        theme="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng Đảng",
        sections=[
            DocSection(
                title="Về tư tưởng chính trị, đạo đức, lối sống",
                items=[
                    DocItem(
                        content="Gương mẫu chấp hành chủ trương của Đảng",
                        measures="Tham gia đầy đủ sinh hoạt chi bộ",
                        timeline="Cả năm",
                        target="100% buổi sinh hoạt",
                        standards="Tiêu chuẩn 1: Trung thành\nTiêu chuẩn 2: Gương mẫu",
                        midyear_result="Đạt",
                        yearend_result="Vượt",
                        yearend_evidence="Sổ ghi biên bản sinh hoạt",
                    ),
                    DocItem(content="Giữ gìn vệ sinh môi trường khu dân cư", timeline="Quý II"),
                ],
            ),
            DocSection(title="Về thực hiện chức trách, nhiệm vụ", items=[]),
        ],
        place="Long Biên",
        date=dt.date(2026, 3, 5),
        with_assessment=with_assessment,
        self_grade="Hoàn thành tốt nhiệm vụ",
        self_score="85",
        yearend_summary="Hoàn thành các nội dung đã cam kết.\nCòn hạn chế về thời gian.",
        approved_by="Trần Thị Mai",
    )


def docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """The body paragraphs and every table's rows of cell texts."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def test_docx_reads_back_with_the_party_layout():
    data = plan_docx(make_doc(with_assessment=True))
    assert data[:2] == b"PK"
    paragraphs, tables = docx_text(data)
    header, *item_tables, signatures = tables
    left, right = header[0]
    assert left.split("\n") == ["ĐẢNG BỘ PHƯỜNG LONG BIÊN", "CHI BỘ TỔ DÂN PHỐ 5", "*"]
    assert right.split("\n") == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Long Biên, ngày 05 tháng 3 năm 2026"]
    # The self-assessment version is titled as one, and says which plan it assesses.
    assert "BẢN TỰ KIỂM ĐIỂM" in paragraphs and "BẢN CAM KẾT" not in paragraphs
    assert "Việc thực hiện bản cam kết tu dưỡng, rèn luyện, phấn đấu năm 2026" in paragraphs
    assert "Họ và tên: Nguyễn Văn Đức" in paragraphs  # NFC, whatever the caller passed
    assert "Chi bộ: Chi bộ Tổ dân phố 5" in paragraphs
    assert any(p.startswith("Căn cứ Chỉ thị số 05-CT/TW") and "Học tập và làm theo" in p for p in paragraphs)
    assert "I. Về tư tưởng chính trị, đạo đức, lối sống" in paragraphs
    assert "II. Về thực hiện chức trách, nhiệm vụ" in paragraphs
    # The empty section has its line instead of a table: only the first section has one.
    empty_at = paragraphs.index("II. Về thực hiện chức trách, nhiệm vụ")
    assert paragraphs[empty_at + 1] == "(Không có nội dung)"
    assert len(item_tables) == 1

    (table,) = item_tables
    assert table[0] == [
        "STT",
        "Nội dung cam kết",
        "Biện pháp",
        "Thời gian",
        "Chỉ tiêu",
        "Kết quả giữa năm",
        "Kết quả cuối năm",
        "Minh chứng",
    ]
    assert table[1][0] == "1"
    assert table[1][1].startswith("Gương mẫu chấp hành chủ trương của Đảng")
    assert "Tiêu chuẩn 2: Gương mẫu" in table[1][1]
    assert table[1][2:] == ["Tham gia đầy đủ sinh hoạt chi bộ", "Cả năm", "100% buổi sinh hoạt"] + [
        "Đạt",
        "Vượt",
        "Sổ ghi biên bản sinh hoạt",
    ]
    assert table[2][:2] == ["2", "Giữ gìn vệ sinh môi trường khu dân cư"]

    assert "Tự đánh giá, xếp loại: Hoàn thành tốt nhiệm vụ (85 điểm)" in paragraphs
    assert "Còn hạn chế về thời gian." in paragraphs
    sign_left, sign_right = signatures[0]
    assert sign_left.startswith("XÁC NHẬN CỦA CHI BỘ\nBÍ THƯ") and sign_left.endswith("Trần Thị Mai")
    assert sign_right.startswith("NGƯỜI TỰ KIỂM ĐIỂM") and sign_right.endswith("Nguyễn Văn Đức")
    assert all(nfc(p) == p for p in paragraphs)


def test_docx_page_and_font_follow_the_standard():
    document = docx.Document(io.BytesIO(plan_docx(make_doc(with_assessment=False))))
    page = document.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    margins = (page.top_margin, page.bottom_margin, page.left_margin, page.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 13)
    assert document.core_properties.author == "Nguyễn Văn Đức"


def test_docx_without_assessment_has_no_result_columns_or_grade():
    paragraphs, tables = docx_text(plan_docx(make_doc(with_assessment=False)))
    item_table = tables[1]
    assert item_table[0] == ["STT", "Nội dung cam kết", "Biện pháp", "Thời gian", "Chỉ tiêu"]
    assert all(len(row) == 5 for row in item_table)
    assert not any("Kết quả" in cell for row in item_table for cell in row)
    assert not any(p.startswith("Tự đánh giá") for p in paragraphs)


def test_grade_line_omits_an_empty_score():
    doc = make_doc(with_assessment=True)
    doc.self_score = ""
    paragraphs, _ = docx_text(plan_docx(doc))
    assert "Tự đánh giá, xếp loại: Hoàn thành tốt nhiệm vụ" in paragraphs


def test_control_characters_in_pasted_text_do_not_break_the_docx():
    doc = make_doc(with_assessment=False)
    doc.sections[0].items[0].content = "Nội dung\x0bcó ký tự lạ\x00"
    _, tables = docx_text(plan_docx(doc))
    assert tables[1][1][1] == "Nội dungcó ký tự lạ\nTiêu chuẩn 1: Trung thành\nTiêu chuẩn 2: Gương mẫu"


def pdf_text(data: bytes) -> tuple[int, str]:
    """The page count and the text, NFC, with whitespace collapsed: narrow table cells wrap lines."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), nfc(" ".join(text.split()))


def test_pdf_is_a_real_pdf_with_extractable_vietnamese_text():
    data = plan_pdf(make_doc(with_assessment=True))
    assert data.startswith(b"%PDF-")
    pages, text = pdf_text(data)
    assert pages >= 1
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "CHI BỘ TỔ DÂN PHỐ 5",
        "BẢN TỰ KIỂM ĐIỂM",
        "Nguyễn Văn Đức",
        "I. Về tư tưởng chính trị, đạo đức, lối sống",
        "II. Về thực hiện chức trách, nhiệm vụ",
        "(Không có nội dung)",
        "Kết quả cuối năm",
        "Hoàn thành tốt nhiệm vụ (85 điểm)",
        "Trần Thị Mai",
    ):
        assert expected in text, expected


def test_pdf_without_assessment_has_no_result_columns():
    pages, text = pdf_text(plan_pdf(make_doc(with_assessment=False)))
    assert pages >= 1
    assert "Nguyễn Văn Đức" in text
    assert "Kết quả" not in text
    assert "Tự đánh giá" not in text


def test_pdf_escapes_markup_in_user_text():
    doc = make_doc(with_assessment=False)
    doc.sections[0].items[0].content = '<img src="http://example.invalid/x.png"> Nội dung'
    _, text = pdf_text(plan_pdf(doc))
    # Compared without spaces: the long URL wraps inside its narrow cell.
    assert '<imgsrc="http://example.invalid/x.png">Nộidung' in text.replace(" ", "")
