"""Layout sweep: every screen each demo role reaches, in a real Chromium at 1366 px and on a 390 px phone.

For each demo account the sweep follows the links of its pages from its home (as a person clicking would),
one page per route, then opens each page in the browser and checks what a ward secretary would notice:
nothing wider than the window, no raw template text, no "None", no English sentence of the catalogue left
in the Vietnamese interface, and no server error. A new page that breaks any of these fails the sweep.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from io import StringIO
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import polib
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 12, 1)
ROLES = ("admin", "tochuc", "tuyengiao", "kiemtra", "bithu", "bithuchibo", "dangvien", "mattran", "xuly",
         "thidua", "bientap", "bithubode")  # fmt: skip
WIDTHS = ((1366, 768), (390, 844))
# Not screens of ours (Django's admin, the API, files) or not pages (logout, language switch).
SKIP = re.compile(
    r"^/(static|admin|api|i18n|media|accounts/logout)|\.(xlsx|docx|pdf|csv)$|/export|/evidence/|/photos/"
)
PAGES_PER_ROLE = 60
PO = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _english_sentences() -> list[str]:
    """Source strings of the catalogue that would betray an untranslated screen (several words, no
    placeholder, translated differently)."""
    out = []
    for entry in polib.pofile(str(PO)):
        msgid = entry.msgid
        if entry.msgid_plural or not entry.msgstr or entry.msgstr == msgid or "%" in msgid or "{" in msgid:
            continue
        if len(msgid.split()) >= 3 and len(msgid) >= 16:
            out.append(msgid)
    return out


def _crawl(client: Client) -> dict[str, str]:
    """route name → the first URL of that route reached by following links from the home page."""
    pages: dict[str, str] = {}
    queue, queued = ["/"], {"/"}
    while queue and len(pages) < PAGES_PER_ROLE:
        url = queue.pop(0)
        try:
            route = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if route in pages:
            continue
        response = client.get(url)
        assert response.status_code != 500, f"{url} answers 500"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text = response.content.decode()
        if "<html" not in text:  # an htmx fragment, shown inside another page
            continue
        pages[route] = url
        if route == "core:home":  # every item of the work list opens a page the person may use
            for href in re.findall(r'<a class="work-title" href="([^"]+)"', text):
                answer = client.get(htmllib.unescape(href))
                assert answer.status_code == 200, f"work item {href} answers {answer.status_code}"
        for href in re.findall(r'href="(/[^"#]*)', text):
            href = htmllib.unescape(href)
            if not SKIP.search(href) and href not in queued:
                queued.add(href)
                queue.append(href)
    return pages


def _problems(page: Page, url: str, sentences: list[str]) -> list[str]:
    found = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width + 1:
            culprit = page.evaluate(
                """(w) => { for (const el of document.querySelectorAll('main *')) {
                     const r = el.getBoundingClientRect(); if (r.right > w + 1 && r.width > 0)
                       return el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 40); }
                   return ''; }""",
                width,
            )
            found.append(f"{url} at {width}px is {wide}px wide ({culprit})")
    text = page.inner_text("body")
    if "{{" in text or "{%" in text or "%}" in text:
        found.append(f"{url} shows raw template text")
    if re.search(r"\bNone\b", text):
        found.append(f"{url} shows 'None'")
    english = [s for s in sentences if s in text]
    if english:
        found.append(f"{url} shows English: {english[:3]}")
    return found


def test_every_page_of_every_role_holds_at_1366_and_390(page: Page, live_server, transactional_db):  # type: ignore[no-untyped-def]
    from lamtheo.organizations.models import User

    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        call_command("seed_demo", stdout=StringIO())
        sentences = _english_sentences()
        problems: list[str] = []
        routes: set[str] = set()
        for username in ROLES:
            client = Client()
            client.force_login(User.objects.get(username=username))
            pages = _crawl(client)
            assert "core:home" in pages, f"{username} cannot open their home page"
            routes |= set(pages)
            page.context.clear_cookies()
            page.context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
            for url in pages.values():
                response = page.goto(f"{live_server.url}{url}")
                assert response is not None
                if response.status >= 500:
                    problems.append(f"{username}: {url} answers {response.status}")
                    continue
                problems += [f"{username}: {p}" for p in _problems(page, url, sentences)]
    print(f"layout sweep: {len(routes)} routes across {len(ROLES)} roles")
    # The sweep must have reached the screens of every context built so far.
    for expected in ("core:home", "organizations:org-tree", "organizations:person-detail", "planning:plan-detail",
                     "planning:task-detail", "commitments:plan-detail", "commitments:cockpit",
                     "remediation:item-list", "portal:commitment-list", "rulebook:regulation-detail",
                     "oversight:case-list", "oversight:case-detail", "oversight:programme-detail",
                     "oversight:dashboard", "oversight:supervision-detail", "oversight:measure-detail",
                     "feedback:report-list", "feedback:report-detail", "feedback:report-intake",
                     "feedback:public-board", "feedback:public-report"):  # fmt: skip
        assert expected in routes, f"the sweep never reached {expected}"
    assert not problems, "\n".join(problems)
