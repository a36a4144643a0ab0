"""The daily reminders of the cultivation-plan calendar: who is reminded of what, once, in the app and by
e-mail; and what the member sees."""

from __future__ import annotations

import datetime as dt

import pytest

from lamtheo.commitments import services
from lamtheo.commitments.models import CommitmentReminder

from .conftest import approved_plan

pytestmark = pytest.mark.django_db
D = dt.date


def _reminders() -> list[tuple[str, str]]:
    return sorted(
        (r.person.full_name, r.kind)
        for r in CommitmentReminder.objects.unscoped(reason="test").select_related("person")
    )


def test_registration_and_year_end_reminders_are_sent_once(
    world, cast, mailoutbox, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    # Far from any deadline: nothing.
    assert services.deadline_reminders_send(today=D(2026, 2, 2)) == {"register": 0, "submit": 0, "yearend": 0}
    # Two working days before 31/03 (register by): every member with an account (in both wards), none
    # registered yet.
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.deadline_reminders_send(today=D(2026, 3, 27))
    assert sent == {"register": 3, "submit": 0, "yearend": 0}
    assert _reminders() == [
        ("Lê Thị Hoa A", "auto_register"), ("Nguyễn Văn Đức A", "auto_register"), ("Nguyễn Văn Đức B", "auto_register"),
    ]  # fmt: skip
    assert [m.to for m in mailoutbox] == [["hoa@example.vn"]]  # the Đức accounts have no e-mail address
    assert "2026" in mailoutbox[0].body
    # Run again the same day or the next: nothing new.
    assert services.deadline_reminders_send(today=D(2026, 3, 30))["register"] == 0
    # Year end: Hoa's plan is approved but not self-assessed; Đức never registered (reminded already).
    approved_plan(cast)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.deadline_reminders_send(today=D(2026, 11, 26))
    assert sent == {"register": 0, "submit": 0, "yearend": 1}
    assert ("Lê Thị Hoa A", "auto_yearend") in _reminders()


def test_the_member_sees_their_reminders(client, cast):  # type: ignore[no-untyped-def]
    services.deadline_reminders_send(today=D(2026, 3, 27))
    client.force_login(cast.member_user)
    page = client.get("/commitments/").content.decode()
    assert "Please register your cultivation plan for 2026." in page
    client.force_login(cast.cell_secretary)  # not linked to a member: no reminders of their own
    assert "Please register" not in client.get("/commitments/").content.decode()
