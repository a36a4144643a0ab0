"""The grouped main menu of the signed-in actor (entries come from each context's registration)."""

from __future__ import annotations

from django.http import HttpRequest

from . import navigation


def navigation_menu(request: HttpRequest) -> dict:  # type: ignore[type-arg]
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"nav_groups": []}
    return {"nav_groups": navigation.menu(actor=actor, path=request.path)}
