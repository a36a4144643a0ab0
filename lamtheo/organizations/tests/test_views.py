"""Screens: inline errors and nothing written on bad input, 404 on unknown ids, history, exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations.models import Organization, Person


def _count(model) -> int:  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")):
        return model.objects.count()


@pytest.fixture
def officer(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.a.officer_user)
    return client


@pytest.fixture
def officer_en(officer):  # type: ignore[no-untyped-def]
    """The same officer with the interface in English (messages are asserted in English)."""
    officer.cookies["django_language"] = "en"
    return officer


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"code": "", "full_name": "X", "gender": "male"}, "code", "This field is required"),
        ({"code": "N1", "full_name": "X" * 161, "gender": "male"}, "full_name", "at most 160"),
        ({"code": "N1", "full_name": "X", "gender": "robot"}, "gender", "Select a valid choice"),
        (
            {"code": "N1", "full_name": "X", "gender": "male", "date_of_birth": "31/02/1990"},
            "date_of_birth",
            "dd/mm/yyyy",
        ),
        (
            {"code": "N1", "full_name": "X", "gender": "male", "date_of_birth": "01/01/2999"},
            "date_of_birth",
            "cannot be in the future",
        ),
        (
            {"code": "N1", "full_name": "X", "gender": "male", "workplace": "999999"},
            "workplace",
            "not found among those you may choose",
        ),
        (
            {"code": "N1", "full_name": "X", "gender": "male", "email": "not-an-email"},
            "email",
            "valid email address",
        ),
        ({"code": "N1", "full_name": "X", "gender": "male"}, "workplace", "party cell or workplace"),
    ],
)
def test_person_form_shows_inline_errors_and_writes_nothing(officer_en, world, data, field, message):  # type: ignore[no-untyped-def]
    before = _count(Person)
    response = officer_en.post("/people/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors.get(field, [])), form.errors
    assert 'role="alert"' in response.content.decode()
    assert _count(Person) == before


@pytest.mark.django_db
def test_person_form_cannot_pick_an_organization_of_the_sibling_branch(officer, world):  # type: ignore[no-untyped-def]
    before = _count(Person)
    response = officer.post(
        "/people/new/", {"code": "N1", "full_name": "X", "gender": "male", "workplace": world.b.agency.pk}
    )
    assert "workplace" in response.context["form"].errors
    assert _count(Person) == before


@pytest.mark.django_db
def test_person_create_succeeds_with_toast_and_audit(officer, world):  # type: ignore[no-untyped-def]
    response = officer.post(
        "/people/new/",
        {"code": "N1", "full_name": "Hoàng Văn Thụ", "gender": "male", "workplace": world.a.agency.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "Hoàng Văn Thụ" in response.content.decode()
    assert 'class="toast' in response.content.decode()
    with activate(Scope.everything(reason="test")):
        person = Person.objects.get(code="N1")
        entry = person.history.get()
    assert entry.history_user_id == world.a.officer_user.pk and entry.actor_role == "organization_officer"


@pytest.mark.django_db
def test_org_move_form_refuses_cycle_with_a_clear_message(officer, world):  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")):
        from conftest import SYSTEM
        from lamtheo.organizations import services

        sub = services.organization_create(
            actor=SYSTEM,
            code="WA-PC",
            name="Đảng bộ bộ phận A",
            kind="party_committee",
            parent=world.a.committee,
            valid_from=world.a.committee.valid_from,
        )
    # The form does not offer descendants; a forged POST gets the field error and nothing moves.
    response = officer.post(
        f"/org/{world.a.committee.pk}/move/", {"new_parent": sub.pk, "effective": "2026-01-01"}
    )
    assert "new_parent" in response.context["form"].errors
    with activate(Scope.everything(reason="test")):
        assert Organization.objects.get(pk=world.a.committee.pk).parent_id == world.root.pk


@pytest.mark.django_db
def test_org_merge_form_refuses_incompatible_kinds(officer_en, world):  # type: ignore[no-untyped-def]
    response = officer_en.post(
        f"/org/{world.a.cell.pk}/merge/", {"target": world.a.agency.pk, "effective": "2026-01-01"}
    )
    errors = response.context["form"].errors["target"]
    assert any("incompatible" in e for e in errors)
    with activate(Scope.everything(reason="test")):
        assert Organization.objects.get(pk=world.a.cell.pk).valid_to is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/org/999999/", "/people/999999/", "/org/999999/history/", "/people/0/edit/"]
)
def test_unknown_ids_are_404(officer, url):  # type: ignore[no-untyped-def]
    assert officer.get(url).status_code == 404


@pytest.mark.django_db
def test_history_view_shows_before_and_after(officer, world):  # type: ignore[no-untyped-def]
    officer.post(
        f"/people/{world.a.staff.pk}/edit/",
        {
            "code": world.a.staff.code,
            "full_name": "Trần Thị Mai Hoa",
            "gender": "female",
            "workplace": world.a.agency.pk,
        },
    )
    body = officer.get(f"/people/{world.a.staff.pk}/history/").content.decode()
    assert "Trần Thị Mai A" in body and "Trần Thị Mai Hoa" in body
    # The role the officer acted through, by name (the code stays internal).
    assert "Cán bộ Ban Xây dựng Đảng (tổ chức)" in body and "organization_officer" not in body


@pytest.mark.django_db
def test_member_role_cannot_see_history_or_edit(client, world):  # type: ignore[no-untyped-def]
    from lamtheo.organizations.models import Role, RoleGrant

    with activate(Scope.everything(reason="test")):
        RoleGrant.objects.create(
            user=world.b.officer_user, role=Role.objects.get(code="member"), organization=world.a.cell
        )
        RoleGrant.objects.filter(user=world.b.officer_user, organization=world.b.committee).delete()
    client.force_login(world.b.officer_user)
    assert client.get(f"/people/{world.a.member.pk}/").status_code == 200
    assert client.get(f"/people/{world.a.member.pk}/history/").status_code == 404
    assert client.get(f"/people/{world.a.member.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_csv_export_neutralises_formulas(officer, world):  # type: ignore[no-untyped-def]
    officer.post(
        "/people/new/",
        {"code": "N2", "full_name": "=HYPERLINK(1)", "gender": "male", "workplace": world.a.agency.pk},
    )
    response = officer.get("/people/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][1] in ("Full name", "Họ và tên")
    names = [r[1] for r in rows[1:]]
    assert "'=HYPERLINK(1)" in names and "=HYPERLINK(1)" not in names
    assert world.a.member.full_name in names and world.b.member.full_name not in names


@pytest.mark.django_db
def test_list_pages_have_a_query_cap(officer, world):  # type: ignore[no-untyped-def]
    for url in ("/people/", "/org/list/", "/org/", f"/org/{world.a.committee.pk}/", "/rulebook/regulations/"):
        with CaptureQueriesContext(connection) as ctx:
            assert officer.get(url).status_code == 200
        assert len(ctx.captured_queries) <= 15, (url, len(ctx.captured_queries))


@pytest.mark.django_db
def test_language_switch(officer):  # type: ignore[no-untyped-def]
    assert "Cây tổ chức" in officer.get("/org/").content.decode()
    officer.post("/i18n/setlang/", {"language": "en", "next": "/org/"})
    assert "Organization tree" in officer.get("/org/").content.decode()


@pytest.mark.django_db
def test_oversized_search_query_is_cut_not_crashing(officer):  # type: ignore[no-untyped-def]
    response = officer.get("/people/", {"q": "x" * 5000})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]


@pytest.mark.django_db
def test_domain_errors_are_shown_in_vietnamese_by_default(officer, world):  # type: ignore[no-untyped-def]
    response = officer.post(
        f"/org/{world.a.cell.pk}/merge/", {"target": world.a.agency.pk, "effective": "2026-01-01"}
    )
    errors = " ".join(response.context["form"].errors["target"])
    assert "không" in errors.lower() and "incompatible" not in errors


@pytest.mark.django_db
def test_csv_export_writes_vietnamese_dates_and_yes_no(officer_en, world):  # type: ignore[no-untyped-def]
    response = officer_en.get("/people/export.csv", {"q": "nguyen van duc"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:7] == ["PA1", "Nguyễn Văn Đức A", "Male", "01/01/1980", "yes", "01/01/2005", "01/01/2006"]
    assert rows[1][7] == world.a.cell.name and len(rows) == 2
