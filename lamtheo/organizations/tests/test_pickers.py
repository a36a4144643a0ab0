"""Pickers: the JSON endpoints stay in scope, fold diacritics, need a login and stop at 20; forms that
take a picked id refuse an unknown or out-of-scope one with a form error and write nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SYSTEM
from lamtheo.core import audit
from lamtheo.core.forms import PickerSelect
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations import services
from lamtheo.organizations.forms import MoveForm
from lamtheo.organizations.models import Organization, ParentLink, Person, Position

pytestmark = pytest.mark.django_db


def _count(model) -> int:  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")):
        return model.objects.count()


@pytest.fixture
def officer(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.a.officer_user)
    client.cookies["django_language"] = "en"
    return client


def _texts(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return [r["text"] for r in response.json()["results"]]


def test_person_picker_folds_diacritics_shows_the_cell_and_stays_in_scope(officer, world):  # type: ignore[no-untyped-def]
    data = officer.get("/pick/people/", {"q": "nguyen van duc"}).json()["results"]
    assert [r["text"] for r in data] == ["Nguyễn Văn Đức A"]
    assert data[0]["value"] == world.a.member.pk
    assert data[0]["hint"] == f"Chi bộ Tổ dân phố A1 · {world.a.member.code}"
    # The sibling ward's people are never offered, whatever is typed (by name or by code).
    assert _texts(officer.get("/pick/people/", {"q": "duc b"})) == []
    assert _texts(officer.get("/pick/people/", {"q": world.b.member.code})) == []
    everyone = _texts(officer.get("/pick/people/"))
    assert "Trần Thị Mai A" in everyone and not any(t.endswith(" B") for t in everyone)
    # UTF-8 as is, so that a leak would be visible to a text search of the body.
    assert "Nguyễn Văn Đức A" in officer.get("/pick/people/", {"q": "duc"}).content.decode()


def test_org_picker_by_name_kind_and_subtree(officer, world):  # type: ignore[no-untyped-def]
    assert _texts(officer.get("/pick/organizations/", {"q": "to dan pho"})) == [
        "Chi bộ Tổ dân phố A1 (WA-C1)"
    ]
    assert _texts(officer.get("/pick/organizations/", {"q": world.b.cell.code})) == []
    assert _texts(officer.get("/pick/organizations/", {"q": world.a.cell.code})) == [
        "Chi bộ Tổ dân phố A1 (WA-C1)"
    ]
    cells = _texts(officer.get("/pick/organizations/", {"kind": "party_cell"}))
    assert cells == ["Chi bộ Tổ dân phố A1 (WA-C1)"]
    below = _texts(officer.get("/pick/organizations/", {"under": world.a.cell.pk}))
    assert below == ["Chi bộ Tổ dân phố A1 (WA-C1)"]
    outside = _texts(officer.get("/pick/organizations/", {"not_under": world.a.cell.pk}))
    assert "Chi bộ Tổ dân phố A1 (WA-C1)" not in outside and "UBND phường A (WA-UB)" in outside
    # A subtree outside the actor's scope is missing, like any other record of it.
    assert officer.get("/pick/organizations/", {"under": world.b.committee.pk}).status_code == 404


def test_pickers_need_a_login(client, world):  # type: ignore[no-untyped-def]
    for url in ("/pick/people/", "/pick/organizations/", "/rulebook/regulations/pick/"):
        response = client.get(url, {"q": "nguyen"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_person_picker_stops_at_twenty(officer, world):  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")), audit.acting(SYSTEM):
        for n in range(25):
            services.person_create(actor=SYSTEM, code=f"NX{n:02}", full_name=f"Nguyễn Thị Xuân {n:02}",
                                   gender="female", workplace=world.a.agency)  # fmt: skip
    found = _texts(officer.get("/pick/people/", {"q": "nguyen thi xuan"}))
    assert len(found) == 20 and found[0] == "Nguyễn Thị Xuân 00"


def test_picker_select_renders_only_the_chosen_option_of_a_long_list(world, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(PickerSelect, "inline_limit", 1)
    with activate(Scope.everything(reason="test")):
        form = MoveForm(organization=world.a.cell, initial={"new_parent": world.b.committee})
        html = str(form["new_parent"])
    assert 'data-picker="/pick/organizations/?not_under=' in html
    assert html.count("<option") == 2  # the placeholder and the chosen one, not the whole tree
    assert "— Choose —" in html and "---------" not in html
    assert f'<option value="{world.b.committee.pk}" selected>Đảng bộ phường B (WB)</option>' in html


def test_move_form_takes_a_picked_id_and_refuses_an_out_of_scope_one(officer, world):  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")), audit.acting(SYSTEM):
        sub = services.organization_create(actor=SYSTEM, code="WA-PC", name="Đảng bộ bộ phận A", kind="party_committee",
                                           parent=world.a.committee, valid_from=dt.date(2025, 7, 1))  # fmt: skip
    links = _count(ParentLink)
    for bad in (str(world.b.committee.pk), "999999", "abc"):
        response = officer.post(
            f"/org/{world.a.cell.pk}/move/", {"new_parent": bad, "effective": "01/01/2026"}
        )
        assert response.status_code == 200
        assert "not found among those you may choose" in " ".join(
            response.context["form"].errors["new_parent"]
        )
        assert _count(ParentLink) == links
    response = officer.post(
        f"/org/{world.a.cell.pk}/move/", {"new_parent": sub.pk, "effective": "01/01/2026"}
    )
    assert response.status_code == 302
    with activate(Scope.everything(reason="test")):
        assert Organization.objects.get(pk=world.a.cell.pk).parent_id == sub.pk


def test_position_form_takes_a_picked_organization(officer, world):  # type: ignore[no-untyped-def]
    url = f"/people/{world.a.staff.pk}/positions/new/"
    before = _count(Position)
    bad = officer.post(
        url, {"organization": world.b.agency.pk, "title": "Chủ tịch", "from_date": "01/08/2025"}
    )
    assert bad.status_code == 200 and "organization" in bad.context["form"].errors
    assert _count(Position) == before
    ok = officer.post(
        url, {"organization": world.a.agency.pk, "title": "Chủ tịch", "from_date": "01/08/2025"}
    )
    assert ok.status_code == 302 and _count(Position) == before + 1
    with activate(Scope.everything(reason="test")):
        position = Position.objects.get(person=world.a.staff, title="Chủ tịch")
        assert position.organization_id == world.a.agency.pk and position.from_date == dt.date(2025, 8, 1)


def test_error_summary_links_to_each_field_with_an_error(officer, world):  # type: ignore[no-untyped-def]
    people = _count(Person)
    response = officer.post("/people/new/", {"code": "", "full_name": "Lý Thị Lan", "gender": "female",
                                             "date_of_birth": "31/02/1990", "workplace": world.b.agency.pk})  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and _count(Person) == people
    summary = html[html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))]
    assert "There is a problem" in summary
    assert '<a href="#id_code">Person code: This field is required.</a>' in summary
    assert '<a href="#id_date_of_birth">Date of birth: Enter a date as dd/mm/yyyy.</a>' in summary
    assert '<a href="#id_workplace">Workplace: Choose one from the list' in summary
    # Each error also sits beside its field, which points at it for screen readers.
    assert 'aria-describedby="id_code_error"' in html and '<ul class="error" id="id_code_error">' in html
    # The date box keeps what was typed; a valid date shows as dd/mm/yyyy.
    assert 'value="31/02/1990"' in html and 'placeholder="dd/mm/yyyy"' in html


def test_dates_show_and_parse_as_day_month_year_in_english_too(officer, world):  # type: ignore[no-untyped-def]
    response = officer.get(f"/org/{world.a.cell.pk}/move/")
    assert 'name="effective"' in response.content.decode()
    response = officer.post(f"/people/{world.a.staff.pk}/positions/new/",
                            {"organization": world.a.agency.pk, "title": "Phó Chủ tịch", "from_date": "03/04/2026"})  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    with activate(Scope.everything(reason="test")):
        assert Position.objects.get(title="Phó Chủ tịch").from_date == dt.date(
            2026, 4, 3
        )  # 3 April, not 4 March


def test_person_picker_names_no_cell_of_another_branch(officer, world):  # type: ignore[no-untyped-def]
    """Someone of ward B working in ward A's People's Committee: ward A finds them, without B's cell name."""
    with activate(Scope.everything(reason="test")), audit.acting(SYSTEM):
        services.person_create(
            actor=SYSTEM, code="PX9", full_name="Phạm Văn Giao", gender="male", date_of_birth=dt.date(1981, 2, 2),
            is_party_member=True, admission_date=dt.date(2004, 1, 1), official_date=dt.date(2005, 1, 1),
            party_cell=world.b.cell, workplace=world.a.agency,
        )  # fmt: skip
    data = officer.get("/pick/people/", {"q": "pham van giao"}).json()["results"]
    assert [r["text"] for r in data] == ["Phạm Văn Giao"]
    assert world.b.cell.name not in data[0]["hint"] and world.a.agency.name in data[0]["hint"]
