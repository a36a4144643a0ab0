"""Vietnamese text utilities: the one place that normalises and folds text for storage and search."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q

_SPACES = re.compile(r"\s+")
# NFD leaves đ/Đ whole (they are letters, not d + mark), so they are mapped explicitly.
_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


def clean(value: str | None) -> str:
    """NFC-normalise, trim and collapse inner whitespace; None becomes ''."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold(value: str | None) -> str:
    """Fold for search: strip diacritics (đ→d too), casefold, collapse spaces; NFC and NFD give the same."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.translate(_EXTRA)).strip().casefold()


def search_q(field: str, query: str | None) -> Q:
    """A filter matching every folded word of `query` inside the stored folded column `field`."""
    q = Q()
    for word in fold(query).split(" "):
        if word:
            q &= Q(**{f"{field}__contains": word})
    return q
