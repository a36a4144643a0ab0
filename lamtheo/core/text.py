"""Vietnamese text utilities: the one place that normalises and folds text for storage and search."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q

# Every Unicode space counts as a space (a no-break space pasted from Word, a thin space, a zero-width one).
_SPACES = re.compile(r"[\s\u200b\u2060\ufeff]+")
_LONE_SPACES = re.compile(r"[\s\u200b\u2060\ufeff]{2,}|[^\S ]|[\u200b\u2060\ufeff]")
# One translation table: drop every combining mark (what NFD splits off) and map đ/Đ, which NFD leaves
# whole because they are letters of their own, not d + a mark.
_FOLD = {cp: None for cp in range(0x300, 0x370)} | {cp: None for cp in range(0x1DC0, 0x1E00)}
_FOLD.update({ord("đ"): "d", ord("Đ"): "D", ord("ð"): "d", ord("Ð"): "D"})


def clean(value: str | None) -> str:
    """NFC-normalise, trim and collapse inner whitespace; None becomes ''."""
    if not value:
        return ""
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if _needs_collapse(value):
        value = _SPACES.sub(" ", value)
    return value.strip()


def fold(value: str | None) -> str:
    """Fold for search: strip diacritics (đ→d too), casefold, collapse spaces; NFC and NFD give the same."""
    if not value:
        return ""
    folded = unicodedata.normalize("NFD", value).translate(_FOLD).casefold()
    if _needs_collapse(folded):
        folded = _SPACES.sub(" ", folded)
    return folded.strip()


def _needs_collapse(value: str) -> bool:
    # Plain substring tests run in C and settle almost every cell; the regex only sees exotic spaces.
    if "  " in value or "\t" in value or "\n" in value or "\r" in value:
        return True
    return not value.isascii() and _LONE_SPACES.search(value) is not None


def search_q(field: str, query: str | None) -> Q:
    """A filter matching every folded word of `query` inside the stored folded column `field`."""
    q = Q()
    for word in fold(query).split(" "):
        if word:
            q &= Q(**{f"{field}__contains": word})
    return q


_DIGITS = re.compile(r"(\d+)")


def natural_key(value: str | None) -> tuple:  # type: ignore[type-arg]
    """Sort key in human order: "Tổ dân phố số 2" before "số 10", diacritics and case folded."""
    parts = _DIGITS.split(fold(value))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)
