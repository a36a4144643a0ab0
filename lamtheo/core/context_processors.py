"""Navigation by role: each entry is shown only to actors holding one of its permissions."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, permission needed or None for every logged-in user)
NAVIGATION = [
    ("core:home", _("Overview"), None),
    ("organizations:org-tree", _("Organization tree"), None),
    ("organizations:org-list", _("Organizations"), None),
    ("organizations:person-list", _("People"), None),
    ("planning:plan-tree", _("Plans"), None),
    ("planning:theme-list", _("Themes"), None),
    ("commitments:my-plans", _("My cultivation plan"), None),
    ("commitments:cockpit-home", _("Members' plans"), "commitments.review_commitmentplan"),
    ("commitments:residence-inbox", _("Residence comments"), "commitments.review_commitmentplan"),
    ("remediation:item-list", _("Shortcomings to remedy"), None),
    ("portal:commitment-list", _("Public commitments"), None),
    ("roster:import-list", _("Import"), "organizations.add_person"),
    ("rulebook:regulation-list", _("Regulations"), None),
]


def navigation(request: HttpRequest) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label, perm in NAVIGATION:
        if perm is None or actor.has_perm(perm):
            url = reverse(name)
            matches = request.path.startswith(url) and url != "/" or request.path == url
            items.append({"url": url, "label": label, "active": matches})
    # Only the most specific entry is current (/commitments/cockpit/ is not also /commitments/).
    best = max((i for i in items if i["active"]), key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["active"] = item is best
    is_admin = "system_admin" in actor.role_codes
    return {"nav_items": items, "nav_is_admin": is_admin, "nav_grants": actor.grants}
