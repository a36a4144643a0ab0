"""The preview's parsed rows, kept beside the upload for its commit.

The preview reads and parses every cell of a people sheet; what that produces depends on the file alone.
It is stored here (marshal, in chunks) so that the commit does not read and parse the file a second time.
The commit still runs every check against the data as it is then (organizations, the people already on
the roster, permissions, the membership rules): only the file's side of the work is reused. The store is
written under a temporary name and renamed once complete, names the file's SHA-256, and is refused (the
file is read again) if anything about it does not match.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
from collections.abc import Iterator
from pathlib import Path

from .importers import _DATE_FIELDS, PERSON_FIELDS, ParsedRow, PeopleSheet

VERSION = 1
CHUNK = 20_000
_DATES = tuple(i for i, name in enumerate(PERSON_FIELDS) if name in _DATE_FIELDS)


def path_for(upload: str | Path) -> Path:
    return Path(f"{upload}.checked")


def discard(upload: str | Path) -> None:
    for path in (path_for(upload), Path(f"{path_for(upload)}.part")):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _encode(row: ParsedRow) -> tuple:
    number, fields, codes, position, bad = row
    fields = list(fields)
    for i in _DATES:
        if fields[i] is not None:
            fields[i] = fields[i].toordinal()
    if position is not None and position[0] == "ok" and position[3] is not None:
        position = (*position[:3], position[3].toordinal(), position[4])
    return number, tuple(fields), codes, position, bad


def _decode(row: tuple) -> ParsedRow:
    number, fields, codes, position, bad = row
    fields = list(fields)
    fromordinal = dt.date.fromordinal
    for i in _DATES:
        if fields[i] is not None:
            fields[i] = fromordinal(fields[i])
    if position is not None and position[0] == "ok" and position[3] is not None:
        position = (*position[:3], fromordinal(position[3]), position[4])
    return number, tuple(fields), codes, position, bad


def store(upload: str | Path, sha256: str, total: int) -> callable:  # type: ignore[valid-type]
    """A `keep_parsed` for import_people: passes the rows on while writing them; the store becomes visible
    when the last row has gone by (call `discard` if the preview then finds problems)."""

    def keep(sheet: PeopleSheet, rows: Iterator[ParsedRow]) -> Iterator[ParsedRow]:
        final = path_for(upload)
        part = Path(f"{final}.part")
        header = {"version": VERSION, "sha256": sha256, "total": total, "mapping": sheet.mapping,
                  "title": sheet.title, "fields": list(PERSON_FIELDS)}  # fmt: skip
        with part.open("wb") as fh:
            marshal.dump(header, fh)
            chunk: list = []
            for row in rows:
                chunk.append(_encode(row))
                if len(chunk) == CHUNK:
                    marshal.dump(chunk, fh)
                    chunk = []
                yield row
            marshal.dump(chunk, fh)
            marshal.dump(None, fh)
        part.replace(final)

    return keep


def load(upload: str | Path, sha256: str) -> tuple[PeopleSheet, Iterator[ParsedRow], int] | None:
    """The stored rows of `upload` if a complete store of this very file exists, else None."""
    path = path_for(upload)
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return None
    try:
        header = marshal.load(fh)
    except (EOFError, ValueError, TypeError):
        fh.close()
        return None
    if not (
        isinstance(header, dict) and header.get("version") == VERSION and header.get("sha256") == sha256
        and header.get("fields") == list(PERSON_FIELDS)
    ):  # fmt: skip
        fh.close()
        return None
    sheet = PeopleSheet(header["mapping"], header["title"])

    def rows() -> Iterator[ParsedRow]:
        with fh:
            while (chunk := marshal.load(fh)) is not None:
                for row in chunk:
                    yield _decode(row)

    return sheet, rows(), header["total"]
