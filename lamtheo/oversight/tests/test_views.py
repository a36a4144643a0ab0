"""The oversight screens as the officers use them: forms that refuse bad input with the reason and write
nothing, the action screens answering 404 to whoever may not take the action, bounded queries on lists."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import actor_of
from lamtheo.core.scoping import Scope, activate
from lamtheo.oversight import services
from lamtheo.oversight.models import (
    Case,
    CaseDocument,
    DisciplinaryMeasure,
    Programme,
    ProgrammeItem,
    Supervision,
)

pytestmark = pytest.mark.django_db
D = dt.date


def _count(model) -> int:  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")):
        return model.objects.count()


def test_open_a_case_and_record_its_first_step_through_the_screens(client, world, team):  # type: ignore[no-untyped-def]
    client.force_login(team.inspector)
    page = client.get("/oversight/cases/new/")
    assert page.status_code == 200 and "Open a case" in page.content.decode()
    bad = client.post("/oversight/cases/new/", {"organization": world.a.committee.pk, "kind": "inspection",
                                               "mode": "thematic", "title": "Kiểm tra", "year": 2026})  # fmt: skip
    assert bad.status_code == 200 and "either a party member or an organization" in bad.content.decode()
    assert _count(Case) == 0
    out = client.post("/oversight/cases/new/", {
        "organization": world.a.committee.pk, "kind": "inspection", "mode": "thematic", "title": "Kiểm tra chi bộ",
        "year": 2026, "subject_organization": world.a.cell.pk,
    })  # fmt: skip
    with activate(Scope.everything(reason="test")):
        case = Case.objects.get()
    assert out.status_code == 302 and out["Location"] == f"/oversight/cases/{case.pk}/"
    detail = client.get(out["Location"]).content.decode()
    assert "Decision forming the team" in detail and "Record the next step" in detail
    bad_step = client.post(f"/oversight/cases/{case.pk}/step/", {"step": "decision", "issued_on": "02/03/2026",
                                                                 "number": "12", "issuer": "ĐU"})  # fmt: skip
    assert bad_step.status_code == 400 and "Name the team&#x27;s leader and members" in bad_step.content.decode()
    assert _count(CaseDocument) == 0
    ok = client.post(f"/oversight/cases/{case.pk}/step/", {
        "step": "decision", "issued_on": "02/03/2026", "number": "12", "issuer": "ĐU", "leader": world.a.member.pk,
        "team": [team.peer.pk],
    })  # fmt: skip
    assert ok.status_code == 302
    page = client.get(f"/oversight/cases/{case.pk}/").content.decode()
    assert "12-QĐ/ĐU" in page and "02/03/2026" in page and "Plan of the inspection" in page


def test_action_screens_answer_404_to_whoever_may_not_act(client, world, team):  # type: ignore[no-untyped-def]
    client.force_login(team.peer_user)
    for url in ("/oversight/cases/new/", "/oversight/discipline/new/", "/oversight/front/new/"):
        assert client.get(url).status_code == 404, url
    client.force_login(world.a.secretary_user)  # a Party secretary: cases yes, discipline and Front no
    assert client.get("/oversight/cases/new/").status_code == 200
    assert client.get("/oversight/discipline/new/").status_code == 404
    assert client.get("/oversight/front/new/").status_code == 404
    case = services.case_open(actor=team.actor("inspector"), organization=world.a.committee, kind="inspection",
                              mode="regular", year=2026, title="x", subject_organization=world.a.cell)  # fmt: skip
    client.force_login(team.peer_user)  # a member reads no case they are not the subject of
    assert client.get(f"/oversight/cases/{case.pk}/").status_code == 404
    assert client.post(f"/oversight/cases/{case.pk}/step/", {"step": "decision"}).status_code == 404


def test_programme_items_and_adoption(client, world, team):  # type: ignore[no-untyped-def]
    client.force_login(team.inspector)
    out = client.post("/oversight/programmes/", {"organization": world.a.committee.pk, "year": 2026,
                                                 "title": "Chương trình 2026"})  # fmt: skip
    with activate(Scope.everything(reason="test")):
        programme = Programme.objects.get()
    url = f"/oversight/programmes/{programme.pk}/"
    assert out["Location"] == url
    refused = client.post(url, {"action": "adopt", "adopted_on": "20/12/2025"})
    assert "Add at least one inspection" in refused.content.decode()
    bad = client.post(url, {"action": "item", "kind": "inspection", "mode": "thematic", "content": "Kiểm tra",
                            "subject_organization": world.a.cell.pk, "planned_from": "01/06/2026",
                            "planned_to": "01/05/2026"})  # fmt: skip
    assert "The period ends before it starts" in bad.content.decode() and _count(ProgrammeItem) == 0
    client.post(url, {"action": "item", "kind": "inspection", "mode": "thematic", "content": "Kiểm tra Chỉ thị 05",
                      "subject_organization": world.a.cell.pk, "planned_from": "01/05/2026",
                      "planned_to": "30/06/2026"})  # fmt: skip
    assert client.post(url, {"action": "adopt", "adopted_on": "20/12/2025"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Adopted" in page and "Open a case" in page and "Add an item" not in page
    assert client.post(url, {"action": "item", "content": "x"}).status_code == 404  # adopted: no more items


def test_measure_and_front_screens(client, world, team):  # type: ignore[no-untyped-def]
    client.force_login(team.inspector)
    bad = client.post("/oversight/discipline/new/", {
        "organization": world.a.committee.pk, "person": team.peer.pk, "measure": "dissolution", "number": 3,
        "issuer": "UBKT", "decided_on": "01/06/2026", "effective_from": "01/06/2026", "violation": "x",
    })  # fmt: skip
    assert bad.status_code == 400 and "is not a measure for a party member" in bad.content.decode()
    assert _count(DisciplinaryMeasure) == 0
    client.force_login(team.front_officer)
    # The Front picks among the people of its ward (wider than its officers' scope), never another ward's.
    picked = client.get("/oversight/front/people/", {"q": "nguyen van duc"}).json()["results"]
    assert [r["value"] for r in picked] == [world.a.member.pk]
    units = client.get("/oversight/front/units/", {"q": world.a.cell.code}).json()["results"]
    assert [r["value"] for r in units] == [world.a.cell.pk]
    out = client.post("/oversight/front/new/", {"organization": team.front.pk, "subject_person": world.a.member.pk,
                                               "topic": "Cam kết 2026", "opened_on": "01/03/2026"})  # fmt: skip
    with activate(Scope.everything(reason="test")):
        supervision = Supervision.objects.get()
    assert out["Location"] == f"/oversight/front/{supervision.pk}/"
    page = client.post(out["Location"], {"action": "recommendation", "text": "Trả lời kiến nghị",
                                         "issued_on": "10/03/2026"}, follow=True).content.decode()  # fmt: skip
    assert "Trả lời kiến nghị" in page and "09/04/2026" in page
    client.force_login(world.a.secretary_user)  # the addressee reads it, cannot post to it nor pick
    assert client.get("/oversight/front/people/").status_code == 404
    assert client.get(out["Location"]).status_code == 200
    assert client.post(out["Location"], {"action": "opinion"}).status_code == 404


def test_lists_keep_their_queries_bounded(client, world, team, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    inspector = team.actor("inspector")
    for n in range(12):
        services.case_open(actor=inspector, organization=world.a.committee, kind="inspection", mode="regular",
                           year=2026, title=f"Kiểm tra {n}", subject_organization=world.a.cell)  # fmt: skip
        services.measure_record(actor=inspector, organization=world.a.committee, person=team.peer,
                                measure="warning", number=n + 1, issuer="UBKT", decided_on=D(2026, 6, 1),
                                effective_from=D(2026, 6, 1), violation="x")  # fmt: skip
    client.force_login(team.inspector)
    for url in ("/oversight/", "/oversight/discipline/", "/oversight/programmes/", "/oversight/front/"):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
    assert actor_of(team.inspector).person_id is None


def test_the_case_history_speaks_in_words(client, world, team):  # type: ignore[no-untyped-def]
    officer = team.actor("inspector")
    case = services.case_open(actor=officer, organization=world.a.committee, kind="inspection", mode="thematic",
                              year=2026, title="Kiểm tra", subject_organization=world.a.cell)  # fmt: skip
    services.case_record_step(actor=officer, case=case, step="decision", issued_on=D(2026, 3, 2), number=4,
                              issuer="ĐU", leader=world.a.member, team=[team.peer])  # fmt: skip
    client.force_login(team.inspector)
    page = client.get(f"/oversight/cases/{case.pk}/history/").content.decode()
    assert "Decision forming the team" in page and "Inspection commission officer" in page
    assert "decision" not in page.replace("Decision", "")  # the step's label, never its code
    client.force_login(team.peer_user)
    assert client.get(f"/oversight/cases/{case.pk}/history/").status_code == 404
