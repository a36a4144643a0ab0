"""Progress of a running job, shared between the worker and the web processes through the cache.

The import's write phase holds one database transaction (all-or-nothing), so its progress cannot be read
from the database until it commits: it lives in the cache (files under var/ locally, Redis in production).
"""

from __future__ import annotations

from django.core.cache import caches

PHASES = ("reading", "checking", "writing", "done")


def _key(job_id: object) -> str:
    return f"roster-progress:{job_id}"


def progress_set(job_id: object, *, phase: str, done: int, total: int) -> None:
    """Record how far a job got."""
    caches["default"].set(_key(job_id), {"phase": phase, "done": done, "total": total}, timeout=24 * 3600)


def progress_get(job_id: object) -> dict:
    """How far a job got ({} when unknown), with a percentage for the progress bar."""
    data = caches["default"].get(_key(job_id)) or {}
    if data:
        total = max(int(data.get("total") or 0), 1)
        data["percent"] = min(100, round(100 * int(data.get("done") or 0) / total))
    return data
