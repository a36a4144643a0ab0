"""Scope-leak sweep: a user of branch A never sees branch B, on any routed screen, export or API call.

URLs come from the resolver. A route with a parameter must map to a model below (a new module adds its
mapping, or this test fails and says so); a route without one is a list/search/export and is fetched
with and without a query, and its output must not name any of B's records.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import io
import re

import pytest
from django.http import QueryDict

from lamtheo.commitments.models import CommitmentItem, CommitmentPlan, ResidenceComment
from lamtheo.core.scoping import Scope, activate
from lamtheo.feedback.models import Photo as ReportPhoto
from lamtheo.feedback.models import Report
from lamtheo.organizations.models import Organization, Person
from lamtheo.oversight.models import Case, CaseDocument, DisciplinaryMeasure, Programme, Supervision
from lamtheo.planning.models import Plan, ProgressReport, Task
from lamtheo.remediation.models import RemediationItem
from lamtheo.roster.models import ExportJob, ImportJob

from .urlsweep import all_routes

# Route name pattern → what its primary key parameter is. Public reference data maps to None.
PARAM_MODELS: dict[str, type | None] = {
    "organizations:org-*": Organization,
    "organizations:person-*": Person,
    "organizations:position-*": Person,
    "api:get_organization": Organization,
    "api:get_person": Person,
    "rulebook:regulation-*": None,
    "roster:import-*": ImportJob,
    "roster:export-*": ExportJob,
    "roster:template-download": None,
    "planning:plan-tree-children": Organization,
    "planning:plan-*": Plan,
    "planning:task-create": Plan,  # takes the plan
    "planning:task-detail": Task,
    "planning:report-evidence": ProgressReport,
    "commitments:plan-*": CommitmentPlan,
    "commitments:item-*": CommitmentItem,
    "commitments:residence-comment": ResidenceComment,
    "commitments:cockpit*": Organization,
    "commitments:organization-rating": Organization,
    "remediation:item-*": RemediationItem,
    "oversight:case-*": Case,
    "oversight:document-download": CaseDocument,
    "oversight:programme-detail": Programme,
    "oversight:measure-detail": DisciplinaryMeasure,
    "oversight:supervision-detail": Supervision,
    "portal:commitment-detail": None,  # public: published plans only (tested in commitments)
    "feedback:public-*": None,  # public: a report's public side by its tracking code (tested in feedback)
    "feedback:report-photo": ReportPhoto,
    "feedback:report-*": Report,
    "open311:*": None,  # public by specification: public fields only (tested in feedback)
}

# Parameters that are not the record's key, per route.
EXTRA_PARAMS: dict[str, dict[str, str]] = {
    "planning:plan-transition": {"action": "submit"},
    "commitments:plan-transition": {"action": "submit"},
    "commitments:plan-assess": {"stage": "midyear"},
    "remediation:item-transition": {"action": "report"},
}
# Screens only the member opens on their own plan: an officer of the same branch gets 404 there too
# (they are exercised with the member's account in lamtheo/commitments/tests/test_views.py).
OWNER_ONLY = {"commitments:plan-item-create", "commitments:plan-assess", "commitments:item-update",
              "commitments:item-delete"}  # fmt: skip

# Routes that are not screens of a record (language switch, logout, login): no scope to sweep.
NOT_SCREENS = {"set_language", "logout", "login", "core:healthz", "api:api-root"}


def _xlsx_text(data: bytes) -> str:
    """Every cell of a downloaded workbook, opened back with openpyxl."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None
    )


def _model_for(name: str) -> type | None:
    for pattern, model in PARAM_MODELS.items():
        if fnmatch.fnmatch(name, pattern):
            return model
    raise AssertionError(f"Route {name!r} has a parameter but no entry in PARAM_MODELS: add one.")


def _jobs(branch):  # type: ignore[no-untyped-def]
    with activate(Scope.everything(reason="test")):
        imp = ImportJob.objects.create(
            kind="people",
            organization=branch.committee,
            created_by=branch.officer_user,
            file_name="x.xlsx",
            file_sha256="0" * 64,
            status="previewed",
        )
        exp = ExportJob.objects.create(
            kind="people", organization=branch.committee, created_by=branch.officer_user
        )
    return imp, exp


def _plan(branch):  # type: ignore[no-untyped-def]
    import datetime as dt

    with activate(Scope.everything(reason="test")):
        plan = Plan.objects.create(
            organization=branch.committee, title=f"Kế hoạch {branch.committee.code}", period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31), created_by=branch.officer_user,
        )  # fmt: skip
        task = Task.objects.create(
            plan=plan, title=f"Nhiệm vụ {branch.committee.code}", responsible=branch.cell,
            start=dt.date(2026, 1, 1), due=dt.date(2026, 6, 30),
        )  # fmt: skip
        ProgressReport.objects.create(
            task=task, reported_on=dt.date(2026, 2, 1), percent_done=10, narrative=f"Báo cáo {branch.committee.code}",
            created_by=branch.officer_user,
        )  # fmt: skip
    return plan, task


def _commitments(branch):  # type: ignore[no-untyped-def]
    """A head's draft plan with an item, a residence comment and a shortcoming to remedy."""
    from lamtheo.core.actor import Actor
    from lamtheo.remediation.models import RemediationItem
    from lamtheo.rulebook.models import CommitmentTemplate
    from lamtheo.rulebook.services import rulebook_load

    with activate(Scope.everything(reason="test")):
        rulebook_load(actor=Actor.system(reason="test"))  # the evaluation schemes of the year
        template, _ = CommitmentTemplate.objects.get_or_create(
            code="sweep", defaults={"name": "t", "title": "t {year}", "year_from": 2020, "for_heads": True,
                                    "sections": [{"code": "ideology", "title": "Về tư tưởng chính trị"}]},
        )  # fmt: skip
        plan = CommitmentPlan.objects.create(
            person=branch.member, year=2026, cell=branch.cell, template=template, is_head=True
        )
        item = CommitmentItem.objects.create(
            plan=plan, section="ideology", content=f"Cam kết {branch.cell.code}"
        )
        comment = ResidenceComment.objects.create(plan=plan, residence=branch.cell, status="requested")
        remedy = RemediationItem.objects.create(
            organization=branch.cell, person=branch.member, source="evaluation", year=2026,
            description=f"Hạn chế {branch.cell.code}", due_date=dt.date(2027, 1, 1),
        )  # fmt: skip
    return plan, item, comment, remedy


def _oversight(branch):  # type: ignore[no-untyped-def]
    """A case on the cell with a document, a programme, a disciplinary measure and a Front supervision."""
    with activate(Scope.everything(reason="test")):
        case = Case.objects.create(
            organization=branch.committee, year=2026, kind="inspection", mode="thematic",
            title=f"Kiểm tra {branch.committee.code}", subject_organization=branch.cell, step="self_report",
        )  # fmt: skip
        doc = CaseDocument.objects.create(case=case, step="decision", number=1, doc_type="QĐ", issuer="ĐU",
                                          issued_on=dt.date(2026, 3, 1))  # fmt: skip
        programme = Programme.objects.create(organization=branch.committee, year=2026,
                                             title=f"Chương trình {branch.committee.code}")  # fmt: skip
        measure = DisciplinaryMeasure.objects.create(
            organization=branch.committee, person=branch.member, measure="reprimand", number=1, issuer="UBKT",
            decided_on=dt.date(2026, 3, 1), effective_from=dt.date(2026, 3, 1), violation="Vi phạm",
        )  # fmt: skip
        supervision = Supervision.objects.create(
            organization=branch.committee, year=2026, subject_person=branch.member,
            topic=f"Giám sát {branch.committee.code}", opened_on=dt.date(2026, 3, 1),
        )  # fmt: skip
    return {Case: [case], CaseDocument: [doc], Programme: [programme], DisciplinaryMeasure: [measure],
            Supervision: [supervision]}  # fmt: skip


def _feedback(branch):  # type: ignore[no-untyped-def]
    """A citizen's report in the branch's area, held by its People's Committee, with a photo."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from lamtheo.feedback.models import Area, Category

    now = timezone.now()
    with activate(Scope.everything(reason="test")):
        category, _ = Category.objects.get_or_create(code="moi-truong", defaults={"name": "Môi trường"})
        area = Area.objects.create(code=f"area-{branch.committee.code}", name=f"Địa bàn {branch.committee.code[-1]}",
                                   organization=branch.committee)  # fmt: skip
        report = Report.objects.create(
            code=f"{branch.committee.code[-1]}AAA-AAAA", category=category, area=area, organization=branch.agency,
            description=f"Phản ánh {branch.committee.code}", reporter_phone="0900000000", received_at=now,
            accept_due=now + dt.timedelta(days=1), resolve_due=now + dt.timedelta(days=5),
        )  # fmt: skip
        photo = ReportPhoto(report=report, kind="citizen")
        photo.file.save("x.jpg", ContentFile(b"\xff\xd8 not decoded here"), save=True)
    return {Report: [report], ReportPhoto: [photo]}


def _planner(world):  # type: ignore[no-untyped-def]
    """Officer A also plans for ward A, inspects and supervises there (so that the planning and oversight
    screens answer on A's own records)."""
    from lamtheo.organizations.models import Role, RoleGrant

    with activate(Scope.everything(reason="test")):
        for code in ("propaganda_officer", "inspection_officer", "front_officer", "feedback_handler"):
            RoleGrant.objects.get_or_create(
                user=world.a.officer_user, role=Role.objects.get(code=code), organization=world.a.committee
            )


def _b_records(world) -> dict[type, list]:  # type: ignore[no-untyped-def]
    b = world.b
    imp, exp = _jobs(b)
    plan, task = _plan(b)
    cplan, citem, comment, remedy = _commitments(b)
    return {
        CommitmentPlan: [cplan],
        CommitmentItem: [citem],
        ResidenceComment: [comment],
        RemediationItem: [remedy],
        Organization: [b.committee, b.cell, b.agency],
        Person: [b.member, b.staff],
        ImportJob: [imp],
        ExportJob: [exp],
        Plan: [plan],
        Task: [task],
        ProgressReport: list(ProgressReport.objects.unscoped(reason="test").filter(task=task)),
        **_oversight(b),
        **_feedback(b),
    }


def _b_markers(world) -> list[str]:  # type: ignore[no-untyped-def]
    b = world.b
    return [
        b.committee.name,
        b.cell.name,
        b.agency.name,
        b.cell.code,
        b.agency.code,
        b.member.full_name,
        b.staff.full_name,
        b.member.code,
        b.staff.code,
        f"Kế hoạch {b.committee.code}",
        f"Nhiệm vụ {b.committee.code}",
        f"Cam kết {b.cell.code}",
        f"Hạn chế {b.cell.code}",
        f"Kiểm tra {b.committee.code}",
        f"Chương trình {b.committee.code}",
        f"Giám sát {b.committee.code}",
        f"Phản ánh {b.committee.code}",
        "BAAA-AAAA",
    ]


@pytest.mark.django_db
def test_every_parameterised_route_answers_404_for_the_sibling_branch(client, world):  # type: ignore[no-untyped-def]
    _planner(world)
    client.force_login(world.a.officer_user)
    records = _b_records(world)
    checked = 0
    for route in all_routes():
        if not route.params or route.name in NOT_SCREENS:
            continue
        model = _model_for(route.name)
        if model is None:
            continue
        for obj in records[model]:
            url = route.url_for(obj, **EXTRA_PARAMS.get(route.name, {}))
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in (404, 405), (
                    f"{method.upper()} {url} ({route.name}) leaked: {response.status_code}"
                )
                checked += 1
    assert checked >= 40, "the sweep should have exercised every detail, edit and API route"


@pytest.mark.django_db
def test_same_routes_work_for_own_branch(client, world):  # type: ignore[no-untyped-def]
    """The control: the same routes answer 200 on A's own records, so the 404s above mean something."""
    _planner(world)
    client.force_login(world.a.officer_user)
    imp, exp = _jobs(world.a)
    plan, task = _plan(world.a)
    cplan, citem, comment, remedy = _commitments(world.a)
    own = {
        CommitmentPlan: [cplan], CommitmentItem: [citem], ResidenceComment: [comment], RemediationItem: [remedy],
        Organization: [world.a.cell], Person: [world.a.member], ImportJob: [imp], ExportJob: [exp], Plan: [plan],
        Task: [task],
        ProgressReport: list(ProgressReport.objects.unscoped(reason="test").filter(task=task)),
        **_oversight(world.a),
        **_feedback(world.a),
    }  # fmt: skip
    for route in all_routes():
        if not route.params or route.name in NOT_SCREENS:
            continue
        model = _model_for(route.name)
        if model is None:
            continue
        for obj in own[model]:
            response = client.get(route.url_for(obj, **EXTRA_PARAMS.get(route.name, {})))
            if response.status_code == 405 and route.name in OWNER_ONLY:
                assert client.post(route.url_for(obj, **EXTRA_PARAMS.get(route.name, {}))).status_code == 404
                continue
            if response.status_code == 405:  # a POST-only action: it must find the record
                response = client.post(route.url_for(obj, **EXTRA_PARAMS.get(route.name, {})))
                assert response.status_code in (200, 302, 400), (  # 400: found, but the action refused
                    f"POST {route.name} on own record gave {response.status_code}"
                )
                continue
            no_file = {
                "roster:export-download", "planning:report-evidence", "commitments:item-evidence",
                "commitments:plan-paper-form", "oversight:document-download", "remediation:item-evidence",
            }  # fmt: skip
            expected = 404 if route.name in no_file | OWNER_ONLY else 200
            assert response.status_code == expected, f"{route.name} on own record gave {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?q=nguyen", "?q=phuong", "?q=B", "?closed=1&include_closed=true"])
def test_lists_searches_and_exports_never_show_the_sibling_branch(
    client, world, query, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    _planner(world)
    client.force_login(world.a.officer_user)
    _b_records(world)  # the lists have B's records to leak, not only B's people and units
    markers = _b_markers(world)
    seen_own = False
    for route in all_routes():
        if route.params or route.name in NOT_SCREENS:
            continue
        response = client.get(route.url() + query)
        if response.status_code == 405:  # an action that produces a list (the .xlsx exports): run it
            texts = []
            for kind in ("people", "organizations"):
                data = {"kind": kind, **dict(QueryDict(query.lstrip("?")).items())}
                with django_capture_on_commit_callbacks(execute=True):
                    job_page = client.post(route.url(), data, follow=True)
                download = job_page.context["job"].public_id
                response = client.get(f"/roster/exports/{download}/download/")
                assert response.status_code == 200, f"{route.name} ({kind}) gave {response.status_code}"
                texts.append(_xlsx_text(b"".join(response.streaming_content)))
            text = "\n".join(texts)
        else:
            assert response.status_code == 200, f"{route.name} gave {response.status_code}"
            body = b"".join(response.streaming_content) if response.streaming else response.content
            is_xlsx = "spreadsheetml" in response.get("Content-Type", "")
            text = _xlsx_text(body) if is_xlsx else body.decode("utf-8")
        # CSRF tokens are long random strings that may contain a short code like "PB1" by chance.
        text = re.sub(r"[A-Za-z0-9]{32,}", "", text)
        for marker in markers:
            assert marker not in text, f"{route.name}{query} shows {marker!r} from the sibling branch"
        seen_own = seen_own or world.a.member.full_name in text
    if query in ("", "?q=nguyen"):
        assert seen_own, "some list should show branch A's own member (otherwise the sweep proves nothing)"


@pytest.mark.django_db
def test_people_search_is_scoped(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.a.secretary_user)
    response = client.get("/people/", {"q": "nguyen van duc"})
    assert world.a.member.full_name in response.content.decode()
    assert world.b.member.full_name not in response.content.decode()
