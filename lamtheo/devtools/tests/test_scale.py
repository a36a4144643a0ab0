"""The scale generator (ward scale in tests): deterministic, consistent, fast path."""

import pytest
from django.core.management import call_command

from lamtheo.core.scoping import Scope, activate
from lamtheo.devtools.scale import SCALES, _org_rows
from lamtheo.organizations.models import Organization, Person, Position, RoleGrant


@pytest.mark.django_db
def test_ward_scale_builds_a_consistent_tree_and_roster():  # type: ignore[no-untyped-def]
    call_command("generate_scale", "--scale", "ward", "--seed", "7")
    with activate(Scope.everything(reason="test")):
        orgs = {o.code: o for o in Organization.objects.all()}
        for org in orgs.values():
            if org.parent_id:
                parent = Organization.objects.get(pk=org.parent_id)
                assert org.path.startswith(parent.path) and org.depth == parent.depth + 1
        assert max(o.depth for o in orgs.values()) == 5
        people = Person.objects.all()
        assert people.count() == SCALES["ward"].people
        members = people.filter(is_party_member=True)
        assert members.filter(party_cell__isnull=True).count() == 0
        assert not people.filter(is_party_member=False, party_cell__isnull=False).exists()
        assert Position.objects.filter(is_head=True).count() == len(orgs)
        assert RoleGrant.objects.filter(role__code="secretary").exists()
        assert Person.history.count() == people.count()  # the fast path still writes the audit trail


def test_city_tree_shape_without_writing():  # type: ignore[no-untyped-def]
    rows = _org_rows(SCALES["city"])
    assert 5_500 <= len(rows) + 1 <= 7_000
    codes = {r["code"] for r in rows} | {"SCALE-HN"}
    assert all(r["parent"] in codes for r in rows)


@pytest.mark.django_db
def test_same_seed_same_people(django_db_blocker):  # type: ignore[no-untyped-def]
    import random

    from lamtheo.devtools.scale import _Namer

    a = [_Namer(random.Random(3))("male", 1980) for _ in range(50)]
    b = [_Namer(random.Random(3))("male", 1980) for _ in range(50)]
    c = [_Namer(random.Random(4))("male", 1980) for _ in range(50)]
    assert a == b and a != c


@pytest.mark.django_db
def test_generated_plans_roll_up_by_the_services_rule():  # type: ignore[no-untyped-def]
    from lamtheo.devtools.scale_planning import build_plans
    from lamtheo.planning.models import Plan, ProgressReport, Task
    from lamtheo.planning.rules import weighted_mean

    call_command("generate_scale", "--scale", "ward", "--seed", "3")
    counts = build_plans(seed=3)
    assert counts["tasks"] == 20 * counts["plans"] and counts["reports"] == 4 * counts["tasks"]
    with activate(Scope.everything(reason="test")):
        tasks = {t.pk: t for t in Task.objects.all()}
        kids: dict[int, list[Task]] = {}
        for t in tasks.values():
            if t.parent_id:
                kids.setdefault(t.parent_id, []).append(t)
        assert kids, "some tasks must be made concrete below"
        for t in tasks.values():
            if t.pk in kids:
                assert t.progress == weighted_mean((k.progress, k.weight) for k in kids[t.pk])
            else:
                latest = ProgressReport.objects.filter(task=t).order_by("-reported_on").first()
                assert t.progress == latest.percent_done
        for plan in Plan.objects.all():
            assert plan.progress == weighted_mean(
                (t.progress, t.weight) for t in tasks.values() if t.plan_id == plan.pk
            )
