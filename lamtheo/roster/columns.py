"""The documented columns of the roster templates, their accepted header variants, and cell parsers.

Headers are matched after folding (no diacritics, no case, no punctuation), so "Họ và tên", "HO VA TEN"
and "ho_ten" all land on the same field, in any order.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lamtheo.core.text import clean, fold

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def header_key(text: str) -> str:
    """A header reduced to letters and digits, diacritics and case removed."""
    return _NON_ALNUM.sub("", fold(text))


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the Vietnamese header of the template
    aliases: tuple[str, ...]
    required: bool
    note: object  # lazily translated explanation for the notes sheet
    example: str


class CellError(ValueError):
    """A cell's value is not acceptable; the message is shown with row, column and the value found."""


def parse_text(value: object, *, max_len: int) -> str:
    if value is None or value == "":
        return ""
    text = clean(value if isinstance(value, str) else _number_text(value))
    if len(text) > max_len:
        raise CellError(_("too long: at most %(n)s characters") % {"n": max_len})
    return text


def _number_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(value: object) -> dt.date | None:
    """dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd, an Excel date cell or an Excel serial number."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(_("not a date"))
    text = str(value).strip()
    if not text:
        return None
    m = _DATE_DMY.match(text)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = _DATE_ISO.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if text.isdigit() and 1 <= int(text) < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(text))
    except ValueError as exc:
        raise CellError(_("this date does not exist")) from exc
    raise CellError(_("not a date (use dd/mm/yyyy)"))


_TRUE = {"co", "x", "1", "yes", "true", "dung", "c", "y", "la dang vien", "dang vien"}
_FALSE = {"khong", "0", "no", "false", "sai", "k", "n", ""}


_BOOL_FAST = {"Có": True, "Không": False, "có": True, "không": False, "x": True, "X": True, "": False}


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    fast = _BOOL_FAST.get(value) if isinstance(value, str) else None
    if fast is not None:
        return fast
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value)
        raise CellError(_("expected Có or Không"))
    key = fold(str(value or ""))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(_("expected Có or Không"))


_GENDERS = {"nam": "male", "male": "male", "m": "male", "nu": "female", "female": "female", "f": "female",
            "khac": "other", "other": "other"}  # fmt: skip


_GENDER_FAST = {"Nam": "male", "Nữ": "female", "Khác": "other"}


def parse_gender(value: object) -> str:
    fast = _GENDER_FAST.get(value) if isinstance(value, str) else None
    if fast is not None:
        return fast
    key = fold(str(value or ""))
    if key not in _GENDERS:
        raise CellError(_("expected Nam, Nữ or Khác"))
    return _GENDERS[key]


# Notes are lazily translated: shown in the user's language when the template is built.
PEOPLE_COLUMNS = (
    Column("code", "Mã cán bộ", ("ma can bo", "ma", "ma dang vien", "ma nhan su", "code", "person code"), True,
           gettext_lazy("Stable code of the person; the key that re-imports update."), "LB000123"),
    Column("full_name", "Họ và tên", ("ho va ten", "ho ten", "ten", "full name", "name"), True,
           gettext_lazy("Full name, as on the identity card."), "Nguyễn Văn Đức"),
    Column("gender", "Giới tính", ("gioi tinh", "gender", "sex"), True, gettext_lazy("Nam, Nữ or Khác."), "Nam"),
    Column("date_of_birth", "Ngày sinh", ("ngay sinh", "ngay thang nam sinh", "date of birth", "dob"), False,
           gettext_lazy("dd/mm/yyyy."), "15/03/1980"),
    Column("is_party_member", "Đảng viên", ("dang vien", "la dang vien", "party member"), False,
           gettext_lazy("Có or Không (empty means Không)."), "Có"),
    Column("admission_date", "Ngày vào Đảng", ("ngay vao dang", "ngay ket nap", "admission date"), False,
           gettext_lazy("dd/mm/yyyy; party members only."), "03/02/2005"),
    Column("official_date", "Ngày chính thức", ("ngay chinh thuc", "ngay dang vien chinh thuc", "official date"),
           False, gettext_lazy("dd/mm/yyyy; not before the admission date."), "03/02/2006"),
    Column("party_cell", "Mã chi bộ sinh hoạt", ("ma chi bo sinh hoat", "ma chi bo", "chi bo", "party cell code",
           "party cell"), False, gettext_lazy("Code of the party cell where the member is active (required for members)."),
           "LB-CB-TDP05"),
    Column("workplace", "Mã nơi công tác", ("ma noi cong tac", "noi cong tac", "ma don vi cong tac", "workplace code",
           "workplace"), False, gettext_lazy("Code of the organization where the person works."), "LB-UBND"),
    Column("residence_cell", "Mã chi bộ nơi cư trú", ("ma chi bo noi cu tru", "chi bo noi cu tru", "noi cu tru",
           "residence cell code", "residence cell"), False,
           gettext_lazy("Code of the party cell where the member lives (Quy định 213)."), "LB-CB-TDP07"),
    Column("phone", "Điện thoại", ("dien thoai", "so dien thoai", "sdt", "phone"), False, gettext_lazy("Phone number."),
           "0912345678"),
    Column("email", "Email", ("email", "thu dien tu", "e mail"), False, gettext_lazy("E-mail address."), ""),
    Column("position_title", "Chức vụ", ("chuc vu", "position", "title"), False,
           gettext_lazy("A position held now (optional), e.g. Bí thư Chi bộ."), "Bí thư Chi bộ"),
    Column("position_org", "Mã đơn vị giữ chức vụ", ("ma don vi giu chuc vu", "don vi chuc vu", "position organization"),
           False, gettext_lazy("Code of the organization of that position (required with a position)."), "LB-CB-TDP05"),
    Column("position_is_head", "Người đứng đầu", ("nguoi dung dau", "la nguoi dung dau", "is head", "head"), False,
           gettext_lazy("Có when the position is the head of the organization."), "Có"),
    Column("position_from", "Giữ chức vụ từ ngày", ("giu chuc vu tu ngay", "tu ngay", "position from"), False,
           gettext_lazy("dd/mm/yyyy (required with a position)."), "01/07/2025"),
)  # fmt: skip

ORGANIZATION_COLUMNS = (
    Column("code", "Mã đơn vị", ("ma don vi", "ma to chuc", "ma", "code"), True,
           gettext_lazy("Stable code of the organization; the key that re-imports update."), "LB-CB-TDP05"),
    Column("name", "Tên đơn vị", ("ten don vi", "ten to chuc", "ten", "name"), True, gettext_lazy("Full name."),
           "Chi bộ Tổ dân phố số 5"),
    Column("short_name", "Tên viết tắt", ("ten viet tat", "viet tat", "short name"), False, gettext_lazy("Optional."), "CB TDP 5"),
    Column("kind", "Loại", ("loai", "loai hinh", "loai don vi", "kind", "type"), True,
           gettext_lazy("One of the kinds listed below (Vietnamese name or code)."), "Chi bộ"),
    Column("parent", "Mã đơn vị cấp trên", ("ma don vi cap tren", "cap tren", "ma cap tren", "parent code", "parent"),
           True, gettext_lazy("Code of the parent organization (in the system or earlier in this file)."), "LB"),
    Column("valid_from", "Hiệu lực từ ngày", ("hieu luc tu ngay", "ngay thanh lap", "tu ngay", "valid from"), True,
           gettext_lazy("dd/mm/yyyy."), "01/07/2025"),
    Column("is_grassroots", "Cấp cơ sở", ("cap co so", "co so", "grassroots"), False, gettext_lazy("Có or Không."), "Không"),
    Column("note", "Ghi chú", ("ghi chu", "note"), False, gettext_lazy("Optional."), ""),
)  # fmt: skip


def columns_for(kind: str) -> tuple[Column, ...]:
    return PEOPLE_COLUMNS if kind == "people" else ORGANIZATION_COLUMNS


def match_header(header: list[str], columns: tuple[Column, ...]) -> tuple[dict[str, int], list[str]]:
    """Map each field to its column index; returns the mapping and the problems (missing, repeated)."""
    lookup: dict[str, str] = {}
    for col in columns:
        for alias in (col.header, *col.aliases):
            lookup.setdefault(header_key(alias), col.field)
    mapping: dict[str, int] = {}
    problems: list[str] = []
    for index, title in enumerate(header):
        field = lookup.get(header_key(title))
        if field is None:
            continue
        if field in mapping:
            problems.append(_("The column “%(h)s” appears twice.") % {"h": title})
            continue
        mapping[field] = index
    for col in columns:
        if col.required and col.field not in mapping:
            problems.append(_("The required column “%(h)s” is missing.") % {"h": col.header})
    return mapping, problems
