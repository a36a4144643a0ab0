"""The printed page: each .docx opened by LibreOffice and each WeasyPrint PDF fits A4 inside its margins,
wraps long tables, long words and URLs, prints the header lines (the place-date line on one line) and
uses the one serif family shipped with the project.

LibreOffice is a system package (`make test` installs it as root). Without `soffice` the conversion tests
skip with the reason; under CI (LAMTHEO_REQUIRE_OFFICE=1, or LAMTHEO_REQUIRE_BROWSER=1) they fail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import shutil
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer, LTTextLineHorizontal

from lamtheo.commitments.documents import FONTS_DIR, DocItem, DocSection, PlanDocument, plan_docx, plan_pdf

MM = 72 / 25.4  # PDF points per millimetre
A4 = (210 * MM, 297 * MM)
# The text area: 30 mm on the left, 15 mm on the right, 20 mm top and bottom.
LEFT, RIGHT, TOP, BOTTOM = 30 * MM, (210 - 15) * MM, (297 - 20) * MM, 20 * MM
SLACK = 1.0  # points: rounding in the renderers, far below a cut-off character

LONG_URL = "https://dichvucong.hanoi.gov.vn/ho-so/2026/cam-ket-tu-duong-ren-luyen/dang-vien/0123456789abcdef"
LONG_WORD = "Chủtịch" * 9  # one "word" wider than any column
PLACE_DATE = "Long Biên, ngày 12 tháng 01 năm 2026"
# Pages of the long plan: WeasyPrint and LibreOffice break pages a little differently (5 and 6 pages for
# the plan, 9 for the self-assessment's eight columns); a page more or less is tolerated, a runaway is not.
PAGES = {"plan": range(4, 8), "self-assessment": range(8, 11)}
SECTIONS = (
    "Về tư tưởng chính trị",
    "Về phẩm chất đạo đức, lối sống",
    "Về tác phong, lề lối làm việc",
    "Về thực hiện chức trách, nhiệm vụ được giao (chỉ tiêu cụ thể)",
    "Về ý thức tổ chức kỷ luật, tinh thần gương mẫu",
    "Về thực hiện nhiệm vụ ở nơi cư trú (Quy định 213-QĐ/TW)",
)


def long_plan(*, with_assessment: bool) -> PlanDocument:
    """A plan with many long items: every column has to wrap, one cell holds a URL, one a very long word."""
    item = DocItem(
        content=(
            "Thường xuyên học tập, nghiên cứu, quán triệt các nghị quyết, chỉ thị, quy định của Đảng, chính "
            "sách, pháp luật của Nhà nước; tham gia đầy đủ các buổi sinh hoạt chuyên đề của chi bộ và vận "
            "dụng sáng tạo vào công việc chuyên môn được giao tại cơ quan, đơn vị"
        ),
        measures=(
            "Tự giác nghiên cứu tài liệu; ghi chép sổ tay đảng viên; trao đổi với đồng nghiệp; báo cáo kết "
            "quả với chi ủy theo định kỳ hằng quý"
        ),
        timeline="Hằng tháng, cả năm 2026",
        target="100% buổi sinh hoạt; 04 bài thu hoạch",
        standards="Yêu nước, tôn trọng Nhân dân, tuyệt đối trung thành với Đảng, với Tổ quốc; Cần, kiệm, liêm, "
        "chính, chí công vô tư",
        midyear_result="Đang thực hiện",
        yearend_result="Hoàn thành",
        yearend_evidence=f"Sổ ghi biên bản sinh hoạt chi bộ, bài thu hoạch lưu tại {LONG_URL}",
    )
    odd = dataclasses.replace(item, content=f"Mô hình “{LONG_WORD}” tại tổ dân phố", measures=LONG_URL)
    return PlanDocument(
        committee_name="Đảng bộ phường Long Biên",
        cell_name="Chi bộ Tổ dân phố 5",
        title="BẢN CAM KẾT tu dưỡng, rèn luyện, phấn đấu năm 2026",
        person_name="Nguyễn Thị Phương Thảo",
        date_of_birth="09/02/1979",
        position="Phó Chủ tịch Ủy ban nhân dân phường",
        workplace="Ủy ban nhân dân phường Long Biên, thành phố Hà Nội",
        theme="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng Đảng",
        sections=[
            DocSection(title=title, items=[odd if n == 0 else item, item]) for n, title in enumerate(SECTIONS)
        ],
        place="Long Biên",
        date=dt.date(2026, 1, 12),
        with_assessment=with_assessment,
        self_grade="Hoàn thành tốt nhiệm vụ",
        self_score="86",
        yearend_summary="Hoàn thành các nội dung đã cam kết.\nCòn hạn chế về thời gian nghiên cứu.",
        approved_by="Trần Văn Minh",
        is_head=True,
        confirming_committee="Đảng bộ phường Long Biên",
    )


@dataclasses.dataclass
class Page:
    width: float
    height: float
    lines: list[str]  # the text lines, those side by side (header, signatures) joined in one
    chars: list[LTChar]
    parts: list[tuple[float, str]]  # each line of each column apart, top to bottom: (left edge, text)


def read_pdf(data: bytes) -> list[Page]:
    pages = []
    for layout in extract_pages(io.BytesIO(data)):
        rows: dict[int, list[LTTextLineHorizontal]] = {}
        chars = []
        for box in layout:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if isinstance(line, LTTextLineHorizontal):
                    rows.setdefault(round(line.y0 / 2), []).append(line)
                    chars += [c for c in line if isinstance(c, LTChar)]
        lines = [
            " ".join(" ".join(part.get_text().split()) for part in sorted(row, key=lambda x: x.x0))
            for _, row in sorted(rows.items(), reverse=True)
        ]
        text_lines = [unicodedata.normalize("NFC", line) for line in lines]
        parts = [
            (line.x0, unicodedata.normalize("NFC", line.get_text()))
            for _, row in sorted(rows.items(), reverse=True)
            for line in row
        ]
        pages.append(Page(layout.width, layout.height, text_lines, chars, parts))
    return pages


def check_page_layout(data: bytes) -> list[Page]:
    """A4 pages, every character inside the margins, the header on the first page."""
    pages = read_pdf(data)
    for number, page in enumerate(pages, start=1):
        assert (round(page.width), round(page.height)) == (round(A4[0]), round(A4[1])), number
        outside = [
            (c.get_text(), round(c.x0 / MM, 1), round(c.y0 / MM, 1))
            for c in page.chars
            if c.x0 < LEFT - SLACK or c.x1 > RIGHT + SLACK or c.y0 < BOTTOM - SLACK or c.y1 > TOP + SLACK
        ]
        assert not outside, f"page {number}: characters outside the margins (mm): {outside[:10]}"
    header = pages[0].lines[:6]
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ PHƯỜNG LONG BIÊN", "CHI BỘ TỔ DÂN PHỐ 5"):
        assert any(expected in line for line in header), (expected, header)
    # The place-date line is one line of the page, never wrapped.
    assert any(PLACE_DATE in line for line in header), header
    for long_text in (LONG_URL, LONG_WORD):
        assert long_text in column_text(pages, long_text[:6])  # wrapped inside its cell, not cut off
    return pages


def column_text(pages: list[Page], start: str) -> str:
    """The text of the table column in which `start` first appears, from there on, without whitespace."""
    parts = [part for page in pages for part in page.parts]
    at = next(i for i, (_, text) in enumerate(parts) if start in text)
    left = parts[at][0]
    text = "".join(t for x, t in parts[at:] if abs(x - left) < 1)
    return "".join(text.split())


def fonts_of(pages: list[Page]) -> set[str]:
    return {c.fontname.split("+")[-1] for page in pages for c in page.chars}


# --- WeasyPrint ---------------------------------------------------------------------------------


@pytest.mark.parametrize("with_assessment", [False, True], ids=["plan", "self-assessment"])
def test_pdf_fits_a4_in_the_shipped_serif(with_assessment: bool) -> None:
    name = "self-assessment" if with_assessment else "plan"
    started = time.perf_counter()
    data = plan_pdf(long_plan(with_assessment=with_assessment))
    pages = check_page_layout(data)
    print(f"WeasyPrint, {name}: {len(pages)} pages, {time.perf_counter() - started:.2f} s")
    assert len(pages) in PAGES[name]
    # The family declared by @font-face on the shipped files: no system font is ever used.
    assert fonts_of(pages) <= {f"Document-Serif{s}" for s in ("", "-Bold", "-Italic", "-BoldItalic")}
    header = pages[0].lines[:8]
    if with_assessment:
        assert any("BẢN TỰ KIỂM ĐIỂM" in line for line in header)
    else:
        assert any("BẢN CAM KẾT" in line for line in header)
    last = " ".join(pages[-1].lines)
    # A head's plan is confirmed by the committee above the cell.
    assert "XÁC NHẬN CỦA CẤP ỦY CẤP TRÊN" in last and "T/M ĐẢNG ỦY PHƯỜNG LONG BIÊN" in last


# --- LibreOffice --------------------------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    required = "1" in (os.environ.get("LAMTHEO_REQUIRE_OFFICE"), os.environ.get("LAMTHEO_REQUIRE_BROWSER"))
    if required:
        pytest.fail("LibreOffice (soffice) is required but missing: apt-get install libreoffice-writer-nogui")
    pytest.skip("LibreOffice (soffice) not installed: run `make test` as root to install it")


@pytest.fixture(scope="module")
def office_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Both .docx versions converted to PDF by one LibreOffice run (a start costs seconds)."""
    soffice = _soffice()
    work = tmp_path_factory.mktemp("office")
    names = {"plan": False, "self-assessment": True}
    for name, with_assessment in names.items():
        (work / f"{name}.docx").write_bytes(plan_docx(long_plan(with_assessment=with_assessment)))
    # LibreOffice swaps Times New Roman for its metric twin; the shipped one is offered whatever the system has.
    fonts_conf = work / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <dir>{FONTS_DIR}</dir>\n'
        f"  <cachedir>{work / 'fontcache'}</cachedir>\n</fontconfig>\n"
    )
    env = {**os.environ, "HOME": str(work), "FONTCONFIG_FILE": str(fonts_conf)}
    started = time.perf_counter()
    result = subprocess.run(
        [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
            "--nologo", "--convert-to", "pdf", "--outdir", str(work / "out"),
            *(str(work / f"{name}.docx") for name in names),
        ],
        env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    print(f"LibreOffice: {len(names)} documents converted in {time.perf_counter() - started:.1f} s")
    pdfs = {name: work / "out" / f"{name}.pdf" for name in names}
    missing = [name for name, path in pdfs.items() if not path.exists()]
    assert not missing, f"soffice exited {result.returncode}: {result.stdout} {result.stderr}"
    return {name: Path(path).read_bytes() for name, path in pdfs.items()}


@pytest.mark.parametrize("name", ["plan", "self-assessment"])
def test_docx_opened_by_libreoffice_fits_a4(office_pdfs: dict[str, bytes], name: str) -> None:
    pages = check_page_layout(office_pdfs[name])
    print(f"LibreOffice, {name}: {len(pages)} pages")
    assert len(pages) in PAGES[name]
    # Times New Roman became its metric-compatible substitute, not a wider font that would reflow the page.
    assert fonts_of(pages) <= {f"LiberationSerif{s}" for s in ("", "-Bold", "-Italic", "-BoldItalic")}
    title = "BẢN TỰ KIỂM ĐIỂM" if name == "self-assessment" else "BẢN CAM KẾT"
    assert any(title in line for line in pages[0].lines[:8])
    last = " ".join(pages[-1].lines)
    assert "XÁC NHẬN CỦA CẤP ỦY CẤP TRÊN" in last and "T/M ĐẢNG ỦY PHƯỜNG LONG BIÊN" in last
