"""History in words: a record's history rows turned into sentences a member of a Party committee reads.

django-simple-history stores raw values (choice codes, ids, booleans, Decimals, UTC datetimes, role codes,
reason codes). This module renders them: field labels and choice labels in the active language, the names
of referenced records (fetched in bulk, one query per model and page), "Yes"/"No", dd/mm/yyyy dates,
"HH:MM dd/mm/yyyy" times in the local time zone, numbers without trailing zeros in the local format, and
the actor with the *name* of the role they acted through.

Core imports no context, so what only a context knows is registered here from its ``AppConfig.ready()``:

- ``register_role_names(resolver)``: role codes → role names (roles are data in another context);
- ``describe(model, ...)``: per model, the verb of each status a record can move to, the labels of codes
  kept in JSON lists, and the labels of the change reasons its services write (``None`` for a reason the
  verb already says).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

from . import cross_scope
from .vocabulary import RoleCode

SYSTEM_ROLE = RoleCode.SYSTEM  # the role code `Actor.grant_for` stamps for commands and jobs (see core.actor)

# A datetime field set within this long of the history row itself only repeats the entry's own time.
SAME_MOMENT = dt.timedelta(minutes=2)

RoleNames = Callable[..., Mapping[str, str]]
Label = str | Promise


@dataclass(frozen=True)
class Description:
    """What a context tells the history pages about one of its models."""

    status_field: str = "status"
    status_verbs: Mapping[str, Label] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[str, Label]] = field(default_factory=dict)
    reasons: Mapping[str, Label | None] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()


_role_names: list[RoleNames] = []
_descriptions: dict[type[models.Model], Description] = {}


def register_role_names(resolver: RoleNames) -> None:
    """Register the one function that maps role codes to role names: ``resolver(codes=[...]) -> {code: name}``."""
    _role_names[:] = [resolver]


def describe(
    model: type[models.Model],
    *,
    status_field: str = "status",
    status_verbs: Mapping[str, Label] | None = None,
    value_labels: Mapping[str, Iterable[tuple[str, Label]] | Mapping[str, Label]] | None = None,
    reasons: Mapping[str, Label | None] | None = None,
    hidden: Iterable[str] = (),
) -> None:
    """Describe `model` to the history pages (called from the owning context's ``AppConfig.ready()``).

    `status_verbs` maps a status value to the verb phrase of moving there ("approved the plan");
    `value_labels` maps a JSON field to the labels of the codes it lists (e.g. a TextChoices' ``choices``);
    `reasons` maps a change-reason code written by the services to its label, or to ``None`` when the
    verb of the entry already says it (a reason with ``" *"`` at the end matches any last word, given to
    the label as ``%(value)s``); `hidden` names fields that are bookkeeping only.
    """
    _descriptions[model] = Description(
        status_field=status_field,
        status_verbs=dict(status_verbs or {}),
        value_labels={name: dict(labels) for name, labels in (value_labels or {}).items()},
        reasons=dict(reasons or {}),
        hidden=frozenset(hidden),
    )


@dataclass
class Change:
    """One field of an entry, before and after, in words (``None`` shows as an empty value)."""

    label: str
    old: str | None
    new: str | None


@dataclass
class Entry:
    """One history row in words: who (role, organization) did what, when, and what changed."""

    record: Any
    kind: str  # "+" created, "~" changed, "-" deleted
    actor: str
    role: str
    org: str
    verb: str
    when: str
    reason: str
    status: Change | None
    changes: list[Change]


@dataclass
class _Raw:
    field: models.Field
    old: Any
    new: Any


# ---------------------------------------------------------------------------------------------- values


def format_datetime(value: dt.datetime) -> str:
    """The time as HH:MM dd/mm/yyyy, in the local time zone."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, "H:i d/m/Y")


def format_date(value: dt.date) -> str:
    """dd/mm/yyyy."""
    return dateformat.format(value, "d/m/Y")


def format_number(value: Decimal | float | int) -> str:
    """A number without trailing zeros, with the decimal separator of the active language ("7,5")."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        else:
            value = value.normalize()
        return number_format(value, use_l10n=True)
    return str(value)


def yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def _join(parts: Iterable[str]) -> str:
    return ", ".join(p for p in parts if p)


def _plain(value: Any, labels: Mapping[str, Label]) -> str:
    """A value found inside a JSON document."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, (int, float, Decimal)):
        return format_number(value)
    if isinstance(value, str):
        return str(labels.get(value, value))
    if isinstance(value, (list, tuple)):
        return _join(_plain(v, labels) for v in value)
    if isinstance(value, dict):
        return _join(_plain(v, labels) for v in value.values())
    return str(value)


class _Words:
    """Formats the raw values of one history page; the names of referenced records are fetched in bulk."""

    def __init__(self, model: type[models.Model], description: Description) -> None:
        self.model = model
        self.description = description
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.names: dict[type[models.Model], dict[Any, str]] = {}
        self.hidden: dict[type[models.Model], set[Any]] = {}

    # What to show --------------------------------------------------------------------------------------

    def shown(self, f: models.Field) -> bool:
        """A field a reader cares about: editable, with a translatable label, not declared bookkeeping."""
        if f.primary_key or not f.editable or f.name in self.description.hidden:
            return False
        # A field declared without a translated label (ordering, "created by", links kept for the code) is
        # bookkeeping: its automatic label would be English.
        return isinstance(f.verbose_name, Promise)

    def want(self, f: models.Field, value: Any) -> None:
        """Note the referenced ids to fetch (foreign keys, and the members of many-to-many sets)."""
        if value is None:
            return
        if f.many_to_many:
            self.wanted[f.related_model].update(value)
        elif f.is_relation:
            self.wanted[f.related_model].add(value)

    def fetch(self) -> None:
        """One query per referenced model for the whole page."""
        user_model = _user_model()
        for model, ids in self.wanted.items():
            ids.discard(None)
            if not ids:
                continue
            manager = model._default_manager
            # Names are read within the reader's scope like everything else: a record of another branch
            # (a cell before a move, say) is named as such, never by its name.
            rows = manager.all().filter(pk__in=ids)
            if model is user_model:
                self.names[model] = {u.pk: u.get_full_name() or u.get_username() for u in rows}
            else:
                self.names[model] = {obj.pk: str(obj) for obj in rows}
            missing = ids - set(self.names[model])
            if missing and hasattr(manager, "unscoped"):
                self.hidden[model] = cross_scope.existing_ids(model, missing)

    # How to show it ------------------------------------------------------------------------------------

    def label(self, f: models.Field) -> str:
        return capfirst(str(f.verbose_name))

    def value(self, f: models.Field, value: Any) -> str | None:
        """The value of field `f` in words; ``None`` when there is nothing (shown as an empty cell)."""
        if value is None or value == "" or value == [] or value == {}:
            return None
        if f.many_to_many:
            names = self.names.get(f.related_model, {})
            hidden = self.hidden.get(f.related_model, set())
            return _join(sorted((names.get(pk) or _elsewhere(pk in hidden)) for pk in value)) or None
        if f.is_relation:
            return self.names.get(f.related_model, {}).get(value) or _elsewhere(
                value in self.hidden.get(f.related_model, set())
            )
        if f.choices:
            choices = dict(f.flatchoices)
            if value in choices:
                return str(choices[value])
        if isinstance(f, models.BooleanField):
            return yes_no(bool(value))
        if isinstance(value, dt.datetime):
            return format_datetime(value)
        if isinstance(value, dt.date):
            return format_date(value)
        if isinstance(value, (Decimal, float, int)) and not isinstance(value, bool):
            return format_number(value)
        if isinstance(f, models.JSONField) or isinstance(value, (list, tuple, dict)):
            return _plain(value, self.description.value_labels.get(f.name, {})) or None
        return str(value)

    def change(self, raw: _Raw) -> Change:
        return Change(self.label(raw.field), self.value(raw.field, raw.old), self.value(raw.field, raw.new))

    def reason(self, code: str | None) -> str:
        """The change reason in words; "" when the entry's verb already says it."""
        if not code:
            return ""
        reasons = self.description.reasons
        if code in reasons:
            label = reasons[code]
            return "" if label is None else str(label)
        head, _, last = code.rpartition(" ")
        pattern = f"{head} *"
        if head and pattern in reasons:
            label = reasons[pattern]
            return "" if label is None else str(label) % {"value": last}
        return code  # typed by a person (the admin's reason field): shown as written


def _deleted() -> str:
    return pgettext("history", "a deleted record")


def _elsewhere(exists: bool) -> str:
    """A referenced record the reader may not see (outside their organizations), or one since deleted."""
    return pgettext("history", "a record outside your organizations") if exists else _deleted()


def _user_model() -> type[models.Model]:
    from django.contrib.auth import get_user_model

    return get_user_model()


# ---------------------------------------------------------------------------------------------- entries


def _m2m_sets(records: list[Any], fields: list[models.Field]) -> dict[str, dict[int, set[Any]]]:
    """For each many-to-many field, the related ids every history row held: one query per field."""
    out: dict[str, dict[int, set[Any]]] = {}
    for f in fields:
        through = getattr(records[0], f.name).model  # the historical through table of `f`
        target = next(
            t.attname
            for t in through._meta.concrete_fields
            if t.is_relation and t.related_model is f.related_model
        )
        per_row: dict[int, set[Any]] = defaultdict(set)
        rows = through._default_manager.filter(history__in=[r.pk for r in records])
        for history_id, related_id in rows.values_list("history_id", target):
            per_row[history_id].add(related_id)
        out[f.name] = per_row
    return out


def _actor_name(rec: Any) -> str:
    user = rec.history_user
    if user is not None:
        return user.get_full_name() or user.get_username()
    label = (rec.actor_label or "").strip()
    if not label or label == SYSTEM_ROLE:
        return gettext("system")
    return label


def _verb(kind: str, model: type[models.Model], status: _Raw | None, description: Description) -> str:
    if status is not None and status.new in description.status_verbs:
        return str(description.status_verbs[status.new])
    name = str(model._meta.verbose_name)
    if kind == "+":
        return pgettext("history", "created the %(object)s") % {"object": name}
    if kind == "-":
        return pgettext("history", "deleted the %(object)s") % {"object": name}
    return pgettext("history", "changed the %(object)s") % {"object": name}


def history_entries(instance: models.Model, *, limit: int = 200) -> list[Entry]:
    """The record's history in words, newest first: actor with role and organization, verb, time, changes.

    Queries: the history rows, the role names, one per referenced model, one per many-to-many field.
    """
    model = type(instance)._meta.concrete_model or type(instance)
    description = _descriptions.get(model, Description())
    records = list(instance.history.all().select_related("history_user")[: limit + 1])  # type: ignore[attr-defined]
    if not records:
        return []
    words = _Words(model, description)
    opts = model._meta
    fields = [f for f in opts.concrete_fields if words.shown(f)]
    tracked = {f.name for f in records[0].tracked_fields}
    fields = [f for f in fields if f.name in tracked]
    m2m_fields = [f for f in getattr(records[0], "_history_m2m_fields", []) if words.shown(f)]
    m2m = _m2m_sets(records, m2m_fields) if m2m_fields else {}

    raw_entries: list[tuple[Any, list[_Raw]]] = []
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        raws: list[_Raw] = []
        if rec.history_type == "+" or (rec.history_type == "~" and prev is None):
            for f in fields:
                value = getattr(rec, f.attname, None)
                if value in (None, "", [], {}) or value is False:
                    continue  # a new record's empty values and unset flags say nothing
                raws.append(_Raw(f, None, value))
            for f in m2m_fields:
                if m2m[f.name].get(rec.pk):
                    raws.append(_Raw(f, None, m2m[f.name][rec.pk]))
        elif rec.history_type == "~":
            for f in fields:
                old, new = getattr(prev, f.attname, None), getattr(rec, f.attname, None)
                if old == new:
                    continue
                if (
                    isinstance(new, dt.datetime)
                    and isinstance(f, models.DateTimeField)
                    and abs(new - rec.history_date) <= SAME_MOMENT
                ):
                    continue  # "submitted at" set by this very entry: its time is the entry's time
                raws.append(_Raw(f, old, new))
            for f in m2m_fields:
                old_set, new_set = m2m[f.name].get(prev.pk, set()), m2m[f.name].get(rec.pk, set())
                if old_set != new_set:
                    raws.append(_Raw(f, old_set, new_set))
        for raw in raws:
            words.want(raw.field, raw.old)
            words.want(raw.field, raw.new)
        raw_entries.append((rec, raws))

    words.fetch()
    codes = {
        rec.actor_role
        for rec, _ in raw_entries
        if rec.actor_role and rec.actor_role not in (SYSTEM_ROLE, RoleCode.SELF)
    }
    roles: Mapping[str, str] = {}
    if codes and _role_names:
        roles = _role_names[0](codes=sorted(codes))

    entries = []
    for rec, raws in raw_entries:
        status_raw = next((r for r in raws if r.field.name == description.status_field), None)
        if rec.history_type != "~":
            status_raw = None  # a new record's status is one of its values, not a transition
        is_system = rec.actor_role == SYSTEM_ROLE
        # Acting on one's own record (role "self") is said with the name alone: no role, no organization.
        on_own_record = rec.actor_role == RoleCode.SELF
        entries.append(
            Entry(
                record=rec,
                kind=rec.history_type,
                actor=_actor_name(rec),
                # An unknown role code (a role since deleted) is left out rather than shown as a code.
                role="" if is_system else roles.get(rec.actor_role, ""),
                # A system entry's "organization" is the command's reason, not an organization.
                org="" if is_system or on_own_record else rec.actor_org,
                verb=_verb(rec.history_type, model, status_raw, description),
                when=format_datetime(rec.history_date),
                reason=words.reason(rec.history_change_reason),
                status=words.change(status_raw) if status_raw else None,
                changes=[words.change(r) for r in raws if r is not status_raw],
            )
        )
    return entries


__all__ = [
    "Change",
    "Description",
    "Entry",
    "describe",
    "format_date",
    "format_datetime",
    "format_number",
    "history_entries",
    "register_role_names",
]
