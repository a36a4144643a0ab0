"""seed_demo builds the post-2025 ward committees, their history, people and one account per role."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from vietnam_provinces import ProvinceCode, Ward

from lamtheo.core.scoping import Scope, activate
from lamtheo.core.text import fold
from lamtheo.devtools import demo, names
from lamtheo.organizations.models import Organization, OrgKind, Person, Position, RoleGrant, Succession, User

PEOPLE = 400
NEW_WARDS = ("Long Biên", "Bồ Đề", "Việt Hưng", "Phúc Lợi")
EXPECTED_ACCOUNTS = {  # username: (role, organization code)
    "admin": ("system_admin", "HN"),
    "tochuc": ("organization_officer", "LB"),
    "tuyengiao": ("propaganda_officer", "LB"),
    "kiemtra": ("inspection_officer", "LB"),
    "bithu": ("secretary", "LB"),
    "bithuchibo": ("secretary", demo.ACCOUNT_CELL),
    "dangvien": ("member", demo.ACCOUNT_CELL),
    "mattran": ("front_officer", "LB-MTTQ"),
    "xuly": ("feedback_handler", "LB"),
    "thidua": ("emulation_officer", "LB"),
    "bientap": ("editor", "LB"),
    "bithubode": ("secretary", "BD"),
}


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@pytest.fixture
def seeded(db):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("seed_demo", "--people", str(PEOPLE), stdout=out)
    return out.getvalue()


@pytest.fixture
def everything():  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")) as scope:
        yield scope


@pytest.mark.django_db
def test_new_wards_take_their_names_from_the_package(seeded, everything):
    hanoi = {w.name for w in Ward.iter_by_province(ProvinceCode(1))}
    root = Organization.objects.get(code="HN")
    for name in NEW_WARDS:
        assert f"Phường {name}" in hanoi
        org = Organization.objects.get(name=f"Đảng bộ phường {name}")
        assert org.kind == OrgKind.PARTY_COMMITTEE
        assert org.parent_id == root.pk and org.is_grassroots
        assert org.valid_from == dt.date(2025, 7, 1) and org.valid_to is None
    long_bien = Organization.objects.get(code="LB")
    open_cells = Organization.objects.filter(
        path__startswith=long_bien.path, kind=OrgKind.PARTY_CELL, valid_to__isnull=True
    )
    assert 30 <= open_cells.count() <= 40
    for kind in (
        OrgKind.ADVISORY_BODY,
        OrgKind.PEOPLES_COMMITTEE,
        OrgKind.AGENCY,
        OrgKind.FRONT,
        OrgKind.MASS_ORG,
    ):
        assert Organization.objects.filter(path__startswith=long_bien.path, kind=kind).exists(), kind


@pytest.mark.django_db
def test_quan_uy_closes_with_successors(seeded, everything):
    quan = Organization.objects.get(name="Đảng bộ quận Long Biên")
    assert quan.valid_to == dt.date(2025, 6, 30)
    successors = set(Succession.objects.filter(predecessor=quan).values_list("successor__name", flat=True))
    assert {f"Đảng bộ phường {n}" for n in NEW_WARDS} <= successors
    # Every former ward and cell is closed, and their people now sit in open organizations.
    assert not Organization.objects.filter(path__startswith=quan.path, valid_to__isnull=True).exists()
    assert not Person.objects.filter(party_cell__valid_to__isnull=False).exists()
    assert not Person.objects.filter(workplace__valid_to__isnull=False).exists()
    former = Position.objects.get(organization=quan, title="Bí thư Quận ủy", to_date=dt.date(2025, 6, 30))
    assert former.is_head
    assert not Position.objects.filter(organization__valid_to__isnull=False, to_date__isnull=True).exists()
    # One open head per organization.
    heads = list(
        Position.objects.filter(is_head=True, to_date__isnull=True).values_list("organization_id", flat=True)
    )
    assert len(heads) == len(set(heads))


@pytest.mark.django_db
def test_every_account_has_its_grant_and_person(seeded, everything):
    for username, (role, org_code) in EXPECTED_ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert user.person is not None, username
        assert user.check_password(settings.LAMTHEO_DEMO_PASSWORD)
        grants = RoleGrant.objects.filter(user=user, role__code=role, organization__code=org_code)
        assert grants.exists(), username
        assert username in seeded
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    secretary = User.objects.get(username="bithu").person
    assert secretary.positions.filter(title="Bí thư Đảng ủy", is_head=True, to_date__isnull=True).exists()
    assert settings.LAMTHEO_DEMO_PASSWORD in seeded


@pytest.mark.django_db
def test_people_are_plausible(seeded, everything):
    people = Person.objects.select_related("party_cell", "workplace", "residence_cell")
    assert people.count() == PEOPLE
    members = [p for p in people if p.is_party_member]
    assert 0.5 * PEOPLE <= len(members) <= 0.7 * PEOPLE
    long_bien = Organization.objects.get(code="LB")
    in_lb = people.filter(party_cell__path__startswith=long_bien.path) | people.filter(
        workplace__path__startswith=long_bien.path
    )
    assert in_lb.distinct().count() >= 0.6 * PEOPLE
    for code in ("BD", "VH", "PL"):
        assert people.filter(party_cell__parent__code=code).count() >= 10
    today = dt.date(2026, 11, 30)
    for p in people:
        assert dt.date(1945, 1, 1) <= p.date_of_birth <= dt.date(2004, 12, 31)
        assert p.search_name == fold(p.full_name)
        if p.is_party_member:
            assert p.party_cell is not None and p.party_cell.kind == OrgKind.PARTY_CELL
            assert _add_years(p.date_of_birth, 18) <= p.admission_date <= today
            assert p.official_date == _add_years(p.admission_date, 1) <= today
        else:
            assert p.party_cell is None and p.admission_date is None and p.official_date is None
            assert p.workplace is not None
        if p.residence_cell is not None:
            assert p.residence_cell.kind == OrgKind.PARTY_CELL and p.residence_cell.valid_to is None
    assert people.filter(full_name="Nguyễn Văn Đức").count() == 1
    duc = people.get(full_name="Nguyễn Văn Đức")
    assert duc.party_cell.path.startswith(long_bien.path)
    assert len({p.code for p in people}) == PEOPLE


@pytest.mark.django_db
def test_if_empty_runs_once(seeded, everything):
    counts = (Organization.objects.count(), Person.objects.count(), User.objects.count())
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert (Organization.objects.count(), Person.objects.count(), User.objects.count()) == counts
    with pytest.raises(CommandError):
        call_command("seed_demo", "--people", str(PEOPLE), stdout=StringIO())


def test_names_are_deterministic():
    first = [n.full_name for n in names.generate(2025, 50)]
    assert first == [n.full_name for n in names.generate(2025, 50)]
    assert first != [n.full_name for n in names.generate(2026, 50)]
    assert all(len(name.split()) == 3 for name in first)
    many = [n.full_name for n in names.generate(1, 5000)]
    assert not any(all(w in fold(n) for w in ("nguyen", "van", "duc")) for n in many)
    assert sum(n.startswith("Nguyễn ") for n in many) > 0.25 * len(many)


@pytest.mark.django_db
def test_demo_cell_has_cultivation_plans_in_every_state(seeded, everything):  # type: ignore[no-untyped-def]
    from lamtheo.commitments.models import CommitmentPlan
    from lamtheo.organizations.models import User

    duc = User.objects.get(username="dangvien").person
    from django.utils import timezone

    year = timezone.localdate().year
    plan = CommitmentPlan.objects.get(person=duc, year=year)
    assert plan.status == "approved" and plan.midyear_at is not None and plan.items.count() >= 7
    head = User.objects.get(username="bithuchibo").person
    published = CommitmentPlan.objects.get(person=head, year=year)
    assert published.is_head and published.on_portal and published.yearend_at is not None
    states = set(CommitmentPlan.objects.filter(cell=plan.cell).values_list("status", flat=True))
    assert {"approved", "submitted"} <= states
    assert duc.remediation_items.filter(status="open").exists()  # carried into his next plan
