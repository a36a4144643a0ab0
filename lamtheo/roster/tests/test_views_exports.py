"""The import screens, the template, and the .xlsx export opened back."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import member_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.a.officer_user)
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("kind,first", [("people", "Mã cán bộ"), ("organizations", "Mã đơn vị")])
def test_template_has_headers_example_and_notes(officer, kind, first):  # type: ignore[no-untyped-def]
    response = officer.get(f"/roster/templates/{kind}.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data, notes = book.worksheets
    assert data.cell(1, 1).value == first and data.cell(2, 1).value
    assert data.max_row == 2
    assert notes.cell(2, 1).value == first and notes.cell(2, 3).value


def test_template_round_trips_through_the_importer(officer, world, run_import):  # type: ignore[no-untyped-def]
    """The example row of the people template imports once its codes are the ward's."""
    book = openpyxl.load_workbook(io.BytesIO(officer.get("/roster/templates/people.xlsx").content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    example = [c.value for c in sheet[2]]
    for i, h in enumerate(header):
        if h.startswith("Mã") and h != "Mã cán bộ":
            example[i] = (
                world.a.cell.code if "chi bộ" in h else world.a.agency.code
            )  # the cell has a head already
    job = run_import(xlsx([example], header=header), commit=True)
    assert job.status == "done", job.errors


def test_upload_screen_runs_the_check_and_shows_the_report(
    officer, world, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    data = xlsx([member_row("N1", "Nguyễn Văn Đức", "WA-C1"), member_row("N2", "X", "NOPE")])
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            "/roster/imports/", {"kind": "people", "file": SimpleUploadedFile("ds.xlsx", data)}
        )
    assert response.status_code == 302
    body = officer.get(response["Location"]).content.decode()
    assert "Has errors" in body and "NOPE" in body and "Nothing was written" in body


def test_upload_form_errors(officer):  # type: ignore[no-untyped-def]
    response = officer.post("/roster/imports/", {"kind": "people"})
    assert "file" in response.context["form"].errors
    response = officer.post("/roster/imports/", {"kind": "people", "file": SimpleUploadedFile("e.xlsx", b"")})
    assert response.context["form"].errors


def test_xlsx_export_opens_back_with_the_same_rows_as_the_screen(
    officer, world, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post("/roster/exports/new/", {"kind": "people", "q": "nguyen"})
    job = officer.get(response["Location"]).context["job"]
    assert job.status == "done" and job.total_rows == 1
    response = officer.get(f"/roster/exports/{job.public_id}/download/")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Person code" and rows[1][1] == world.a.member.full_name
    assert rows[1][3].date() == world.a.member.date_of_birth
    assert len(rows) == 2


def test_exports_are_private_to_their_creator(client, officer, world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post("/roster/exports/new/", {"kind": "people"})
    job = officer.get(response["Location"]).context["job"]
    client.force_login(world.a.secretary_user)
    assert client.get(f"/roster/exports/{job.public_id}/download/").status_code == 404


def test_services_queue_steps_by_the_names_of_real_tasks():  # type: ignore[no-untyped-def]
    """The services never import jobs (jobs import the services): they queue a step by its task's name."""
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    from lamtheo.roster import queue

    for name in (queue.PREVIEW_IMPORT, queue.COMMIT_IMPORT, queue.WRITE_EXPORT):
        assert isinstance(import_string(name), Task)
