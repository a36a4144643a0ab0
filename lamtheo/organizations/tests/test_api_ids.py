"""The API's ids and searches: a malformed id is the one 404 shape (never a parser's 422), "1.0" is not 1; a
pasted no-break space searches like a space; an over-long search lists nothing and says why."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["abc", "1.0", "-1", "١"])
def test_a_malformed_id_is_not_found_in_the_one_error_shape(client, world, raw):  # type: ignore[no-untyped-def]
    client.force_login(world.a.officer_user)
    for path in (f"/api/v1/organizations/{raw}", f"/api/v1/people/{raw}"):
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert response.json() == {"detail": "Not found.", "field": None}


def test_a_whole_number_id_still_reads(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.a.officer_user)
    assert client.get(f"/api/v1/organizations/{world.a.cell.pk}").json()["code"] == world.a.cell.code
    assert client.get(f"/api/v1/organizations/{world.b.cell.pk}").status_code == 404  # out of scope


def test_a_no_break_space_in_a_search_is_a_space(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.a.officer_user)
    name = world.a.member.full_name
    pasted = name.replace(" ", "\u00a0")
    page = client.get("/people/", {"q": pasted}).content.decode()
    assert name in page
    body = client.get("/api/v1/people", {"q": pasted}).json()
    assert [p["full_name"] for p in body["items"]] == [name]


def test_an_over_long_search_lists_nobody_and_says_so(client, world):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "en"
    client.force_login(world.a.officer_user)
    response = client.get("/people/", {"q": "x" * 101})
    html = response.content.decode()
    assert "at most 100 characters" in html and world.a.member.full_name not in html
    orgs = client.get("/org/list/", {"q": "x" * 101}).content.decode()
    assert "at most 100 characters" in orgs and world.a.cell.name not in orgs
