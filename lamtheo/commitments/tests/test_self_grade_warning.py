"""A member who proposes the top grade while some commitments are only partly done is warned, and the cell
sees the same warning where it proposes the grade."""

from __future__ import annotations

import pytest
from django.test import Client

from lamtheo.commitments import selectors
from lamtheo.core.scoping import Scope, activate

from .conftest import approved_plan, yearend


def _evaluate_page(cast, plan) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(cast.cell_secretary)
    response = client.get(f"/commitments/plans/{plan.pk}/evaluate/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_excellent_with_a_partly_done_item_is_flagged(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    yearend(cast, plan, grade="excellent", score=95, result="partly")
    with activate(Scope.everything(reason="test")):
        plan.refresh_from_db()
        short = plan.items.count()
        warning = selectors.self_grade_warning(plan=plan)
    expected = f"while {short} commitments are" if short > 1 else "while 1 commitment is"
    assert expected in warning and "only partly done or not done" in warning
    assert f"{expected} only partly done or not done" in _evaluate_page(cast, plan)


@pytest.mark.django_db
def test_excellent_with_everything_done_is_not_flagged(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    yearend(cast, plan, grade="excellent", score=95, result="done")
    with activate(Scope.everything(reason="test")):
        plan.refresh_from_db()
        assert selectors.self_grade_warning(plan=plan) == ""
    assert "only partly done" not in _evaluate_page(cast, plan)


@pytest.mark.django_db
def test_the_member_is_warned_when_saving(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(cast.member_user)
    with activate(Scope.everything(reason="test")):
        items = list(plan.items.values_list("pk", flat=True))
    data = {f"result-{pk}": "partly" for pk in items} | {"self_grade": "excellent", "self_score": "95"}
    response = client.post(f"/commitments/plans/{plan.pk}/assess/yearend/", data, follow=True)
    assert response.status_code == 200
    assert "only partly done" in response.content.decode()


@pytest.mark.django_db
def test_a_plan_that_cannot_change_says_why_instead_of_404(cast):  # type: ignore[no-untyped-def]
    from lamtheo.commitments.models import CommitmentItem

    plan = approved_plan(cast)
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(cast.member_user)
    with activate(Scope.everything(reason="test")):
        before = CommitmentItem.objects.filter(plan=plan).count()
        item = CommitmentItem.objects.filter(plan=plan).first()
    response = client.get(f"/commitments/plans/{plan.pk}/items/new/", follow=True)
    assert response.redirect_chain[-1][0] == f"/commitments/plans/{plan.pk}/"
    assert "has been approved and can no longer be changed" in response.content.decode()
    response = client.post(f"/commitments/items/{item.pk}/edit/", {"content": "changed"}, follow=True)
    assert "has been approved and can no longer be changed" in response.content.decode()
    with activate(Scope.everything(reason="test")):
        assert CommitmentItem.objects.filter(plan=plan).count() == before
        assert CommitmentItem.objects.get(pk=item.pk).content != "changed"
    # Someone else in the cell still gets the same 404 as for a plan out of scope.
    client.force_login(cast.cell_secretary)
    assert client.get(f"/commitments/plans/{plan.pk}/items/new/").status_code == 404
