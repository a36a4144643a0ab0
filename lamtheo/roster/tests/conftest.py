"""Helpers that build real .xlsx/.csv files and run them through the import services."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import actor_of
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations.models import Person
from lamtheo.roster import services
from lamtheo.roster.models import ImportJob

HEADER = ["Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Đảng viên", "Ngày vào Đảng", "Ngày chính thức",
          "Mã chi bộ sinh hoạt", "Mã nơi công tác", "Mã chi bộ nơi cư trú"]  # fmt: skip


def xlsx(rows: list[list[object]], header: list[str] | None = HEADER) -> bytes:
    """A real workbook: header row then `rows`; dates written as Excel date cells."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    all_rows = ([header] if header else []) + rows
    for r, row in enumerate(all_rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, str) and value.startswith("="):
                sheet.write_formula(r, c, value)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


ASCII_HEADER = ["Ma can bo", "Ho va ten", "Gioi tinh", "Ngay sinh", "Dang vien", "Ngay vao Dang", "Ngay chinh thuc",
                "Ma chi bo sinh hoat", "Ma noi cong tac", "Ma chi bo noi cu tru"]  # fmt: skip


def csv_bytes(
    rows: list[list[str]], *, header: list[str] | None = HEADER, sep: str = ",", encoding: str = "utf-8"
) -> bytes:
    lines = ([sep.join(header)] if header else []) + [sep.join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def member_row(code: str, name: str, cell: str, **extra: object) -> list[object]:
    row: list[object] = [code, name, "Nam", "15/03/1980", "Có", "03/02/2005", "03/02/2006", cell, "", cell]
    for index, value in extra.items():
        row[int(index[1:])] = value
    return row


def _runner(world):  # type: ignore[no-untyped-def]
    def run(data: bytes, name: str = "roster.xlsx", *, kind: str = "people", commit: bool = False, user=None,
            close_cell_before_commit: str | None = None):  # type: ignore[no-untyped-def]  # fmt: skip
        actor = actor_of(user or world.a.officer_user)
        with activate(actor.scope):
            job = services.import_create(actor=actor, kind=kind, upload=SimpleUploadedFile(name, data))
        # With real transactions the queued step already ran (on commit, immediate backend); else run it here.
        if ImportJob.objects.unscoped(reason="test").get(pk=job.pk).status == "uploaded":
            services.import_preview(job_id=job.pk)
        with activate(actor.scope):
            job = ImportJob.objects.get(pk=job.pk)
            if commit and job.status == "previewed":
                if close_cell_before_commit:
                    from lamtheo.organizations.models import Organization

                    closed = dt.date(2025, 12, 31)
                    Organization.objects.filter(code=close_cell_before_commit).update(valid_to=closed)
                services.import_confirm(actor=actor, job=job)
                if ImportJob.objects.get(pk=job.pk).status == "committing":
                    services.import_commit(job_id=job.pk)
        with activate(Scope.everything(reason="test")):
            return ImportJob.objects.get(pk=job.pk)

    return run


@pytest.fixture
def run_import(world):  # type: ignore[no-untyped-def]
    """Upload `data` as the officer of ward A, run the dry run, and optionally confirm and commit it."""
    return _runner(world)


@pytest.fixture
def run_import_tx(world_tx):  # type: ignore[no-untyped-def]
    """The same, for tests with real transactions (the background writer uses its own connection)."""
    return _runner(world_tx)


def people_count() -> int:
    with activate(Scope.everything(reason="test")):
        return Person.objects.count()


def person(code: str) -> Person:
    with activate(Scope.everything(reason="test")):
        return Person.objects.select_related("party_cell").get(code=code)
