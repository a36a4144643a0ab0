"""Supervision by the Fatherland Front and mass organizations: opened on a cadre or a unit, people's opinions
recorded, formal recommendations that the addressee must answer by a deadline (tracked as shortcomings to
remedy: the answer is the addressee's report, the Front verifies it)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError, NotFound
from lamtheo.core.permissions import actor_scoped, require
from lamtheo.core.text import clean
from lamtheo.remediation import services as remediation_services
from lamtheo.remediation.models import RemediationItem
from lamtheo.remediation.models import Source as RemediationSource

from .. import selectors
from ..models import Opinion, Supervision
from ..policies import OversightPermissions, SupervisionPermissions
from ._common import one_subject, rules_for


@actor_scoped
def supervision_open(
    *, actor: Actor, organization, topic: str, opened_on: dt.date, subject_person=None,  # type: ignore[no-untyped-def]
    subject_organization=None, criteria_set=None,  # type: ignore[no-untyped-def]
) -> Supervision:  # fmt: skip
    """The Front or a mass organization opens a supervision of a cadre or a unit."""
    if not actor.can_see(organization.path):
        raise NotFound(_("Unknown organization."), field="organization")
    grant = OversightPermissions(actor, organization).require("supervise")
    one_subject(subject_person, subject_organization)
    # Whom the Front may supervise: its community, read through its own declared rule.
    if subject_person is not None and not selectors.supervisable_people(actor=actor).filter(pk=subject_person.pk).exists():
        raise NotFound(_("Choose someone of the community the organization supervises."), field="subject_person")
    if subject_organization is not None and not selectors.supervisable_units(actor=actor).filter(
        pk=subject_organization.pk
    ).exists():
        raise NotFound(_("Choose a unit of the community the organization supervises."), field="subject_organization")
    topic = clean(topic)
    if not topic:
        raise DomainError(_("Say what is supervised."), field="topic")
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="open"):
        return Supervision.objects.create(
            organization=organization, year=opened_on.year, topic=topic, opened_on=opened_on,
            subject_person=subject_person, subject_organization=subject_organization, criteria_set=criteria_set,
            created_by_id=actor.user_id,
        )  # fmt: skip


@actor_scoped
def opinion_add(
    *, actor: Actor, supervision: Supervision, gathered_on: dt.date, gathered_at: str, summary: str
) -> Opinion:
    """Record the opinions people gave at a meeting (a residential-area meeting, a people's inspection board)."""
    grant = SupervisionPermissions(actor, supervision).require("change")
    gathered_at, summary = clean(gathered_at), clean(summary)
    if not gathered_at:
        raise DomainError(_("Say at which meeting the opinions were gathered."), field="gathered_at")
    if not summary:
        raise DomainError(_("Write down the opinions."), field="summary")
    if gathered_on < supervision.opened_on:
        raise DomainError(_("The meeting is before the supervision was opened."), field="gathered_on")
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="opinion"):
        return Opinion.objects.create(
            supervision=supervision, gathered_on=gathered_on, gathered_at=gathered_at, summary=summary,
            created_by_id=actor.user_id,
        )  # fmt: skip


@actor_scoped
def recommendation_issue(
    *, actor: Actor, supervision: Supervision, text: str, issued_on: dt.date, reply_by: dt.date | None = None
) -> RemediationItem:
    """Issue a formal recommendation to the cadre or unit supervised, to be answered by `reply_by` (by
    default the year's period for replies). The answer and its verification follow the remediation rules."""
    require(
        SupervisionPermissions(actor, supervision).can_change(), SupervisionPermissions.messages["change"]
    )
    text = clean(text)
    if not text:
        raise DomainError(_("Write the recommendation."), field="text")
    if issued_on < supervision.opened_on:
        raise DomainError(
            _("The recommendation is dated before the supervision was opened."), field="issued_on"
        )
    reply_by = reply_by or issued_on + dt.timedelta(days=rules_for(issued_on.year).reply_days)
    if reply_by <= issued_on:
        raise DomainError(_("The reply is due after the recommendation is issued."), field="reply_by")
    with transaction.atomic():
        return remediation_services.remediation_raise(
            actor=actor, organization=supervision.organization, source=RemediationSource.FRONT,
            description=text, due_date=reply_by, year=issued_on.year, person=supervision.subject_person,
            owner_organization=supervision.subject_organization, severity="shortcoming",
            source_ref=f"oversight.supervision:{supervision.pk}", owner_vouched=True,
            source_label=_("Recommendation of %(org)s: %(topic)s")
            % {"org": supervision.organization.name, "topic": supervision.topic},
        )  # fmt: skip
