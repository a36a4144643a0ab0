"""Reference data of citizens' reports (categories with their questions, rejection reasons), loaded
idempotently by `load_reference_data`; and the keys of third-party Open311 clients."""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

from django.db import transaction

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean

from ..models import ApiClient, Category, RejectionTemplate, Severity

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "feedback.json"
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


def category_check(row: Any) -> None:
    """Refuse a category without code and name, with an unknown severity, or with malformed questions."""
    if not isinstance(row, dict) or not row.get("code") or not row.get("name"):
        raise DomainError(f"categories: code and name are required ({row!r})")
    if row.get("severity", Severity.NORMAL) not in Severity.values:
        raise DomainError(f"categories {row['code']}: unknown severity {row.get('severity')!r}")
    for question in row.get("attributes", []):
        if not question.get("code") or question.get("datatype") not in DATATYPES:
            raise DomainError(
                f"categories {row['code']}: each question needs a code and a datatype of {DATATYPES}"
            )
        if question["datatype"].endswith("valuelist") and not question.get("values"):
            raise DomainError(f"categories {row['code']}: question {question['code']} lists no values")


@actor_scoped
def load_feedback_reference(*, actor: Actor, path: Path = DATA_FILE) -> dict[str, int]:
    """Upsert the categories and rejection reasons of the seed (checked first: one bad row writes none)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for row in data.get("categories", []):
        category_check(row)
    with transaction.atomic(), audit.acting(actor, reason="feedback reference load"):
        for order, row in enumerate(data.get("categories", [])):
            Category.objects.update_or_create(code=row["code"], defaults={
                "name": clean(row["name"]), "group": clean(row.get("group", "")),
                "description": clean(row.get("description", "")), "keywords": clean(row.get("keywords", "")),
                "severity": row.get("severity", Severity.NORMAL), "attributes": row.get("attributes", []),
                "order": order,
            })  # fmt: skip
        for row in data.get("rejection_reasons", []):
            RejectionTemplate.objects.update_or_create(
                code=row["code"], defaults={"text": clean(row["text"])}
            )
    return {
        "categories": len(data.get("categories", [])),
        "rejection_reasons": len(data.get("rejection_reasons", [])),
    }


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_client_key(client: ApiClient) -> str:
    """Give `client` a new random key (before it is saved); returns the key, which is never stored."""
    key = secrets.token_urlsafe(24)
    client.key_prefix, client.key_hash = key[:8], _hash(key)
    return key


def api_client_create(*, name: str) -> tuple[ApiClient, str]:
    """A new Open311 client and its key (shown once; only its hash is kept)."""
    name = clean(name or "")
    if not name:
        raise DomainError("Name the client.", field="name")
    client = ApiClient(name=name)
    key = api_client_key(client)
    client.save()
    return client, key


def api_client_for_key(key: str) -> ApiClient | None:
    """The active client holding `key` (None: unknown or revoked)."""
    if not key:
        return None
    return ApiClient.objects.filter(key_hash=_hash(key), revoked_at__isnull=True).first()
