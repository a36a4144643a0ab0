"""Citizens' reports fixtures: the rulebook (deadlines, holidays) and the categories loaded; ward A and ward B
as areas (reports go to each ward's People's Committee, security reports of ward A to its police); a handler
on ward A's committee (its whole subtree), a handler on ward B, and ward A's secretary (a reader)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from conftest import SYSTEM, actor_of
from lamtheo.core import audit
from lamtheo.core.scoping import Scope, activate
from lamtheo.feedback import services
from lamtheo.feedback.models import Area, Category, RoutingRule
from lamtheo.organizations import services as org_services
from lamtheo.organizations.models import Role, RoleGrant
from lamtheo.rulebook.services import rulebook_load

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args: int) -> dt.datetime:
    """A moment in Vietnam's time."""
    return dt.datetime(*args, tzinfo=VN)


@contextlib.contextmanager
def clock(moment: dt.datetime) -> Iterator[None]:
    """Freeze the services' clock (and today's date) at `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(dt.UTC)):
        yield


def jpeg(name: str = "anh.jpg", size: tuple[int, int] = (64, 48)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer


@dataclass
class Desk:
    area_a: Area
    area_b: Area
    police: object  # Organization: ward A's police, under its People's Committee
    handler: object  # user: feedback_handler on ward A's committee
    agency_handler: object  # user: feedback_handler on ward A's People's Committee only
    handler_b: object  # user: feedback_handler on ward B

    def actor(self, name: str):  # type: ignore[no-untyped-def]
        return actor_of(getattr(self, name))

    def report(self, moment: dt.datetime | None = None, **fields):  # type: ignore[no-untyped-def]
        """A citizen's report sent at `moment` (now by default)."""
        data = {"category": "moi-truong", "area": self.area_a, "description": "Rác tồn đọng đầu ngõ 5.",
                "name": "Lê Văn Dân", "phone": "0912 345 678", "email": "dan@example.vn", **fields}  # fmt: skip
        if moment is None:
            return services.report_submit(data=services.ReportInput(**data))
        with clock(moment):
            return services.report_submit(data=services.ReportInput(**data))


@pytest.fixture
def desk(world):  # type: ignore[no-untyped-def]
    return _desk(world)


@pytest.fixture
def desk_tx(world_tx):  # type: ignore[no-untyped-def]
    """The same desk, committed (browser tests with a live server)."""
    return _desk(world_tx)


def _desk(world) -> Desk:  # type: ignore[no-untyped-def]
    users = get_user_model()
    with activate(Scope.everything(reason="test fixture")), audit.acting(SYSTEM):
        rulebook_load(actor=SYSTEM)
        services.load_feedback_reference(actor=SYSTEM)
        police = org_services.organization_create(
            actor=SYSTEM, code="WA-CA", name="Công an phường A", kind="agency", parent=world.a.agency,
            valid_from=dt.date(2025, 7, 1),
        )  # fmt: skip
        area_a = Area.objects.create(code="phuong-a", name="Phường A", organization=world.a.committee)
        area_b = Area.objects.create(code="phuong-b", name="Phường B", organization=world.b.committee)
        RoutingRule.objects.create(area=area_a, category=None, organization=world.a.agency)
        RoutingRule.objects.create(
            area=area_a, category=Category.objects.get(code="an-ninh-trat-tu"), organization=police
        )
        RoutingRule.objects.create(area=area_b, category=None, organization=world.b.agency)
        role = Role.objects.get(code="feedback_handler")
        handler = users.objects.create_user("xuly-a", password="x-pass-123", first_name="Xử lý A")
        RoleGrant.objects.create(user=handler, role=role, organization=world.a.committee)
        agency_handler = users.objects.create_user("xuly-ubnd-a", password="x-pass-123")
        RoleGrant.objects.create(user=agency_handler, role=role, organization=world.a.agency)
        handler_b = users.objects.create_user("xuly-b", password="x-pass-123")
        RoleGrant.objects.create(user=handler_b, role=role, organization=world.b.committee)
    return Desk(area_a, area_b, police, handler, agency_handler, handler_b)
