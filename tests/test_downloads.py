"""Downloads carry Vietnamese file names, and the plan-tree export lists the units without a plan too."""

from __future__ import annotations

import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.test import Client

from lamtheo.core.exports import attachment


def test_file_names_keep_vietnamese_letters_with_an_ascii_fallback():
    from django.http import HttpResponse

    header = attachment(HttpResponse(), "Kế hoạch thực hiện năm 2026: Đảng bộ/phường.xlsx")[
        "Content-Disposition"
    ]
    assert header.startswith('attachment; filename="Ke hoach thuc hien nam 2026- Dang bo-phuong.xlsx"; ')
    assert (
        unquote(header.split("filename*=utf-8''", 1)[1]) == "Kế hoạch thực hiện năm 2026- Đảng bộ-phường.xlsx"
    )


@pytest.mark.django_db
def test_plan_tree_export_lists_units_without_a_plan(world):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.a.secretary_user)
    response = client.get("/plans/export.xlsx?year=2026")
    assert response.status_code == 200
    name = unquote(response["Content-Disposition"].split("filename*=utf-8''", 1)[1])
    assert name == "Kế hoạch thực hiện năm 2026.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    units = {row[1]: row for row in rows[1:]}
    assert {"Đảng bộ phường A", "Chi bộ Tổ dân phố A1", "UBND phường A"} <= set(units)
    assert units["Chi bộ Tổ dân phố A1"][5] == "Chưa có kế hoạch"
    assert not [u for u in units if u.endswith(" B") or u.endswith("B1")]  # the sibling ward stays out


def test_file_names_drop_control_characters_and_stay_short():
    from django.http import HttpResponse

    header = attachment(HttpResponse(), "Bản\x00 cam\x07 kết " + "x" * 300 + ".docx")["Content-Disposition"]
    plain = header.split('filename="', 1)[1].split('"', 1)[0]
    assert "\x00" not in header and "\x07" not in header
    assert plain.startswith("Ban cam ket x") and plain.endswith(".docx") and len(plain) <= 130
