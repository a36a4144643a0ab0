"""The Front's part of the residence comment (Quy định 213) is written by the officer of the Fatherland Front
where the member lives, not by the residence cell's secretary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from conftest import SYSTEM, actor_of
from lamtheo.commitments import services
from lamtheo.commitments.models import ResidenceComment
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations import services as org_services
from lamtheo.organizations.models import Role, RoleGrant

from .conftest import approved_plan

D = dt.date


@pytest.fixture
def front(world):  # type: ignore[no-untyped-def]
    """Ward A's Front committee (under the ward, as in the demo) and its officer's account."""
    with activate(Scope.everything(reason="test fixture")):
        org = org_services.organization_create(
            actor=SYSTEM, code="WA-MT", name="Ủy ban MTTQ phường A", kind="front", parent=world.a.committee,
            valid_from=D(2025, 7, 1),
        )  # fmt: skip
        user = get_user_model().objects.create_user("mattran-a", password="x-pass-123")
        RoleGrant.objects.create(user=user, role=Role.objects.get(code="front_officer"), organization=org)
    return org, user


def _requested(cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    sec = cast.actor("cell_secretary")
    with activate(sec.scope):
        return services.residence_comment_request(actor=sec, plan=plan, due_date=D(2026, 12, 20))


def _stored(pk):  # type: ignore[no-untyped-def]
    return ResidenceComment.objects.unscoped(reason="test").get(pk=pk)


def test_the_front_where_the_member_lives_writes_its_part(world, cast, front):  # type: ignore[no-untyped-def]
    org, user = front
    comment = _requested(cast)
    assert comment.front == org  # the Front committee of the residence cell's ward
    res = cast.actor("residence_secretary")
    with activate(res.scope), pytest.raises(PermissionDenied, match="officer of the Fatherland Front"):
        services.residence_front_opinion(actor=res, comment=comment, opinion="Tốt", signed_by="Trưởng ban")
    officer = actor_of(user)
    with activate(officer.scope):
        with pytest.raises(DomainError, match="Write the opinion") as exc:
            services.residence_front_opinion(actor=officer, comment=comment, opinion="  ", signed_by="Bà Lan")
        assert exc.value.field == "front_opinion"
        with pytest.raises(DomainError, match="Who signs"):
            services.residence_front_opinion(actor=officer, comment=comment, opinion="Tốt", signed_by="")
        assert _stored(comment.pk).front_at is None
        services.residence_front_opinion(
            actor=officer, comment=comment, opinion="Gương mẫu, tích cực tham gia sinh hoạt khu dân cư",
            signed_by="Nguyễn Thị Lan",
        )  # fmt: skip
        from lamtheo.commitments import selectors

        assert [c.pk for c in selectors.residence_inbox(actor=officer)] == [comment.pk]
    stored = _stored(comment.pk)
    assert stored.front_head == "Nguyễn Thị Lan" and stored.front_by_id == user.pk and stored.front_at
    assert stored.status == "requested"  # the cell's own part is the residence secretary's, still awaited


def test_the_residence_secretary_no_longer_signs_for_the_front(world, cast, front):  # type: ignore[no-untyped-def]
    comment = _requested(cast)
    res = cast.actor("residence_secretary")
    with activate(res.scope), pytest.raises(TypeError):
        services.residence_comment_return(  # type: ignore[call-arg]
            actor=res, comment=comment, ratings={"civic": "good", "ethics": "good", "trust": "good"}, text="",
            signed_by="B", front_head="Tự ký thay",
        )  # fmt: skip


def test_the_front_screen(client, world, cast, front):  # type: ignore[no-untyped-def]
    org, user = front
    comment = _requested(cast)
    client.cookies["django_language"] = "en"
    client.force_login(user)
    assert "Lê Thị Hoa A" in client.get("/commitments/residence/").content.decode()
    page = client.get(f"/commitments/residence/{comment.pk}/").content.decode()
    assert 'name="front_opinion"' in page and 'name="rating-civic"' not in page
    bad = client.post(f"/commitments/residence/{comment.pk}/", {"part": "front", "front_opinion": "", "front_head": "X"})
    assert bad.status_code == 400 and _stored(comment.pk).front_at is None
    ok = client.post(f"/commitments/residence/{comment.pk}/", {
        "part": "front", "front_opinion": "Chấp hành tốt quy ước khu dân cư", "front_head": "Nguyễn Thị Lan",
    })  # fmt: skip
    assert ok.status_code == 302 and _stored(comment.pk).front_opinion == "Chấp hành tốt quy ước khu dân cư"
    # The residence cell's secretary sees the Front's part, and cannot write it.
    client.force_login(cast.residence_secretary)
    page = client.get(f"/commitments/residence/{comment.pk}/").content.decode()
    assert "Chấp hành tốt quy ước khu dân cư" in page and 'name="front_opinion"' not in page
    assert client.post(f"/commitments/residence/{comment.pk}/", {"part": "front", "front_opinion": "x",
                                                                  "front_head": "y"}).status_code == 404  # fmt: skip
