"""Two officers grading "excellent" at the same moment in one grassroots organization: the quota holds.

Runs on PostgreSQL (CI runs the suite there); SQLite serialises writers itself and its in-memory test
database cannot be shared by two writing threads, so there it is skipped with that reason."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import translation

from lamtheo.commitments import services
from lamtheo.commitments.models import Evaluation
from lamtheo.core.errors import DomainError
from lamtheo.core.scoping import activate

from .conftest import graded_members

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs two concurrent writers: runs on PostgreSQL (make test runs it there)",
    ),
]


def test_two_concurrent_excellent_grades_respect_the_quota(world_tx, cast_tx):  # type: ignore[no-untyped-def]
    # 4 members rated good + 2 candidates: 6 good-or-better allow exactly one excellent.
    graded_members(world_tx, cast_tx, 2026, ["good"] * 4)
    candidates = graded_members(world_tx, cast_tx, 2026, ["good", "good"])
    for plan in candidates:
        Evaluation.objects.unscoped(reason="test").filter(plan=plan).update(
            grade="", decided_grade="", proposed_grade=""
        )
        plan.yearend_at = plan.created_at
        plan.save()
    ward = cast_tx.actor("ward_secretary")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def grade(plan) -> None:  # type: ignore[no-untyped-def]
        try:
            with activate(ward.scope), translation.override("en"):
                barrier.wait()
                services.evaluation_propose(actor=ward, plan=plan, grade="excellent", score=95)
            outcomes.append("saved")
        except DomainError as exc:
            outcomes.append("quota" if "Quota" in exc.message else exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=grade, args=(p,)) for p in candidates]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["quota", "saved"]
    assert Evaluation.objects.unscoped(reason="test").filter(grade="excellent").count() == 1
