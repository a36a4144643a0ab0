"""The people workbook the roster benchmarks import, written the way Excel saves one: a shared-string table,
birth dates as date cells, admission dates typed as text (dd/mm/yyyy) — both kinds an office's sheet holds.
No Django here: the generator is imported by the benchmark process and by its measured children alike."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

HEADER = ["Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Đảng viên", "Ngày vào Đảng", "Ngày chính thức",
          "Mã chi bộ sinh hoạt", "Mã nơi công tác", "Mã chi bộ nơi cư trú", "Điện thoại"]  # fmt: skip


def make_file(
    path: Path, rows: int, cells: list[str], workplaces: list[str], *, extra_columns: int = 0, note_chars: int = 0
) -> None:
    """Write `rows` people (seeded, so every run writes the same file); `extra_columns` adds note columns the
    importer ignores (the widest rows), `note_chars` a column of unique notes that long (the largest table
    of texts)."""
    import xlsxwriter

    from lamtheo.devtools.scale import _Namer

    rng = random.Random(5)
    namer = _Namer(rng)
    # Not constant_memory: that mode writes inline strings, which Excel itself never does.
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    header = HEADER + [f"Ghi chú {n + 1}" for n in range(extra_columns)] + (["Ghi chú dài"] if note_chars else [])
    sheet.write_row(0, 0, header)
    width = len(HEADER)
    for i in range(1, rows + 1):
        year = rng.randint(1950, 2000)
        gender = "male" if rng.random() < 0.5 else "female"
        member = rng.random() < 0.6
        sheet.write_string(i, 0, f"BN{i:07d}")
        sheet.write_string(i, 1, namer(gender, year))
        sheet.write_string(i, 2, "Nam" if gender == "male" else "Nữ")
        sheet.write_datetime(i, 3, dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28)), date_format)
        sheet.write_string(i, 4, "Có" if member else "Không")
        if member:
            cell = rng.choice(cells)
            admitted = dt.date(year + 20, rng.randint(1, 12), rng.randint(1, 28))
            sheet.write_string(i, 5, admitted.strftime("%d/%m/%Y"))  # typed as text, as offices often do
            sheet.write_datetime(i, 6, dt.datetime.combine(admitted + dt.timedelta(days=365), dt.time()),
                                 date_format)  # fmt: skip
            sheet.write_string(i, 7, cell)
            sheet.write_string(i, 9, cell)
        else:
            sheet.write_string(i, 8, rng.choice(workplaces))
        sheet.write_string(i, 10, f"09{rng.randint(10_000_000, 99_999_999)}")
        for n in range(extra_columns):
            sheet.write_string(i, width + n, f"ghi chú {i % 97} cột {n}")
        if note_chars:
            head = f"Nhận xét số {i}: "
            sheet.write_string(i, width + extra_columns, (head + "đã học tập và làm theo tấm gương đạo đức. " * 60)[:note_chars])
    book.close()
