"""The residence request: a cell picked from the list (in scope), or any cell of the city by its code."""

from __future__ import annotations

import pytest

from lamtheo.commitments.models import ResidenceComment

from .conftest import approved_plan

pytestmark = pytest.mark.django_db


def test_residence_cell_picked_by_id_or_refused_out_of_scope(client, cast, world):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    client.force_login(cast.cell_secretary)
    client.cookies["django_language"] = "en"
    url = f"/commitments/plans/{plan.pk}/residence/"
    page = client.get(url).content.decode()
    assert 'data-picker="/pick/organizations/?kind=party_cell"' in page
    assert 'value="WA-C2"' in page  # outside the secretary's cell: proposed by its code
    for bad in (world.b.cell.pk, 999999):
        response = client.post(url, {"residence": bad, "due_date": "20/12/2026"})
        assert response.status_code == 200 and "residence" in response.context["form"].errors
        assert not ResidenceComment.objects.unscoped(reason="test").exists()
    # The member's own cell is not their place of residence for Quy định 213.
    response = client.post(url, {"residence": world.a.cell.pk, "due_date": "20/12/2026"})
    assert response.status_code == 200 and "own party cell" in str(
        response.context["form"].errors["residence"]
    )
    assert not ResidenceComment.objects.unscoped(reason="test").exists()
    # The ward secretary picks cell A2 from the list; the picked cell wins over a typed code.
    client.force_login(cast.ward_secretary)
    assert client.post(url, {"residence": cast.residence_cell.pk, "residence_code": "WB-C1",
                             "due_date": "20/12/2026"}).status_code == 302  # fmt: skip
    comment = ResidenceComment.objects.unscoped(reason="test").get(plan=plan)
    assert comment.residence_id == cast.residence_cell.pk
