"""Reads on the organization tree and people. Every query goes through the scoped managers."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.permissions import actor_scoped, get_or_404
from lamtheo.core.text import clean, fold, search_q
from lamtheo.core.vocabulary import RoleCode

from . import cross_scope
from .models import Gender, Organization, OrgKind, ParentLink, Person, Position, Role, RoleGrant, Succession

PERSON_SORTS = {
    "name": ("search_name", "id"),
    "-name": ("-search_name", "-id"),
    "code": ("code",),
    "-code": ("-code",),
    "dob": ("date_of_birth", "id"),
    "-dob": ("-date_of_birth", "-id"),
    "cell": ("party_cell__name", "search_name"),
    "-cell": ("-party_cell__name", "search_name"),
}
ORG_SORTS = {
    "path": ("path",),
    "name": ("search_name",),
    "-name": ("-search_name",),
    "code": ("code",),
    "-code": ("-code",),
    "kind": ("kind", "path"),
    "-kind": ("-kind", "path"),
}


def _active_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def organization_ids_under(paths: list[str]) -> list[int]:
    """The ids of every organization (open or closed) under `paths`, read in the active scope: large tables
    filter by these instead of joining on the path."""
    under = Q(pk__in=[])
    for path in paths:
        under |= Q(path__startswith=path)
    return list(Organization.objects.filter(under).values_list("pk", flat=True))


def organization_choices(*, kind: str = "", under: Organization | None = None) -> QuerySet[Organization]:
    """The open organizations a form field may offer (of `kind`, in `under`'s subtree), by path. Lazy: the
    request's scope applies when the form validates, so a choice out of scope is rejected like a wrong one."""
    qs = Organization.objects.filter(valid_to__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    return qs.order_by("path")


def person_choices() -> QuerySet[Person]:
    """The people a form field may offer, by name (lazy, read through the request's scope)."""
    return Person.objects.select_related("party_cell").order_by("search_name", "id")


def organization_none() -> QuerySet[Organization]:
    """An empty choice set, for a field whose choices depend on the record the form is bound to."""
    return Organization.objects.none()


def person_none() -> QuerySet[Person]:
    """An empty choice set of people (see `organization_none`)."""
    return Person.objects.none()


@actor_scoped
def organization_for_actor(*, actor: Actor, pk: int | str) -> Organization:
    """One organization in the actor's scope, or 404 (missing, malformed and out of scope look the same)."""
    return get_or_404(Organization.objects.select_related("parent"), pk=pk)


@actor_scoped
def organization_list(
    *, actor: Actor, q: str = "", kind: str = "", include_closed: bool = False, sort: str = "path"
) -> QuerySet[Organization]:
    """Organizations in scope, filtered by folded text and kind; open ones only unless asked."""
    qs = Organization.objects.select_related("parent").filter(search_q("search_name", q))
    if kind:
        qs = qs.filter(kind=kind)
    if not include_closed:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by(*ORG_SORTS.get(sort, ORG_SORTS["path"]))


@actor_scoped
def organization_pick(
    *,
    actor: Actor,
    q: str = "",
    kinds: list[str] | None = None,
    under: Organization | None = None,
    not_under: Organization | None = None,
    limit: int = 20,
) -> list[Organization]:
    """Open organizations in scope whose folded name or code holds every word of `q` (for pickers)."""
    folded = fold(q)
    qs = Organization.objects.select_related("parent").filter(valid_to__isnull=True)
    if folded:
        qs = qs.filter(search_q("search_name", folded) | Q(code__iexact=clean(q)))
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    if not_under is not None:
        qs = qs.exclude(path__startswith=not_under.path)
    return list(qs.order_by("depth", "search_name", "id")[:limit])


def _annotate_children(qs: QuerySet[Organization], day: dt.date) -> QuerySet[Organization]:
    links = (
        ParentLink.objects.filter(parent=OuterRef("pk"))
        .filter(_active_on(day))
        .filter(_active_on(day, "organization__"))
    )
    return qs.annotate(has_children=Exists(links))


@actor_scoped
def organization_roots(*, actor: Actor, day: dt.date | None = None) -> list[Organization]:
    """The top organizations the actor may browse from (their granted ones, or the tree's roots)."""
    day = day or timezone.localdate()
    scope = actor.scope
    qs = Organization.objects.all()
    if scope.is_global:
        has_parent = ParentLink.objects.filter(organization=OuterRef("pk")).filter(_active_on(day))
        qs = qs.filter(_active_on(day)).exclude(Exists(has_parent))
    else:
        qs = qs.filter(path__in=scope.paths)
    return list(_annotate_children(qs, day).order_by("path"))


@actor_scoped
def organization_children(
    *, actor: Actor, organization: Organization, day: dt.date | None = None, include_closed: bool = False
) -> list[Organization]:
    """Sub-organizations of `organization` as of `day` (today by default); closed ones on request."""
    day = day or timezone.localdate()
    link_q = Q(parent_links__parent=organization) & _active_on(day, "parent_links__")
    qs = Organization.objects.filter(link_q & _active_on(day))
    if include_closed and day == timezone.localdate():
        qs = Organization.objects.filter(
            (link_q & _active_on(day)) | Q(parent=organization, valid_to__lt=day)
        )
    return list(_annotate_children(qs.distinct(), day).order_by("kind", "name"))


@actor_scoped
def organization_ancestors(*, actor: Actor, organization: Organization) -> list[Organization]:
    """The visible ancestors of `organization`, top first (for breadcrumbs)."""
    ids = [int(p) for p in organization.path.strip("/").split("/")[:-1] if p]
    found = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


@actor_scoped
def organization_successions(*, actor: Actor, organization: Organization) -> dict[str, list]:
    """Predecessors and successors of `organization`, only those inside the actor's scope."""
    visible = Organization.objects.all()
    preds = Succession.objects.filter(successor=organization, predecessor__in=visible).select_related(
        "predecessor"
    )
    succs = Succession.objects.filter(predecessor=organization, successor__in=visible).select_related(
        "successor"
    )
    return {"predecessors": list(preds), "successors": list(succs)}


@actor_scoped
def organization_officers(
    *, actor: Actor, organization: Organization, day: dt.date | None = None
) -> QuerySet:
    """Positions held in `organization` on `day`."""
    day = day or timezone.localdate()
    return (
        Position.objects.filter(organization=organization)
        .filter(Q(from_date__lte=day) & (Q(to_date__isnull=True) | Q(to_date__gte=day)))
        .select_related("person")
    )


@actor_scoped
def organization_counts(*, actor: Actor, organization: Organization) -> dict[str, int]:
    """Headline figures for an organization's subtree (open sub-organizations, people, party members)."""
    sub = Organization.objects.filter(path__startswith=organization.path, valid_to__isnull=True).exclude(
        pk=organization.pk
    )
    people = Person.objects.filter(
        Q(party_cell__path__startswith=organization.path) | Q(workplace__path__startswith=organization.path)
    )
    agg = people.aggregate(
        total=Count("id", distinct=True), members=Count("id", filter=Q(is_party_member=True), distinct=True)
    )
    return {"suborgs": sub.count(), "people": agg["total"], "members": agg["members"]}


@actor_scoped
def person_for_actor(*, actor: Actor, pk: int | str) -> Person:
    """One person in the actor's scope (seen from any of their organizations), or 404."""
    return get_or_404(Person.objects.select_related("party_cell", "workplace", "residence_cell"), pk=pk)


@actor_scoped
def person_by_code(*, actor: Actor, code: str) -> Person | None:
    """The person with `code` in the actor's scope, or None."""
    return Person.objects.filter(code=code).first()


@actor_scoped
def people_by_ids(*, actor: Actor, ids: list[int], under: Organization) -> list[Person]:
    """The party members among `ids` whose party cell lies under `under` (others are ignored)."""
    return list(
        Person.objects.filter(pk__in=ids, party_cell__path__startswith=under.path).select_related(
            "party_cell", "user"
        )
    )


def open_party_cell_by_code(*, code: str) -> Organization | None:
    """An open party cell by its code, anywhere in the tree (a residence cell may lie outside one's scope)."""
    return cross_scope.open_party_cell_by_code(code=code)


@actor_scoped
def person_head_position(*, actor: Actor, person_id: int, day: dt.date) -> Position | None:
    """The person's position as head of an organization on `day`, if any (their plan then has extra items)."""
    return cross_scope.head_position_of(person_id=person_id, day=day)


@actor_scoped
def grassroots_of(*, actor: Actor, organization: Organization) -> Organization:
    """The nearest grassroots organization at or above `organization` (quotas count there); the
    organization itself when none is marked."""
    return cross_scope.grassroots_above(organization=organization) or organization


@actor_scoped
def person_list(
    *,
    actor: Actor,
    q: str = "",
    organization: Organization | None = None,
    party_members: bool | None = None,
    sort: str = "name",
) -> QuerySet[Person]:
    """People in scope matching folded words of `q` (diacritics, case and NFC/NFD insensitive)."""
    qs = Person.objects.select_related("party_cell", "workplace").filter(search_q("search_name", q))
    if organization is not None:
        p = organization.path
        qs = qs.filter(
            Q(party_cell__path__startswith=p)
            | Q(workplace__path__startswith=p)
            | Q(residence_cell__path__startswith=p)
        )
    if party_members is not None:
        qs = qs.filter(is_party_member=party_members)
    return qs.order_by(*PERSON_SORTS.get(sort, PERSON_SORTS["name"]))


@actor_scoped
def person_pick(*, actor: Actor, q: str = "", limit: int = 20) -> list[Person]:
    """People in scope whose folded name holds every word of `q` (or whose code is `q`), for pickers."""
    folded = fold(q)
    qs = Person.objects.select_related("party_cell", "workplace", "residence_cell")
    if folded:
        qs = qs.filter(search_q("search_name", folded) | Q(code__iexact=clean(q)))
    return list(qs.order_by("search_name", "id")[:limit])


@actor_scoped
def person_positions(*, actor: Actor, person: Person) -> QuerySet[Position]:
    """Every position the person held, in organizations the actor can see."""
    return Position.objects.filter(person=person).select_related("organization").order_by("-from_date")


@actor_scoped
def organization_members(*, actor: Actor, organization: Organization) -> QuerySet[Person]:
    """People active in, working at or residing in exactly this organization."""
    return (
        Person.objects.filter(
            Q(party_cell=organization) | Q(workplace=organization) | Q(residence_cell=organization)
        )
        .select_related("party_cell", "workplace")
        .order_by("search_name", "id")
    )


@actor_scoped
def organization_grants(*, actor: Actor, organization: Organization) -> QuerySet[RoleGrant]:
    """Role grants held directly on `organization`."""
    return RoleGrant.objects.filter(organization=organization).select_related("user", "role", "user__person")


def role_list() -> QuerySet[Role]:
    """The catalogue of roles (reference data)."""
    return Role.objects.prefetch_related("permissions")


def role_names(*, codes: list[str]) -> dict[str, str]:
    """The names of the roles with these codes: history pages show who acted as which role by name."""
    return {
        role.code: role.label for role in Role.objects.filter(code__in=codes).only("code", "name", "name_en")
    }


def actor_for_user(user, *, day: dt.date | None = None) -> Actor:  # type: ignore[no-untyped-def]
    """Build the request's Actor: the user's grants valid today, with each role's permission codes."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Actor.anonymous()  # a deactivated account acts as nobody, in requests and in queued jobs
    day = day or timezone.localdate()
    rows = cross_scope.role_grants_of_user(user_id=user.pk, day=day)
    grants = []
    for g in rows:
        perms = frozenset(f"{p.content_type.app_label}.{p.codename}" for p in g.role.permissions.all())
        grants.append(
            Grant(
                g.role.code, g.role.label, g.organization_id, g.organization.path, g.organization.name, perms
            )
        )
    if user.is_superuser and not any(g.is_root_admin for g in grants):
        # A superuser without an explicit grant still administers the whole tree.
        grants.append(Grant(RoleCode.SYSTEM_ADMIN, str(_("System administrator")), 0, "/", "", frozenset()))
    person_id = getattr(user, "person_id", None)
    is_member = person_id is not None and cross_scope.is_party_member(person_id=person_id)
    return Actor(
        user_id=user.pk,
        display_name=user.get_full_name() or user.get_username(),
        person_id=person_id,
        is_party_member=is_member,
        grants=tuple(grants),
    )


def _vn_date(iso: str | None) -> str:
    """'2025-07-01' → '01/07/2025' (the database already gave the ISO text; no date object is built)."""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else ""


def person_export_rows(qs: QuerySet[Person], *, text_dates: bool = False):  # type: ignore[no-untyped-def]
    """Rows of the people export (the visible columns of the list), read as tuples for speed.

    `text_dates` (CSV) has the database cast dates to text and booleans to integers, so that Django runs
    no per-value converter at all; otherwise dates come as date objects (for real Excel date cells)."""
    genders = {value: str(label) for value, label in Gender.choices}
    yes, no = _("yes"), _("no")
    names = ("party_cell__name", "workplace__name", "residence_cell__name")
    if text_dates:
        qs = qs.annotate(
            x_dob=Cast("date_of_birth", CharField()), x_member=Cast("is_party_member", IntegerField()),
            x_adm=Cast("admission_date", CharField()), x_off=Cast("official_date", CharField()),
        )  # fmt: skip
        rows = qs.values_list("code", "full_name", "gender", "x_dob", "x_member", "x_adm", "x_off", *names)
        for code, name, gender, dob, member, adm, off, cell, work, res in rows.iterator(chunk_size=5000):
            yield (
                code, name, genders.get(gender, gender), _vn_date(dob), yes if member else no, _vn_date(adm),
                _vn_date(off), cell or "", work or "", res or "",
            )  # fmt: skip
        return
    fields = ("code", "full_name", "gender", "date_of_birth", "is_party_member", "admission_date",
              "official_date", *names)  # fmt: skip
    for code, name, gender, dob, member, adm, off, cell, work, res in qs.values_list(*fields).iterator(
        chunk_size=5000
    ):
        yield (
            code, name, genders.get(gender, gender), dob, yes if member else no, adm, off,
            cell or "", work or "", res or "",
        )  # fmt: skip


def person_export_header() -> list[str]:
    """Column titles of the people export."""
    return [_("Person code"), _("Full name"), _("Gender"), _("Date of birth"), _("Party member"),
            _("Admission date"), _("Official membership date"), _("Party cell"), _("Workplace"),
            _("Residence party cell")]  # fmt: skip


def organization_export_rows(qs: QuerySet[Organization]):  # type: ignore[no-untyped-def]
    """Rows of the organization export, read as tuples for speed."""
    kinds = {value: str(label) for value, label in OrgKind.choices}
    fields = ("code", "name", "short_name", "kind", "parent__code", "valid_from", "valid_to", "is_grassroots")
    for code, name, short, kind, parent, start, end, grassroots in qs.values_list(*fields).iterator(
        chunk_size=5000
    ):
        yield code, name, short, kinds.get(kind, kind), parent or "", start, end, grassroots


def organization_export_header() -> list[str]:
    """Column titles of the organization export."""
    return [_("Code"), _("Name"), _("Short name"), _("Kind"), _("Parent code"), _("Valid from"), _("Valid to"),
            _("Grassroots level")]  # fmt: skip
