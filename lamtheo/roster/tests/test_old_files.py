"""Old office files, round two: a legacy-font row pasted into a Unicode sheet, legacy headers, legacy bytes and
UTF-16 in CSVs, Excel's text apostrophe, control characters, archives whose declared sizes lie. Every file is
generated here; each case is read right, or refused with the right reason and nothing written."""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile

import pytest

from lamtheo.core import legacy

from .conftest import ASCII_HEADER, HEADER, csv_bytes, member_row, people_count, person, xlsx

pytestmark = pytest.mark.django_db

CELL = "WA-C1"
_TO_TCVN3 = {ch: bytes([code]) for code, ch in legacy._TCVN3.items()}


def tcvn3(text: str) -> str:
    """`text` as a TCVN3 font stores it (read back as Windows-1252 characters)."""
    raw = b"".join(_TO_TCVN3[ch] if ch in _TO_TCVN3 else ch.encode("cp1252") for ch in unicodedata.normalize("NFC", text))
    return raw.decode("cp1252")


def problems(job) -> str:  # type: ignore[no-untyped-def]
    return " | ".join(f"{e['row']}·{e['column']}·{e['message']}·{e['found']}" for e in job.errors)


def test_a_tcvn3_row_pasted_into_a_unicode_sheet_is_converted_cell_by_cell(world, run_import):  # type: ignore[no-untyped-def]
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Ngô Thế Vinh", "Đỗ Minh Hà"]
    rows = [member_row(f"U{n}", name, CELL) for n, name in enumerate(names)]
    # Rows pasted from old files: every cell of the row was typed in the old font ("Cã" is TCVN3 for "Có").
    rows.append(member_row("U9", "NguyÔn ThÕ Vinh", CELL, c2="Nam", c4="Cã"))
    rows.append(member_row("U10", "Nguyeãn Vaên Ñöùc", CELL, c4="Coù"))
    job = run_import(xlsx(rows), commit=True)
    assert job.status == "done", problems(job)
    assert person("U9").full_name == "Nguyễn Thế Vinh" and person("U10").full_name == "Nguyễn Văn Đức"
    assert [person(f"U{n}").full_name for n in range(6)] == names  # Unicode cells are left as they are
    converted = [(n["row"], n["column"], n["became"]) for n in job.notes]
    assert converted == [
        (8, "Họ và tên", "Nguyễn Thế Vinh"), (8, "Đảng viên", "Có"),
        (9, "Họ và tên", "Nguyễn Văn Đức"), (9, "Đảng viên", "Có"),
    ]  # fmt: skip
    assert person("U9").is_party_member and person("U10").is_party_member
    assert "TCVN3" in job.notes[0]["message"] and "VNI" in job.notes[2]["message"]
    assert job.legacy_encoding == ""  # the file itself is Unicode: the cells are listed instead


@pytest.mark.parametrize("font", ["tcvn3", "vni"])
def test_an_old_sheet_with_legacy_headers_is_read(world, run_import, font):  # type: ignore[no-untyped-def]
    vni = {"Mã cán bộ": "Maõ caùn boä", "Họ và tên": "Hoï vaø teân", "Giới tính": "Giôùi tính",
           "Ngày sinh": "Ngaøy sinh", "Đảng viên": "Ñaûng vieân", "Ngày vào Đảng": "Ngaøy vaøo Ñaûng",
           "Ngày chính thức": "Ngaøy chính thöùc", "Mã chi bộ sinh hoạt": "Maõ chi boä sinh hoaït",
           "Mã nơi công tác": "Maõ nôi coâng taùc", "Mã chi bộ nơi cư trú": "Maõ chi boä nôi cö truù"}  # fmt: skip
    header = [tcvn3(h) if font == "tcvn3" else vni[h] for h in HEADER]
    name, yes = ("Trần Thị Mai", "Có")
    row = member_row("L1", tcvn3(name) if font == "tcvn3" else "Traàn Thò Mai", CELL,
                     c4=tcvn3(yes) if font == "tcvn3" else "Coù")  # fmt: skip
    job = run_import(xlsx([row], header=header), commit=True)
    assert job.status == "done", problems(job)
    assert person("L1").full_name == name and job.legacy_encoding == font
    assert job.notes[0]["row"] == 1 and "Mã cán bộ" in job.notes[0]["became"]


def test_tcvn3_bytes_in_a_csv_are_not_read_as_windows_1258(world, run_import):  # type: ignore[no-untyped-def]
    # An old sheet saved as CSV: its bytes are TCVN3, many of which Windows-1258 reads as tone marks.
    header = [tcvn3(h) for h in HEADER]
    rows = [member_row("C1", tcvn3("Nguyễn Thị Bích Ngọc"), CELL, c2=tcvn3("Nữ"), c4=tcvn3("Có"))]
    data = csv_bytes(rows, header=header).decode("utf-8").encode("cp1252")
    job = run_import(data, "roster.csv", commit=True)
    assert job.status == "done", problems(job)
    assert (job.text_encoding, job.legacy_encoding) == ("cp1252", "tcvn3")
    assert person("C1").full_name == "Nguyễn Thị Bích Ngọc"


@pytest.mark.parametrize("bom", [True, False])
def test_a_utf16_csv_from_excels_unicode_text_is_read(world, run_import, bom):  # type: ignore[no-untyped-def]
    data = csv_bytes([member_row("W1", "Nguyễn Văn Đức", CELL)], sep="\t", encoding="utf-16-le")
    job = run_import((b"\xff\xfe" if bom else b"") + data, "roster.txt.csv", commit=True)
    assert job.status == "done", problems(job)
    assert person("W1").full_name == "Nguyễn Văn Đức" and job.text_encoding == "utf-16"


def test_a_broken_utf16_csv_is_refused_saying_so(world, run_import):  # type: ignore[no-untyped-def]
    data = b"\xff\xfe" + "Mã cán bộ\tHọ và tên\r\n".encode("utf-16-le") + b"\x00\xd8\x41"  # a lone surrogate
    before = people_count()
    job = run_import(data, "roster.csv")
    assert job.status == "rejected" and "UTF-16" in job.message
    assert people_count() == before


def test_excels_text_apostrophe_is_removed_from_codes_and_phones(world, run_import):  # type: ignore[no-untyped-def]
    header = [*ASCII_HEADER, "So dien thoai"]
    rows = [[*member_row("'VNB19B-01", "Nguyen Van An", f"'{CELL}"), "'0020123456"],
            [*member_row("'0020", "Tran Thi Binh", CELL), ""]]  # fmt: skip
    job = run_import(csv_bytes([[str(v) for v in r] for r in rows], header=header), "roster.csv", commit=True)
    assert job.status == "done", problems(job)
    assert person("VNB19B-01").phone == "0020123456" and person("0020").full_name == "Tran Thi Binh"
    assert person("VNB19B-01").party_cell.code == CELL
    said = {(n["row"], n["column"], n["found"]) for n in job.notes}
    assert (2, "Ma can bo", "'VNB19B-01") in said and (2, "So dien thoai", "'0020123456") in said
    assert (3, "Ma can bo", "'0020") in said
    assert all("(')" in n["message"] for n in job.notes)


@pytest.mark.parametrize("bad", ["\x00", "\x07"])
def test_control_characters_are_refused_with_row_and_column(world, run_import, bad):  # type: ignore[no-untyped-def]
    # xlsxwriter stores them as _x0000_ / _x0007_ escapes, which the reader turns back into the characters.
    rows = [member_row("K1", "Nguyễn Văn An", CELL), member_row("K2", f"Trần{bad} Thị Bình", CELL)]
    before = people_count()
    job = run_import(xlsx(rows), commit=True)
    assert job.status == "rejected"
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Họ và tên")]
    assert f"U+{ord(bad):04X}" in job.errors[0]["message"]
    assert people_count() == before


def _lying_sizes(data: bytes, member: str, declared: int) -> bytes:
    """The workbook with `member`'s uncompressed size rewritten, in its local header and central directory."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(member)
    struct.pack_into("<I", out, info.header_offset + 22, declared)
    name = member.encode()
    at = 0
    while (at := out.find(b"PK\x01\x02", at + 1)) != -1:
        length = struct.unpack_from("<H", out, at + 28)[0]
        if bytes(out[at + 46 : at + 46 + length]) == name:
            struct.pack_into("<I", out, at + 24, declared)
    return bytes(out)


def test_an_archive_whose_declared_sizes_lie_is_refused_as_damaged(world, run_import):  # type: ignore[no-untyped-def]
    rows = [member_row(f"Z{n}", "Nguyễn Văn An", CELL) for n in range(200)]
    data = _lying_sizes(xlsx(rows), "xl/worksheets/sheet1.xml", 64)
    before = people_count()
    job = run_import(data, "roster.xlsx")
    assert job.status == "rejected" and "damaged" in job.message, job.message
    assert people_count() == before


def test_a_code_taken_outside_ones_scope_is_refused_without_saying_whose(world, run_import):  # type: ignore[no-untyped-def]
    # Ward B's member's code, imported by ward A's officer: the message does not reveal that a person has it.
    job = run_import(xlsx([member_row(world.b.member.code, "Nguyễn Văn An", CELL)]))
    assert job.status == "rejected"
    message = job.errors[0]["message"]
    assert "cannot be used from your organizations" in message and "person" not in message


def test_counts_in_messages_are_grouped_the_vietnamese_way(world, run_import):  # type: ignore[no-untyped-def]
    from django.test import override_settings
    from django.utils import translation

    data = b"Ma can bo,Ho va ten,Gioi tinh\n" + b"N,A,Nam\n" * 1_200
    with override_settings(LAMTHEO_IMPORT_LIMITS={"max_rows": 1_000}), translation.override("vi"):
        job = run_import(data, "roster.csv")
    assert job.status == "rejected" and "1.200" in job.message and "1.000" in job.message, job.message


@pytest.mark.parametrize("dimension", [True, False])
def test_the_row_limit_is_checked_before_the_sheet_is_loaded(world, run_import, dimension):  # type: ignore[no-untyped-def]
    from unittest import mock

    from django.test import override_settings

    data = xlsx([member_row(f"R{n}", "Nguyễn Văn An", CELL) for n in range(150)])
    if not dimension:  # some writers record no <dimension>: the rows are counted as the sheet streams by
        import re

        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                body = src.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    body = re.sub(rb"<dimension[^>]*/>", b"", body)
                dst.writestr(info.filename, body)
        data = buffer.getvalue()
    loads = mock.Mock(side_effect=AssertionError("the sheet was read"))
    with override_settings(LAMTHEO_IMPORT_LIMITS={"max_rows": 100}), mock.patch(
        "lamtheo.core.spreadsheets.read_shared_strings", loads
    ):
        job = run_import(data)
    assert job.status == "rejected" and "150" in job.message and "100" in job.message, job.message
    loads.assert_not_called()


# ---- the commit takes the preview's parsed rows, and checks them against the data as it is then ----


def _preview(world, data: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import actor_of
    from lamtheo.core.scoping import activate
    from lamtheo.roster import services
    from lamtheo.roster.models import ImportJob

    actor = actor_of(world.a.officer_user)
    with activate(actor.scope):
        job = services.import_create(actor=actor, kind="people", upload=SimpleUploadedFile("r.xlsx", data))
    services.import_preview(job_id=job.pk)
    with activate(actor.scope):
        job = ImportJob.objects.get(pk=job.pk)
        assert job.status == "previewed", problems(job)
    return actor, job


def _commit(actor, job):  # type: ignore[no-untyped-def]
    from lamtheo.core.scoping import Scope, activate
    from lamtheo.roster import services
    from lamtheo.roster.models import ImportJob

    with activate(actor.scope):
        services.import_confirm(actor=actor, job=job)
    services.import_commit(job_id=job.pk)
    with activate(Scope.everything(reason="test")):
        return ImportJob.objects.get(pk=job.pk)


def test_the_commit_does_not_read_the_file_again(world):  # type: ignore[no-untyped-def]
    from pathlib import Path
    from unittest import mock

    from lamtheo.roster import checked

    rows = [member_row(f"S{n}", "Nguyễn Văn An", CELL) for n in range(30)]
    rows.append(member_row("S99", "NguyÔn ThÕ Vinh", CELL, c4="Cã"))  # converted cells: the notes stay
    actor, job = _preview(world, xlsx(rows))
    assert checked.path_for(job.file_path).exists() and job.note_count == 2
    with mock.patch("lamtheo.roster.services.open_table", side_effect=AssertionError("read again")):
        job = _commit(actor, job)
    assert job.status == "done" and job.created_count == 31 and job.total_rows == 31, (job.status, job.message)
    assert job.note_count == 2 and person("S99").full_name == "Nguyễn Thế Vinh"
    assert not checked.path_for(job.file_path).exists() and Path(job.file_path).exists()


def test_the_commit_checks_the_rows_against_the_data_as_it_is_then(world):  # type: ignore[no-untyped-def]
    """After the preview, someone in ward B records a person under a code the file uses, and the file's
    party cell is closed: the commit finds both, writes nothing, and says so."""
    import datetime as dt

    from lamtheo.core.scoping import Scope, activate
    from lamtheo.organizations.models import Organization, Person

    rows = [member_row(f"T{n}", "Trần Thị Bình", CELL) for n in range(5)]
    rows.append(member_row("TAKEN", "Lê Văn Tám", "WA-C1"))
    actor, job = _preview(world, xlsx(rows))
    before = people_count()
    with activate(Scope.everything(reason="test")):
        Person.objects.create(code="TAKEN", full_name="Someone Else", search_name="someone else",
                              gender="male", workplace=Organization.objects.get(code="WB-UB"))  # fmt: skip
    job = _commit(actor, job)
    assert job.status == "rejected", job.message
    assert "TAKEN" in problems(job) and "cannot be used from your organizations" in problems(job)
    assert people_count() == before + 1  # the one written by hand, none from the file

    actor, job = _preview(world, xlsx([member_row("T1", "Trần Thị Bình", CELL)]))
    with activate(Scope.everything(reason="test")):
        Organization.objects.filter(code=CELL).update(valid_to=dt.date(2025, 12, 31))
    job = _commit(actor, job)
    assert job.status == "rejected" and "closed" in problems(job), problems(job)
    assert people_count() == before + 1


@pytest.mark.parametrize("damage", ["garbage", "another file", "truncated"])
def test_a_damaged_or_foreign_store_is_not_trusted(world, damage):  # type: ignore[no-untyped-def]
    """The commit reads the file again when the preview's store is not this file's, or not whole."""
    from lamtheo.roster import checked

    actor, job = _preview(world, xlsx([member_row(f"D{n}", "Phạm Thu Dung", CELL) for n in range(40)]))
    store = checked.path_for(job.file_path)
    if damage == "garbage":
        store.write_bytes(b"\x00not a store")
    elif damage == "another file":
        _other, other_job = _preview(world, xlsx([member_row("X1", "Ngô Thế Vinh", CELL)]))
        store.write_bytes(checked.path_for(other_job.file_path).read_bytes())
    else:
        store.write_bytes(store.read_bytes()[:200])
    job = _commit(actor, job)
    assert job.status == "done" and job.created_count == 40, (job.status, job.message, problems(job))
    assert people_count() >= 40 and person("D39").full_name == "Phạm Thu Dung"


def test_a_preview_with_problems_keeps_no_store(world, run_import):  # type: ignore[no-untyped-def]
    from lamtheo.roster import checked

    job = run_import(xlsx([member_row("E1", "", CELL)]))
    assert job.status == "rejected"
    assert not checked.path_for(job.file_path).exists()
