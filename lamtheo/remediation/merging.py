"""What of remediation follows a merged organization (ADR 0011, `lamtheo.core.merging`).

A shortcoming still open (or whose remedy is reported but not yet verified) is work the successor takes
over. A verified one stays with the organization where it was found and remedied: it is that
organization's record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lamtheo.core.actor import Actor
from lamtheo.core.merging import move_rows, register_merge_hook
from lamtheo.organizations.models import Organization

from .models import OPEN_STATUSES, RemediationItem

# What stays with the closed organization, by model and field (the rest follows the successor).
STAYS = {"RemediationItem.organization": "verified items"}


def remediation_merge(
    *, sources: Sequence[Organization], target: Organization, day: dt.date, actor: Actor
) -> None:
    """Move the open and reported shortcomings of `sources` to `target`."""
    with actor.reading():
        items = RemediationItem.objects.filter(
            organization_id__in=[s.pk for s in sources], status__in=OPEN_STATUSES
        )
        move_rows(items, "organization", target)


def register() -> None:
    """Called from RemediationConfig.ready()."""
    register_merge_hook("remediation", remediation_merge)
