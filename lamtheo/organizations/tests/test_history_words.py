"""A person's history reads in Vietnamese words: role name, names of organizations, dates, yes/no, genders."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.text import capfirst

from lamtheo.commitments.tests.test_history_words import RAW, entries_rows, entries_text
from lamtheo.organizations.models import Person

pytestmark = pytest.mark.django_db


def _label(name: str) -> str:
    with translation.override("vi"):
        return capfirst(str(Person._meta.get_field(name).verbose_name))


def test_person_history_in_words(client, world):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "vi"
    client.force_login(world.a.officer_user)
    response = client.post(f"/people/{world.a.member.pk}/edit/", {
        "code": world.a.member.code, "full_name": "Nguyễn Văn Đức An", "gender": "male",
        "date_of_birth": "01/01/1980", "is_party_member": "on", "admission_date": "01/01/2005",
        "official_date": "01/01/2006", "party_cell": world.a.cell.pk, "residence_cell": world.a.cell.pk,
        "workplace": world.a.agency.pk,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-2000:]
    body = client.get(f"/people/{world.a.member.pk}/history/").content.decode()
    entries, tables = entries_text(body), entries_rows(body)

    change = tables[0]
    officer = "tochuca (Cán bộ Ban Xây dựng Đảng (tổ chức), Đảng bộ phường A) "
    assert entries[0].startswith(officer), entries[0]
    assert change[_label("full_name")] == ["Nguyễn Văn Đức A", "Nguyễn Văn Đức An"]
    assert change[_label("workplace")] == ["—", "UBND phường A"]  # a foreign key, by name

    created = tables[-1]
    assert created[_label("gender")] == ["Nam"]  # the choice's label, not "male"
    assert created[_label("date_of_birth")] == ["01/01/1980"]
    assert created[_label("is_party_member")] == ["Có"]  # not "True"
    assert created[_label("party_cell")] == ["Chi bộ Tổ dân phố A1"]
    # A system actor (the fixture's loader) reads as "hệ thống", without its reason as an organization.
    assert entries[-1].startswith("hệ thống "), entries[-1]
    assert "test fixture" not in body
    for table in tables:
        for label, cells in table.items():
            for cell in [label, *cells]:
                assert not RAW.search(cell) and "male" not in cell, (label, cells)


@pytest.mark.django_db
def test_history_names_no_record_of_another_branch(world, system):  # type: ignore[no-untyped-def]
    """A member who moved from ward B to ward A: ward A reads their history, and B's cell is not named."""
    from django.test import Client

    from lamtheo.organizations import services as org_services

    person = world.b.member
    org_services.person_update(
        actor=system, person=person, party_cell=world.a.cell, residence_cell=world.a.cell
    )
    client = Client()
    client.force_login(world.a.secretary_user)
    response = client.get(f"/people/{person.pk}/history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert world.a.cell.name in html
    assert world.b.cell.name not in html
    assert "một hồ sơ ngoài phạm vi phụ trách" in html
