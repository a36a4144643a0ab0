"""Legacy Vietnamese encodings still found in old office files: TCVN3 (ABC, ".Vn" fonts) and VNI.

Text typed with those fonts was stored as Windows-1252 characters, so a cell that says "Nguyễn Văn Đức"
on screen holds "NguyÔn V¨n §øc" (TCVN3) or "Nguyeãn Vaên Ñöùc" (VNI). `detect` decides per file (on a
sample of its text) and `to_unicode` converts one string to NFC Unicode.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum


class Encoding(StrEnum):
    UNICODE = "unicode"
    TCVN3 = "tcvn3"
    VNI = "vni"


# TCVN3 (TCVN 5712:1993, "ABC"): one byte per letter. Capitals with tone marks exist only in the all-caps
# ".VnTimeH" fonts, which reuse the lower-case codes: see _restore_case.
_TCVN3 = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip
# Characters that TCVN3 text contains and Unicode Vietnamese never does (symbols of Latin-1).
_TCVN3_ONLY = frozenset("¡¢£¤¥¦§¨©ª«¬®µ¶·¸¹»¼½¾")

# VNI Windows: a base letter followed by a mark character; a few letters stand alone.
_VNI_SINGLE = {
    "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ",
    "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "æ": "ỉ", "Æ": "Ỉ", "î": "ỵ", "Î": "Ỵ",
}  # fmt: skip
_CIRC, _BREVE = "\u0302", "\u0306"
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_VNI_MARKS = {
    "â": _CIRC, "ê": _BREVE,
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK, "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}  # fmt: skip
_VNI_MARKS.update({k.upper(): v for k, v in list(_VNI_MARKS.items())})
_VNI_BASES = frozenset("aeiouyAEIOUYơưƠƯ")
# Letters VNI text contains and Unicode Vietnamese never does.
_VNI_ONLY = frozenset("ñÑöÖøØûÛïÏüÜëËåÅäÄæÆîÎ")


# Latin-1 letters that Vietnamese Unicode text uses; any other character of 0xA1–0xFF in a cell, or a capital of
# them right after a small letter ("NguyÔn"), is a legacy-font letter read as Windows-1252.
_VIET_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")


# A necessary condition for an odd character (below), checked on a whole row at C speed: most rows are plain
# Unicode Vietnamese and need no closer look.
_ODD_CHARS = re.compile(
    "[" + "".join(chr(c) for c in range(0xA1, 0x100) if chr(c) not in _VIET_LATIN1 and chr(c) not in "°×") + "]"
)
_CAPITALS = re.compile("[ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ]")


def maybe_legacy(text: str) -> bool:
    """False when no cell of `text` can be in a legacy font (no character legacy_cell would find odd): a
    necessary condition checked on a whole row with character searches, since most rows are plain Unicode
    Vietnamese and need no closer look."""
    if _ODD_CHARS.search(text) is not None:
        return True
    return any(m.start() and text[m.start() - 1].isalpha() for m in _CAPITALS.finditer(text))


def _oddities(text: str) -> int:
    """How many characters of `text` Vietnamese Unicode text would not have where they are."""
    odd, previous = 0, ""
    for ch in text:
        code = ord(ch)
        if 0xA1 <= code <= 0xFF and ch not in _VIET_LATIN1 and ch not in "°×":
            odd += 1
        elif ch in _VIET_LATIN1 and ch.isupper() and previous.islower():
            odd += 1
        previous = ch
    return odd


_TONES = "\u0300\u0301\u0303\u0309\u0323"
_VOWEL_BASES = frozenset("aăâeêioôơuưy")
# The vowel groups of Vietnamese syllables, without tone marks (after "qu" and "gi", the u / i belongs to the
# consonant and is dropped first).
_NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi "
    "ươ ưu yê iêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu yêu".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def _misspellings(text: str) -> int:
    """Words of `text` that cannot be Vietnamese syllables: a vowel group Vietnamese does not have, or more
    than one tone mark (a converted cell that is still wrong reads like this)."""
    bad = 0
    for whole in _WORD.findall(unicodedata.normalize("NFC", text.lower())):
        word = unicodedata.normalize("NFD", whole)
        tones = sum(1 for ch in word if ch in _TONES)
        base = unicodedata.normalize("NFC", "".join(ch for ch in word if ch not in _TONES))
        if base.startswith(("qu", "gi")) and len(base) > 2 and base[2] in _VOWEL_BASES:
            base = base[2:]
        groups = re.findall("[" + "".join(_VOWEL_BASES) + "]+", base)
        if tones > 1 or len(groups) > 1 or any(g not in _NUCLEI for g in groups):
            bad += 1
    return bad


def reads_better(converted: str, original: str) -> bool:
    """Whether a conversion reads more like Vietnamese than the text it came from (a cell with letters beyond
    Latin-1 is already Unicode)."""
    if any(ord(ch) > 0xFF for ch in original):
        return False
    return _oddities(converted) + _misspellings(converted) < _oddities(original) + _misspellings(original)


def legacy_cell(text: str) -> tuple[str, Encoding] | None:
    """A cell of a Unicode file that is really TCVN3 or VNI (a row pasted from an old file): its conversion
    and the encoding, or None when the cell reads as Vietnamese Unicode. A cell holding any letter beyond
    Latin-1 (ơ, ư, đ, ễ…) is Unicode; otherwise the conversion that reads most like Vietnamese wins (fewest
    odd characters and misspelt syllables), and only when it reads better than the cell did."""
    if text.isascii() or any(ord(ch) > 0xFF for ch in text):
        return None
    before = _oddities(text)
    if before == 0:
        return None
    scored = [
        (_oddities(out) + _misspellings(out), n, out, enc)
        for n, (out, enc) in enumerate(((tcvn3_to_unicode(text), Encoding.TCVN3), (vni_to_unicode(text), Encoding.VNI)))
    ]
    best = min(scored)
    if best[0] >= before + _misspellings(text) or best[2] == text:
        return None
    return best[2], best[3]


def detect(texts: Iterable[str]) -> Encoding:
    """Which encoding a file's text is in, judged on all its text cells together."""
    tcvn = vni = unicode_vn = 0
    for text in texts:
        for ch in text:
            code = ord(ch)
            if code < 0xA1:
                continue
            if code > 0xFF:
                unicode_vn += 1
            elif ch in _TCVN3_ONLY:
                tcvn += 1
            elif ch in _VNI_ONLY:
                vni += 1
    if unicode_vn > max(tcvn, vni):
        return Encoding.UNICODE
    if tcvn >= 2 and tcvn >= vni / 4:
        return Encoding.TCVN3
    if vni >= 2:
        return Encoding.VNI
    return Encoding.UNICODE


def _restore_case(original: str, converted: str) -> str:
    """Text typed in an all-caps .VnTimeH font reuses the lower-case codes: when every ASCII letter of the
    cell is a capital (and there are at least two), the whole cell was capitals."""
    letters = [c for c in original if c.isascii() and c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return converted.upper()
    return converted


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 text (read as Windows-1252 characters) to NFC Unicode."""
    converted = "".join(_TCVN3.get(ord(ch), ch) if 0xA1 <= ord(ch) <= 0xFE else ch for ch in text)
    return unicodedata.normalize("NFC", _restore_case(text, converted))


def vni_to_unicode(text: str) -> str:
    """Convert VNI text (read as Windows-1252 characters) to NFC Unicode."""
    out: list[str] = []
    for ch in text:
        mark = _VNI_MARKS.get(ch)
        if mark is not None and out and out[-1] in _VNI_BASES:
            out.append(mark)
            continue
        out.append(_VNI_SINGLE.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


def to_unicode(text: str, encoding: Encoding) -> str:
    """Convert `text` from `encoding` (a no-op for Unicode)."""
    if encoding is Encoding.TCVN3:
        return tcvn3_to_unicode(text)
    if encoding is Encoding.VNI:
        return vni_to_unicode(text)
    return text


def utf16_order(data: bytes) -> str | None:
    """"utf-16-le" / "utf-16-be" when `data` is UTF-16 text (what Excel's "Unicode text" saves): by its byte
    order mark, or by the zero bytes every other byte of mostly-ASCII text has; None otherwise."""
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be"
    head = data[:400]
    if len(head) >= 8:
        odd, even = head[1::2], head[0::2]
        if odd.count(0) >= len(odd) * 0.6 and even.count(0) == 0:
            return "utf-16-le"
        if even.count(0) >= len(even) * 0.6 and odd.count(0) == 0:
            return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM) or UTF-16; else, when the bytes hold the letters of an
    old Vietnamese font (TCVN3, VNI), Windows-1252 (where that text lives, converted by the importer); else
    Windows-1258 when it reads as Vietnamese, else Windows-1252. Returns the text and the encoding used."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    order = utf16_order(data)
    if order is not None:
        body = data[2:] if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data
        try:
            return body.decode(order), "utf-16"
        except UnicodeDecodeError as exc:
            raise ValueError("utf-16") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    cp1252 = data.decode("cp1252", errors="replace")
    if detect([cp1252]) is not Encoding.UNICODE:
        return cp1252, "cp1252"
    cp1258 = data.decode("cp1258", errors="replace")
    # Windows-1258 writes tones as combining marks and has ă/đ/ơ/ư at its own codes.
    vn = sum(1 for ch in cp1258 if ch in "ăĂđĐơƠưƯ" or unicodedata.combining(ch))
    legacy = sum(1 for ch in data.decode("cp1252", errors="replace") if ch in _TCVN3_ONLY or ch in _VNI_ONLY)
    if vn and vn >= legacy:
        return unicodedata.normalize("NFC", cp1258), "cp1258"
    return data.decode("cp1252", errors="replace"), "cp1252"
