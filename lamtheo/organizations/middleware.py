"""Builds request.actor once per request and activates its organization scope and audit context."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lamtheo.core import audit, scoping

from .selectors import actor_for_user


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = actor_for_user(getattr(request, "user", None))
        request.actor = actor  # type: ignore[attr-defined]
        with scoping.activate(actor.scope), audit.acting(actor):
            return self.get_response(request)
