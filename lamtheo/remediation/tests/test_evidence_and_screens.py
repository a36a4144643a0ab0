"""The evidence of a remedy (required for what inspections and the Front find; types and size), its download,
and the screens: detail with extensions and the forms each side may use, the list's filters, the 404 for
another branch, and bounded query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import actor_of
from lamtheo.core.errors import DomainError
from lamtheo.core.scoping import Scope, activate
from lamtheo.organizations.tests.factories import PersonFactory, UserFactory
from lamtheo.remediation import services
from lamtheo.remediation.models import EVIDENCE_MAX_BYTES, RemediationItem, Severity, Source, Status

from .factories import ExtensionFactory, InspectionItemFactory, RemediationItemFactory, oversight_rules

pytestmark = pytest.mark.django_db

D = dt.date
ALL = Scope.everything(reason="test: the rows as stored")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def _file(name: str = "bien-ban-khac-phuc.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _mid_may():  # type: ignore[no-untyped-def]
    """Today is 15/05/2026: extensions granted on these pages end after it."""
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 5, 15)):
        yield


@pytest.fixture
def found(world):  # type: ignore[no-untyped-def]
    """A shortcoming ward A's inspection found in cell A1, for the cell to remedy."""
    return InspectionItemFactory(organization=world.a.committee, owner_organization=world.a.cell)


@pytest.fixture
def cell_secretary(world):  # type: ignore[no-untyped-def]
    """The secretary of cell A1 (a role on the cell only)."""
    return UserFactory(person=PersonFactory(party_cell=world.a.cell), roles=[("secretary", world.a.cell)])


def _stored(item: RemediationItem) -> tuple:  # type: ignore[type-arg]
    with activate(ALL):
        fresh = RemediationItem.objects.get(pk=item.pk)
        return (
            fresh.status,
            fresh.report_note,
            fresh.evidence.name,
            RemediationItem.history.filter(id=item.pk).count(),
        )


# ------------------------------------------------------------------------------------------- services


@pytest.mark.parametrize("source", [Source.INSPECTION, Source.FRONT])
def test_a_finding_is_not_reported_without_its_evidence(world, cell_secretary, source):
    item = InspectionItemFactory(
        organization=world.a.committee, owner_organization=world.a.cell, source=source
    )
    assert item.evidence_required
    before = _stored(item)
    with pytest.raises(
        DomainError, match=r"Attach the evidence of the remedy \(a scan, a photo or a document\)"
    ):
        services.remediation_report(actor=actor_of(cell_secretary), item=item, note="Đã khắc phục")
    assert _stored(item) == before


def test_a_finding_is_reported_with_a_small_real_file(world, found, cell_secretary, settings):
    reported = services.remediation_report(
        actor=actor_of(cell_secretary), item=found, note="Đã sửa chữa", evidence=_file()
    )
    today = dt.date.today()
    assert reported.status == Status.REPORTED and reported.reported_by_id == cell_secretary.pk
    assert reported.evidence.name.startswith(f"remediation/evidence/{today:%Y}/{today:%m}/bien-ban-khac-phuc")
    with reported.evidence.open("rb") as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ghi-chu.exe", PDF, "one of these types: PDF, JPG, JPEG, PNG, DOCX, XLSX, ODT"),
        ("trang.html", b"<html></html>", "one of these types"),
        ("khong-duoi", PDF, "one of these types"),
        ("rong.pdf", b"", "is empty"),
        ("qua-lon.pdf", b"0" * (EVIDENCE_MAX_BYTES + 1), "larger than 10 MB"),
    ],
)
def test_evidence_of_another_type_or_too_large_is_refused(
    world, found, cell_secretary, name, content, message
):  # type: ignore[no-untyped-def]
    before = _stored(found)
    with pytest.raises(DomainError, match=message) as refused:
        services.remediation_report(
            actor=actor_of(cell_secretary), item=found, note="Đã sửa", evidence=_file(name, content)
        )
    assert refused.value.field == "evidence"
    assert _stored(found) == before


@pytest.mark.parametrize(
    "name", ["anh.JPG", "anh.jpeg", "anh.png", "bao-cao.docx", "bang.xlsx", "van-ban.odt"]
)
def test_every_accepted_type(world, cell_secretary, name):  # type: ignore[no-untyped-def]
    item = InspectionItemFactory(organization=world.a.committee, owner_organization=world.a.cell)
    reported = services.remediation_report(
        actor=actor_of(cell_secretary), item=item, note="Đã sửa", evidence=_file(name, b"x" * 100)
    )
    assert reported.evidence


def test_an_evaluations_shortcoming_needs_no_file(world):  # type: ignore[no-untyped-def]
    item = RemediationItemFactory(
        organization=world.a.cell, person=world.a.member, owner=world.a.member, source=Source.EVALUATION
    )
    assert not item.evidence_required
    reported = services.remediation_report(actor=actor_of(world.a.secretary_user), item=item, note="Đã sửa")
    assert reported.status == Status.REPORTED and not reported.evidence


def test_an_extended_item_is_reported_too(world, found, cell_secretary):  # type: ignore[no-untyped-def]
    oversight_rules()
    services.remediation_extend(
        actor=actor_of(world.a.officer_user), item=found, until=D(2026, 9, 30), reason="Chờ kinh phí"
    )
    reported = services.remediation_report(
        actor=actor_of(cell_secretary), item=found, note="Đã sửa", evidence=_file()
    )
    assert reported.status == Status.REPORTED


def test_a_finding_without_evidence_is_not_verified(world):  # type: ignore[no-untyped-def]
    item = InspectionItemFactory(
        organization=world.a.committee, owner_organization=world.a.cell, status=Status.REPORTED,
        report_note="Đã sửa",
    )  # fmt: skip
    before = _stored(item)
    with pytest.raises(DomainError, match="no evidence attached"):
        services.remediation_verify(actor=actor_of(world.a.officer_user), item=item)
    assert _stored(item) == before


def test_raise_takes_the_unit_and_the_severity(world, as_actor):  # type: ignore[no-untyped-def]
    with as_actor(world.a.officer_user) as actor:
        item = services.remediation_raise(
            actor=actor, organization=world.a.committee, source=Source.INSPECTION, description="Chưa họp",
            due_date=D(2026, 9, 30), year=2026, owner_organization=world.a.cell, severity=Severity.VIOLATION,
        )  # fmt: skip
        assert (item.owner_organization, item.severity, item.owner) == (world.a.cell, "violation", None)
        with pytest.raises(DomainError, match="shortcoming or a violation"):
            services.remediation_raise(
                actor=actor, organization=world.a.committee, source=Source.INSPECTION, description="x",
                due_date=D(2026, 9, 30), year=2026, severity="minor",
            )  # fmt: skip
        with pytest.raises(DomainError, match="Unknown organization"):
            services.remediation_raise(
                actor=actor, organization=world.a.committee, source=Source.INSPECTION, description="x",
                due_date=D(2026, 9, 30), year=2026, owner_organization=world.b.cell,
            )  # fmt: skip


# -------------------------------------------------------------------------------------------- screens


def test_the_cell_secretary_reports_with_a_file_on_the_page_and_downloads_it(
    client, world, found, cell_secretary
):  # type: ignore[no-untyped-def]
    client.force_login(cell_secretary)
    page = client.get(f"/remediation/{found.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and page.context["can_report"] and not page.context["can_extend"]
    assert 'enctype="multipart/form-data"' in html and f"/remediation/{found.pk}/report/" in html
    assert f"/remediation/{found.pk}/extend/" not in html and world.a.cell.name in html
    refused = client.post(f"/remediation/{found.pk}/report/", {"note": "Đã sửa"})
    assert refused.status_code == 400 and "evidence" in refused.context["report_form"].errors
    assert (
        client.post(f"/remediation/{found.pk}/report/", {"note": "Đã sửa", "evidence": _file()}).status_code
        == 302
    )
    download = client.get(f"/remediation/{found.pk}/evidence/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert f"/remediation/{found.pk}/evidence/" in client.get(f"/remediation/{found.pk}/").content.decode()


def test_the_inspecting_side_extends_on_the_page_and_sees_the_history(client, world, found):
    oversight_rules()
    client.force_login(world.a.officer_user)
    page = client.get(f"/remediation/{found.pk}/")
    assert page.context["can_extend"] and f"/remediation/{found.pk}/extend/" in page.content.decode()
    bad = client.post(f"/remediation/{found.pk}/extend/", {"until": "30/06/2026", "reason": "Chờ kinh phí"})
    assert bad.status_code == 400 and "until" in bad.context["extend_form"].errors
    no_reason = client.post(f"/remediation/{found.pk}/extend/", {"until": "31/08/2026", "reason": ""})
    assert no_reason.status_code == 400 and "reason" in no_reason.context["extend_form"].errors
    ok = client.post(
        f"/remediation/{found.pk}/extend/", {"until": "31/08/2026", "reason": "Chờ kinh phí sửa"}
    )
    assert ok.status_code == 302
    html = client.get(f"/remediation/{found.pk}/").content.decode()
    assert "31/08/2026" in html and "30/06/2026" in html and "Chờ kinh phí sửa" in html
    assert world.a.officer_user.username in html  # granted by (an account without a person: its name)
    with activate(ALL):
        assert RemediationItem.objects.get(pk=found.pk).status == Status.EXTENDED


def test_another_branch_gets_404_on_the_detail_the_actions_and_the_evidence(
    client, world, found, cell_secretary
):  # type: ignore[no-untyped-def]
    services.remediation_report(actor=actor_of(cell_secretary), item=found, note="Đã sửa", evidence=_file())
    for user in (world.b.officer_user, world.b.secretary_user):
        client.force_login(user)
        assert client.get(f"/remediation/{found.pk}/").status_code == 404
        assert client.get(f"/remediation/{found.pk}/evidence/").status_code == 404
        for action in ("report", "extend", "verify", "reopen"):
            assert client.post(f"/remediation/{found.pk}/{action}/", {"note": "x"}).status_code == 404
    client.force_login(world.a.officer_user)
    assert client.get(f"/remediation/{found.pk}/evidence/").status_code == 200


def test_no_file_no_download(client, world, found):  # type: ignore[no-untyped-def]
    client.force_login(world.a.officer_user)
    assert client.get(f"/remediation/{found.pk}/evidence/").status_code == 404


def test_the_list_filters_by_severity_and_escalation_and_shows_the_due_date_in_force(client, world):
    violation = InspectionItemFactory(
        organization=world.a.cell, severity=Severity.VIOLATION, description="Vi phạm quy chế"
    )
    escalated = InspectionItemFactory(
        organization=world.a.cell,
        description="Chậm khắc phục",
        escalated_at=dt.datetime(2026, 7, 10, tzinfo=dt.UTC),
    )
    extended = InspectionItemFactory(
        organization=world.a.cell, description="Được gia hạn", status=Status.EXTENDED,
        extended_until=D(2026, 12, 31), extension_count=1,
    )  # fmt: skip
    client.force_login(world.a.officer_user)

    def listed(query: str) -> list[int]:
        return [i.pk for i in client.get(f"/remediation/{query}").context["page"].object_list]

    assert listed("?severity=violation") == [violation.pk]
    assert listed("?escalated=1") == [escalated.pk]
    assert set(listed("?severity=bogus")) == {violation.pk, escalated.pk, extended.pk}
    assert listed("?status=extended") == [extended.pk]
    html = client.get("/remediation/?status=extended").content.decode()
    assert "31/12/2026" in html and "30/06/2026" not in html


def test_list_and_detail_query_counts_stay_bounded(client, world, django_assert_max_num_queries):
    for n in range(30):
        item = InspectionItemFactory(
            organization=world.a.cell, owner_organization=world.a.cell, person=world.a.staff,
            description=f"Hạn chế {n}",
        )  # fmt: skip
    for _n in range(3):
        ExtensionFactory(item=item, granted_by=world.a.officer_user)
    client.force_login(world.a.officer_user)
    with django_assert_max_num_queries(12):
        assert client.get("/remediation/?status=").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/remediation/{item.pk}/").status_code == 200
