"""Writes on the organization tree and people. One service = one transaction, policy-checked and audited."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Permission
from django.db import IntegrityError, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor, Grant
from lamtheo.core.errors import DomainError, NotFound
from lamtheo.core.merging import move_rows, run_merge_hooks, save_with_history
from lamtheo.core.permissions import actor_scoped, require
from lamtheo.core.text import clean, fold
from lamtheo.core.vocabulary import PARTY_KINDS, OrgKind

from . import cross_scope
from .models import (
    Organization,
    ParentLink,
    Person,
    Position,
    Role,
    Succession,
    organization_search_text,
    path_segment,
)
from .policies import (
    MergePermissions,
    OrganizationPermissions,
    PeoplePermissions,
    PersonPermissions,
    PositionPermissions,
    TreePermissions,
)

ONE_DAY = dt.timedelta(days=1)

# Which kinds may be merged into which: same kind only, except that a party group may fold into a cell.
MERGE_COMPATIBLE: dict[str, frozenset[str]] = {kind: frozenset({kind}) for kind in OrgKind.values}
MERGE_COMPATIBLE[OrgKind.PARTY_GROUP] = frozenset({OrgKind.PARTY_GROUP, OrgKind.PARTY_CELL})


def _today() -> dt.date:
    return timezone.localdate()


def _check_visible(actor: Actor, org: Organization | None, field: str) -> None:
    if org is not None and not actor.can_see(org.path):
        raise NotFound(_("Unknown organization."), field=field)


def _validate_org_fields(*, code: str, name: str, valid_from: dt.date, valid_to: dt.date | None) -> None:
    if not code:
        raise DomainError(_("The code is required."), field="code")
    if not name:
        raise DomainError(_("The name is required."), field="name")
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The end date cannot be before the start date."), field="valid_to")


def _check_parent(actor: Actor, parent: Organization | None, valid_from: dt.date) -> Grant:
    """The grant allowing a new organization under `parent` (a new root: a whole-tree administrator's)."""
    if parent is None:
        return TreePermissions(actor).require("add_root")
    _check_visible(actor, parent, "parent")
    grant = require(
        OrganizationPermissions(actor, parent).can_add_child(),
        _("You may not add organizations under %(parent)s.") % {"parent": parent.name},
    )
    if parent.is_closed:
        raise DomainError(_("A closed organization cannot receive new sub-organizations."), field="parent")
    if valid_from < parent.valid_from:
        raise DomainError(_("An organization cannot start before its parent."), field="valid_from")
    return grant


@actor_scoped
def organization_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    parent: Organization | None,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    short_name: str = "",
    is_grassroots: bool = False,
    note: str = "",
) -> Organization:
    """Create an organization under `parent` (a root only for system administrators)."""
    code, name = clean(code), clean(name)
    _validate_org_fields(code=code, name=name, valid_from=valid_from, valid_to=valid_to)
    if kind not in OrgKind.values:
        raise DomainError(_("Unknown organization kind."), field="kind")
    grant = _check_parent(actor, parent, valid_from)
    if cross_scope.organization_code_taken(code=code):
        raise DomainError(
            _("Another organization already uses the code %(code)s.") % {"code": code}, field="code"
        )
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="create"):
        org = Organization(
            code=code,
            name=name,
            short_name=clean(short_name),
            kind=kind,
            parent=parent,
            valid_from=valid_from,
            valid_to=valid_to,
            is_grassroots=is_grassroots,
            note=note.strip(),
            search_name=organization_search_text(name, code, short_name),
        )
        org.skip_history_when_saving = True  # type: ignore[attr-defined]
        org.save()
        del org.skip_history_when_saving  # type: ignore[attr-defined]
        org.path = f"{parent.path if parent else '/'}{path_segment(org.pk)}/"
        org.depth = parent.depth + 1 if parent else 0
        org.save(update_fields=["path", "depth"])  # one history row, with the final path
        if parent is not None:
            ParentLink.objects.create(
                organization=org, parent=parent, valid_from=valid_from, valid_to=valid_to
            )
    return org


@actor_scoped
def organization_update(*, actor: Actor, organization: Organization, **fields: Any) -> Organization:
    """Edit an organization's descriptive fields (not its place in the tree: see move and merge)."""
    grant = OrganizationPermissions(actor, organization).require("change")
    allowed = {"code", "name", "short_name", "kind", "is_grassroots", "valid_from", "note"}
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for key in ("code", "name", "short_name"):
        if key in fields:
            fields[key] = clean(fields[key])
    merged = {f: fields.get(f, getattr(organization, f)) for f in allowed}
    _validate_org_fields(
        code=merged["code"],
        name=merged["name"],
        valid_from=merged["valid_from"],
        valid_to=organization.valid_to,
    )
    if merged["code"] != organization.code and cross_scope.organization_code_taken(
        code=merged["code"], exclude_pk=organization.pk
    ):
        raise DomainError(
            _("Another organization already uses the code %(code)s.") % {"code": merged["code"]}, field="code"
        )
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="update"):
        for key, value in merged.items():
            setattr(organization, key, value)
        organization.search_name = organization_search_text(
            organization.name, organization.code, organization.short_name
        )
        organization.save()
    return organization


def _relink_parent(org: Organization, new_parent: Organization, effective: dt.date) -> None:
    links = ParentLink.objects.all()
    current = links.filter(organization=org, valid_to__isnull=True).first()
    if current is not None:
        if current.valid_from >= effective:
            current.delete()  # replaced on the same day: keep one link per day
        else:
            current.valid_to = effective - ONE_DAY
            current.save(update_fields=["valid_to"])
    links.create(organization=org, parent=new_parent, valid_from=max(effective, org.valid_from))


def _check_effective(org: Organization, new_parent: Organization, effective: dt.date) -> None:
    """A change of parent takes effect today or in the past, not before the last one, and not before the
    new parent exists (the tree as of any date stays one tree)."""
    if effective > _today():
        raise DomainError(
            _("A move cannot take effect in the future: record it on the day."), field="effective"
        )
    if effective < new_parent.valid_from:
        raise DomainError(_("The new parent did not exist yet on that date."), field="effective")
    current = ParentLink.objects.filter(organization=org, valid_to__isnull=True).first()
    if current is not None and effective < current.valid_from:
        raise DomainError(
            _(
                "The organization has been under its current parent only since %(d)s; a change cannot take effect earlier."
            )
            % {"d": f"{current.valid_from:%d/%m/%Y}"},
            field="effective",
        )


def _move_subtree(org: Organization, new_parent: Organization, effective: dt.date) -> None:
    """Re-point `org` to `new_parent` and rewrite the materialised paths of its whole subtree."""
    old_path, new_path = org.path, f"{new_parent.path}{path_segment(org.pk)}/"
    depth_delta = new_parent.depth + 1 - org.depth
    # The actor's grant covers the organization, hence its whole subtree: every descendant is in scope.
    Organization.objects.filter(path__startswith=old_path).exclude(pk=org.pk).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1), output_field=models.CharField()),
        depth=F("depth") + depth_delta,
    )
    org.parent = new_parent
    org.path = new_path
    org.depth = new_parent.depth + 1
    org.save(update_fields=["parent", "path", "depth"])
    _relink_parent(org, new_parent, effective)


@actor_scoped
def organization_move(
    *, actor: Actor, organization: Organization, new_parent: Organization, effective: dt.date | None = None
) -> Organization:
    """Re-parent a subtree; refuses cycles, closed organizations and parents outside the actor's scope."""
    effective = effective or _today()
    _check_visible(actor, new_parent, "new_parent")
    perms = OrganizationPermissions(actor, organization)
    grant = require(perms.can_move_to(new_parent), perms.reason("move"))
    if new_parent.pk == organization.pk or new_parent.path.startswith(organization.path):
        raise DomainError(
            _("%(org)s cannot be moved under itself or one of its own sub-organizations.")
            % {"org": organization.name},
            field="new_parent",
        )
    if organization.is_closed or new_parent.is_closed:
        raise DomainError(
            _("Closed organizations cannot be moved or receive sub-organizations."), field="new_parent"
        )
    if organization.parent_id == new_parent.pk:
        raise DomainError(
            _("The organization is already under %(p)s.") % {"p": new_parent.name}, field="new_parent"
        )
    if effective < organization.valid_from:
        raise DomainError(_("The move cannot take effect before the organization exists."), field="effective")
    _check_effective(organization, new_parent, effective)
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="move"):
        _move_subtree(organization, new_parent, effective)
    return organization


def _check_merge_source(source: Organization, target: Organization, effective: dt.date) -> None:
    """One merged organization: a compatible kind, not above the successor, open, and nothing of it that
    would start after the day it closes."""
    if target.kind not in MERGE_COMPATIBLE[source.kind]:
        raise DomainError(
            _(
                "%(src)s (%(src_kind)s) cannot be merged into %(dst)s (%(dst_kind)s): the kinds are incompatible."
            )
            % {
                "src": source.name,
                "src_kind": source.get_kind_display(),
                "dst": target.name,
                "dst_kind": target.get_kind_display(),
            },
            field="target",
        )
    if target.path.startswith(source.path):
        raise DomainError(
            _("%(dst)s lies inside %(src)s, which is being merged.")
            % {"dst": target.name, "src": source.name},
            field="target",
        )
    if source.is_closed:
        raise DomainError(_("%(src)s is already closed.") % {"src": source.name}, field="sources")
    if effective <= source.valid_from:
        raise DomainError(
            _("The merge must take effect after %(src)s was founded.") % {"src": source.name},
            field="effective",
        )
    # What the merge closes the day before must have begun by then (else its dates would invert).
    late_position = Position.objects.filter(
        organization=source, to_date__isnull=True, from_date__gte=effective
    )
    late_link = ParentLink.objects.filter(
        organization=source, valid_to__isnull=True, valid_from__gte=effective
    )
    if late_position.exists() or late_link.exists():
        raise DomainError(
            _(
                "%(src)s has a position or a change of parent starting on or after that date; choose a later date."
            )
            % {"src": source.name},
            field="effective",
        )


def _check_merge(
    actor: Actor, sources: list[Organization], target: Organization, effective: dt.date
) -> Grant:
    """The grant allowing the merge, once every rule of a merge holds (DomainError otherwise)."""
    _check_visible(actor, target, "target")
    for source in sources:
        _check_visible(actor, source, "sources")
    if not sources:
        raise DomainError(_("Choose at least one organization to merge."), field="sources")
    if any(s.pk == target.pk for s in sources):
        raise DomainError(_("An organization cannot be merged into itself."), field="target")
    perms = MergePermissions(actor, sources)
    grant = require(perms.can_merge_into(target), perms.reason("merge_into"))
    for source in sources:
        _check_merge_source(source, target, effective)
    if effective > _today():
        raise DomainError(
            _("A merge cannot take effect in the future: record it on the day."), field="effective"
        )
    if target.is_closed:
        raise DomainError(_("The successor is closed."), field="target")
    if effective < target.valid_from:
        raise DomainError(_("The merge cannot take effect before the successor exists."), field="effective")
    return grant


# A person's organizations follow a merged one; positions end with it; grants and links stay (history).
PERSON_MERGE_FIELDS = ("party_cell", "workplace", "residence_cell")


def _merge_tree(sources: list[Organization], target: Organization, effective: dt.date, note: str) -> None:
    """The tree's own part of a merge: open sub-organizations and people move, positions end, the sources
    close the day before and are linked to the successor."""
    source_ids = [s.pk for s in sources]
    # Open sub-organizations follow their parent (closed ones stay where they were, for history).
    for child in Organization.objects.filter(parent_id__in=source_ids, valid_to__isnull=True):
        if not target.path.startswith(child.path):
            _move_subtree(child, target, effective)
    for field in PERSON_MERGE_FIELDS:
        move_rows(Person.objects.filter(**{f"{field}_id__in": source_ids}), field, target)
    ending = list(Position.objects.filter(organization_id__in=source_ids, to_date__isnull=True))
    for position in ending:
        position.to_date = effective - ONE_DAY
    save_with_history(ending, ["to_date"])
    for source in sources:
        source.valid_to = effective - ONE_DAY
        source.save(update_fields=["valid_to"])
        ParentLink.objects.filter(organization=source, valid_to__isnull=True).update(
            valid_to=effective - ONE_DAY
        )
        try:
            Succession.objects.create(
                predecessor=source,
                successor=target,
                kind=Succession.Kind.MERGE,
                date=effective,
                note=note[:255],
            )
        except IntegrityError as exc:  # pragma: no cover - guarded by the closed check above
            raise DomainError(_("These organizations are already linked.")) from exc


@actor_scoped
def organization_merge(
    *, actor: Actor, sources: list[Organization], target: Organization, effective: dt.date, note: str = ""
) -> Organization:
    """Merge `sources` into `target`: members, open work and sub-organizations move (each context decides
    what of its own follows, through its merge hook); the sources close the day before."""
    grant = _check_merge(actor, sources, target, effective)
    with transaction.atomic(), audit.acting(actor, grant=grant, reason=f"merge into {target.code}"):
        # Other contexts first, while the sources are still open and their rows still point at them.
        run_merge_hooks(sources=sources, target=target, day=effective, actor=actor)
        _merge_tree(sources, target, effective, note)
    return target


PERSON_FIELDS = (
    "code",
    "full_name",
    "gender",
    "date_of_birth",
    "is_party_member",
    "admission_date",
    "official_date",
    "party_cell",
    "workplace",
    "residence_cell",
    "phone",
    "email",
)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def person_validate(data: dict[str, Any], *, today: dt.date | None = None) -> None:
    """Check a person's fields against the membership rules; raises DomainError (also used by bulk loaders)."""
    today = today or _today()
    if not data.get("code"):
        raise DomainError(_("The person code is required."), field="code")
    if not data.get("full_name"):
        raise DomainError(_("The full name is required."), field="full_name")
    dob = data.get("date_of_birth")
    if dob is not None:
        if dob > today:
            raise DomainError(_("The date of birth cannot be in the future."), field="date_of_birth")
        if dob < dt.date(1900, 1, 1):
            raise DomainError(_("The date of birth is not plausible."), field="date_of_birth")
    admission, official = data.get("admission_date"), data.get("official_date")
    if not data.get("is_party_member"):
        if admission or official or data.get("party_cell"):
            raise DomainError(
                _("Admission dates and a party cell apply to party members only."), field="is_party_member"
            )
    else:
        if data.get("party_cell") is None:
            raise DomainError(_("A party member must be active in a party cell."), field="party_cell")
    for name, value in (("admission_date", admission), ("official_date", official)):
        if value is not None and value > today:
            raise DomainError(_("This date cannot be in the future."), field=name)
        if value is not None and dob is not None and value < _add_years(dob, 18):
            raise DomainError(_("A party member is admitted at 18 or older."), field=name)
    if admission and official and official < admission:
        raise DomainError(_("The official date cannot be before the admission date."), field="official_date")
    for name, kinds in (("party_cell", PARTY_KINDS), ("residence_cell", PARTY_KINDS)):
        org = data.get(name)
        if org is not None and org.kind not in kinds:
            raise DomainError(_("Choose a party organization here."), field=name)
    for name in ("party_cell", "workplace", "residence_cell"):
        org = data.get(name)
        if org is not None and org.is_closed:
            raise DomainError(_("%(org)s is closed.") % {"org": org.name}, field=name)
    if not data.get("party_cell") and not data.get("workplace"):
        raise DomainError(_("Give the person's party cell or workplace."), field="workplace")


def _clean_person(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for key in ("code", "full_name", "phone", "email"):
        if key in out:
            out[key] = clean(out[key])
    return out


@actor_scoped
def person_create(*, actor: Actor, **data: Any) -> Person:
    """Add a person; the actor must hold add_person over their party cell or workplace."""
    data = _clean_person({k: data[k] for k in PERSON_FIELDS if k in data})
    data["is_party_member"] = bool(data.get("is_party_member"))
    for name in ("party_cell", "workplace", "residence_cell"):
        _check_visible(actor, data.get(name), name)
    person_validate(data)
    grant = PeoplePermissions(
        actor, [o for o in (data.get("party_cell"), data.get("workplace")) if o]
    ).require("add")
    if cross_scope.person_code_taken(code=data["code"]):
        raise DomainError(
            _("Another person already uses the code %(code)s.") % {"code": data["code"]}, field="code"
        )
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="create"):
        person = Person(**data)
        person.search_name = fold(person.full_name)
        person.save()
    return person


@actor_scoped
def person_update(*, actor: Actor, person: Person, **data: Any) -> Person:
    """Edit a person; the actor must hold change_person over their current and new cell or workplace."""
    grant = PersonPermissions(actor, person).require("change")
    data = _clean_person({k: v for k, v in data.items() if k in PERSON_FIELDS})
    for name in ("party_cell", "workplace", "residence_cell"):
        if name in data:
            _check_visible(actor, data.get(name), name)
    merged = {k: data.get(k, getattr(person, k)) for k in PERSON_FIELDS}
    person_validate(merged)
    if merged["code"] != person.code and cross_scope.person_code_taken(
        code=merged["code"], exclude_pk=person.pk
    ):
        raise DomainError(
            _("Another person already uses the code %(code)s.") % {"code": merged["code"]}, field="code"
        )
    probe = Person(**{k: merged[k] for k in ("party_cell", "workplace")})
    # The new cell or workplace must be one the actor manages too (checked on the record as it would be).
    probe_perms = PersonPermissions(actor, probe)
    require(probe_perms.can_change(), probe_perms.reason("move"))
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="update"):
        for key, value in merged.items():
            setattr(person, key, value)
        person.search_name = fold(person.full_name)
        person.save()
    return person


@actor_scoped
def position_create(
    *,
    actor: Actor,
    person: Person,
    organization: Organization,
    title: str,
    is_head: bool,
    from_date: dt.date,
    to_date: dt.date | None = None,
) -> Position:
    """Record that `person` holds `title` in `organization` from `from_date`."""
    _check_visible(actor, organization, "organization")
    grant = OrganizationPermissions(actor, organization).require("add_position")
    title = clean(title)
    if not title:
        raise DomainError(_("The title is required."), field="title")
    if to_date is not None and to_date < from_date:
        raise DomainError(_("The end date cannot be before the start date."), field="to_date")
    if from_date < organization.valid_from or (organization.valid_to and from_date > organization.valid_to):
        raise DomainError(_("The position must start while the organization exists."), field="from_date")
    if (
        is_head
        and to_date is None
        # The organization is in the actor's scope, so are all of its positions.
        and Position.objects.filter(organization=organization, is_head=True, to_date__isnull=True)
        .exclude(person=person)
        .exists()
    ):
        raise DomainError(
            _("%(org)s already has a head in office; end that position first.") % {"org": organization.name},
            field="is_head",
        )
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="create"):
        return Position.objects.create(
            person=person,
            organization=organization,
            title=title,
            is_head=is_head,
            from_date=from_date,
            to_date=to_date,
        )


@actor_scoped
def position_end(*, actor: Actor, position: Position, to_date: dt.date) -> Position:
    """End a position on `to_date`."""
    grant = PositionPermissions(actor, position).require("end")
    if position.to_date is not None:
        raise DomainError(_("This position has already ended."), field="to_date")
    if to_date < position.from_date:
        raise DomainError(_("The end date cannot be before the start date."), field="to_date")
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="end"):
        position.to_date = to_date
        position.save(update_fields=["to_date"])
    return position


ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.json"


@actor_scoped
def role_catalogue_load(*, actor: Actor) -> int:
    """Upsert the role catalogue (roles are data: a new role is a new JSON entry, not code)."""
    grant = TreePermissions(actor).require("change_roles")
    data = json.loads(ROLES_FILE.read_text(encoding="utf-8"))
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="role catalogue load"):
        for row in data["roles"]:
            role, _created = Role.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "name_en": row.get("name_en", ""),
                    "description": row["description"],
                    "order": row["order"],
                },
            )
            perms = []
            for code in row["permissions"]:
                app_label, codename = code.split(".", 1)
                try:
                    perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
                except Permission.DoesNotExist as exc:
                    raise DomainError(f"Unknown permission {code} in role {row['code']}") from exc
            role.permissions.set(perms)
    return len(data["roles"])
