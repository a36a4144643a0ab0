"""The main menu, grouped by the work people do; each context registers its own entries.

A context adds entries in its AppConfig.ready() with `register(...)`; the menu shows an entry to an actor
holding its permission (or to everyone signed in when it needs none) and passing its `visible` test. The
groups are fixed here because they are the product's vocabulary, not a context's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from .actor import Actor

# (key, heading) in the order the menu shows them; "" has no heading (the work list).
GROUPS: tuple[tuple[str, Any], ...] = (
    ("", ""),
    ("organization", pgettext_lazy("menu group", "Organization & people")),
    ("planning", pgettext_lazy("menu group", "Plans")),
    ("cultivation", pgettext_lazy("menu group", "Cultivation and training")),
    ("oversight", pgettext_lazy("menu group", "Supervision")),
    ("feedback", pgettext_lazy("menu group", "Public opinion")),
    ("portal", pgettext_lazy("menu group", "Public portal")),
    ("admin", pgettext_lazy("menu group", "Administration")),
)


@dataclass(frozen=True)
class Entry:
    group: str
    url_name: str
    label: Any
    order: int = 50
    perm: str | None = None
    visible: Callable[[Actor], bool] | None = None


_entries: dict[str, Entry] = {}


def register(
    *,
    group: str,
    url_name: str,
    label: Any,
    order: int = 50,
    perm: str | None = None,
    visible: Callable[[Actor], bool] | None = None,
) -> None:
    """Add (or replace) a menu entry; `perm` and `visible` decide who sees it."""
    if group not in dict(GROUPS):
        raise ValueError(f"Unknown menu group {group!r}")
    _entries[url_name] = Entry(group, url_name, label, order, perm, visible)


def menu(*, actor: Actor, path: str) -> list[dict]:  # type: ignore[type-arg]
    """The actor's menu as groups of entries, the one entry matching `path` most closely marked current."""
    items = []
    for entry in _entries.values():
        if entry.perm is not None and not actor.has_perm(entry.perm):
            continue
        if entry.visible is not None and not entry.visible(actor):
            continue
        url = reverse(entry.url_name)
        matches = path == url or (url != "/" and path.startswith(url))
        items.append({"entry": entry, "url": url, "label": entry.label, "active": matches})
    # Only the most specific entry is current (/commitments/cockpit/ is not also /commitments/).
    best = max((i for i in items if i["active"]), key=lambda i: len(i["url"]), default=None)
    groups = []
    for key, heading in GROUPS:
        entries = sorted((i for i in items if i["entry"].group == key), key=lambda i: i["entry"].order)
        for item in entries:
            item["active"] = item is best
        if entries:
            groups.append(
                {"key": key, "heading": heading, "items": entries, "open": any(i["active"] for i in entries)}
            )
    return groups
