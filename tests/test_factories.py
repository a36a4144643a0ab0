"""The test factories build rows that are right: the tree's paths, and every row visible to whoever holds its
branch and hidden from a sibling branch, read through the same scoped managers the application reads through."""

from __future__ import annotations

import pytest

from conftest import SYSTEM, actor_of
from lamtheo.commitments.models import CommitmentItem, CommitmentPlan
from lamtheo.commitments.tests.factories import CommitmentItemFactory, CultivationPlanFactory
from lamtheo.core.errors import ScopeNotActive
from lamtheo.core.scoping import has_active_scope
from lamtheo.organizations.models import Organization, ParentLink, Person, RoleGrant, path_segment
from lamtheo.organizations.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    RoleGrantFactory,
    UserFactory,
)
from lamtheo.planning.models import Plan, Task
from lamtheo.planning.tests.factories import PlanFactory, TaskFactory
from lamtheo.remediation.models import RemediationItem
from lamtheo.remediation.tests.factories import RemediationItemFactory
from lamtheo.roster.models import ExportJob, ImportJob
from lamtheo.roster.tests.factories import ExportJobFactory, ImportJobFactory

pytestmark = pytest.mark.django_db


def _unscoped(model):  # type: ignore[no-untyped-def]
    return model.objects.unscoped(reason="test: the row as stored")


def test_organizations_get_the_path_the_service_would_give_them():  # type: ignore[no-untyped-def]
    root = OrganizationFactory()  # no scope is active: factories do not need one
    ward = OrganizationFactory(parent=root)
    cell = OrganizationFactory(parent=ward, cell=True)
    assert not has_active_scope()
    assert root.path == f"/{path_segment(root.pk)}/" and root.depth == 0
    assert ward.path == f"{root.path}{path_segment(ward.pk)}/" and ward.depth == 1
    assert (
        cell.path == f"{ward.path}{path_segment(cell.pk)}/" and cell.depth == 2 and cell.kind == "party_cell"
    )
    stored = _unscoped(Organization).get(pk=cell.pk)
    assert (stored.path, stored.depth, stored.search_name) == (
        cell.path,
        2,
        cell.search_name,
    ) and stored.search_name
    links = _unscoped(ParentLink).filter(organization__in=[ward, cell])
    assert {(link.organization_id, link.parent_id) for link in links} == {
        (ward.pk, root.pk),
        (cell.pk, ward.pk),
    }
    assert cell.history.count() == 1  # one history row, with the final path (as organization_create writes)


def test_a_person_is_a_member_of_a_new_cell_unless_told_otherwise():  # type: ignore[no-untyped-def]
    member = PersonFactory()
    assert member.is_party_member and member.party_cell.kind == "party_cell" and member.party_cell.path
    assert member.search_name == "nguyen van thu " + member.full_name.rsplit(" ", 1)[1]
    staff = PersonFactory(is_party_member=False, workplace=OrganizationFactory(agency=True))
    assert (
        staff.party_cell is None
        and staff.admission_date is None
        and staff.workplace.kind == "peoples_committee"
    )


def test_role_grants_pick_the_seeded_role_by_code():  # type: ignore[no-untyped-def]
    ward = OrganizationFactory()
    grant = RoleGrantFactory(role_code="organization_officer", organization=ward)  # loads the role catalogue
    user = UserFactory(roles=[("secretary", ward), ("member", OrganizationFactory(parent=ward, cell=True))])
    assert grant.role.code == "organization_officer" and grant.role.permissions.exists()
    assert sorted(_unscoped(RoleGrant).filter(user=user).values_list("role__code", flat=True)) == [
        "member",
        "secretary",
    ]
    assert user.check_password("x-pass-123")
    actor = actor_of(user)
    assert "secretary" in actor.role_codes and actor.scope.paths == (ward.path,)


@pytest.fixture
def cells(world):  # type: ignore[no-untyped-def]
    """A new party cell in each ward, built by the factory (its secretary's scope reaches it through the ward)."""
    return OrganizationFactory(parent=world.a.committee, cell=True), OrganizationFactory(
        parent=world.b.committee, cell=True
    )


def _build(kind: str, cell, ward):  # type: ignore[no-untyped-def]
    """A row of `kind` belonging to `cell` of `ward`, and the scoped model it is read through."""
    if kind == "organization":
        return OrganizationFactory(parent=cell), Organization
    if kind == "person":
        return PersonFactory(party_cell=cell), Person
    if kind == "role_grant":
        return RoleGrantFactory(organization=cell, role_code="member"), RoleGrant
    if kind == "plan":
        return PlanFactory(organization=ward), Plan
    if kind == "task":
        return TaskFactory(plan__organization=ward, responsible=cell), Task
    if kind == "cultivation_plan":
        return CultivationPlanFactory(person__party_cell=cell), CommitmentPlan
    if kind == "commitment_item":
        return CommitmentItemFactory(plan__person__party_cell=cell), CommitmentItem
    if kind == "remediation_item":
        return RemediationItemFactory(
            organization=cell, person=PersonFactory(party_cell=cell)
        ), RemediationItem
    if kind == "import_job":
        return ImportJobFactory(organization=ward), ImportJob
    if kind == "export_job":
        return ExportJobFactory(organization=ward), ExportJob
    raise AssertionError(kind)


KINDS = ["organization", "person", "role_grant", "plan", "task", "cultivation_plan", "commitment_item",
         "remediation_item", "import_job", "export_job"]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_a_factory_row_is_seen_from_its_branch_and_hidden_from_the_sibling(world, cells, as_actor, kind):  # type: ignore[no-untyped-def]
    row, model = _build(kind, cells[0], world.a.committee)
    with as_actor(world.a.secretary_user):
        assert model.objects.filter(pk=row.pk).exists()
    with as_actor(world.b.secretary_user):
        assert not model.objects.filter(pk=row.pk).exists()
    with as_actor(SYSTEM):
        assert model.objects.filter(pk=row.pk).exists()
    with pytest.raises(ScopeNotActive):
        model.objects.filter(pk=row.pk).exists()  # the factory left no scope behind


def test_factories_build_outside_the_callers_scope_and_the_caller_still_cannot_see_it(world, cells, as_actor):  # type: ignore[no-untyped-def]
    with as_actor(world.a.secretary_user):
        plan = CultivationPlanFactory(person__party_cell=cells[1])  # ward B's, built while acting in ward A
        assert plan.cell == cells[1] and not CommitmentPlan.objects.filter(pk=plan.pk).exists()
    with as_actor(world.b.secretary_user):
        assert CommitmentPlan.objects.filter(pk=plan.pk).exists()


def test_the_cultivation_plan_follows_its_member_and_the_task_its_plan(world, cells):  # type: ignore[no-untyped-def]
    plan = CultivationPlanFactory(person__party_cell=cells[0])
    item = CommitmentItemFactory(plan=plan, section="morality")
    assert plan.cell == plan.person.party_cell == cells[0] and plan.year == 2026 and plan.status == "draft"
    assert item.plan == plan and "morality" in {s["code"] for s in plan.template.sections}
    assert CultivationPlanFactory().template == plan.template  # one template row, shared
    task = TaskFactory(plan__organization=world.a.committee)
    assert task.responsible == task.plan.organization and task.start <= task.due


def test_a_task_is_in_the_inbox_of_its_responsible_cell_only(world, cells, as_actor):  # type: ignore[no-untyped-def]
    cell_secretary = UserFactory(roles=[("secretary", cells[0])])
    task = TaskFactory(plan__organization=world.a.committee, responsible=cells[0])
    with as_actor(cell_secretary):
        assert Task.objects.filter(pk=task.pk).exists()  # the cell carries it out
        assert not Plan.objects.filter(pk=task.plan_id).exists()  # the ward's plan itself is the ward's


def test_as_actor_activates_the_scope_and_audits_as_the_actor(world, as_actor):  # type: ignore[no-untyped-def]
    with as_actor(world.a.secretary_user) as actor:
        assert actor.user_id == world.a.secretary_user.pk
        assert has_active_scope() and actor.scope.covers(world.a.cell.path)
        assert not actor.scope.covers(world.b.cell.path)
        org = OrganizationFactory(parent=world.a.committee)
    assert not has_active_scope()
    assert org.history.get().history_user_id == world.a.secretary_user.pk
    with as_actor(actor) as same:  # an Actor is used as it is
        assert same is actor
