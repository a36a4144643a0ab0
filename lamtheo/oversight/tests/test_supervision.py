"""Supervision by the Fatherland Front: opened on a cadre, people's opinions, a formal recommendation the
addressee must answer by its deadline; a missed deadline escalates to the level above."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from conftest import actor_of
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.oversight import selectors, services
from lamtheo.oversight.models import Supervision
from lamtheo.remediation import selectors as remediation_selectors
from lamtheo.remediation import services as remediation_services
from lamtheo.remediation.models import RemediationItem, Source

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def supervision(world, team):  # type: ignore[no-untyped-def]
    """The Front supervises ward A's secretary (a head) on carrying out their public commitments."""
    return services.supervision_open(
        actor=team.actor("front_officer"), organization=team.front, subject_person=world.a.member,
        topic="Thực hiện cam kết của người đứng đầu năm 2026", opened_on=D(2026, 3, 1),
    )  # fmt: skip


def test_opinions_and_a_recommendation_with_its_reply_deadline(world, team, supervision):  # type: ignore[no-untyped-def]
    front = team.actor("front_officer")
    with pytest.raises(DomainError, match="at which meeting"):
        services.opinion_add(actor=front, supervision=supervision, gathered_on=D(2026, 3, 5), gathered_at=" ",
                             summary="x")  # fmt: skip
    with pytest.raises(DomainError, match="before the supervision was opened"):
        services.opinion_add(actor=front, supervision=supervision, gathered_on=D(2026, 2, 5),
                             gathered_at="Hội nghị tổ dân phố 5", summary="x")  # fmt: skip
    services.opinion_add(actor=front, supervision=supervision, gathered_on=D(2026, 3, 5),
                         gathered_at="Hội nghị tổ dân phố 5", summary="Nhân dân đề nghị giải quyết rác thải")  # fmt: skip
    with pytest.raises(DomainError, match="Write the recommendation"):
        services.recommendation_issue(actor=front, supervision=supervision, text="", issued_on=D(2026, 3, 10))
    with pytest.raises(DomainError, match="reply is due after"):
        services.recommendation_issue(actor=front, supervision=supervision, text="Giải quyết dứt điểm",
                                      issued_on=D(2026, 3, 10), reply_by=D(2026, 3, 10))  # fmt: skip
    with pytest.raises(PermissionDenied):  # the Party secretary does not issue the Front's recommendations
        services.recommendation_issue(actor=actor_of(world.a.secretary_user), supervision=supervision,
                                      text="x", issued_on=D(2026, 3, 10))  # fmt: skip
    rec = services.recommendation_issue(actor=front, supervision=supervision, text="Giải quyết dứt điểm rác thải",
                                        issued_on=D(2026, 3, 10))  # fmt: skip
    assert rec.source == Source.FRONT and rec.due_date == D(2026, 4, 9)  # the seed's 30 days
    assert rec.owner_id == world.a.member.pk and rec.organization == team.front
    # Visible to the Front, the addressee and the Party committee above (ward A's officers).
    for who in (front, actor_of(world.a.secretary_user), actor_of(world.a.officer_user)):
        assert remediation_selectors.remediation_item_for_actor(actor=who, pk=rec.pk) == rec
    with pytest.raises(Http404):
        remediation_selectors.remediation_item_for_actor(actor=actor_of(world.b.officer_user), pk=rec.pk)
    # The addressee answers; the Front verifies (never the addressee).
    addressee = actor_of(world.a.secretary_user)
    remediation_services.remediation_report(actor=addressee, item=rec, note="Đã phối hợp thu gom",
                                            evidence=_pdf())  # fmt: skip
    with pytest.raises(PermissionDenied):
        remediation_services.remediation_verify(actor=addressee, item=rec)
    assert remediation_services.remediation_verify(actor=front, item=rec).status == "verified"


def _pdf():  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


def test_a_missed_reply_deadline_escalates_to_the_level_above(world, team, supervision):  # type: ignore[no-untyped-def]
    front = team.actor("front_officer")
    rec = services.recommendation_issue(actor=front, supervision=supervision, text="Trả lời kiến nghị",
                                        issued_on=D(2026, 3, 10))  # fmt: skip
    # Due Thu 09/04/2026: four working days overdue on Wed 15/04, not escalated yet; five on Thu 16/04.
    assert remediation_services.remediation_escalate_overdue(today=D(2026, 4, 15)) == 0
    assert remediation_services.remediation_escalate_overdue(today=D(2026, 4, 16)) == 1
    assert remediation_services.remediation_escalate_overdue(today=D(2026, 4, 17)) == 0  # once
    with activate(Scope.everything(reason="test")):
        rec = RemediationItem.objects.get(pk=rec.pk)
    assert rec.escalated_at is not None


def test_supervision_readers_and_refusals(world, team, supervision):  # type: ignore[no-untyped-def]
    assert list(selectors.supervision_list(actor=actor_of(world.a.secretary_user))) == [supervision]
    assert not selectors.supervision_list(actor=actor_of(world.b.secretary_user)).exists()
    with pytest.raises(Http404):
        selectors.supervision_for_actor(actor=actor_of(world.b.secretary_user), pk=supervision.pk)
    with pytest.raises(PermissionDenied):
        services.supervision_open(actor=actor_of(world.a.secretary_user), organization=team.front,
                                  subject_person=team.peer, topic="x", opened_on=D(2026, 3, 1))  # fmt: skip
    with pytest.raises(DomainError, match="Say what is supervised"):
        services.supervision_open(actor=team.actor("front_officer"), organization=team.front,
                                  subject_person=team.peer, topic=" ", opened_on=D(2026, 3, 1))  # fmt: skip


def test_a_recommendation_to_a_unit_is_answered_by_the_unit_and_judged_by_the_front(world, team):  # type: ignore[no-untyped-def]
    front = team.actor("front_officer")
    sup = services.supervision_open(actor=front, organization=team.front, subject_organization=world.a.cell,
                                    topic="Thực hiện quy tắc ứng xử", opened_on=D(2026, 3, 1))  # fmt: skip
    rec = services.recommendation_issue(actor=front, supervision=sup, text="Chấn chỉnh việc tiếp dân",
                                        issued_on=D(2026, 3, 10))  # fmt: skip
    assert rec.owner_organization == world.a.cell and rec.owner_id is None
    remediation_services.remediation_report(actor=team.actor("cell_secretary"), item=rec, note="Đã chấn chỉnh",
                                            evidence=_pdf())  # fmt: skip
    # The Party committee above follows it but does not judge the Front's recommendation; the Front does.
    with pytest.raises(PermissionDenied):
        remediation_services.remediation_verify(actor=actor_of(world.a.officer_user), item=rec)
    assert remediation_services.remediation_verify(actor=front, item=rec).status == "verified"


def test_the_front_supervises_only_its_community(world, team):  # type: ignore[no-untyped-def]
    front = team.actor("front_officer")
    for subject in ({"subject_person": world.b.member}, {"subject_organization": world.b.cell}):
        with pytest.raises(DomainError, match="of the community the organization supervises"):
            services.supervision_open(actor=front, organization=team.front, topic="x", opened_on=D(2026, 3, 1),
                                      **subject)  # fmt: skip
    with activate(Scope.everything(reason="test")):
        assert not Supervision.objects.exists()
