"""The rulebook loads as versioned data, idempotently, with repeated document numbers kept apart."""

import pytest

from lamtheo.core.actor import Actor
from lamtheo.rulebook import selectors
from lamtheo.rulebook.models import CriteriaSet, Regulation
from lamtheo.rulebook.services import rulebook_load

SYSTEM = Actor.system(reason="test")


@pytest.mark.django_db
def test_load_is_idempotent_and_writes_no_history_the_second_time():  # type: ignore[no-untyped-def]
    first = rulebook_load(actor=SYSTEM)
    history = Regulation.history.count()
    second = rulebook_load(actor=SYSTEM)
    assert first == second and first["regulations"] >= 25
    assert Regulation.history.count() == history


@pytest.mark.django_db
def test_same_number_different_documents():  # type: ignore[no-untyped-def]
    rulebook_load(actor=SYSTEM)
    rows = Regulation.objects.filter(number="124", symbol="QĐ/TW").order_by("issue_date")
    assert [r.issue_date.year for r in rows] == [2018, 2023]
    assert rows[1].replaced_by.number == "366"


@pytest.mark.django_db
def test_criteria_sets_and_versions():  # type: ignore[no-untyped-def]
    import datetime as dt

    rulebook_load(actor=SYSTEM)
    standards = CriteriaSet.objects.get(code="qd144-standards")
    assert standards.criteria.count() == 5 and standards.regulation.number == "144"
    assert selectors.criteria_set_in_force(code="qd144-standards", day=dt.date(2025, 1, 1)) == standards
    assert selectors.criteria_set_in_force(code="qd144-standards", day=dt.date(2020, 1, 1)) is None


@pytest.mark.django_db
def test_search_is_diacritics_insensitive():  # type: ignore[no-untyped-def]
    rulebook_load(actor=SYSTEM)
    assert selectors.regulation_list(q="chuan muc dao duc").filter(number="144").exists()
