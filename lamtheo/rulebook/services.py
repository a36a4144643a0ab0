"""Writes on the rulebook: the versioned reference data loads idempotently from JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.text import clean, fold

from .models import CriteriaSet, Criterion, Holiday, Regulation

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "rulebook.json"


def _upsert(model, lookup: dict[str, Any], fields: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Create the row, or update it only when a field differs (so a re-load writes no history)."""
    obj, created = model.objects.get_or_create(**lookup, defaults=fields)
    if not created and any(getattr(obj, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(obj, k, v)
        obj.save()
    return obj


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _key(ref: dict[str, Any]) -> tuple:
    return (ref["number"], ref["symbol"], _date(ref.get("issue_date")), ref["issuer"])


def rulebook_load(*, actor: Actor, path: Path = DEFAULT_FILE) -> dict[str, int]:
    """Upsert the regulation register and criteria sets from `path`; re-loading changes nothing."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    counts = {"regulations": 0, "criteria_sets": 0, "criteria": 0}
    with transaction.atomic(), audit.acting(actor, reason="rulebook load"):
        by_key: dict[tuple, Regulation] = {}
        for row in data["regulations"]:
            number, symbol, issue_date, issuer = _key(row)
            fields = {
                "kind": row["kind"],
                "title": clean(row["title"]),
                "status": row["status"],
                "effective_from": _date(row.get("effective_from")),
                "effective_to": _date(row.get("effective_to")),
                "is_uncertain": bool(row.get("is_uncertain")),
                "note": row.get("note", "").strip(),
            }
            fields["search_text"] = fold(f"{number}-{symbol} {fields['title']} {issuer}")[:600]
            reg = _upsert(
                Regulation,
                {"number": number, "symbol": symbol, "issue_date": issue_date, "issuer": issuer},
                fields,
            )
            by_key[(number, symbol, issue_date, issuer)] = reg
            counts["regulations"] += 1
        for row in data["regulations"]:
            if row.get("replaced_by"):
                reg, successor = by_key[_key(row)], by_key.get(_key(row["replaced_by"]))
                if successor is None:
                    raise DomainError(f"replaced_by of {reg.key} points at an unknown regulation")
                if reg.replaced_by_id != successor.pk:
                    reg.replaced_by = successor
                    reg.save(update_fields=["replaced_by"])
        for row in data.get("criteria_sets", []):
            regulation = by_key.get(_key(row["regulation"]))
            if regulation is None:
                raise DomainError(f"criteria set {row['code']} points at an unknown regulation")
            fields = {
                "name": clean(row["name"]),
                "kind": row["kind"],
                "regulation": regulation,
                "valid_from": _date(row["valid_from"]),
                "valid_to": _date(row.get("valid_to")),
            }
            cs = _upsert(CriteriaSet, {"code": row["code"], "version": row["version"]}, fields)
            counts["criteria_sets"] += 1
            counts["criteria"] += _load_criteria(cs, row.get("criteria", []), parent=None)
        for row in data.get("holidays", []):
            _upsert(
                Holiday,
                {"date": _date(row["date"])},
                {"name": clean(row["name"]), "is_uncertain": row["is_uncertain"]},
            )
        counts["holidays"] = len(data.get("holidays", []))
    return counts


def _load_criteria(cs: CriteriaSet, items: list[dict[str, Any]], *, parent: Criterion | None) -> int:
    n = 0
    for order, item in enumerate(items, start=1):
        fields = {
            "title": clean(item["title"]),
            "description": item.get("description", "").strip(),
            "order": order,
            "parent": parent,
        }
        crit = _upsert(Criterion, {"criteria_set": cs, "code": item["code"]}, fields)
        n += 1 + _load_criteria(cs, item.get("children", []), parent=crit)
    return n
