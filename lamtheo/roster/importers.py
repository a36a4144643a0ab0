"""Validate every row of a roster sheet, then (on commit) hand complete rows to the fast write path.

One pass decides, for each row, create / update / unchanged or a list of problems; problems are reported
as *row · column · what is wrong · what was found*. The same pass runs for the preview (nothing kept)
and for the commit (rows kept, written only when there is no problem at all).
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.legacy import Encoding, detect, legacy_cell, maybe_legacy, reads_better, to_unicode
from lamtheo.core.spreadsheets import Limits, Table
from lamtheo.core.text import clean, fold
from lamtheo.core.xlsx_rows import column_letters
from lamtheo.organizations import bulk
from lamtheo.organizations.models import OrgKind
from lamtheo.organizations.policies import ADD_ORG, CHANGE_ORG, CHANGE_PERSON
from lamtheo.organizations.services import person_validate

from .columns import CellError, columns_for, match_header, parse_bool, parse_date, parse_gender, parse_text

MAX_PROBLEMS = 500
MAX_NOTES = 200
# Characters no roster cell may hold (an .xlsx escape such as _x0007_ becomes one): refused with row and column.
# Codes and phone numbers typed with Excel's text mark ('0020) keep it in a CSV: removed, as Excel does.
APOSTROPHE_FIELDS = frozenset({"code", "parent", "party_cell", "workplace", "residence_cell", "position_org", "phone"})
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DETECT_ROWS = 2000
PROGRESS_EVERY = 5000


@dataclass
class Outcome:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problem_count: int = 0
    problems: list[dict] = field(default_factory=list)
    legacy: Encoding = Encoding.UNICODE
    legacy_rows: int = 0  # rows with a legacy-font cell inside an otherwise Unicode file
    text_encoding: str = ""
    note_count: int = 0
    notes: list[dict] = field(default_factory=list)  # what was changed on the way in: converted, apostrophe
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    positions: list = field(default_factory=list)
    reused: bool = False  # the rows came parsed from the preview (checked.py), not from the file

    def problem(self, row: int, column: str, message: str, found: object = "") -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            text = "" if found is None else str(found)
            self.problems.append(
                {
                    "row": row,
                    "column": column,
                    "message": str(message),
                    "found": text[:60] + ("…" if len(text) > 60 else ""),
                }
            )

    def note(self, row: int, column: str, message: str, found: object = "", became: object = "") -> None:
        """A value taken in changed (a legacy-font cell converted, Excel's text apostrophe removed)."""
        self.note_count += 1
        if len(self.notes) < MAX_NOTES:
            self.notes.append({
                "row": row, "column": column, "message": str(message), "found": str(found)[:60],
                "became": str(became)[:60],
            })  # fmt: skip

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


Progress = Callable[[int, int], None]


def _col_index(ref: str) -> tuple[int, int]:
    letters = "".join(c for c in ref if c.isalpha())
    number = int("".join(c for c in ref if c.isdigit()))
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1, number


def _prepare(
    table: Table, kind: str, out: Outcome
) -> tuple[dict[str, int], Iterator[tuple[int, list]]] | None:
    """Header mapping, formula cells and legacy-encoding detection; None when the sheet cannot go further."""
    columns = columns_for(kind)
    head = list(itertools.islice(table.rows, DETECT_ROWS))
    # An old sheet's headers are in its legacy font too ("M· c¸n bé"): each header cell is read as it was
    # typed, and those in a legacy font count as evidence for the file (a modern header does not outweigh
    # legacy rows pasted under it).
    legacy_headers = [h for h in table.header if h and legacy_cell(h) is not None]
    out.legacy = detect([*legacy_headers, *(v for _n, row in head for v in row if isinstance(v, str))])
    header = [_legacy_header(h, out.legacy) for h in table.header]
    if header != table.header:
        out.note(1, "", _("The column headers were typed in an old Vietnamese font and have been converted."),
                 ", ".join(h for h in table.header if h), ", ".join(h for h in header if h))  # fmt: skip
        table.header = header
    mapping, header_problems = match_header(table.header, columns)
    for message in header_problems:
        out.problem(1, "", message, ", ".join(h for h in table.header if h)[:60])
    if header_problems:
        return None
    out.text_encoding = table.text_encoding
    if not head:
        out.problem(1, "", _("The sheet has headers but no data rows."), "")
        return None
    return mapping, itertools.chain(head, table.rows)


def _legacy_header(text: str, encoding: Encoding) -> str:
    """A header cell read as it was typed: in the file's legacy font when it looks legacy, in the font its own
    letters say otherwise; a Unicode header is left as it is (converting it would garble it)."""
    if not text or text.isascii():
        return text
    if encoding is not Encoding.UNICODE:
        converted = to_unicode(text, encoding)
        return converted if reads_better(converted, text) else text
    found = legacy_cell(text)
    return found[0] if found else text


class _CellReader:
    """Picks a row's mapped cells at C speed (itemgetter), checks lengths and converts legacy text."""

    def __init__(self, mapping: list[tuple[str, int]], legacy: Encoding, max_chars: int, header: list[str]):
        self.names = [name for name, _index in mapping]
        self.indexes = [index for _name, index in mapping]
        self.width = max(self.indexes) + 1
        self.get = operator.itemgetter(*self.indexes) if len(self.indexes) > 1 else None
        self.legacy, self.max_chars, self.header = legacy, max_chars, header

    def _apostrophes(self, cells: dict[str, object], number: int, out: Outcome) -> None:
        """Excel's text mark kept by a CSV ('0020): removed from codes and phone numbers, and said so."""
        for name, index in zip(self.names, self.indexes, strict=True):
            value = cells[name]
            if name in APOSTROPHE_FIELDS and isinstance(value, str) and value.startswith("'"):
                cells[name] = value[1:]
                out.note(number, self.header[index], _("Excel's text mark (') removed"), value, value[1:])

    def __call__(self, row: list, number: int, out: Outcome) -> dict[str, object] | None:
        """The mapped cells by field name; None (with a problem recorded) when a cell is too long."""
        if len(row) < self.width:
            row = [*row, *([None] * (self.width - len(row)))]
        values = self.get(row) if self.get is not None else (row[self.indexes[0]],)
        texts = [v for v in values if v.__class__ is str]
        joined = "\x00".join(texts)
        if len(joined) > self.max_chars:  # one cell may be too long: find it
            for name_index, value in zip(self.indexes, values, strict=True):
                if isinstance(value, str) and len(value) > self.max_chars:
                    message = _("the value is too long (%(n)s characters)") % {"n": len(value)}
                    out.problem(number, self.header[name_index], message, value)
                    return None
        if _CONTROL.search(joined) is not None:
            for name_index, value in zip(self.indexes, values, strict=True):
                if isinstance(value, str) and (bad := _CONTROL.search(value)) is not None:
                    message = _("a control character (U+%(code)04X) that no text may hold: retype the cell") % {
                        "code": ord(bad.group())
                    }
                    out.problem(number, self.header[name_index], message, value.encode("unicode_escape").decode())
                    return None
        cells = dict(zip(self.names, values, strict=True))
        if "'" in joined:
            self._apostrophes(cells, number, out)
        if self.legacy is not Encoding.UNICODE:
            for name, value in cells.items():
                if isinstance(value, str):
                    cells[name] = to_unicode(value, self.legacy)
            return cells
        if not texts or joined.isascii() or not maybe_legacy(joined):
            return cells
        # A row pasted from an old file: the font one of its cells gives away is the whole row's ("Cã" reads
        # as Vietnamese on its own, but beside "NguyÔn V¨n §øc" it is TCVN3 for "Có"). Unicode cells stay.
        encoding = next(
            (found[1] for v in texts if (found := legacy_cell(v)) is not None), None
        )
        if encoding is None:
            return cells
        message = _("typed in an old Vietnamese font (%(enc)s): converted") % {"enc": encoding.upper()}
        for name, index in zip(self.names, self.indexes, strict=True):
            value = cells[name]
            if isinstance(value, str) and not value.isascii() and all(ord(ch) <= 0xFF for ch in value):
                converted = to_unicode(value, encoding)
                if converted != value:
                    cells[name] = converted
                    out.note(number, self.header[index], message, value, converted)
        out.legacy_rows += 1
        return cells


def _data_rows(table, rows, read_cells, progress, counter, out):  # type: ignore[no-untyped-def]
    """(row number, mapped cells) of every non-empty row whose cells could be read; counts rows in `counter`
    and reports progress every few thousand. Formula cells, which the reader lists as it meets them, are
    problems (reported once the sheet has been read)."""
    for number, row in rows:
        count = next(counter)
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, out.total)
        if _empty(row):
            continue
        values = read_cells(row, number, out)
        if values is not None:
            yield number, values
    for ref in table.formula_cells:
        index, row_number = _col_index(ref)
        title = table.header[index] if index < len(table.header) else column_letters(index)
        out.problem(row_number, title, _("a formula where a value is expected: type the value itself"), ref)


def _empty(row: list) -> bool:
    first = row[0] if row else None
    if isinstance(first, str) and first.strip():
        return False
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _text(max_len: int):  # type: ignore[no-untyped-def]
    return lambda value: parse_text(value, max_len=max_len)


PERSON_PARSERS = (
    ("full_name", _text(160), None),
    ("gender", parse_gender, None),
    ("date_of_birth", parse_date, None),
    ("is_party_member", parse_bool, False),
    ("admission_date", parse_date, None),
    ("official_date", parse_date, None),
    ("phone", _text(20), ""),
    ("email", _text(254), ""),
)


PERSON_FIELDS = ("code", *(name for name, _parser, _default in PERSON_PARSERS), "search_name")
_DATE_FIELDS = frozenset({"date_of_birth", "admission_date", "official_date"})
ORG_COLUMNS = ("party_cell", "workplace", "residence_cell")


@dataclass
class PeopleSheet:
    """What the checks need to know about a people sheet besides its rows (kept with the parsed rows)."""

    mapping: dict[str, int]
    title: dict[str, str]

    @property
    def missing(self) -> list[str]:
        """Fields whose columns the file lacks: an update leaves the person's values as they are."""
        names = [name for name, _parser, _default in PERSON_PARSERS if name not in self.mapping]
        return names + [name for name in ORG_COLUMNS if name not in self.mapping]


# One parsed row: (row number, the person's fields in PERSON_FIELDS order, the organization codes in
# ORG_COLUMNS order (None where blank), the position (None, or a parse problem, or its parsed values),
# whether the row already has a problem). It depends on the file alone, never on the data.
ParsedRow = tuple[int, tuple, tuple, tuple | None, bool]


def _parse_people(sheet: PeopleSheet, rows: Iterator, out: Outcome) -> Iterator[ParsedRow]:
    """The file's side of the check: every cell parsed, problems with the cells recorded."""
    mapping, title = sheet.mapping, sheet.title
    parsers = [(name, parser) for name, parser, _default in PERSON_PARSERS if name in mapping]
    defaults = {name: default for name, _parser, default in PERSON_PARSERS if name not in mapping}
    has_position = "position_title" in mapping
    folds: dict[str, str] = {}
    for number, values in rows:
        before = out.problem_count
        data: dict[str, object] = dict(defaults)
        try:
            data["code"] = parse_text(values["code"], max_len=40)
        except CellError as exc:
            out.problem(number, title["code"], str(exc), values["code"])
        for name, parser in parsers:
            try:
                data[name] = parser(values[name])
            except CellError as exc:
                out.problem(number, title[name], str(exc), values[name])
        codes = []
        for name in ORG_COLUMNS:
            raw = values[name] if name in mapping else None
            codes.append(None if raw is None or raw == "" else raw if raw.__class__ is str else str(raw))
        name = data.get("full_name")
        if name.__class__ is str:
            folded = folds.get(name)
            if folded is None:
                folded = fold(name)
                if len(folds) < 200_000:  # names repeat: a city's roster has far fewer names than people
                    folds[name] = folded
            data["search_name"] = folded
        else:
            data["search_name"] = ""
        position = _parse_position(values, mapping, title) if has_position and values.get("position_title") else None
        yield number, tuple(map(data.get, PERSON_FIELDS)), tuple(codes), position, out.problem_count > before


def _parse_position(values: dict, mapping: dict, title: dict) -> tuple:
    """("bad", column, message, found) or ("ok", name, is_head, start, organization code)."""
    try:
        name = parse_text(values["position_title"], max_len=160)
        is_head = parse_bool(values.get("position_is_head")) if "position_is_head" in mapping else False
        start = parse_date(values.get("position_from")) if "position_from" in mapping else None
    except CellError as exc:
        return ("bad", title.get("position_title", ""), str(exc), values.get("position_title"))
    raw = values.get("position_org") if "position_org" in mapping else None
    return ("ok", name, is_head, start, None if raw in (None, "") else clean(str(raw)))


def import_people(
    *,
    actor: Actor,
    table: Table | None,
    collect: bool,
    limits: Limits,
    progress: Progress | None = None,
    parsed: tuple[PeopleSheet, Iterator[ParsedRow], int] | None = None,
    keep_parsed: Callable[[PeopleSheet, Iterator[ParsedRow]], Iterator[ParsedRow]] | None = None,
) -> Outcome:
    """Validate (and, with `collect`, keep) every person row for `actor`: read from `table`, or taken as
    `parsed` by an earlier run of the same file (the checks against the data always run again here).
    `keep_parsed` sees the parsed rows go by (the preview stores them for its commit)."""
    if parsed is not None:
        sheet, stream, total = parsed
        out = Outcome(total=total)
    else:
        assert table is not None
        out = Outcome(total=table.total_rows)
        prepared = _prepare(table, "people", out)
        if prepared is None:
            return out
        mapping, rows = prepared
        title = {c.field: table.header[mapping[c.field]] for c in columns_for("people") if c.field in mapping}
        sheet = PeopleSheet(mapping, title)
        read_cells = _CellReader(list(mapping.items()), out.legacy, limits.max_cell_chars, table.header)
        counter = itertools.count(1)
        stream = _parse_people(sheet, _data_rows(table, rows, read_cells, progress, counter, out), out)
        if keep_parsed is not None:
            stream = keep_parsed(sheet, stream)
    count = _check_people(actor, sheet, stream, collect, out, progress)
    if parsed is None:
        count = next(counter) - 1  # rows read, blank ones included
    out.total = count
    if progress is not None:
        progress(count, count)
    if not out.ok:
        out.creates, out.updates, out.positions = [], [], []
    return out


def _check_people(actor, sheet, stream, collect, out, progress):  # type: ignore[no-untyped-def]
    """The data's side of the check, row by row: organizations, the person as they are now, permissions,
    the membership rules, what changes. Returns the number of rows seen."""
    mapping, title = sheet.mapping, sheet.title
    orgs = bulk.org_index(actor=actor)
    missing = sheet.missing
    kept_db = [f"{name}_id" if name in ORG_COLUMNS else name for name in missing]
    people = bulk.person_index(actor=actor, keep=kept_db)
    refs_by_id = bulk.org_refs_by_id() if any(n.endswith("_id") for n in kept_db) else {}
    refs_by_id.update({ref.id: ref for ref in orgs.values()})  # with the actor's permissions where visible
    held = bulk.open_positions() if "position_title" in mapping else set()
    heads = bulk.open_heads() if "position_title" in mapping else {}
    seen: dict[str, int] = {}
    today = timezone.localdate()
    find_org = orgs.get
    org_slots = [(i, name) for i, name in enumerate(ORG_COLUMNS) if name in mapping]
    n_fields = len(PERSON_FIELDS)
    rows_seen = 0
    changeable: dict[str, bool] = {}  # path → whether the actor may change people there (asked once a path)

    def may_change(path: str) -> bool:
        found = changeable.get(path)
        if found is None:
            found = changeable[path] = actor.has_perm(CHANGE_PERSON, path)
        return found

    def org(raw: str, name: str, number: int):  # type: ignore[no-untyped-def]
        """The slow path: codes with stray spaces; an unknown code is a problem."""
        code = clean(raw)
        ref = orgs.get(code)
        if ref is None:
            out.problem(
                number, title[name], _("unknown organization code, or one outside your organizations"), code
            )
        return ref

    for number, fields, codes, position, bad in stream:
        rows_seen += 1
        if progress is not None and rows_seen % PROGRESS_EVERY == 0 and out.total:
            progress(rows_seen, out.total)
        before = out.problem_count
        data = dict(zip(PERSON_FIELDS, fields, strict=True)) if len(fields) == n_fields else {}
        data["party_cell"] = data["workplace"] = data["residence_cell"] = None
        for i, name in org_slots:
            raw = codes[i]
            if raw is None:
                continue
            ref = find_org(raw)  # the usual case: an exact code
            if ref is None:
                ref = org(raw, name, number)
                if ref is None:
                    continue
            data[name] = ref
        if bad or out.problem_count > before:
            continue
        code = data["code"]
        if not code:
            out.problem(number, title["code"], _("the person code is required"), "")
            continue
        if code in seen:
            out.problem(
                number,
                title["code"],
                _("the same code is already on row %(row)s") % {"row": seen[code]},
                code,
            )
            continue
        seen[code] = number
        existing = people.get(code)
        if existing is not None and not existing.visible:
            out.problem(
                # Worded like an unknown organization code: the refusal does not say that the person exists.
                number, title["code"], _("this code cannot be used from your organizations: check it, or ask the "
                                         "organization officer above"), code
            )
            continue
        if existing is not None and missing:
            for name, value in zip(missing, existing.kept, strict=True):
                data[name] = refs_by_id.get(value) if name in ORG_COLUMNS else value
        try:
            person_validate(data, today=today)
        except DomainError as exc:
            field_name = exc.field or ""
            out.problem(number, title.get(field_name, ""), exc.message, _shown(data.get(field_name, "")))
            continue
        party_cell, workplace, residence = data["party_cell"], data["workplace"], data["residence_cell"]
        if existing is not None and not any(
            may_change(path) for path in existing.manageable_paths
        ):  # changing someone needs the right over where they are now, not only where the file puts them
            out.problem(number, title["code"], _("you may not change this person"), code)
            continue
        perm = "can_change_person" if existing else "can_add_person"
        if not any(getattr(o, perm) for o in (party_cell, workplace) if o is not None):
            target = party_cell or workplace
            out.problem(number, title.get("party_cell" if party_cell else "workplace", ""),
                        _("you may not add or change people in this organization"), target.code)  # fmt: skip
            continue
        record = (
            code, data["full_name"], data["search_name"], data["gender"], data["date_of_birth"],
            data["is_party_member"], data["admission_date"], data["official_date"],
            party_cell.id if party_cell else None, workplace.id if workplace else None,
            residence.id if residence else None, data["phone"], data["email"],
        )  # fmt: skip
        if existing is not None:
            if existing.signature == bulk.signature_of(record):
                out.unchanged += 1
            else:
                out.updated += 1
                if collect:
                    out.updates.append((existing.id, record))
        else:
            out.created += 1
            if collect:
                out.creates.append(record)
        if position is not None:
            _position(position, title, number, code, existing, orgs, held, heads, collect, out)
    return rows_seen


def _shown(value: object) -> object:
    """A checked value as the problem list shows it (a date as typed in Vietnam, an organization by code)."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return getattr(value, "code", value)


def _position(position, title, number, code, existing, orgs, held, heads, collect, out) -> None:  # type: ignore[no-untyped-def]
    if position[0] == "bad":
        out.problem(number, position[1], position[2], position[3])
        return
    _ok, name, is_head, start, org_code = position
    ref = orgs.get(org_code) if org_code is not None else None
    if ref is None:
        out.problem(number, title.get("position_org", title["position_title"]),
                    _("a position needs the code of its organization (one of yours)"), org_code)  # fmt: skip
        return
    if start is None:
        out.problem(
            number,
            title.get("position_from", title["position_title"]),
            _("a position needs its start date"),
            "",
        )
        return
    if not ref.can_add_position:
        out.problem(
            number, title["position_org"], _("you may not record positions in this organization"), ref.code
        )
        return
    if existing is not None and (existing.id, ref.id, name) in held:
        return
    # The same rules as recording a position by hand (services.position_create).
    column = title.get("position_org", title["position_title"])
    if ref.is_closed:
        out.problem(number, column, _("%(org)s is closed.") % {"org": ref.name}, ref.code)
        return
    if start < ref.valid_from:
        out.problem(
            number,
            title.get("position_from", column),
            _("the position must start while the organization exists"),
            start,
        )
        return
    if is_head:
        who = existing.id if existing is not None else f"code:{code}"
        if heads.get(ref.id, who) != who:
            out.problem(number, column, _("this organization already has a head in office"), ref.code)
            return
        heads[ref.id] = who
    if collect:
        out.positions.append((code, ref.id, name, is_head, start, None))


KIND_LABELS = {fold(str(label)): value for value, label in OrgKind.choices}
KIND_LABELS.update({fold(v): v for v in OrgKind.values})
KIND_LABELS.update({"chi bo": OrgKind.PARTY_CELL, "dang bo": OrgKind.PARTY_COMMITTEE, "to dang": OrgKind.PARTY_GROUP,
                    "ubnd": OrgKind.PEOPLES_COMMITTEE, "mttq": OrgKind.FRONT, "doan the": OrgKind.MASS_ORG,
                    "co quan": OrgKind.AGENCY, "ban tham muu": OrgKind.ADVISORY_BODY})  # fmt: skip


def import_organizations(
    *, actor: Actor, table: Table, collect: bool, limits: Limits, progress: Progress | None = None
) -> Outcome:
    """Validate (and, with `collect`, keep) every organization row; parents may come later in the file."""
    out = Outcome(total=table.total_rows)
    prepared = _prepare(table, "organizations", out)
    if prepared is None:
        return out
    mapping, rows = prepared
    header = table.header
    title = {c.field: header[mapping[c.field]] for c in columns_for("organizations") if c.field in mapping}
    read_cells = _CellReader(list(mapping.items()), out.legacy, limits.max_cell_chars, header)
    visible = bulk.org_index(actor=actor)
    everywhere = bulk.org_codes()
    details = bulk.org_details()
    parsed: dict[str, dict] = {}
    counter = itertools.count(1)
    for number, values in _data_rows(table, rows, read_cells, progress, counter, out):
        before = out.problem_count
        data: dict[str, object] = {"row": number}
        for name, parser in (
            ("code", lambda v: parse_text(v, max_len=40)),
            ("name", lambda v: parse_text(v, max_len=255)),
            ("short_name", lambda v: parse_text(v, max_len=120)),
            ("parent", lambda v: parse_text(v, max_len=40)),
            ("valid_from", parse_date),
            ("is_grassroots", parse_bool),
            ("note", lambda v: parse_text(v, max_len=2000)),
        ):
            if name not in mapping:
                data[name] = False if name == "is_grassroots" else ""
                continue
            try:
                data[name] = parser(values[name])
            except CellError as exc:
                out.problem(number, title[name], str(exc), values[name])
        kind = KIND_LABELS.get(fold(str(values.get("kind") or "")))
        if kind is None:
            out.problem(number, title["kind"], _("unknown kind of organization"), values.get("kind"))
        data["kind"] = kind
        for name in ("code", "name", "valid_from"):
            if not data.get(name) and out.problem_count == before:
                out.problem(number, title[name], _("this value is required"), "")
        if out.problem_count > before:
            continue
        code = data["code"]
        if code in parsed:
            out.problem(
                number,
                title["code"],
                _("the same code is already on row %(row)s") % {"row": parsed[code]["row"]},
                code,
            )
            continue
        if code in everywhere and code not in visible:
            out.problem(number, title["code"], _("this code belongs to an organization outside yours"), code)
            continue
        parsed[code] = data
    today = timezone.localdate()
    for code, data in parsed.items():
        number, parent_code = data["row"], data["parent"]
        existing = visible.get(code)
        if existing is not None:
            current_parent, signature = details[existing.id]
            if parent_code != (current_parent or ""):
                out.problem(
                    number, title["parent"], _("to move an organization use its Move screen"), parent_code
                )
                continue
            if not actor.has_perm(CHANGE_ORG, existing.path):
                out.problem(number, title["code"], _("you may not change this organization"), code)
                continue
            changed = (
                data["name"],
                data["short_name"],
                data["kind"],
                data["valid_from"],
                data["is_grassroots"],
                data["note"],
            )
            if signature == hash(changed):
                out.unchanged += 1
            else:
                out.updated += 1
                if collect:
                    out.updates.append((existing.id, data))
            continue
        # A new organization: its parent is in the system (and the actor may add under it) or in this file.
        chain, anchor, seen_codes = [code], parent_code, {code}
        while anchor in parsed and anchor not in visible:
            if anchor in seen_codes:
                break
            seen_codes.add(anchor)
            chain.append(anchor)
            anchor = parsed[anchor]["parent"]
        if anchor in seen_codes:
            out.problem(number, title["parent"], _("the parents in this file form a cycle"), parent_code)
            continue
        ref = visible.get(anchor)
        if ref is None:
            out.problem(
                number,
                title["parent"],
                _("unknown parent code, or one outside your organizations"),
                parent_code,
            )
            continue
        if not actor.has_perm(ADD_ORG, ref.path):
            out.problem(
                number, title["parent"], _("you may not add organizations under this parent"), parent_code
            )
            continue
        if ref.is_closed:
            out.problem(number, title["parent"], _("the parent organization is closed"), parent_code)
            continue
        parent_start = parsed[parent_code]["valid_from"] if parent_code in parsed else ref.valid_from
        if data["valid_from"] < parent_start:
            out.problem(
                number,
                title["valid_from"],
                _("an organization cannot start before its parent"),
                data["valid_from"],
            )
            continue
        if data["valid_from"] > today:
            out.problem(number, title["valid_from"], _("this date is in the future"), data["valid_from"])
            continue
        out.created += 1
        if collect:
            out.creates.append(data)
    count = next(counter) - 1  # rows read, blank ones included
    out.total = count
    if progress is not None:
        progress(count, count)
    if not out.ok:
        out.creates, out.updates = [], []
    return out
