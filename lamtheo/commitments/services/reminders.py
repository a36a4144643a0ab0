"""Reminders of what members still owe on their plans: sent by a secretary, and the daily deadline job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import NotFound
from lamtheo.core.permissions import actor_scoped
from lamtheo.organizations.models import Organization, Person
from lamtheo.rulebook import selectors as rulebook_selectors

from ..models import CULTIVATION_EDITABLE, CommitmentPlan, CommitmentReminder, CultivationPlanStatus
from ..policies import CockpitPermissions
from . import _common

REMINDER_TEXT = {
    "register": gettext_noop("Please register your cultivation plan for %(year)s."),
    "submit": gettext_noop("Please finish and submit your cultivation plan for %(year)s."),
    "yearend": gettext_noop("Please do the year-end self-assessment of your cultivation plan for %(year)s."),
}
AUTO_KINDS = {"register": "auto_register", "submit": "auto_submit", "yearend": "auto_yearend"}

Mail = tuple[str, str, str]


def _owed(plan: CommitmentPlan | None) -> str | None:
    """What a member still owes on their plan of the year: to register, to submit, the year-end assessment."""
    if plan is None:
        return "register"
    if plan.status in CULTIVATION_EDITABLE:
        return "submit"
    if plan.status == CultivationPlanStatus.APPROVED and plan.yearend_at is None:
        return "yearend"
    return None


@actor_scoped
def cultivation_reminders_send(
    *, actor: Actor, organization: Organization, year: int, people: Iterable[Person]
) -> int:
    """Remind the chosen members of what they still owe for `year` (in the app and by e-mail)."""
    grant = CockpitPermissions(actor, organization).require("follow")
    people = list(people)
    plans = {
        p.person_id: p for p in CommitmentPlan.objects.filter(year=year, person_id__in=[x.pk for x in people])
    }
    sent = 0
    mails: list[Mail] = []
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="remind"):
        for person in people:
            if person.party_cell_id is None or not person.party_cell.path.startswith(organization.path):
                raise NotFound(_("Unknown member."))
            plan = plans.get(person.pk)
            kind = _owed(plan)
            if kind is None:
                continue
            CommitmentReminder.objects.create(
                cell=person.party_cell,
                person=person,
                plan=plan,
                year=year,
                kind=kind,
                sent_by_id=actor.user_id,
            )
            sent += 1
            user = getattr(person, "user", None)
            if user is not None and user.email:
                mails.append((user.email, _(REMINDER_TEXT[kind]) % {"year": year}, person.full_name))
        transaction.on_commit(lambda: _mail(mails))
    return sent


def _due_kinds(today: dt.date) -> tuple[bool, bool] | None:
    """(registration due, year-end due) within the reminder window, or None when nothing is due."""
    from lamtheo.rulebook.selectors import add_working_days

    calendar = rulebook_selectors.commitment_calendar_for(today.year)
    if calendar is None:
        return None
    window_end = add_working_days(today, settings.LAMTHEO_REMINDER_WORKING_DAYS)
    register_due = calendar.register_by <= window_end
    yearend_due = calendar.yearend_by is not None and calendar.yearend_by <= window_end
    return (register_due, yearend_due) if register_due or yearend_due else None


def deadline_reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily job: `LAMTHEO_REMINDER_WORKING_DAYS` working days (or fewer) before a deadline of the year's
    calendar, and after it, remind each member with an account of what they still owe: register or submit
    their plan before `register_by`, the year-end self-assessment before `yearend_by`. Each reminder is sent
    once per member, year and kind, in the app and by e-mail (after the transaction commits)."""
    today = today or _common.today()
    sent = {"register": 0, "submit": 0, "yearend": 0}
    due = _due_kinds(today)
    if due is None:
        return sent
    system = Actor.system(reason="deadline reminders")  # the job runs for every organization
    with system.reading(), transaction.atomic(), audit.acting(system):
        mails = _send_due(today.year, *due, sent)
        transaction.on_commit(lambda: _mail(mails))
    return sent


def _send_due(year: int, register_due: bool, yearend_due: bool, sent: dict[str, int]) -> list[Mail]:
    """Under the job's whole-tree scope: one automatic reminder per member, year and kind still owed."""
    from lamtheo.organizations.models import User

    users = (
        User.objects.filter(is_active=True, person__is_party_member=True, person__party_cell__isnull=False)
        .select_related("person", "person__party_cell")
        .order_by("pk")
    )  # only members who can log in get reminders; accounts are few next to the members
    plans = {
        p.person_id: p
        for p in CommitmentPlan.objects.filter(year=year, person_id__in=users.values("person_id"))
    }
    already = set(
        CommitmentReminder.objects.filter(year=year, kind__in=AUTO_KINDS.values()).values_list(
            "person_id", "kind"
        )
    )
    mails: list[Mail] = []
    for user in users.iterator(chunk_size=2000):
        person, plan = user.person, plans.get(user.person_id)
        kind = _owed(plan)
        if (kind == "yearend" and not yearend_due) or (kind in ("register", "submit") and not register_due):
            kind = None
        if kind is None or (person.pk, AUTO_KINDS[kind]) in already:
            continue
        CommitmentReminder.objects.create(
            cell=person.party_cell, person=person, plan=plan, year=year, kind=AUTO_KINDS[kind]
        )
        sent[kind] += 1
        if user.email:
            mails.append((user.email, _(REMINDER_TEXT[kind]) % {"year": year}, person.full_name))
    return mails


def _mail(mails: list[Mail]) -> None:
    for address, text, name in mails:
        send_mail(
            subject=_("Cultivation plan: reminder"), message=f"{name}: {text}",
            from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[address], fail_silently=True,
        )  # fmt: skip
