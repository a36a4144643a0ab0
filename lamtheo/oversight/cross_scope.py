"""The oversight context's reads across scopes (see tests/test_authorization_rules.py). Each function is
small and says why crossing the actor's scope is safe; nothing else in the context calls `unscoped()`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from lamtheo.core.vocabulary import OrgKind
from lamtheo.organizations.models import Organization, Person

from .models import Case, DisciplinaryMeasure, Programme


def case_for_update(pk: int) -> Case:
    """The case as stored now, row-locked for the transaction: a service re-reads the case it was handed
    (read under the actor's scope) and checks the permission class on this fresh row."""
    return (
        Case.objects.unscoped(reason="re-read of a case the actor already holds")
        .select_for_update(of=("self",))
        .select_related("organization", "subject_organization", "subject_person")
        .get(pk=pk)
    )


def programme_for_update(pk: int) -> Programme:
    """The programme as stored now, row-locked (the actor already read it under their scope)."""
    return (
        Programme.objects.unscoped(reason="re-read of a programme the actor already holds")
        .select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=pk)
    )


def measures_in_year(person_id: int, year: int) -> list[DisciplinaryMeasure]:
    """The disciplinary measures on a member in force during `year`: they cap the member's grade, so the
    evaluation of whoever rates the member reads them (the caller may read the member's plan; only the
    decision's number, measure and dates are shown there, never the case)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return list(
        DisciplinaryMeasure.objects.unscoped(
            reason="a member's discipline caps the grade of their evaluation"
        )
        .filter(person_id=person_id, effective_from__lte=end)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
        .select_related("organization")
        .order_by("decided_on", "id")
    )


def _under(paths: list[str], *lookups: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        for lookup in lookups:
            q |= Q(**{f"{lookup}__startswith": path})
    return q


def community_people(paths: list[str]) -> QuerySet[Person]:
    """The people of the communities a Fatherland Front committee belongs to (the subtree of the unit above
    it): the Front supervises their cadres and members (Quy định 124-QĐ/TW), though its officers' own scope
    is the Front. Used only to pick whom a supervision concerns; nothing else of them is read."""
    return Person.objects.unscoped(reason="the Front supervises the cadres of the community it belongs to").filter(
        _under(paths, "party_cell__path", "workplace__path")
    )


def community_units(paths: list[str]) -> QuerySet[Organization]:
    """The open units of those communities (a supervision may concern a unit), for the same picker."""
    return Organization.objects.unscoped(reason="the Front supervises the units of the community it belongs to").filter(
        _under(paths, "path"), valid_to__isnull=True
    )


def community_roots(org_ids: list[int]) -> list[str]:
    """The communities of the Fronts and mass organizations `org_ids`: for each, the path of its nearest
    ancestor (or itself) that is neither a Front nor a mass organization — the ward a Front committee belongs
    to (a women's union under the Front belongs to the same ward). Reads only the kinds of those ancestors."""
    paths = list(
        Organization.objects.unscoped(reason="where a Front stands in the tree").filter(pk__in=org_ids)
        .values_list("path", flat=True)
    )  # fmt: skip
    segments = {path: path.strip("/").split("/") for path in paths}
    ids = {int(seg) for segs in segments.values() for seg in segs}
    kinds = dict(
        Organization.objects.unscoped(reason="the kinds of a Front's ancestors").filter(pk__in=ids)
        .values_list("id", "kind")
    )  # fmt: skip
    roots = set()
    for segs in segments.values():
        k = len(segs) - 1
        while k > 0 and kinds.get(int(segs[k])) in (OrgKind.FRONT, OrgKind.MASS_ORG):
            k -= 1
        roots.add("/" + "/".join(segs[: k + 1]) + "/")
    return sorted(roots)
