"""People: the directory's Vietnamese search, validation of bad input, audit entries."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from conftest import actor_of
from lamtheo.core.errors import DomainError, NotFound
from lamtheo.core.scoping import activate
from lamtheo.organizations import selectors, services
from lamtheo.organizations.models import Person


def _names(qs):  # type: ignore[no-untyped-def]
    return {p.full_name for p in qs}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "nguyen van duc",
        "Nguyễn Văn Đức",
        "NGUYEN VAN DUC",
        unicodedata.normalize("NFD", "Nguyễn Văn Đức"),
        "đức",
        "DUC",
        "  van   duc ",
        "Đuc nguyen",
    ],
)
def test_search_ignores_diacritics_case_and_normal_form(world, system, query):  # type: ignore[no-untyped-def]
    found = _names(selectors.person_list(actor=system, q=query))
    assert "Nguyễn Văn Đức A" in found and "Trần Thị Mai A" not in found


@pytest.mark.django_db
def test_search_finds_uppercase_vietnamese_on_every_database(world, system):  # type: ignore[no-untyped-def]
    services.person_create(
        actor=system, code="PX", full_name="ĐỖ THỊ ỬNG", gender="female", workplace=world.a.agency
    )
    assert _names(selectors.person_list(actor=system, q="đỗ thị ửng")) == {"ĐỖ THỊ ỬNG"}
    assert _names(selectors.person_list(actor=system, q="do thi ung")) == {"ĐỖ THỊ ỬNG"}


@pytest.mark.django_db
def test_stored_names_are_nfc(world, system):  # type: ignore[no-untyped-def]
    p = services.person_create(
        actor=system,
        code="PNFD",
        full_name=unicodedata.normalize("NFD", "Lê  Thị Hồng "),
        gender="female",
        workplace=world.a.agency,
    )
    p.refresh_from_db()
    assert p.full_name == "Lê Thị Hồng" and unicodedata.is_normalized("NFC", p.full_name)


GOOD = dict(code="PN", full_name="Phạm Văn Nam", gender="male", date_of_birth=dt.date(1985, 3, 3))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes,message",
    [
        ({"full_name": "  "}, "full name is required"),
        ({"date_of_birth": dt.date(2099, 1, 1)}, "cannot be in the future"),
        ({"is_party_member": False, "admission_date": dt.date(2010, 1, 1)}, "party members only"),
        ({"is_party_member": True}, "must be active in a party cell"),
        (
            {"is_party_member": True, "party_cell": "cell", "admission_date": dt.date(1990, 1, 1)},
            "18 or older",
        ),
        (
            {
                "is_party_member": True,
                "party_cell": "cell",
                "admission_date": dt.date(2010, 1, 1),
                "official_date": dt.date(2009, 1, 1),
            },
            "before the admission date",
        ),
        ({"is_party_member": True, "party_cell": "agency"}, "Choose a party organization"),
        ({"code": "PA1", "workplace": "agency"}, "already uses the code"),
        ({}, "party cell or workplace"),
    ],
)
def test_bad_person_input_is_refused_and_nothing_written(world, system, changes, message):  # type: ignore[no-untyped-def]
    data = {**GOOD, **changes}
    for key in ("party_cell", "workplace"):
        if data.get(key) == "cell":
            data[key] = world.a.cell
        elif data.get(key) == "agency":
            data[key] = world.a.agency
    count = Person.objects.count()
    with pytest.raises(DomainError, match=message):
        services.person_create(actor=system, **data)
    assert Person.objects.count() == count


@pytest.mark.django_db
def test_person_outside_scope_is_not_found_and_cannot_be_linked(world):  # type: ignore[no-untyped-def]
    actor = actor_of(world.a.secretary_user)
    with activate(actor.scope):
        with pytest.raises(NotFound):
            services.person_create(actor=actor, **GOOD, workplace=world.b.agency)
        with pytest.raises(Exception) as exc:
            selectors.person_for_actor(actor=actor, pk=world.b.member.pk)
        assert exc.typename == "Http404"
        assert not Person.objects.filter(code="PN").exists()


@pytest.mark.django_db
def test_update_is_audited_with_actor_role_and_before_after(world):  # type: ignore[no-untyped-def]
    from lamtheo.core import audit

    actor = actor_of(world.a.secretary_user)
    with activate(actor.scope), audit.acting(actor):
        person = selectors.person_for_actor(actor=actor, pk=world.a.staff.pk)
        services.person_update(actor=actor, person=person, full_name="Trần Thị Mai Anh")
        entry = person.history.first()
        assert entry.history_user_id == world.a.secretary_user.pk
        assert entry.actor_role == "secretary" and entry.actor_org == world.a.committee.name
        delta = entry.diff_against(entry.prev_record)
        assert [(c.field, c.old, c.new) for c in delta.changes] == [
            ("full_name", "Trần Thị Mai A", "Trần Thị Mai Anh")
        ]


@pytest.mark.django_db
def test_second_open_head_is_refused(world, system):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="already has a head"):
        services.position_create(
            actor=system,
            person=world.a.staff,
            organization=world.a.cell,
            title="Bí thư",
            is_head=True,
            from_date=dt.date(2026, 1, 1),
        )
