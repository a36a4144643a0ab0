"""TCVN3 and VNI text from old office files comes out as proper Unicode."""

import unicodedata

import pytest

from lamtheo.core.legacy import Encoding, decode_bytes, detect, tcvn3_to_unicode, to_unicode, vni_to_unicode

# How these names were stored when typed with .VnTime (TCVN3) or VNI-Times fonts.
TCVN3 = {
    "NguyÔn V¨n §øc": "Nguyễn Văn Đức",
    "TrÇn ThÞ Mai": "Trần Thị Mai",
    "Chi bé Tæ d©n phè sè 5": "Chi bộ Tổ dân phố số 5",
    "§¶ng bé ph­êng Long Biªn": "Đảng bộ phường Long Biên",
    "Lª Thanh H­¬ng": "Lê Thanh Hương",
}
VNI = {
    "Nguyeãn Vaên Ñöùc": "Nguyễn Văn Đức",
    "Traàn Thò Mai": "Trần Thị Mai",
    "Ñaûng boä phöôøng Long Bieân": "Đảng bộ phường Long Biên",
    "Phaïm Quoác Vieät": "Phạm Quốc Việt",
}


@pytest.mark.parametrize("legacy,unicode", TCVN3.items())
def test_tcvn3(legacy, unicode):  # type: ignore[no-untyped-def]
    assert tcvn3_to_unicode(legacy) == unicode
    assert unicodedata.is_normalized("NFC", tcvn3_to_unicode(legacy))


@pytest.mark.parametrize("legacy,unicode", VNI.items())
def test_vni(legacy, unicode):  # type: ignore[no-untyped-def]
    assert vni_to_unicode(legacy) == unicode


def test_tcvn3_all_caps_font_keeps_capitals():  # type: ignore[no-untyped-def]
    assert tcvn3_to_unicode("NGUYÔN V¡N §øC") == "NGUYỄN VĂN ĐỨC"


def test_detection():  # type: ignore[no-untyped-def]
    assert detect(TCVN3.keys()) is Encoding.TCVN3
    assert detect(VNI.keys()) is Encoding.VNI
    assert detect(TCVN3.values()) is Encoding.UNICODE
    assert detect(["Nguyen Van Duc", "123"]) is Encoding.UNICODE
    # Real Vietnamese Unicode with Latin-1 letters (à, ô, ê) is not mistaken for VNI.
    assert detect(["Hoà Bình", "Thuê nhà", "Phố Hàng Bông"]) is Encoding.UNICODE


def test_to_unicode_dispatch():  # type: ignore[no-untyped-def]
    assert to_unicode("NguyÔn V¨n §øc", Encoding.TCVN3) == "Nguyễn Văn Đức"
    assert to_unicode("Nguyễn", Encoding.UNICODE) == "Nguyễn"


@pytest.mark.parametrize(
    "data,encoding,text",
    [
        ("Nguyễn Văn Đức".encode(), "utf-8", "Nguyễn Văn Đức"),
        ("\ufeffNguyễn Văn Đức".encode(), "utf-8-sig", "Nguyễn Văn Đức"),
        # Windows-1258: ê + combining tilde, ă, Đ, ư + combining acute.
        (b"Nguy\xea\xden V\xe3n \xd0\xfd\xecc", "cp1258", "Nguyễn Văn Đức"),
        ("NguyÔn V¨n §øc".encode("cp1252"), "cp1252", "NguyÔn V¨n §øc"),
    ],
)
def test_decode_bytes(data, encoding, text):  # type: ignore[no-untyped-def]
    decoded, used = decode_bytes(data)
    assert used == encoding and decoded == text
