"""One measured roster operation in its own process (so its peak memory is its own). Prints one JSON line.

python -m bench.roster_child <operation> <database file> <file>
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from pathlib import Path

from bench.common import peak_mb, setup_django

OPERATION, DB, FILE = sys.argv[1], sys.argv[2], sys.argv[3]
setup_django(f"sqlite:///{DB}")

from django.db import connection, transaction  # noqa: E402

from lamtheo.core.actor import Actor  # noqa: E402
from lamtheo.core.scoping import activate  # noqa: E402

SYSTEM = Actor.system(reason="benchmark")


def ours_import() -> dict:
    """An import as a user runs it, through the services the upload and confirm views call: store the upload,
    the preview (read, check every row, keep the parsed rows), the confirmation, the commit (check every row
    against the data again, write all in one transaction). The background steps run here in turn, as the
    worker would run them. `FILE` may be imported into a database that already holds it (a re-import)."""
    from django.core.files import File

    from lamtheo.organizations.models import User
    from lamtheo.organizations.selectors import actor_for_user
    from lamtheo.roster import queue, services

    queue.enqueue = lambda *args: None  # the worker's queue: the steps are run here, one after the other
    actor = actor_for_user(User.objects.get(username="bench-admin"))
    phases = {}
    start = time.perf_counter()
    with open(FILE, "rb") as fh:
        upload = File(fh, name="people.xlsx")
        upload.size = Path(FILE).stat().st_size
        job = services.import_create(actor=actor, kind="people", upload=upload)
    phases["upload"] = time.perf_counter() - start
    job = services.import_preview(job_id=job.pk)
    phases["preview"] = time.perf_counter() - start - phases["upload"]
    assert job.status == "previewed", (job.status, job.message, job.errors[:3])
    mark = time.perf_counter()
    job = services.import_confirm(actor=actor, job=job)
    job = services.import_commit(job_id=job.pk)
    phases["confirm+commit"] = time.perf_counter() - mark
    seconds = time.perf_counter() - start
    assert job.status == "done", (job.status, job.message, job.errors[:3])
    return {"rows": job.total_rows, "seconds": seconds, "created": job.created_count,
            "unchanged": job.unchanged_count, "phases": {k: round(v, 2) for k, v in phases.items()}}  # fmt: skip


def preview_only() -> dict:
    """The preview alone (its peak memory is the worst case's figure for the reading side)."""
    from django.core.files import File

    from lamtheo.organizations.models import User
    from lamtheo.organizations.selectors import actor_for_user
    from lamtheo.roster import queue, services

    queue.enqueue = lambda *args: None
    actor = actor_for_user(User.objects.get(username="bench-admin"))
    start = time.perf_counter()
    with open(FILE, "rb") as fh:
        upload = File(fh, name="worst.xlsx")
        upload.size = Path(FILE).stat().st_size
        job = services.import_create(actor=actor, kind="people", upload=upload)
    job = services.import_preview(job_id=job.pk)
    return {"rows": job.total_rows, "seconds": time.perf_counter() - start, "status": job.status,
            "message": job.message}  # fmt: skip


def ours_write() -> dict:
    """The database part alone: the checked rows through the roster writer (rows + audit history)."""
    from lamtheo.core import audit
    from lamtheo.core.spreadsheets import Limits, open_table
    from lamtheo.organizations import bulk
    from lamtheo.roster.importers import import_people

    with activate(SYSTEM.scope), audit.acting(SYSTEM, reason="bench"):
        table = open_table(Path(FILE), Limits(max_bytes=2**40))
        outcome = import_people(actor=SYSTEM, table=table, collect=True, limits=Limits())
        start = time.perf_counter()
        with transaction.atomic():
            bulk.people_write(actor=SYSTEM, creates=outcome.creates, updates=[], positions=[], reason="bench")
    return {"rows": len(outcome.creates), "seconds": time.perf_counter() - start}


def raw_insert() -> dict:
    """The same rows (as the importer prepared them) through one executemany in one transaction."""
    from lamtheo.core.spreadsheets import Limits, open_table
    from lamtheo.organizations.bulk import PERSON_COLUMNS
    from lamtheo.roster.importers import import_people

    with activate(SYSTEM.scope):
        table = open_table(Path(FILE), Limits(max_bytes=2**40))
        rows = import_people(actor=SYSTEM, table=table, collect=True, limits=Limits()).creates
    cols = ", ".join(PERSON_COLUMNS)
    marks = ", ".join(["%s"] * len(PERSON_COLUMNS))
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size = -131072")  # the same page cache the import's write gets
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(f"INSERT INTO organizations_person ({cols}) VALUES ({marks})", rows)
    return {"rows": len(rows), "seconds": time.perf_counter() - start}


def import_export_lib() -> dict:
    """The same file through django-import-export (tablib reads it with openpyxl), default and bulk mode."""
    import tablib
    from import_export import fields, resources, widgets

    from lamtheo.core.text import fold
    from lamtheo.organizations.models import Organization, Person

    class Choice(widgets.Widget):
        def __init__(self, mapping):  # type: ignore[no-untyped-def]
            self.mapping = mapping

        def clean(self, value, row=None, **kwargs):  # type: ignore[no-untyped-def]
            return self.mapping.get(str(value or "").strip().lower())

    def fk(column: str, attribute: str) -> fields.Field:
        return fields.Field(column_name=column, attribute=attribute,
                            widget=widgets.ForeignKeyWidget(Organization, field="code"))  # fmt: skip

    def date(column: str, attribute: str) -> fields.Field:
        return fields.Field(
            column_name=column, attribute=attribute, widget=widgets.DateWidget(format="%d/%m/%Y")
        )

    bulk = sys.argv[4] == "bulk" if len(sys.argv) > 4 else False

    class PersonResource(resources.ModelResource):
        code = fields.Field(column_name="Mã cán bộ", attribute="code")
        full_name = fields.Field(column_name="Họ và tên", attribute="full_name")
        gender = fields.Field(
            column_name="Giới tính", attribute="gender", widget=Choice({"nam": "male", "nữ": "female"})
        )
        date_of_birth = date("Ngày sinh", "date_of_birth")
        is_party_member = fields.Field(column_name="Đảng viên", attribute="is_party_member",
                                       widget=Choice({"có": True, "không": False, "": False}))  # fmt: skip
        admission_date = date("Ngày vào Đảng", "admission_date")
        official_date = date("Ngày chính thức", "official_date")
        party_cell = fk("Mã chi bộ sinh hoạt", "party_cell")
        workplace = fk("Mã nơi công tác", "workplace")
        residence_cell = fk("Mã chi bộ nơi cư trú", "residence_cell")

        class Meta:
            model = Person
            import_id_fields = ("code",)
            fields = ("code", "full_name", "gender", "date_of_birth", "is_party_member", "admission_date",
                      "official_date", "party_cell", "workplace", "residence_cell")  # fmt: skip
            use_bulk = bulk
            batch_size = 1000
            skip_diff = bulk

        def before_save_instance(self, instance, row, **kwargs):  # type: ignore[no-untyped-def]
            instance.search_name = fold(instance.full_name)

    start = time.perf_counter()
    with activate(SYSTEM.scope):
        with open(FILE, "rb") as fh:
            dataset = tablib.Dataset().load(fh.read(), format="xlsx")
        result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - start
    assert not result.has_errors()
    return {"rows": len(dataset), "seconds": seconds}


def _export_rows(*, text_dates: bool = False):  # type: ignore[no-untyped-def]
    from lamtheo.organizations import selectors

    qs = selectors.person_list(actor=SYSTEM, q="", sort="code")
    return selectors.person_export_header(), selectors.person_export_rows(qs, text_dates=text_dates)


def ours_csv() -> dict:
    """The streamed CSV response of the people list, consumed to the end."""
    from lamtheo.core.exports import csv_response

    with activate(SYSTEM.scope):
        header, rows = _export_rows(text_dates=True)  # as the CSV view does
        start = time.perf_counter()
        response = csv_response(filename="p.csv", header=header, rows=rows, scope=SYSTEM.scope)
        size = sum(len(chunk) for chunk in response.streaming_content)
    return {"seconds": time.perf_counter() - start, "bytes": size}


def raw_csv() -> dict:
    """The same rows straight from a cursor into csv.writer."""
    sql = (
        "SELECT p.code, p.full_name, p.gender, p.date_of_birth, p.is_party_member, p.admission_date, "
        "p.official_date, c.name, w.name, r.name FROM organizations_person p "
        "LEFT JOIN organizations_organization c ON c.id = p.party_cell_id "
        "LEFT JOIN organizations_organization w ON w.id = p.workplace_id "
        "LEFT JOIN organizations_organization r ON r.id = p.residence_cell_id ORDER BY p.code"
    )
    start = time.perf_counter()
    buffer, size = io.StringIO(), 0
    writer = csv.writer(buffer)
    with connection.cursor() as cur:
        cur.execute(sql)
        for row in cur:
            writer.writerow(row)
            if buffer.tell() > 1 << 20:
                size += len(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
    return {"seconds": time.perf_counter() - start, "bytes": size + len(buffer.getvalue())}


def ours_xlsx() -> dict:
    """The background .xlsx export (xlsxwriter, constant memory) of the whole list."""
    from lamtheo.core.xlsx import write_xlsx

    with activate(SYSTEM.scope):
        header, rows = _export_rows()
        start = time.perf_counter()
        n = write_xlsx(Path(FILE), header=header, rows=rows)
    return {"seconds": time.perf_counter() - start, "rows": n}


def openpyxl_xlsx() -> dict:
    """The same rows written with openpyxl's write-only mode."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    with activate(SYSTEM.scope):
        header, rows = _export_rows()
        start = time.perf_counter()
        book = Workbook(write_only=True)
        sheet = book.create_sheet("people")
        sheet.append(header)
        n = 0
        for row in rows:
            out = []
            for value in row:
                if isinstance(value, dt.date):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "DD/MM/YYYY"
                    out.append(cell)
                else:
                    out.append(value)
            sheet.append(out)
            n += 1
        book.save(FILE)
    return {"seconds": time.perf_counter() - start, "rows": n}


OPERATIONS = {
    "ours-import": ours_import, "preview-only": preview_only, "ours-write": ours_write, "raw-insert": raw_insert, "import-export": import_export_lib,
    "ours-csv": ours_csv, "raw-csv": raw_csv, "ours-xlsx": ours_xlsx, "openpyxl-xlsx": openpyxl_xlsx,
}  # fmt: skip

if __name__ == "__main__":
    result = OPERATIONS[OPERATION]()
    result["peak_mb"] = round(peak_mb(), 1)
    print(json.dumps(result))
