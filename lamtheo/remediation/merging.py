"""What of remediation follows a merged organization (ADR 0011, `lamtheo.core.merging`).

A shortcoming still open (extended, or whose remedy is reported but not yet verified) is work the successor
takes over, whether the merged unit tracks it or must remedy it. A verified one stays with the organization
where it was found and remedied: it is that organization's record. Extensions follow their item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lamtheo.core.actor import Actor
from lamtheo.core.merging import move_rows, register_merge_hook
from lamtheo.organizations.models import Organization

from .models import OPEN_STATUSES, RemediationItem

# What stays with the closed organization, by model and field (the rest follows the successor).
STAYS = {
    "RemediationItem.organization": "verified items",
    "RemediationItem.owner_organization": "verified items",
}


def remediation_merge(
    *, sources: Sequence[Organization], target: Organization, day: dt.date, actor: Actor
) -> None:
    """Move the open, extended and reported shortcomings `sources` track or must remedy to `target`."""
    ids = [s.pk for s in sources]
    with actor.reading():
        items = RemediationItem.objects.filter(organization_id__in=ids, status__in=OPEN_STATUSES)
        move_rows(items, "organization", target)
        owned = RemediationItem.objects.filter(owner_organization_id__in=ids, status__in=OPEN_STATUSES)
        move_rows(owned, "owner_organization", target)


def register() -> None:
    """Called from RemediationConfig.ready()."""
    register_merge_hook("remediation", remediation_merge)
