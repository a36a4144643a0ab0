"""The daily reminder job, with a frozen clock: working days, once per kind, e-mail, in-app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings

from lamtheo.core.scoping import Scope, activate
from lamtheo.planning import services
from lamtheo.planning.models import Reminder
from lamtheo.rulebook.models import Holiday

from .conftest import _approved_ward_plan

D = dt.date
pytestmark = pytest.mark.django_db


def _freeze(monkeypatch, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(services, "_today", lambda: day)


@override_settings(LAMTHEO_REMINDER_WORKING_DAYS=3)
def test_due_soon_counts_working_days_and_skips_holidays(
    world, people, monkeypatch, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    plan, t1, t2 = _approved_ward_plan(world, people)  # t1 is due Tuesday 30/06/2026, on the cell
    world.a.member.user.email = "bithu.a1@example.vn"
    world.a.member.user.save()
    with activate(Scope.everything(reason="test")):
        from lamtheo.organizations.models import Role, RoleGrant

        RoleGrant.objects.create(
            user=world.a.member.user, role=Role.objects.get(code="secretary"), organization=world.a.cell
        )
        Holiday.objects.create(date=D(2026, 6, 29), name="Ngày nghỉ bù (thử)")
    _freeze(monkeypatch, D(2026, 6, 23))  # Tue: Wed, Thu, Fri are the 3 working days: Tue 30/6 is further
    assert services.reminders_send() == {"due_soon": 0, "overdue": 0}
    _freeze(
        monkeypatch, D(2026, 6, 24)
    )  # Wed: Thu, Fri, (weekend, Mon holiday), Tue = 3 working days: remind
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send()
    assert sent["due_soon"] >= 1
    with activate(Scope.everything(reason="test")):
        reminder = Reminder.objects.get(task=t1, user=world.a.member.user)
        assert reminder.kind == "due_soon" and reminder.sent_on == D(2026, 6, 24)
    assert any("30/06/2026" in m.subject and m.to == ["bithu.a1@example.vn"] for m in mail.outbox)
    # Running again the same day, or the next, sends nothing new.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send()["due_soon"] == 0
    assert not mail.outbox
    _freeze(monkeypatch, D(2026, 7, 1))  # the day after the due date: overdue, once
    assert services.reminders_send()["overdue"] >= 1
    assert services.reminders_send()["overdue"] == 0
    with activate(Scope.everything(reason="test")):
        assert Reminder.objects.filter(task=t1, user=world.a.member.user, kind="overdue").count() == 1


def test_done_tasks_and_draft_plans_get_no_reminder(world, people, monkeypatch):  # type: ignore[no-untyped-def]
    plan, t1, t2 = _approved_ward_plan(world, people)
    ward = people["ward"]
    with activate(ward.scope):
        services.report_create(actor=ward, task=t2, reported_on=D(2026, 6, 1), achieved_value=200)  # 100 %
    _freeze(monkeypatch, D(2027, 1, 5))
    services.reminders_send()
    with activate(Scope.everything(reason="test")):
        assert not Reminder.objects.filter(task=t2).exists()


def test_opening_the_task_marks_reminders_read(client, world, people, monkeypatch):  # type: ignore[no-untyped-def]
    plan, t1, t2 = _approved_ward_plan(world, people)
    _freeze(monkeypatch, D(2027, 1, 5))
    services.reminders_send()
    client.force_login(world.a.secretary_user)
    assert t2.title in client.get("/plans/calendar/").content.decode()
    with activate(Scope.everything(reason="test")):
        assert Reminder.objects.filter(user=world.a.secretary_user, read_at__isnull=True).exists()
    assert client.get(f"/tasks/{t2.pk}/").status_code == 200
    with activate(Scope.everything(reason="test")):
        assert not Reminder.objects.filter(
            user=world.a.secretary_user, task=t2, read_at__isnull=True
        ).exists()
