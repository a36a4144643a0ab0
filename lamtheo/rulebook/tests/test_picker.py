"""The regulation picker: by number, symbol or words of the title, diacritics-insensitive, 20 at most."""

import pytest

from lamtheo.core.actor import Actor
from lamtheo.rulebook.services import rulebook_load

pytestmark = pytest.mark.django_db


def test_regulation_picker_by_number_and_title(client, world):  # type: ignore[no-untyped-def]
    rulebook_load(actor=Actor.system(reason="test"))
    client.force_login(world.a.officer_user)
    by_title = client.get("/rulebook/regulations/pick/", {"q": "chuan muc dao duc"}).json()["results"]
    assert any(r["text"].startswith("144-QĐ/TW — ") for r in by_title)
    by_number = client.get("/rulebook/regulations/pick/", {"q": "05-ct/tw"}).json()["results"]
    assert by_number and by_number[0]["text"].startswith("05-CT/TW — Về đẩy mạnh học tập")
    assert by_number[0]["hint"] == "Bộ Chính trị"
    assert len(client.get("/rulebook/regulations/pick/").json()["results"]) == 20
