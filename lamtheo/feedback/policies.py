"""Who may read, take in and handle citizens' reports, and who reads the reporter's personal data: one
permission class per kind of record (core.permissions). Citizens act through their tracking code, not a role.

- Readers of reports (`feedback.view_report`) over the holder or the area read the report and its timeline.
- Handlers (`feedback.handle_report`) over the holder accept, transfer, answer, reject and close it; the
  level above the holder (its handlers hold the grant over the subtree) may step in, which is how an
  escalated report is taken up.
- The reporter's name, phone and e-mail are read by the holder's handlers only (never by the area's readers,
  never on the public pages).
"""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.permissions import Permissions
from lamtheo.organizations.models import Organization

from .models import HANDLING, OPEN, WAITING, Report, Status

VIEW = "feedback.view_report"
ADD = "feedback.add_report"
HANDLE = "feedback.handle_report"
READERS = (VIEW, HANDLE)


class FeedbackPermissions(Permissions):
    """What one actor may do at one organization: read its reports, take reports in from other channels."""

    messages: ClassVar = {
        "read": _("You may not read the citizens' reports of this organization."),
        "intake": _("You may not take in citizens' reports for this organization."),
    }

    def __init__(self, actor: Actor, organization: Organization) -> None:
        super().__init__(actor, organization)
        self.organization = organization

    def can_read(self) -> Grant | None:
        """Readers and handlers over the organization."""
        return self.actor.grant_for_any(READERS, self.organization.path)

    def can_intake(self) -> Grant | None:
        """Reports heard on the hotline, at a reception day, in a meeting or in the press are entered by
        holders of add_report."""
        return self.actor.grant_for(ADD, self.organization.path)


class ReportPermissions(Permissions):
    """What one actor may do to one report."""

    messages: ClassVar = {
        "handle": _("You may not handle this report."),
        "accept": _("This report is not waiting to be accepted, or you may not accept it."),
        "transfer": _("You may not transfer this report."),
        "progress": _("You may not post progress on this report."),
        "resolve": _("You may not answer this report."),
        "reject": _("You may not reject this report."),
        "duplicate": _("You may not merge this report."),
        "note": _("You may not add notes to this report."),
        "link_subject": _("You may not confirm whom this report concerns."),
    }

    def __init__(self, actor: Actor, report: Report) -> None:
        super().__init__(actor, report)
        self.report = report

    def can_view(self) -> Grant | None:
        """Readers or handlers over the holder or over the area."""
        return self.actor.grant_for_any(READERS, self.report.organization.path) or self.actor.grant_for_any(
            READERS, self.report.area.organization.path
        )

    def can_handle(self) -> Grant | None:
        """Handlers over the holder (the holder's own, or the level above it)."""
        return self.actor.grant_for(HANDLE, self.report.organization.path)

    def can_see_reporter(self) -> Grant | None:
        """The reporter's personal data: the holder's handlers only."""
        return self.can_handle()

    def can_accept(self) -> Grant | None:
        """A report waiting at the holder (received, transferred, reopened) is accepted by its handlers."""
        return self.can_handle() if self.report.status in WAITING else None

    def can_transfer(self) -> Grant | None:
        """An open report may be passed to the right unit, with a reason."""
        return self.can_handle() if self.report.status in OPEN else None

    def can_progress(self) -> Grant | None:
        """A report being handled gets progress notes (with a committed date when late)."""
        return self.can_handle() if self.report.status in HANDLING else None

    def can_resolve(self) -> Grant | None:
        """A report being handled is answered in public."""
        return self.can_progress()

    def can_reject(self) -> Grant | None:
        """An open report may be rejected with a reason shown to the citizen."""
        return self.can_transfer()

    def can_duplicate(self) -> Grant | None:
        """An open report may be merged into another report of the same matter."""
        return self.can_transfer()

    def can_note(self) -> Grant | None:
        """Internal notes: the handlers, at any status."""
        return self.can_handle()

    def can_link_subject(self) -> Grant | None:
        """The handler confirms which cadre or unit the report concerns (it becomes evidence about them)."""
        return self.can_handle() if self.report.status not in (Status.REJECTED, Status.DUPLICATE) else None

    @staticmethod
    def readable(actor: Actor) -> bool:
        """Whether the actor reads reports anywhere (the list answers 404 to others)."""
        return actor.is_tree_admin or bool(actor.paths_with(*READERS))
