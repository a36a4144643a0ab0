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


@pytest.mark.django_db
def test_generated_commitments_have_the_shape_of_real_plans():  # type: ignore[no-untyped-def]
    from collections import Counter

    from lamtheo.commitments.models import CommitmentItem, CommitmentPlan, Evaluation, ResidenceComment
    from lamtheo.devtools.scale_commitments import build_commitments

    call_command("generate_scale", "--scale", "ward", "--seed", "5")
    counts = build_commitments(year=2026, seed=5, root_code="SCALE-HN")
    with activate(Scope.everything(reason="test")):
        members = Person.objects.filter(is_party_member=True).count()
        plans = list(CommitmentPlan.objects.select_related("person", "template"))
        assert counts["members"] == members and counts["plans"] == len(plans)
        assert 0.85 * members <= len(plans) <= 0.95 * members  # about one member in ten has no plan yet
        for plan in plans:
            assert plan.person.is_party_member and plan.cell_id == plan.person.party_cell_id
            assert plan.year == 2026 and plan.template.for_heads == plan.is_head
            assert plan.yearend_at is None or plan.status == "approved"
        per_plan = Counter(CommitmentItem.objects.values_list("plan_id", flat=True))
        assert set(per_plan) == {p.pk for p in plans} and set(per_plan.values()) <= {7, 8, 9}
        assert 7.8 <= sum(per_plan.values()) / len(plans) <= 8.2
        evaluations = list(Evaluation.objects.select_related("plan__cell", "grassroots", "scheme"))
        assert evaluations and counts["evaluations"] == len(evaluations)
        assert {e.grade for e in evaluations} <= {"excellent", "good", "completed", "not_completed"}
        bands = {"excellent": (90, 100), "good": (70, 90), "completed": (50, 70), "not_completed": (0, 50)}
        for e in evaluations:
            low, high = bands[e.grade]
            assert low <= e.score <= high and (e.score < high or e.grade == "excellent")
            assert e.plan.yearend_at is not None and e.scheme.code == "qd366-2025" and e.year == 2026
            assert e.grassroots.is_grassroots and e.plan.cell.path.startswith(e.grassroots.path)
        assert ResidenceComment.objects.count() == counts["residence_comments"] > 0
        # Values written without the ORM read back as the ORM writes them (JSON, aware datetimes).
        assert CommitmentItem.objects.first().standards == []
        returned = ResidenceComment.objects.filter(status="returned").first()
        assert returned.ratings["trust"] == "good" and returned.returned_at.tzinfo is not None
    with pytest.raises(ValueError):
        build_commitments(year=2026, seed=5)
