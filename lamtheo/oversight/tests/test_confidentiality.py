"""Cases on signs of violation and disciplinary measures: read only by the inspection side of the owning
committee and above, and by their subject once notified; every reading is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from conftest import actor_of
from lamtheo.core.scoping import Scope, activate
from lamtheo.oversight import selectors, services
from lamtheo.oversight.models import ConfidentialAccess, Mode, Step

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def secret_case(world, team):  # type: ignore[no-untyped-def]
    """A case on signs of violation about a peer of cell A1, opened by the ward's inspection officer."""
    return services.case_open(
        actor=team.actor("inspector"), organization=world.a.committee, kind="inspection", mode=Mode.VIOLATION,
        year=2026, title="Kiểm tra khi có dấu hiệu vi phạm", subject_person=team.peer,
    )  # fmt: skip


def _accesses(case) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")):
        return list(ConfidentialAccess.objects.filter(record=f"oversight.case:{case.pk}")
                    .order_by("id").values_list("user__username", "role"))  # fmt: skip


def test_a_cell_secretary_cannot_see_a_violation_case_about_a_peer(world, team, secret_case):  # type: ignore[no-untyped-def]
    for who in (team.actor("cell_secretary"), actor_of(world.a.secretary_user), actor_of(world.a.officer_user)):
        assert not selectors.case_list(actor=who).filter(pk=secret_case.pk).exists()
        with pytest.raises(Http404):
            selectors.case_for_actor(actor=who, pk=secret_case.pk)
    # The peer concerned does not see it until notified.
    peer = team.actor("peer_user")
    with pytest.raises(Http404):
        selectors.case_for_actor(actor=peer, pk=secret_case.pk)
    assert _accesses(secret_case) == []
    # The inspection side reads it, and the reading is recorded.
    inspector = team.actor("inspector")
    assert selectors.case_for_actor(actor=inspector, pk=secret_case.pk) == secret_case
    assert selectors.case_list(actor=inspector).filter(pk=secret_case.pk).exists()
    assert _accesses(secret_case) == [("kiemtra-a", "inspection_officer")]


def test_the_subject_reads_the_case_once_notified(world, team, secret_case):  # type: ignore[no-untyped-def]
    inspector = team.actor("inspector")
    services.case_record_step(actor=inspector, case=secret_case, step=Step.DECISION, issued_on=D(2026, 5, 2),
                              number=3, issuer="UBKT", leader=world.a.member, team=[world.a.member])  # fmt: skip
    services.case_record_step(actor=inspector, case=secret_case, step=Step.PLAN, issued_on=D(2026, 5, 3),
                              number=4, issuer="UBKT")  # fmt: skip
    services.case_record_step(actor=inspector, case=secret_case, step=Step.NOTIFICATION,
                              issued_on=D(2026, 5, 4), number=5, issuer="UBKT")  # fmt: skip
    peer = team.actor("peer_user")
    assert selectors.case_for_actor(actor=peer, pk=secret_case.pk) == secret_case
    assert list(selectors.case_list(actor=peer)) == [secret_case]
    assert ("binh", "self") in _accesses(secret_case)
    # Still not the cell secretary.
    with pytest.raises(Http404):
        selectors.case_for_actor(actor=team.actor("cell_secretary"), pk=secret_case.pk)


def test_the_case_page_answers_404_to_the_cell_secretary_and_logs_the_inspector(  # type: ignore[no-untyped-def]
    world, team, secret_case, client
):
    url = f"/oversight/cases/{secret_case.pk}/"
    client.force_login(team.cell_secretary)
    assert client.get(url).status_code == 404
    assert client.get("/oversight/").content.decode().count(secret_case.title) == 0
    client.force_login(team.inspector)
    page = client.get(url)
    assert page.status_code == 200 and "confidential" in page.content.decode()
    assert "Who opened this case" in page.content.decode()
    assert _accesses(secret_case) == [("kiemtra-a", "inspection_officer")]


def test_a_disciplinary_measure_is_read_by_the_inspection_side_and_the_member(world, team):  # type: ignore[no-untyped-def]
    measure = services.measure_record(
        actor=team.actor("inspector"), organization=world.a.committee, person=team.peer, measure="reprimand",
        number=7, issuer="UBKTĐU", decided_on=D(2026, 6, 1), effective_from=D(2026, 6, 1),
        violation="Vi phạm quy tắc ứng xử nơi công cộng",
    )  # fmt: skip
    for who in (team.actor("cell_secretary"), actor_of(world.a.secretary_user), actor_of(world.b.officer_user)):
        assert not selectors.measure_list(actor=who).exists()
        with pytest.raises(Http404):
            selectors.measure_for_actor(actor=who, pk=measure.pk)
    assert selectors.measure_for_actor(actor=team.actor("peer_user"), pk=measure.pk) == measure
    assert selectors.measure_for_actor(actor=team.actor("inspector"), pk=measure.pk) == measure
    with activate(Scope.everything(reason="test")):
        logged = list(ConfidentialAccess.objects.values_list("record", "role"))
    record = f"oversight.measure:{measure.pk}"
    assert sorted(logged) == [(record, "inspection_officer"), (record, "self")]
