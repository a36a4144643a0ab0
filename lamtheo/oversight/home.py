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
from .policies import CHANGE_CASE


def oversight_work(*, actor: Actor, today: dt.date) -> list[WorkItem]:
    """Cases in progress the person records the steps of, the most urgent next step first (a few)."""
    if not actor.paths_with(CHANGE_CASE):
        return []
    area = _("Inspections and supervision")
    work = []
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
