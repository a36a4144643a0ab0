"""House rules that code review alone would not keep: scoping, authentication, import boundaries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

from lamtheo.core.scoping import ScopedManager

from .urlsweep import all_routes

ROOT = Path(__file__).resolve().parent.parent

# Routes open to visitors without a login, each with the reason it is safe.
PUBLIC_ROUTES = {
    "login": "the login form itself",
    "set_language": "the language switch on the login page",
    "core:healthz": "liveness check for the load balancer; reveals nothing",
    "portal:commitment-list": "heads' commitments their organization chose to publish on the portal",
    "portal:commitment-detail": "one published commitment (404 unless published on the portal)",
    "feedback:public-new": "citizens report without an account (rate-limited, honeypot)",
    "feedback:public-track": "finding a report by its tracking code",
    "feedback:public-board": "the transparency board: counts only, no personal data",
    "feedback:public-report": "a report's public side by its unguessable tracking code (no personal data)",
    "feedback:public-rate": "the citizen rates the answer, by tracking code (rate-limited)",
    "feedback:public-reopen": "the citizen reopens an unfixed report within the window, by tracking code",
    "feedback:public-photo": "a photo of a report, by its tracking code (re-encoded, no location data)",
    "feedback:public-evidence-photo": "an evidence photo published with the unit's public answer",
    "open311:discovery": "Open311 GeoReport v2: public by specification",
    "open311:services": "Open311 GeoReport v2: the public list of categories",
    "open311:service-definition": "Open311 GeoReport v2: a category's questions",
    "open311:requests": "Open311 GeoReport v2: public fields of reports; POST needs an API key",
    "open311:request-detail": "Open311 GeoReport v2: public fields of one report",
    "open311:token": "Open311 GeoReport v2: token to id",
}
# Routes that answer 401 themselves instead of redirecting to the login page.
SELF_AUTHENTICATED_PREFIX = "api/v1/"


def _project_models():  # type: ignore[no-untyped-def]
    for model in apps.get_models():
        if model.__module__.startswith("lamtheo.") and not hasattr(model, "instance_type"):
            yield model


def test_every_model_is_scoped_or_public_with_a_reason():  # type: ignore[no-untyped-def]
    problems = []
    for model in _project_models():
        scoped = isinstance(model._default_manager, ScopedManager)
        reason = getattr(model, "public_reason", "")
        if scoped and not model.scope_paths:
            problems.append(f"{model.__name__}: scoped but declares no scope_paths")
        if scoped and reason:
            problems.append(f"{model.__name__}: both scoped and public")
        if not scoped and not reason:
            problems.append(f"{model.__name__}: neither scoped nor marked @public_model(reason=...)")
    assert not problems, problems
    assert len(list(_project_models())) >= 8


def test_scope_paths_resolve_to_an_organization_path():  # type: ignore[no-untyped-def]
    from lamtheo.organizations.models import Organization

    for model in _project_models():
        for lookup in getattr(model, "scope_paths", ()):
            parts = lookup.split("__")
            current = model
            for part in parts[:-1]:
                current = current._meta.get_field(part).related_model
            assert current is Organization and parts[-1] == "path", f"{model.__name__}.{lookup}"


@pytest.mark.django_db
def test_every_route_needs_a_login_unless_listed_public(client):  # type: ignore[no-untyped-def]
    seen_public = set()
    for route in all_routes():
        url = route.url(**route.sample_kwargs())
        if getattr(route.callback, "login_required", True) is False and not route.pattern.startswith(
            SELF_AUTHENTICATED_PREFIX
        ):
            assert route.name in PUBLIC_ROUTES, f"{route.name} is public but not listed in PUBLIC_ROUTES"
            seen_public.add(route.name)
            continue
        response = client.get(url)
        if route.pattern.startswith(SELF_AUTHENTICATED_PREFIX):
            if route.name in ("api:api-root",):
                continue
            if route.name == "api:openapi-json":  # the schema is for logged-in users: to the login page
                assert response.status_code == 302 and "/accounts/login/" in response["Location"]
                continue
            assert response.status_code == 401, f"{route.name}: {response.status_code}"
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], route.name
    assert seen_public == set(PUBLIC_ROUTES)


@pytest.mark.django_db
def test_django_admin_is_for_system_administrators_only(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.a.officer_user)
    assert client.get("/admin/").status_code == 302
    world.a.officer_user.is_staff = True
    world.a.officer_user.save()
    assert client.get("/admin/").status_code == 302
    client.force_login(world.admin_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/organizations/person/").status_code == 200


def test_import_contracts_hold():  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
