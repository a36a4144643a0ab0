"""Organization import: parents anywhere in the file, paths and parent links, refusals."""

from __future__ import annotations

import pytest

from lamtheo.core.actor import Actor
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations import selectors
from lamtheo.organizations.models import Organization

from .conftest import xlsx

pytestmark = pytest.mark.django_db

HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ ngày"]


def org(code: str) -> Organization:
    with activate(Scope.everything(reason="test")):
        return Organization.objects.get(code=code)


def text(job) -> str:  # type: ignore[no-untyped-def]
    return " | ".join(f"{e['row']}·{e['column']}·{e['message']}·{e['found']}" for e in job.errors)


def test_children_before_parents_and_paths(world, run_import):  # type: ignore[no-untyped-def]
    rows = [
        ["WA-T1", "Tổ đảng 1", "Tổ đảng", "WA-PB", "01/09/2025"],
        ["WA-PB", "Đảng bộ bộ phận khu 1", "party_committee", "WA", "01/08/2025"],
        ["WA-C9", "Chi bộ Tổ dân phố 9", "Chi bộ", "WA-PB", "01/09/2025"],
    ]
    job = run_import(xlsx(rows, header=HEADER), kind="organizations", commit=True)
    assert job.status == "done", text(job)
    assert job.created_count == 3
    pb, t1 = org("WA-PB"), org("WA-T1")
    assert pb.parent_id == world.a.committee.pk and pb.path == f"{world.a.committee.path}{pb.pk:09d}/"
    assert t1.path == f"{pb.path}{t1.pk:09d}/" and t1.depth == pb.depth + 1
    with activate(Scope.everything(reason="test")):
        kids = selectors.organization_children(actor=Actor.system(reason="test"), organization=pb)
        assert {k.code for k in kids} == {"WA-T1", "WA-C9"}
        assert pb.history.get().history_type == "+"
    again = run_import(xlsx(rows, header=HEADER), kind="organizations", commit=True)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)


def test_rename_is_an_update_and_a_move_is_refused(world, run_import):  # type: ignore[no-untyped-def]
    rows = [["WA-C1", "Chi bộ Tổ dân phố A1 (mới)", "Chi bộ", "WA", "01/07/2025"]]
    job = run_import(xlsx(rows, header=HEADER), kind="organizations", commit=True)
    assert job.status == "done" and job.updated_count == 1, text(job)
    assert org("WA-C1").name == "Chi bộ Tổ dân phố A1 (mới)"
    moved = [["WA-C1", "Chi bộ Tổ dân phố A1", "Chi bộ", "WA-UB", "01/07/2025"]]
    job = run_import(xlsx(moved, header=HEADER), kind="organizations", commit=True)
    assert job.status == "rejected" and "to move an organization use its Move screen" in text(job)
    assert org("WA-C1").parent_id == world.a.committee.pk


@pytest.mark.parametrize(
    "rows,message",
    [
        (
            [["X1", "A", "Chi bộ", "X2", "01/09/2025"], ["X2", "B", "Chi bộ", "X1", "01/09/2025"]],
            "form a cycle",
        ),
        (
            [["X1", "A", "Chi bộ", "WB", "01/09/2025"]],
            "unknown parent code, or one outside your organizations",
        ),
        ([["WB-C1", "A", "Chi bộ", "WA", "01/09/2025"]], "belongs to an organization outside yours"),
        ([["X1", "A", "hợp tác xã", "WA", "01/09/2025"]], "unknown kind of organization"),
        ([["X1", "A", "Chi bộ", "WA", "01/01/2020"]], "cannot start before its parent"),
        ([["X1", "A", "Chi bộ", "WA", "01/01/2099"]], "in the future"),
    ],
)
def test_refusals_write_nothing(world, run_import, rows, message):  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")):
        before = Organization.objects.count()
    job = run_import(xlsx(rows, header=HEADER), kind="organizations", commit=True)
    assert job.status == "rejected" and message in text(job), text(job)
    with activate(Scope.everything(reason="test")):
        assert Organization.objects.count() == before


def test_secretary_role_cannot_import_organizations(world):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import actor_of
    from lamtheo.core.errors import PermissionDenied
    from lamtheo.roster import services

    actor = actor_of(world.a.secretary_user)
    with activate(actor.scope), pytest.raises(PermissionDenied):
        services.import_create(actor=actor, kind="organizations", upload=SimpleUploadedFile("o.xlsx", b"PK"))
