"""The history page of a cultivation plan reads in Vietnamese words: labels, names, role names, no raw values."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import pgettext

from lamtheo.commitments.models import CommitmentPlan

from .conftest import approved_plan, yearend

pytestmark = pytest.mark.django_db

# Raw values django-simple-history stores and a reader must never see: choice codes, booleans as Python
# prints them, Decimals with their trailing zeros, ISO dates and times, the role code.
RAW = re.compile(
    r"\b(draft|submitted|approved|returned|secretary|member|good|True|False|None)\b"
    r"|\d\.00\b|\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}|\+00:00"
)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def entries_text(body: str) -> list[str]:
    """The text of each history entry of the page (tags dropped, spaces collapsed)."""
    main = body.split('<main id="content">', 1)[1].split("</main>", 1)[0]
    return [_text(block) for block in main.split('<div class="history-entry card">')[1:]]


def entries_rows(body: str) -> list[dict[str, list[str]]]:
    """Each entry's table of changes: field label → the values in its cells (before, after)."""
    main = body.split('<main id="content">', 1)[1].split("</main>", 1)[0]
    tables = []
    for block in main.split('<div class="history-entry card">')[1:]:
        rows = {}
        for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", block, flags=re.S):
            label, _, cells = row.partition("</th>")
            rows[_text(label)] = [_text(c) for c in re.findall(r"<td>(.*?)</td>", cells, flags=re.S)]
        tables.append(rows)
    return tables


def without_verbs(entry: str) -> str:
    """The entry without its verb phrase: the phrases are checked on their own against the catalogue
    (until the catalogue has them they read in English, which is not a raw value)."""
    with translation.override("vi"):
        name = str(CommitmentPlan._meta.verbose_name)
        verbs = [pgettext("history", v) for v in (
            "approved the plan", "submitted the plan for approval", "returned the plan for changes",
            "reopened the plan as a draft",
        )] + [pgettext("history", v) % {"object": name} for v in (
            "created the %(object)s", "changed the %(object)s", "deleted the %(object)s",
        )]  # fmt: skip
    for verb in verbs:
        entry = entry.replace(verb, "")
    return entry


@pytest.fixture
def vi_client(client):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "vi"
    return client


def test_the_approval_reads_as_a_sentence_with_role_organization_and_status_words(vi_client, cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    vi_client.force_login(cast.member_user)
    body = vi_client.get(f"/commitments/plans/{plan.pk}/history/").content.decode()
    entries = entries_text(body)
    assert len(entries) >= 3  # created, submitted, approved (newest first)

    with translation.override("vi"):
        status_label = capfirst(str(CommitmentPlan._meta.get_field("status").verbose_name))
        approved_verb = pgettext("history", "approved the plan")
        submitted_verb = pgettext("history", "submitted the plan for approval")
    approval = entries[0]
    # The secretary of cell A1, with the *name* of the role and the organization they acted through.
    assert approval.startswith("Bí thư A1 (Bí thư, Chi bộ Tổ dân phố A1) "), approval
    assert approved_verb in approval
    # The transition in the catalogue's Vietnamese labels (Submitted → Approved).
    assert f"{status_label}: Đã trình duyệt → Đã phê duyệt" in approval
    # The time of the entry as HH:MM dd/mm/yyyy.
    assert re.search(r"· \d{2}:\d{2} \d{2}/\d{2}/\d{4}", approval)

    submission = next(e for e in entries if submitted_verb in e)
    # The member submits their own plan through no role grant (the audit row stamps role "self"): their
    # name only, no empty brackets.
    assert submission.startswith(f"Hoa {submitted_verb} · "), submission
    assert f"{status_label}: Dự thảo → Đã trình duyệt" in submission

    creation = entries_rows(body)[-1]
    with translation.override("vi"):
        label = {name: capfirst(str(CommitmentPlan._meta.get_field(name).verbose_name))
                 for name in ("person", "cell", "template", "year")}  # fmt: skip
    # Foreign keys by name (the member, the party cell, the template), not by id; the year as a year.
    assert creation[label["person"]] == ["Lê Thị Hoa A"], creation
    assert creation[label["cell"]] == ["Chi bộ Tổ dân phố A1"], creation
    assert creation[label["template"]] == [str(plan.template)], creation
    assert creation[label["year"]] == ["2026"], creation
    for entry in entries:
        assert not RAW.search(without_verbs(entry)), entry


def test_the_year_end_self_assessment_shows_grade_label_and_a_score_without_trailing_zeros(vi_client, cast):  # type: ignore[no-untyped-def]
    plan = approved_plan(cast)
    yearend(cast, plan, grade="good", score=80)
    vi_client.force_login(cast.member_user)
    entries = entries_text(vi_client.get(f"/commitments/plans/{plan.pk}/history/").content.decode())
    assessment = entries[0]
    with translation.override("vi"):
        score_label = capfirst(str(CommitmentPlan._meta.get_field("self_score").verbose_name))
        grade_label = capfirst(str(CommitmentPlan._meta.get_field("self_grade").verbose_name))
        good = str(CommitmentPlan._meta.get_field("self_grade").flatchoices[1][1])
        reason = pgettext("history reason", "year-end self-assessment")
    assert good != "good"
    # Before: nothing (—); after: the grade's label.
    assert f"{grade_label} — {good}" in assessment, assessment
    assert f"{score_label} — 80" in assessment and "80.00" not in assessment and "80,00" not in assessment
    assert reason in assessment  # the reason of the change, in words
    # The time the services stamped ("year-end self-assessment" at) is the entry's own time: not repeated.
    assert assessment.count("/2026") == 1, assessment
    assert not RAW.search(without_verbs(assessment)), assessment


def test_the_history_page_costs_the_same_queries_however_many_entries(cast, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lamtheo.core.audit import history_entries
    from lamtheo.core.scoping import Scope, activate

    plan = approved_plan(cast)
    with activate(Scope.everything(reason="test")), CaptureQueriesContext(connection) as few:
        assert len(history_entries(plan)) >= 3
    yearend(cast, plan)
    with activate(Scope.everything(reason="test")), CaptureQueriesContext(connection) as more:
        assert len(history_entries(plan)) >= 4
    # History rows, role names, one query per referenced model: not one per entry.
    assert len(more) <= len(few) + 1, [q["sql"] for q in more.captured_queries]
    assert len(more) <= 8
