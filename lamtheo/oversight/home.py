"""What inspection and supervision add to each person's home page: cases whose next step is overdue or due
soon, for those who record them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lamtheo.core import worklist
from lamtheo.core.actor import Actor
from lamtheo.core.worklist import WorkItem

from . import selectors
from .models import Step
from .policies import CHANGE_CASE, CHANGE_SUPERVISION


def oversight_work(*, actor: Actor, today: dt.date) -> list[WorkItem]:
    """Cases in progress the person records the steps of, the most urgent next step first (a few); for the
    Front, its recommendations whose reply is overdue."""
    work = _front_work(actor, today)
    if not actor.paths_with(CHANGE_CASE):
        return work
    area = _("Inspections and supervision")
    for case, steps, due in selectors.cases_in_progress(actor=actor):
        work.append(WorkItem(
            title=_("%(case)s: %(step)s") % {"case": case.title, "step": Step(steps[-1]).label},
            url=reverse("oversight:case-detail", args=[case.pk]), area=area, detail=case.subject_label,
            due=due, action=_("Record the step"), urgency=worklist.urgency_of(due, today),
        ))  # fmt: skip
    work.sort(key=lambda w: (w.due is None, w.due or today))
    if len(work) > 5:
        rest = len(work) - 5
        work = work[:5] + [WorkItem(
            title=ngettext("%(n)s more case in progress", "%(n)s more cases in progress", rest) % {"n": rest},
            url=reverse("oversight:case-list") + "?status=open", area=area, count=rest, urgency=worklist.OPEN,
        )]  # fmt: skip
    return work


def _front_work(actor: Actor, today: dt.date) -> list[WorkItem]:
    """The Front officer's recommendations still unanswered past their reply deadline, and the way to open
    the year's supervision when there is none yet."""
    if not actor.paths_with(CHANGE_SUPERVISION):
        return []
    area = _("Front supervision")
    late = selectors.front_recommendations_late(actor=actor, today=today)
    work = []
    if late["count"]:
        work.append(WorkItem(
            title=_("Recommendations not answered by their deadline"), count=late["count"],
            url=reverse("remediation:item-list") + "?status=open&source=front", area=area, due=late["oldest"],
            action=_("Follow up"), urgency=worklist.OVERDUE,
        ))  # fmt: skip
    if not selectors.supervision_list(actor=actor).filter(year=today.year).exists():
        work.append(WorkItem(
            title=_("Open this year's supervision of heads' commitments"), url=reverse("oversight:supervision-create"),
            area=area, action=_("Open a supervision"), urgency=worklist.OPEN,
        ))  # fmt: skip
    return work
