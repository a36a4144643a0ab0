"""Reference data is loaded through the registry each context fills (organizations imports no planning)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from lamtheo.core import reference_data
from lamtheo.core.actor import Actor
from lamtheo.organizations.models import Role
from lamtheo.planning.models import Theme
from lamtheo.rulebook.models import Regulation


def test_every_context_registers_its_loader_in_order():  # type: ignore[no-untyped-def]
    names = [entry.name for entry in reference_data.loaders()]
    assert names.index("roles") < names.index("rulebook") < names.index("themes")


def test_load_all_runs_the_loaders_in_order_under_the_actor(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(reference_data, "_loaders", {})
    calls = []
    reference_data.register(
        "second", lambda *, actor: calls.append(("second", actor.is_system)) or 2, order=20
    )
    reference_data.register("first", lambda *, actor: calls.append(("first", actor.is_system)) or 1, order=10)
    results = reference_data.load_all(actor=Actor.system(reason="test"))
    assert calls == [("first", True), ("second", True)]
    assert list(results.items()) == [("first", 1), ("second", 2)]


@pytest.mark.django_db
def test_load_reference_data_loads_themes_through_plannings_loader():  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert Theme.objects.exists()  # planning's registered loader ran
    assert Role.objects.exists() and Regulation.objects.exists()
    assert "themes:" in out.getvalue() and "roles:" in out.getvalue()
    call_command("load_reference_data", stdout=io.StringIO())  # safe to run again
