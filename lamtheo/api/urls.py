"""Mounts each context's api.py under /api/v1/, with session auth and one JSON error shape."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from lamtheo.commitments.api import router as commitments_router
from lamtheo.core.errors import DomainError
from lamtheo.organizations.api import router as organizations_router
from lamtheo.rulebook.api import router as rulebook_router

api = NinjaAPI(title="lamtheo API", version="1", urls_namespace="api", auth=django_auth, docs_url=None)
api.add_router("/", organizations_router)
api.add_router("/rulebook", rulebook_router)
api.add_router("/commitments", commitments_router)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=400)


@api.exception_handler(Http404)
def _not_found(request, exc):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": "Not found.", "field": None}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):  # type: ignore[no-untyped-def]
    """A malformed id in the path names no record (404); other bad input is one message in the one shape,
    never the parser's trace."""
    errors = list(exc.errors)
    if any(e.get("loc", ("",))[0] == "path" for e in errors):
        return _not_found(request, exc)
    first = errors[0] if errors else {}
    field = str(first.get("loc", ("", ""))[-1]) if first else None
    return api.create_response(request, {"detail": "Invalid value.", "field": field}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": "Authentication required.", "field": None}, status=401)


# The API answers 401 itself (no redirect to the login page), so the login middleware steps aside.
app_name = "api"
urlpatterns = list(api.urls[0])
for pattern in urlpatterns:
    if pattern.name != "openapi-json":  # the schema is for logged-in users (the login page answers others)
        pattern.callback = login_not_required(pattern.callback)  # type: ignore[attr-defined]
