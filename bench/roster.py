"""Roster import and export at city scale (BENCH_ROWS people, 500,000 by default), each step in its own
process so that its peak memory is its own; every figure is printed next to the raw-database or library
figure on the same data, with their ratio."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.common import child, setup_django

ROWS = int(os.environ.get("BENCH_ROWS", "500000"))
IE_ROWS = int(os.environ.get("BENCH_IE_ROWS", "10000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
TMP = Path(tempfile.mkdtemp(prefix="lamtheo-bench-roster-"))
BASE = TMP / "base.sqlite3"
setup_django(f"sqlite:///{BASE}")

from django.core.management import call_command  # noqa: E402

from lamtheo.core.scoping import Scope, activate  # noqa: E402
from lamtheo.devtools.scale import build_scale  # noqa: E402
from lamtheo.organizations.models import Organization  # noqa: E402

HEADER = ["Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Đảng viên", "Ngày vào Đảng", "Ngày chính thức",
          "Mã chi bộ sinh hoạt", "Mã nơi công tác", "Mã chi bộ nơi cư trú", "Điện thoại"]  # fmt: skip


def make_file(path: Path, rows: int, cells: list[str], workplaces: list[str]) -> None:
    """A people workbook like an office's: Unicode names, Excel date cells, organization codes."""
    import xlsxwriter

    from lamtheo.devtools.scale import _Namer

    rng = random.Random(5)
    namer = _Namer(rng)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, HEADER)
    for i in range(1, rows + 1):
        year = rng.randint(1950, 2000)
        gender = "male" if rng.random() < 0.5 else "female"
        member = rng.random() < 0.6
        cell = rng.choice(cells) if member else ""
        sheet.write_string(i, 0, f"BN{i:07d}")
        sheet.write_string(i, 1, namer(gender, year))
        sheet.write_string(i, 2, "Nam" if gender == "male" else "Nữ")
        sheet.write_datetime(i, 3, dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28)), date_format)
        sheet.write_string(i, 4, "Có" if member else "Không")
        if member:
            admitted = dt.datetime(year + 20, rng.randint(1, 12), rng.randint(1, 28))
            sheet.write_datetime(i, 5, admitted, date_format)
            sheet.write_datetime(i, 6, admitted + dt.timedelta(days=365), date_format)
            sheet.write_string(i, 7, cell)
            sheet.write_string(i, 9, cell)
        else:
            sheet.write_string(i, 8, rng.choice(workplaces))
        sheet.write_string(i, 10, f"09{rng.randint(10_000_000, 99_999_999)}")
    book.close()


def main() -> None:
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite; rows: {ROWS:,}",
        flush=True,
    )
    call_command("migrate", "-v0")
    build_scale(scale="city", people=0)
    from lamtheo.organizations.models import User

    User.objects.create_superuser("bench-admin", password="bench-only-0")
    with activate(Scope.everything(reason="benchmark set-up")):
        cells = list(Organization.objects.filter(kind="party_cell").values_list("code", flat=True))
        workplaces = list(Organization.objects.filter(kind="agency").values_list("code", flat=True))
    from django.db import connections

    connections.close_all()
    sheet = TMP / "people.xlsx"
    start = time.perf_counter()
    make_file(sheet, ROWS, cells, workplaces)
    print(
        f"test file: {sheet.stat().st_size / 1048576:.1f} MB written in {time.perf_counter() - start:.1f} s",
        flush=True,
    )

    def fresh(name: str) -> Path:
        path = TMP / f"{name}.sqlite3"
        shutil.copy(BASE, path)
        return path

    runs = []
    for attempt in range(REPEATS):
        ours_db = fresh(f"ours{attempt}")
        runs.append(child("bench.roster_child", "ours-import", str(ours_db), str(sheet)))
    runs.sort(key=lambda r: r["seconds"])
    ours = runs[len(runs) // 2]
    rate = ours["rows"] / ours["seconds"]
    times = ", ".join(f"{r['seconds']:.1f}" for r in runs)
    print(f"import {ours['rows']:,} rows end-to-end (read, check, write, commit), median of {REPEATS}: "
          f"{ours['seconds']:.1f} s = {rate:,.0f} rows/s (runs: {times} s), "
          f"peak {max(r['peak_mb'] for r in runs):.0f} MB", flush=True)  # fmt: skip
    write = child("bench.roster_child", "ours-write", str(fresh("write")), str(sheet))
    raw = child("bench.roster_child", "raw-insert", str(fresh("raw")), str(sheet))
    print(f"  database part: ours {write['seconds']:.2f} s (rows + audit history) vs raw executemany "
          f"{raw['seconds']:.2f} s -> ratio {write['seconds'] / raw['seconds']:.2f}x", flush=True)  # fmt: skip

    subset = TMP / "subset.xlsx"
    make_file(subset, IE_ROWS, cells, workplaces)
    ours_small = child(
        "bench.roster_child", "ours-import", str(fresh("ours-small")), str(subset)
    )  # same path
    ours_small_rate = ours_small["rows"] / ours_small["seconds"]
    for mode in ("default", "bulk"):
        lib = child("bench.roster_child", "import-export", str(fresh(f"ie-{mode}")), str(subset), mode)
        lib_rate = lib["rows"] / lib["seconds"]
        print(
            f"  django-import-export ({mode}) on {IE_ROWS:,} rows: {lib_rate:,.0f} rows/s vs ours "
            f"{ours_small_rate:,.0f} rows/s on the same rows -> speed-up {ours_small_rate / lib_rate:.1f}x",
            flush=True,
        )

    csv_ours = child("bench.roster_child", "ours-csv", str(ours_db), "-")
    csv_raw = child("bench.roster_child", "raw-csv", str(ours_db), "-")
    print(
        f"export CSV (streamed): ours {ROWS / csv_ours['seconds']:,.0f} rows/s ({csv_ours['seconds']:.1f} s, peak "
        f"{csv_ours['peak_mb']:.0f} MB) vs raw cursor {ROWS / csv_raw['seconds']:,.0f} rows/s -> ratio "
        f"{csv_ours['seconds'] / csv_raw['seconds']:.2f}x",
        flush=True,
    )
    xl_ours = child("bench.roster_child", "ours-xlsx", str(ours_db), str(TMP / "ours.xlsx"))
    xl_lib = child("bench.roster_child", "openpyxl-xlsx", str(ours_db), str(TMP / "openpyxl.xlsx"))
    print(
        f"export XLSX: ours (xlsxwriter, constant memory) {xl_ours['seconds']:.1f} s, peak {xl_ours['peak_mb']:.0f} MB; "
        f"openpyxl write-only {xl_lib['seconds']:.1f} s, peak {xl_lib['peak_mb']:.0f} MB -> ours is "
        f"{xl_lib['seconds'] / xl_ours['seconds']:.2f}x as fast",
        flush=True,
    )
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
