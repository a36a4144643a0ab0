"""Quy định 213: the comment on a working member comes from the cell where they live, another cell than
their own, and is written only by that cell's secretary (not by a committee above it)."""

from __future__ import annotations

import datetime as dt

import pytest

from lamtheo.commitments import services
from lamtheo.commitments.models import ResidenceComment, ResidenceStatus
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import activate

from .conftest import approved_plan

D = dt.date
RATINGS = {"civic": "good", "ethics": "good", "trust": "good"}


def test_the_comment_is_not_asked_of_the_members_own_cell(cast, world):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope), pytest.raises(DomainError, match="own party cell") as refused:
        services.residence_comment_request(
            actor=sec, plan=plan, residence=world.a.cell, due_date=D(2026, 12, 20)
        )
    assert refused.value.field == "residence"
    assert not ResidenceComment.objects.unscoped(reason="test").filter(plan=plan).exists()


def test_a_member_living_in_their_own_cell_is_not_asked_of_it_by_default(cast, world):  # type: ignore[no-untyped-def]
    from lamtheo.organizations.models import Person

    Person.objects.unscoped(reason="test").filter(pk=cast.member.pk).update(residence_cell=world.a.cell)
    plan = approved_plan(cast)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope), pytest.raises(DomainError, match="own party cell"):
        services.residence_comment_request(actor=sec, plan=plan, due_date=D(2026, 12, 20))
    # Marking the member exempt stays possible.
    with activate(sec.scope):
        comment = services.residence_comment_request(
            actor=sec, plan=plan, exempt_reason="Sinh hoạt tại nơi cư trú"
        )
    assert comment.status == ResidenceStatus.EXEMPT


def test_only_the_residence_cells_secretary_writes_the_comment(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        comment = services.residence_comment_request(actor=sec, plan=plan, due_date=D(2026, 12, 20))
    ward = cast.actor("ward_secretary")  # secretary of the ward above cell A2: may read, may not write
    with activate(ward.scope), pytest.raises(PermissionDenied, match="secretary of the residence cell"):
        services.residence_comment_return(
            actor=ward, comment=comment, ratings=RATINGS, text="Tốt", signed_by="Bí thư phường"
        )
    comment.refresh_from_db()
    assert comment.status == ResidenceStatus.REQUESTED and comment.ratings == {}
    res = cast.actor("residence_secretary")
    with activate(res.scope):
        services.residence_comment_return(
            actor=res, comment=comment, ratings=RATINGS, text="Tốt", signed_by="B"
        )
    comment.refresh_from_db()
    assert comment.status == ResidenceStatus.RETURNED
