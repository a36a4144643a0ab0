"""What citizens' reports add to the handlers' home page: reports waiting to be accepted, reports past their
deadline (which need an answer or a progress note with a committed date), reports escalated to their unit."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from lamtheo.core import worklist
from lamtheo.core.actor import Actor
from lamtheo.core.worklist import WorkItem

from . import selectors
from .policies import HANDLE


def feedback_work(*, actor: Actor, today: dt.date) -> list[WorkItem]:
    """The handler's three piles, each one link to the filtered list."""
    if not actor.paths_with(HANDLE):
        return []
    counts = selectors.report_counts(actor=actor)
    area = _("Citizens' reports")
    url = reverse("feedback:report-list")
    work = []
    if counts["overdue"]:
        work.append(WorkItem(
            title=_("Reports past their deadline"), count=counts["overdue"], url=url + "?overdue=1&mine=1",
            area=area, detail=_("Answer them, or post progress with the date you commit to."),
            action=_("Handle"), urgency=worklist.OVERDUE,
        ))  # fmt: skip
    if counts["waiting"]:
        work.append(WorkItem(
            title=_("Reports waiting to be accepted"), count=counts["waiting"], url=url + "?status=waiting&mine=1",
            area=area, action=_("Accept"), urgency=worklist.DUE_SOON,
        ))  # fmt: skip
    if counts["escalated"]:
        work.append(WorkItem(
            title=_("Reports escalated to your unit"), count=counts["escalated"], url=url + "?escalated=1",
            area=area, detail=_("The units below did not handle them in time."), action=_("Step in"),
            urgency=worklist.OVERDUE,
        ))  # fmt: skip
    return work
