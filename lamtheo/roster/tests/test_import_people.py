"""People import: preview, all-or-nothing commit, idempotency, legacy encodings, scope, every bad input."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.test import override_settings

from lamtheo.core.errors import DomainError
from lamtheo.core.scoping import Scope, activate

from .conftest import ASCII_HEADER, HEADER, csv_bytes, member_row, people_count, person, xlsx

pytestmark = pytest.mark.django_db

CELL = "WA-C1"


def messages(job) -> str:  # type: ignore[no-untyped-def]
    return " | ".join(f"{e['row']}·{e['column']}·{e['message']}·{e['found']}" for e in job.errors)


def test_preview_writes_nothing_then_commit_writes_everything(world, run_import):  # type: ignore[no-untyped-def]
    before = people_count()
    rows = [member_row("N1", "Nguyễn Văn Đức", CELL), member_row("N2", "Lê Thị Hoa", CELL, c2="Nữ")]
    job = run_import(xlsx(rows))
    assert job.status == "previewed", messages(job)
    assert (job.created_count, job.updated_count, job.unchanged_count, job.error_count) == (2, 0, 0, 0)
    assert people_count() == before
    job = run_import(xlsx(rows), commit=True)
    assert job.status == "done", job.message
    assert people_count() == before + 2
    duc = person("N1")
    assert duc.full_name == "Nguyễn Văn Đức" and duc.party_cell.code == CELL
    assert duc.date_of_birth == dt.date(1980, 3, 15) and duc.is_party_member
    entry = duc.history.get()
    assert entry.history_type == "+" and entry.history_user_id == world.a.officer_user.pk
    assert entry.actor_role == "organization_officer" and job.file_sha256[:12] in entry.history_change_reason


def test_reimport_changes_nothing_and_an_edit_is_an_update(world, run_import):  # type: ignore[no-untyped-def]
    rows = [member_row("N1", "Nguyễn Văn Đức", CELL), member_row("N2", "Lê Thị Hoa", CELL, c2="Nữ")]
    run_import(xlsx(rows), commit=True)
    with activate(Scope.everything(reason="test")):
        history = person("N1").history.count()
    again = run_import(xlsx(rows), commit=True)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    with activate(Scope.everything(reason="test")):
        assert person("N1").history.count() == history
    rows[1][1] = "Lê Thị Hoà Bình"
    edited = run_import(xlsx(rows), commit=True)
    assert (edited.created_count, edited.updated_count, edited.unchanged_count) == (0, 1, 1)
    hoa = person("N2")
    assert hoa.full_name == "Lê Thị Hoà Bình" and hoa.search_name == "le thi hoa binh"
    with activate(Scope.everything(reason="test")):
        assert hoa.history.first().history_type == "~"


def test_one_bad_row_means_nothing_is_written(world, run_import):  # type: ignore[no-untyped-def]
    before = people_count()
    rows = [member_row(f"N{i}", "Trần Văn An", CELL) for i in range(1, 30)]
    rows.append(member_row("N99", "Trần Văn Bình", "NO-SUCH-CELL"))
    job = run_import(xlsx(rows), commit=True)
    assert job.status == "rejected"
    # The bad code sits in two columns (active and residence cell): two problems, both on row 31.
    assert job.error_count == 2 and "31·Mã chi bộ sinh hoạt·unknown organization code" in messages(job)
    assert "31·Mã chi bộ nơi cư trú·unknown organization code" in messages(job)
    assert people_count() == before


def test_columns_in_any_order_and_header_variants(world, run_import):  # type: ignore[no-untyped-def]
    header = ["HO VA TEN", "ma can bo", "Gioi tinh", "ngay sinh", "la dang vien", "ngay ket nap", "Ngày chính thức",
              "Chi bộ", "Noi cu tru"]  # fmt: skip
    rows = [["Phạm Thu Trang", "N5", "nữ", "1/2/1990", "x", "2015-06-01", 42522, CELL, CELL]]
    job = run_import(xlsx(rows, header=header), commit=True)
    assert job.status == "done", messages(job)
    trang = person("N5")
    assert trang.gender == "female" and trang.date_of_birth == dt.date(1990, 2, 1)
    assert trang.admission_date == dt.date(2015, 6, 1) and trang.official_date == dt.date(
        2016, 6, 1
    )  # Excel serial


def test_text_is_normalised(world, run_import):  # type: ignore[no-untyped-def]
    import unicodedata

    nfd = unicodedata.normalize("NFD", "  Nguyễn   Thị  Lan ")
    job = run_import(xlsx([member_row("N6", nfd, CELL)]), commit=True)
    assert job.status == "done"
    assert person("N6").full_name == "Nguyễn Thị Lan"


@pytest.mark.parametrize(
    "legacy,expected_encoding",
    [("NguyÔn V¨n §øc", "tcvn3"), ("Nguyeãn Vaên Ñöùc", "vni")],
)
def test_legacy_encodings_are_converted_and_reported(world, run_import, legacy, expected_encoding):  # type: ignore[no-untyped-def]
    # A legacy file is legacy throughout: "Có" itself was typed as "Cã" (TCVN3) or "Coù" (VNI).
    yes = "Cã" if expected_encoding == "tcvn3" else "Coù"
    other = "TrÇn ThÞ Mai" if expected_encoding == "tcvn3" else "Traàn Thò Mai"
    rows = [member_row("N7", legacy, CELL, c4=yes), member_row("N8", other, CELL, c4=yes)]
    job = run_import(xlsx(rows), commit=True)
    assert job.status == "done", messages(job)
    assert job.legacy_encoding == expected_encoding
    assert person("N7").full_name == "Nguyễn Văn Đức" and person("N8").full_name == "Trần Thị Mai"


@pytest.mark.parametrize(
    "encoding,sep,bom",
    [("utf-8", ",", False), ("utf-8", ";", True), ("cp1258", ";", False)],
)
def test_csv_encodings_and_separators(world, run_import, encoding, sep, bom):  # type: ignore[no-untyped-def]
    if encoding == "cp1258":
        # Windows-1258 spells tones with combining marks: Nguyễn = Nguy + ê + combining tilde.
        data = "\r\n".join([sep.join(ASCII_HEADER), sep.join(member_row("N9", "NAME", CELL))]).encode(
            "cp1258"
        )
        data = data.replace(b"NAME", b"Nguy\xea\xden V\xe3n \xd0\xfd\xecc")
    else:
        data = csv_bytes([member_row("N9", "Nguyễn Văn Đức", CELL)], sep=sep)
        if bom:
            data = b"\xef\xbb\xbf" + data
    job = run_import(data, "roster.csv", commit=True)
    assert job.status == "done", messages(job)
    assert person("N9").full_name == "Nguyễn Văn Đức"
    assert job.text_encoding == ("utf-8-sig" if bom else encoding)


def test_csv_in_windows_1252_with_tcvn3_text(world, run_import):  # type: ignore[no-untyped-def]
    data = csv_bytes(
        [member_row("N10", "NguyÔn V¨n §øc", CELL, c4="Cã")], header=ASCII_HEADER, encoding="cp1252"
    )
    job = run_import(data, "roster.csv", commit=True)
    assert job.status == "done", messages(job)
    assert (job.text_encoding, job.legacy_encoding) == ("cp1252", "tcvn3")
    assert person("N10").full_name == "Nguyễn Văn Đức"


def test_positions_come_with_people(world, run_import):  # type: ignore[no-untyped-def]
    header = [*HEADER, "Chức vụ", "Mã đơn vị giữ chức vụ", "Người đứng đầu", "Giữ chức vụ từ ngày"]
    rows = [member_row("N11", "Đỗ Văn Hùng", CELL) + ["Phó Bí thư Chi bộ", CELL, "Không", "01/08/2025"]]
    job = run_import(xlsx(rows, header=header), commit=True)
    assert job.status == "done", messages(job)
    with activate(Scope.everything(reason="test")):
        pos = person("N11").positions.get()
        assert (pos.title, pos.organization.code, pos.is_head) == ("Phó Bí thư Chi bộ", CELL, False)
    again = run_import(xlsx(rows, header=header), commit=True)
    assert again.status == "done"
    with activate(Scope.everything(reason="test")):
        assert person("N11").positions.count() == 1


# --- scope -------------------------------------------------------------------------------------------------


def test_rows_pointing_outside_the_importers_subtree_are_errors(world, run_import):  # type: ignore[no-untyped-def]
    before = people_count()
    rows = [member_row("N12", "Võ Thị Sáu", "WB-C1"), member_row("PB1", "Someone Else", CELL)]
    job = run_import(xlsx(rows), commit=True)
    assert job.status == "rejected"
    text = messages(job)
    assert "2·Mã chi bộ sinh hoạt·unknown organization code, or one outside your organizations·WB-C1" in text
    assert "3·Mã cán bộ·this code cannot be used from your organizations: check it, or ask the organization officer above·PB1" in text
    assert people_count() == before
    assert person("PB1").full_name == "Nguyễn Văn Đức B"


def test_a_member_role_cannot_import(world):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import actor_of
    from lamtheo.organizations.models import Role, RoleGrant
    from lamtheo.roster import services

    with activate(Scope.everything(reason="test")):
        RoleGrant.objects.filter(
            user=world.b.staff_user if hasattr(world.b, "staff_user") else world.b.officer_user
        ).delete()
        RoleGrant.objects.create(
            user=world.b.officer_user, role=Role.objects.get(code="member"), organization=world.a.cell
        )
    actor = actor_of(world.b.officer_user)
    with activate(actor.scope), pytest.raises(DomainError, match="may not import"):
        services.import_create(actor=actor, kind="people", upload=SimpleUploadedFile("x.xlsx", xlsx([])))


# --- bad input: each gives a clear error and writes nothing -------------------------------------------------


def _rejected(job, text: str) -> None:  # type: ignore[no-untyped-def]
    assert job.status == "rejected", job.status
    assert text in messages(job), messages(job)


def test_renamed_exe(world, run_import):  # type: ignore[no-untyped-def]
    before = people_count()
    _rejected(run_import(b"MZ\x90\x00" + b"\x00" * 200, "roster.xlsx"), "This is not a spreadsheet")
    assert people_count() == before


def test_renamed_pdf(world, run_import):  # type: ignore[no-untyped-def]
    _rejected(run_import(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "roster.xlsx"), "This is a PDF document")


def test_corrupt_zip(world, run_import):  # type: ignore[no-untyped-def]
    data = xlsx([member_row("N1", "A B", CELL)])
    _rejected(run_import(data[: len(data) // 2], "roster.xlsx"), "The file is damaged")


def test_zip_that_is_not_a_workbook(world, run_import):  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hello.txt", "hi")
    _rejected(run_import(buffer.getvalue(), "roster.xlsx"), "not an Excel workbook")


def test_password_protected_workbook(world, run_import):  # type: ignore[no-untyped-def]
    from msoffcrypto.format.ooxml import OOXMLFile

    plain, locked = io.BytesIO(xlsx([member_row("N1", "A B", CELL)])), io.BytesIO()
    OOXMLFile(plain).encrypt("secret", locked)
    _rejected(run_import(locked.getvalue(), "roster.xlsx"), "password-protected")


def test_old_xls(world, run_import):  # type: ignore[no-untyped-def]
    _rejected(
        run_import(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "roster.xls"), "old Excel (.xls)"
    )


def test_empty_file_is_refused_at_upload(world, run_import):  # type: ignore[no-untyped-def]
    jobs = _jobs()
    with pytest.raises(DomainError, match="The file is empty"):
        run_import(b"", "roster.xlsx")
    assert _jobs() == jobs


def _jobs() -> int:
    from lamtheo.roster.models import ImportJob

    with activate(Scope.everything(reason="test")):
        return ImportJob.objects.count()


def test_only_headers(world, run_import):  # type: ignore[no-untyped-def]
    _rejected(run_import(xlsx([])), "The sheet has headers but no data rows")


def test_empty_sheet(world, run_import):  # type: ignore[no-untyped-def]
    _rejected(run_import(xlsx([], header=None)), "The sheet is empty")


def test_missing_required_columns(world, run_import):  # type: ignore[no-untyped-def]
    job = run_import(xlsx([["N1", "Nam"]], header=["Mã cán bộ", "Giới tính"]))
    _rejected(job, "The required column “Họ và tên” is missing")


def test_duplicate_keys_inside_the_file(world, run_import):  # type: ignore[no-untyped-def]
    rows = [member_row("N1", "A B", CELL), member_row("N2", "C D", CELL), member_row("N1", "E F", CELL)]
    _rejected(run_import(xlsx(rows)), "4·Mã cán bộ·the same code is already on row 2·N1")


def test_unknown_organization_code(world, run_import):  # type: ignore[no-untyped-def]
    _rejected(
        run_import(xlsx([member_row("N1", "A B", "XYZ")])), "2·Mã chi bộ sinh hoạt·unknown organization code"
    )


@pytest.mark.parametrize(
    "column,value,text",
    [
        (3, "31/02/1990", "3·Ngày sinh·this date does not exist·31/02/1990"[2:]),
        (3, "15/03/2999", "The date of birth cannot be in the future"),
        (5, "hôm qua", "Ngày vào Đảng·not a date (use dd/mm/yyyy)·hôm qua"),
        (6, "01/01/2004", "The official date cannot be before the admission date"),
        (2, "robot", "Giới tính·expected Nam, Nữ or Khác·robot"),
        (4, "có lẽ", "Đảng viên·expected Có or Không·có lẽ"),
    ],
)
def test_bad_cells(world, run_import, column, value, text):  # type: ignore[no-untyped-def]
    row = member_row("N1", "A B", CELL)
    row[column] = value
    before = people_count()
    _rejected(run_import(xlsx([row]), commit=True), text)
    assert people_count() == before


def test_formulas_where_values_are_expected(world, run_import):  # type: ignore[no-untyped-def]
    rows = [member_row("N1", '="Nguyễn"&" Văn"', CELL)]
    _rejected(run_import(xlsx(rows)), "2·Họ và tên·a formula where a value is expected")


def test_huge_cell_in_xlsx(world, run_import):  # type: ignore[no-untyped-def]
    rows = [member_row("N1", "x" * 5000, CELL)]
    _rejected(run_import(xlsx(rows)), "2·Họ và tên·the value is too long (5000 characters)")


def test_20_mb_cell_in_csv(world, run_import):  # type: ignore[no-untyped-def]
    data = csv_bytes([member_row("N1", "x" * (20 * 1024 * 1024), CELL)])
    _rejected(run_import(data, "roster.csv"), "cannot be read: a cell is too long")


def test_two_million_rows(world, run_import):  # type: ignore[no-untyped-def]
    data = b"Ma can bo,Ho va ten,Gioi tinh\n" + b"N,A,Nam\n" * 2_000_000
    _rejected(run_import(data, "roster.csv"), "The sheet has 2,000,000 rows; the limit is 1,000,000.")


@override_settings(LAMTHEO_IMPORT_LIMITS={"max_bytes": 10_000})
def test_file_over_the_size_limit_is_refused_before_parsing(world, run_import):  # type: ignore[no-untyped-def]
    jobs = _jobs()
    with pytest.raises(DomainError, match="the limit is 0 MB"):
        run_import(b"MZ" + b"\x00" * 20_000, "roster.xlsx")
    assert _jobs() == jobs


@override_settings(LAMTHEO_IMPORT_LIMITS={"max_uncompressed_bytes": 20 * 1024 * 1024})
def test_zip_bomb(world, run_import):  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            zero = b"\x00" * (1024 * 1024)
            for _ in range(60):
                fh.write(zero)
    assert len(buffer.getvalue()) < 1024 * 1024
    _rejected(run_import(buffer.getvalue(), "roster.xlsx"), "refused as a possible zip bomb")


@pytest.mark.django_db(transaction=True)
def test_queued_steps_run_on_commit_and_only_once(world_tx, run_import_tx):  # type: ignore[no-untyped-def]
    """With real transactions the dry run starts when the upload commits, the commit when the user confirms."""
    from lamtheo.roster import services

    rows = [member_row(f"Q{i}", f"Đinh Thị Lan {i}", CELL) for i in range(1, 6)]
    job = run_import_tx(xlsx(rows), commit=True)
    assert job.status == "done" and job.created_count == 5
    history = job.history.count()
    services.import_commit(job_id=job.pk)  # a duplicate delivery of the queued step does nothing
    services.import_preview(job_id=job.pk)
    with activate(Scope.everything(reason="test")):
        assert job.history.count() == history


def test_reimport_without_optional_columns_keeps_what_is_there(world, run_import):  # type: ignore[no-untyped-def]
    """A file with only code, name, gender renames; it does not blank membership, cells and dates."""
    job = run_import(xlsx([["PA1", "Nguyễn Văn Đức Anh", "Nam"]], header=["Mã cán bộ", "Họ và tên", "Giới tính"]),
                     commit=True)  # fmt: skip
    assert job.status == "done" and job.updated_count == 1, messages(job)
    pa1 = person("PA1")
    assert pa1.full_name == "Nguyễn Văn Đức Anh"
    assert pa1.is_party_member and pa1.party_cell.code == CELL and pa1.admission_date == dt.date(2005, 1, 1)
    assert pa1.date_of_birth == dt.date(1980, 1, 1) and pa1.residence_cell_id == world.a.cell.pk


def test_changing_someone_needs_the_right_over_where_they_are_now(world, run_import):  # type: ignore[no-untyped-def]
    """Officer A may see PB2 through a member role on ward B, but may not pull PB2 into ward A."""
    from lamtheo.organizations.models import Role, RoleGrant

    with activate(Scope.everything(reason="test")):
        RoleGrant.objects.create(
            user=world.a.officer_user, role=Role.objects.get(code="member"), organization=world.b.committee
        )
    row = ["PB2", "Trần Thị Mai B", "Nữ", "05/05/1990", "Không", "", "", "", "WA-UB", ""]
    job = run_import(xlsx([row]), commit=True)
    assert job.status == "rejected" and "you may not change this person" in messages(job)
    assert person("PB2").workplace.code == "WB-UB"


def test_formulas_on_the_first_sheet_in_workbook_order(world, run_import):  # type: ignore[no-untyped-def]
    """The sheet read is the first in the workbook's order, which need not be sheet1.xml: the formula
    check follows the same sheet."""
    import re as _re

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    plain, data = book.add_worksheet("Ghi chú"), book.add_worksheet("Dữ liệu")
    plain.write_row(0, 0, HEADER)
    data.write_row(0, 0, HEADER)
    data.write_row(1, 0, member_row("N1", "X", CELL))
    data.write_formula(1, 1, '="Nguyễn"&" Văn"')
    book.close()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/workbook.xml":  # put "Dữ liệu" (sheet2.xml) first
                sheets = _re.findall(rb"<sheet [^>]*/>", content)
                content = (
                    content.replace(sheets[0], b"@@").replace(sheets[1], sheets[0]).replace(b"@@", sheets[1])
                )
            target.writestr(info, content)
    _rejected(run_import(out.getvalue()), "2·Họ và tên·a formula where a value is expected")


def test_only_the_uploader_or_an_importer_decides(world, run_import):  # type: ignore[no-untyped-def]
    from conftest import actor_of
    from lamtheo.core.errors import PermissionDenied
    from lamtheo.organizations.models import Role, RoleGrant
    from lamtheo.roster import services
    from lamtheo.roster.models import ImportJob

    job = run_import(xlsx([member_row("N1", "A B", CELL)]))
    with activate(Scope.everything(reason="test")):
        RoleGrant.objects.create(user=world.b.officer_user, role=Role.objects.get(code="propaganda_officer"),
                                 organization=world.a.committee)  # fmt: skip
        RoleGrant.objects.filter(user=world.b.officer_user, role__code="organization_officer").delete()
    reader = actor_of(world.b.officer_user)
    with activate(reader.scope):
        job = ImportJob.objects.get(pk=job.pk)
        with pytest.raises(PermissionDenied):
            services.import_confirm(actor=reader, job=job)
        with pytest.raises(PermissionDenied):
            services.import_cancel(actor=reader, job=job)
        assert ImportJob.objects.get(pk=job.pk).status == "previewed"


@pytest.mark.parametrize(
    "position,message",
    [
        (["Bí thư Chi bộ", CELL, "Có", "01/08/2025"], "already has a head in office"),  # PA1 heads WA-C1
        (["Phó Bí thư", CELL, "Không", "01/01/2020"], "must start while the organization exists"),
    ],
)
def test_imported_positions_follow_the_same_rules(world, run_import, position, message):  # type: ignore[no-untyped-def]
    header = [*HEADER, "Chức vụ", "Mã đơn vị giữ chức vụ", "Người đứng đầu", "Giữ chức vụ từ ngày"]
    job = run_import(xlsx([member_row("N20", "Lưu Văn Tài", CELL) + position], header=header), commit=True)
    assert job.status == "rejected" and message in messages(job)
