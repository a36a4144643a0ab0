"""The member's commitments (items) on a draft or returned plan (entered by the cell's officer from the paper
form for a member without an account)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean
from lamtheo.rulebook import selectors as rulebook_selectors

from ..models import CommitmentItem, CommitmentPlan, ItemSource
from . import _common

ITEM_FIELDS = {"section", "content", "measures", "timeline", "target", "standards"}


def _item_fields(plan: CommitmentPlan, fields: dict) -> dict:  # type: ignore[type-arg]
    """The item's fields, cleaned and checked against the plan's sections and their standards."""
    extra = set(fields) - ITEM_FIELDS
    if extra:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(extra))})
    sections = _common.sections(plan)
    if "section" in fields and fields["section"] not in sections:
        raise DomainError(_("Choose a section of the plan."), field="section")
    if "content" in fields:
        fields["content"] = clean(fields["content"])
        if not fields["content"]:
            raise DomainError(_("Write what you commit to."), field="content")
    if "measures" in fields:
        fields["measures"] = (fields["measures"] or "").strip()
    for key in ("timeline", "target"):
        if key in fields:
            fields[key] = clean(fields[key] or "")
    if "standards" in fields:
        fields["standards"] = _standards(plan, sections.get(fields.get("section") or ""), fields["standards"])
    return fields


def _standards(plan: CommitmentPlan, section: dict | None, codes: list[str] | None) -> list[str]:  # type: ignore[type-arg]
    """The standards an item is tagged with: those of its section's criteria set, each once."""
    codes = list(dict.fromkeys(codes or []))
    if codes:
        set_code = (section or {}).get("criteria_set")
        known = rulebook_selectors.criteria_titles(set_code, dt.date(plan.year, 12, 31)) if set_code else {}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise DomainError(
                _("This section is not tagged with these standards: %(c)s") % {"c": ", ".join(unknown)},
                field="standards",
            )
    return codes


def _open_shortcoming(item: CommitmentItem) -> bool:
    """The item carries a shortcoming still to remedy (its wording belongs to remediation)."""
    return item.source == ItemSource.REMEDIATION and item.remediation is not None and item.remediation.is_open


def _entered(actor: Actor, plan: CommitmentPlan) -> None:
    """An officer entering the items from the paper form is recorded on the plan."""
    if _common.note_entry(actor, plan):
        plan.save(update_fields=["entered_by"])


@actor_scoped
def commitment_item_add(
    *, actor: Actor, plan: CommitmentPlan, section: str, content: str, **fields: object
) -> CommitmentItem:
    """Add a commitment to a draft or returned plan."""
    with transaction.atomic():
        plan, grant = _common.own_editable_plan(actor, plan)
        data = _item_fields(plan, {"section": section, "content": content, **fields})
        with audit.acting(actor, grant=grant, reason="add item"):
            _entered(actor, plan)
            order = (plan.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
            return CommitmentItem.objects.create(plan=plan, order=order, source=ItemSource.OWN, **data)


@actor_scoped
def commitment_item_update(*, actor: Actor, item: CommitmentItem, **fields: object) -> CommitmentItem:
    """Change a commitment of a draft or returned plan."""
    with transaction.atomic():
        plan, grant = _common.own_editable_plan(actor, item.plan)
        if _open_shortcoming(item) and any(
            k in fields and fields[k] != getattr(item, k) for k in ("content", "section")
        ):
            raise DomainError(
                _(
                    "The shortcoming itself cannot be reworded while it is open: add your measures and timeline."
                ),
                field="content",
            )
        fields.setdefault("section", item.section)
        data = _item_fields(plan, fields)
        with audit.acting(actor, grant=grant, reason="update item"):
            _entered(actor, plan)
            for key, value in data.items():
                setattr(item, key, value)
            item.save()
    return item


@actor_scoped
def commitment_item_delete(*, actor: Actor, item: CommitmentItem) -> None:
    """Remove a commitment from a draft or returned plan (a shortcoming to remedy stays in the plan)."""
    with transaction.atomic():
        plan, grant = _common.own_editable_plan(actor, item.plan)
        if _open_shortcoming(item):
            raise DomainError(_("A shortcoming still to remedy cannot be removed from the plan."))
        with audit.acting(actor, grant=grant, reason="delete item"):
            _entered(actor, plan)
            item.delete()
