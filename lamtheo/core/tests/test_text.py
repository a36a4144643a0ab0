"""The one folding helper behind every search: diacritics, đ/Đ, case, NFC/NFD."""

import unicodedata

import pytest

from lamtheo.core.text import clean, fold


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("ĐỖ THỊ ỬNG", "do thi ung"),
        ("  Trần   Thị\tMai ", "tran thi mai"),
        (unicodedata.normalize("NFD", "Nguyễn Văn Đức"), "nguyen van duc"),
        ("Phường Long Biên", "phuong long bien"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, expected):  # type: ignore[no-untyped-def]
    assert fold(text) == expected


def test_clean_makes_nfc_and_collapses_spaces():  # type: ignore[no-untyped-def]
    nfd = unicodedata.normalize("NFD", "  Nguyễn   Văn Đức ")
    assert clean(nfd) == "Nguyễn Văn Đức"
    assert unicodedata.is_normalized("NFC", clean(nfd))
