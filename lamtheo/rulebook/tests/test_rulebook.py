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
def test_the_corrected_facts_cite_their_sources():  # type: ignore[no-untyped-def]
    """Quy định 08-QĐi/TW has 8 duties to lead in (Điều 2) and 8 things to fight (Điều 3), not 7 and 11; under
    Quy định 124 a member disciplined in the year is rated "not completed" (Điều 12, 4.3 d), not capped at
    "completed"; the members not rated come from its Điều 5 khoản 2; each with its source in the data."""
    import datetime as dt

    from lamtheo.rulebook.models import EvaluationScheme

    rulebook_load(actor=SYSTEM)
    qd08 = selectors.criteria_set_in_force(code="qd08-exemplary-duties", day=dt.date(2026, 1, 1))
    assert qd08 is not None and qd08.version == 2
    tops = {c.code: c for c in qd08.criteria.filter(parent=None)}
    assert sorted(tops) == ["D2", "D3"]
    assert [c.children.count() for c in (tops["D2"], tops["D3"])] == [8, 8]
    assert all(c.description for c in qd08.criteria.exclude(parent=None))
    qd124 = EvaluationScheme.objects.get(code="qd124-2023")
    discipline = next(d for d in qd124.disqualifiers if d["code"] == "discipline")
    assert discipline["caps_at"] == "not_completed" and "Điều 12" in discipline["source"]
    assert "HD 21" not in qd124.authority["source"] and "25-HD/BTCTW" in qd124.note
    assert {e["code"] for e in qd124.exemptions} == {"exempt_from_activities", "suspended", "admitted_under_6_months"}
    assert all("Điều 5 khoản 2" in e["source"] for e in qd124.exemptions)


@pytest.mark.django_db
def test_search_is_diacritics_insensitive():  # type: ignore[no-untyped-def]
    rulebook_load(actor=SYSTEM)
    assert selectors.regulation_list(q="chuan muc dao duc").filter(number="144").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["evaluation_schemes"][1]["grades"].reverse(), "grades must be"),
        (lambda d: d["evaluation_schemes"][1]["grades"][0].update(min_score=120), "within the scale"),
        (lambda d: d["evaluation_schemes"][0]["disqualifiers"][0].update(caps_at="bad"), "unknown grade"),
        (
            lambda d: d["commitment_templates"][0]["sections"].append({"code": "ideology", "title": "x"}),
            "repeat",
        ),
        (lambda d: d["commitment_templates"][0]["sections"][0].update(min_items=-1), "must be a count"),
        (lambda d: d["evaluation_schemes"][0]["exemptions"][0].pop("source"), "each exemption needs"),
        (lambda d: d["evaluation_schemes"][1]["exemptions"].append(d["evaluation_schemes"][1]["exemptions"][0]),
         "each exemption needs"),
    ],
)
def test_a_bad_commitment_rule_refuses_the_whole_load(tmp_path, change, message):  # type: ignore[no-untyped-def]
    import json

    from lamtheo.core.errors import DomainError
    from lamtheo.rulebook.models import CommitmentTemplate, EvaluationScheme
    from lamtheo.rulebook.services import DEFAULT_FILE

    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    change(data)
    bad = tmp_path / "rulebook.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DomainError, match=message):
        rulebook_load(actor=SYSTEM, path=bad)
    assert not EvaluationScheme.objects.exists() and not CommitmentTemplate.objects.exists()
    assert not Regulation.objects.exists()  # one transaction: nothing of the file is written


@pytest.mark.django_db
def test_admin_refuses_a_scheme_that_would_change_grades(client):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from lamtheo.rulebook.models import EvaluationScheme

    rulebook_load(actor=SYSTEM)
    admin = get_user_model().objects.create_superuser("root", password="x-pass-123")
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    scheme = EvaluationScheme.objects.get(code="qd366-2025")
    data = {
        "code": scheme.code, "name": scheme.name, "year_from": 2025, "scale_max": 100,
        "grades": '[{"grade": "good", "min_score": 70}]', "quota": "{}", "disqualifiers": "[]", "note": "",
    }  # fmt: skip
    response = client.post(f"/admin/rulebook/evaluationscheme/{scheme.pk}/change/", data)
    assert response.status_code == 200 and "grades must be" in response.content.decode()
    scheme.refresh_from_db()
    assert len(scheme.grades) == 4
