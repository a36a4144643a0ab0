"""A rule version that has judged a record is frozen (ADR 0012): the admin refuses to change its rules and
offers a new version, the reference-data loader adds a version instead of rewriting it, and a score is judged
as it is stored."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from conftest import SYSTEM
from lamtheo.commitments import services
from lamtheo.commitments.models import CommitmentPlan, Evaluation
from lamtheo.core.errors import DomainError
from lamtheo.core.scoping import activate
from lamtheo.rulebook.models import CommitmentTemplate, EvaluationScheme
from lamtheo.rulebook.selectors import evaluation_scheme_for_year
from lamtheo.rulebook.services import DEFAULT_FILE, rulebook_load

from .conftest import approved_plan, graded_members, yearend

pytestmark = pytest.mark.django_db
BANDS_95 = [
    {"grade": "excellent", "min_score": 95}, {"grade": "good", "min_score": 70},
    {"grade": "completed", "min_score": 50}, {"grade": "not_completed", "min_score": 0},
]  # fmt: skip


def _proposed(world, cast, *, grade: str = "excellent", score: object = 92) -> Evaluation:  # type: ignore[no-untyped-def]
    """An excellent proposed in ward A, where four members rated good already leave room for one (five
    records judged by the 2026 scheme in all)."""
    graded_members(world, cast, 2026, ["good"] * 4)
    plan = approved_plan(cast)
    yearend(cast, plan, grade=grade, score=score)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        return services.evaluation_propose(actor=sec, plan=plan, grade=grade, score=score)


def _scheme_form(scheme: EvaluationScheme, **changes: object) -> dict[str, object]:
    data = {
        "code": scheme.code, "name": scheme.name, "regulation": scheme.regulation_id or "",
        "year_from": scheme.year_from, "year_to": scheme.year_to or "", "scale_max": scheme.scale_max or "",
        "grades": json.dumps(scheme.grades), "quota": json.dumps(scheme.quota),
        "disqualifiers": json.dumps(scheme.disqualifiers), "note": scheme.note,
    }  # fmt: skip
    data.update(changes)
    return data


def _admin(client):  # type: ignore[no-untyped-def]
    client.force_login(get_user_model().objects.create_superuser("root", password="x-pass-123"))
    return client


def test_the_admin_refuses_new_bands_on_a_scheme_that_judged_a_grade(world, cast, client):  # type: ignore[no-untyped-def]
    ev = _proposed(world, cast)
    scheme, url = ev.scheme, f"/admin/rulebook/evaluationscheme/{ev.scheme_id}/change/"
    response = _admin(client).post(url, _scheme_form(scheme, grades=json.dumps(BANDS_95)))
    assert response.status_code == 200
    assert "is in use by 5 records: its grades can no longer change" in response.content.decode()
    scheme.refresh_from_db()
    assert (
        scheme.grades[0]["min_score"] == 90 and EvaluationScheme.objects.filter(code=scheme.code).count() == 1
    )
    # "Save as new" adds version 2 for the grades judged from now on; the proposal keeps version 1.
    response = client.post(url, _scheme_form(scheme, grades=json.dumps(BANDS_95), _saveasnew="1"))
    assert response.status_code == 302
    new = EvaluationScheme.objects.get(code=scheme.code, version=2)
    assert new.grades[0]["min_score"] == 95 and evaluation_scheme_for_year(2026) == new
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):  # 92 is still excellent for the record judged under version 1
        again = services.evaluation_propose(
            actor=sec, plan=ev.plan, grade="excellent", score=92, version=ev.version
        )
    assert again.scheme_id == scheme.pk and again.grade == "excellent"


def test_the_admin_refuses_to_rewrite_a_template_a_plan_was_written_on(cast, client):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    template = CommitmentPlan.objects.unscoped(reason="test").get(pk=plan.pk).template
    data = {
        "code": template.code, "name": template.name, "title": "BẢN CAM KẾT MỚI {year}", "for_heads": "",
        "year_from": template.year_from, "year_to": template.year_to or "", "sections": json.dumps(template.sections),
    }  # fmt: skip
    if template.for_heads:
        data["for_heads"] = "on"
    response = _admin(client).post(f"/admin/rulebook/commitmenttemplate/{template.pk}/change/", data)
    assert response.status_code == 200 and "is in use by 1 record" in response.content.decode()
    assert CommitmentTemplate.objects.get(pk=template.pk).title == template.title


def test_reloading_a_changed_seed_adds_a_version_and_keeps_the_one_in_use(world, cast, tmp_path):  # type: ignore[no-untyped-def]
    ev = _proposed(world, cast)
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    seed = next(s for s in data["evaluation_schemes"] if s["code"] == ev.scheme.code)
    seed["grades"] = [dict(g, min_score=95) if g["grade"] == "excellent" else g for g in seed["grades"]]
    changed = tmp_path / "rulebook.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    first = rulebook_load(actor=SYSTEM, path=changed)
    assert "added v2 (grades differ from v1, which judged 5 records" in first["rule_versions"]
    v1, v2 = EvaluationScheme.objects.filter(code=ev.scheme.code).order_by("version")
    assert (v1.pk, v1.grades[0]["min_score"], v2.grades[0]["min_score"]) == (ev.scheme_id, 90, 95)
    assert Evaluation.objects.unscoped(reason="test").get(pk=ev.pk).scheme_id == v1.pk
    assert evaluation_scheme_for_year(2026) == v2  # what is judged from now on
    # Loading the same seed again changes nothing; the original seed finds its rules in v1 and says so.
    second = rulebook_load(actor=SYSTEM, path=changed)
    assert "rule_versions" not in second and EvaluationScheme.objects.filter(code=v1.code).count() == 2
    original = rulebook_load(actor=SYSTEM)
    assert "holds the rules of v1; v2 kept" in original["rule_versions"]
    assert EvaluationScheme.objects.filter(code=v1.code).count() == 2


@pytest.mark.parametrize("score", ["89.995", "89,999", "90.001"])
def test_a_score_with_more_decimals_than_stored_is_refused_at_year_end(cast, score):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    owner = cast.actor("member_user")
    with activate(owner.scope), pytest.raises(DomainError, match="at most 2 decimal places") as refused:
        yearend(cast, plan, grade="good", score=score)
    assert refused.value.field == "self_score"
    stored = CommitmentPlan.objects.unscoped(reason="test").get(pk=plan.pk)
    assert (stored.yearend_at, stored.self_score, stored.self_grade) == (None, None, "")


def test_a_grade_is_judged_on_the_score_as_stored(world, cast):  # type: ignore[no-untyped-def]
    graded_members(world, cast, 2026, ["good"] * 4)  # room for one excellent under the quota
    plan = approved_plan(cast)
    yearend(cast, plan, grade="good", score=80)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        # 89.995 would be stored as 90.00 (excellent) yet judged as below 90 (good): refused, nothing written.
        with pytest.raises(DomainError, match="at most 2 decimal places"):
            services.evaluation_propose(actor=sec, plan=plan, grade="good", score="89.995")
        assert not Evaluation.objects.unscoped(reason="test").filter(plan=plan).exists()
        ev = services.evaluation_propose(actor=sec, plan=plan, grade="excellent", score="90,000")
    assert Evaluation.objects.unscoped(reason="test").get(pk=ev.pk).score == Decimal("90.00")
