"""Cross-cutting screens: the overview page and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from . import worklist


def home(request: HttpRequest) -> HttpResponse:
    """The person's home: their work list ("Việc cần làm"), then their unit's figures against last year."""
    actor = request.actor
    data = worklist.collect(actor=actor, today=timezone.localdate())
    return render(request, "core/home.html", {
        "grants": actor.grants, "work": data.work, "groups": data.figures, "failed": data.failed,
    })  # fmt: skip


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for load balancers (public: reveals nothing)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
