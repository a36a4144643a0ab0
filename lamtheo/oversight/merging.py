"""What of oversight follows a merged organization (ADR 0011, `lamtheo.core.merging`).

A case in progress, a programme still a draft and a supervision are work the successor takes over; a
concluded case, an adopted programme and a disciplinary measure stay with the organization that decided
them: they are its record (Quy định 296 keeps abolished units' data in scope).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lamtheo.core.actor import Actor
from lamtheo.core.merging import move_rows, register_merge_hook
from lamtheo.organizations.models import Organization

from .models import Case, CaseStatus, Programme, ProgrammeStatus, Supervision

# What stays with the closed organization, by model and field (the rest follows the successor).
STAYS = {
    "Case.organization": "concluded cases",
    "Programme.organization": "adopted programmes, and a draft of a year the successor already has a programme for",
    "DisciplinaryMeasure.organization": "every measure (the deciding body's record)",
    "ConfidentialAccess.organization": "the access log",
}


def oversight_merge(*, sources: Sequence[Organization], target: Organization, day: dt.date, actor: Actor) -> None:
    """Move the open cases, draft programmes and supervisions of `sources` to `target`."""
    ids = [s.pk for s in sources]
    with actor.reading():
        move_rows(Case.objects.filter(organization_id__in=ids, status=CaseStatus.OPEN), "organization", target)
        taken = Programme.objects.filter(organization=target).values("year")  # one programme a year
        drafts = Programme.objects.filter(organization_id__in=ids, status=ProgrammeStatus.DRAFT).exclude(year__in=taken)
        move_rows(drafts, "organization", target)
        move_rows(Supervision.objects.filter(organization_id__in=ids), "organization", target)


def register() -> None:
    """Called from OversightConfig.ready()."""
    register_merge_hook("oversight", oversight_merge)
