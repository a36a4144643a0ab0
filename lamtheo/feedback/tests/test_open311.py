"""Open311 GeoReport v2 at /open311/v2/: the six methods and discovery in JSON and XML, the spec's error
format, no report written on a refusal, no personal data out; a third-party client (`georeport`) on a live
server."""

from __future__ import annotations

import datetime as dt
import io
import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import SYSTEM, acting_as
from lamtheo.feedback import services
from lamtheo.feedback.models import ApiClient, Area, Channel, Photo, PhotoKind, Report, Status
from lamtheo.feedback.open311 import JURISDICTION
from lamtheo.organizations.tests.factories import OrganizationFactory

PERSONAL = {"name": "Nguyễn Thị Hoa", "email": "hoa.nguyen@example.vn", "phone": "0912345678"}


@dataclass
class Setup:
    area: Area
    client: ApiClient
    key: str


def _setup() -> Setup:
    """Reference data (feedback rules, categories), one ward, one API client."""
    with acting_as(SYSTEM):
        call_command("load_reference_data", stdout=io.StringIO())
        unit = OrganizationFactory(agency=True, name="UBND phường Long Biên")
        area = Area.objects.create(code="long-bien", name="Phường Long Biên", organization=unit)
    api_client, key = services.api_client_create(name="iHanoi test app")
    return Setup(area, api_client, key)


@pytest.fixture
def world311(db) -> Setup:  # type: ignore[no-untyped-def]
    return _setup()


def url(name: str, fmt: str = "json", **kwargs: str) -> str:
    return reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})


def report_count() -> int:
    with acting_as(SYSTEM):
        return Report.objects.count()


def the_report(request_id: str) -> Report:
    """The report behind an Open311 service_request_id (the report's public number)."""
    with acting_as(SYSTEM):
        return Report.objects.select_related("category", "area", "api_client").get(pk=int(request_id))


def post(client: Client, fmt: str = "json", **data: str):  # type: ignore[no-untyped-def]
    return client.post(url("requests", fmt), data)


def valid(key: str, **extra: str) -> dict[str, str]:
    """A complete POST: a pothole in Long Biên with a name, phone and e-mail."""
    return {
        "api_key": key, "jurisdiction_id": JURISDICTION, "service_code": "ha-tang", "lat": "21.0455",
        "long": "105.8889", "address_string": "Số 5 phố Ngọc Lâm, Long Biên",
        "description": "Ổ gà lớn giữa đường", "first_name": "Thị Hoa", "last_name": "Nguyễn",
        "phone": PERSONAL["phone"], "email": PERSONAL["email"],
        "media_url": "http://example.com/photo.jpg", "device_id": "d1", "account_id": "a1", **extra,
    }  # fmt: skip


def errors_json(response) -> list[dict]:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    assert isinstance(body, list) and len(body) == 1 and set(body[0]) == {"code", "description"}
    assert body[0]["code"] == response.status_code and body[0]["description"]
    return body


def errors_xml(response) -> ET.Element:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and [e.tag for e in root] == ["error"]
    assert root.findtext("error/code") == str(response.status_code) and root.findtext("error/description")
    return root


def xml(response) -> ET.Element:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


# Discovery and services -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_discovery_in_json_and_xml(client):  # type: ignore[no-untyped-def]
    response = client.get(url("discovery"))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    (endpoint,) = body["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2", "url": "http://testserver/open311/v2/",
        "changeset": body["changeset"], "type": "production", "formats": ["text/xml", "application/json"],
    }  # fmt: skip

    root = xml(client.get(url("discovery", "xml")))
    assert root.tag == "discovery" and root.findtext("changeset") == body["changeset"]
    assert root.findtext("endpoints/endpoint/url") == "http://testserver/open311/v2/"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_list_the_seeded_categories(client, world311):  # type: ignore[no-untyped-def]
    body = client.get(url("services")).json()
    by_code = {s["service_code"]: s for s in body}
    assert {"moi-truong", "ha-tang", "an-ninh-trat-tu", "khac"} <= set(by_code)
    assert by_code["moi-truong"] == {
        "service_code": "moi-truong", "service_name": "Vệ sinh môi trường, rác thải",
        "description": "Rác thải tồn đọng, nước thải, khói bụi, mùi hôi, ô nhiễm.", "metadata": True,
        "type": "realtime", "keywords": "rác, nước thải, mùi hôi, khói bụi", "group": "Môi trường",
    }  # fmt: skip
    assert by_code["ha-tang"]["metadata"] is False  # no questions, and a single ward to choose from

    root = xml(client.get(url("services", "xml")))
    assert root.tag == "services" and {e.tag for e in root} == {"service"}
    service = next(s for s in root if s.findtext("service_code") == "moi-truong")
    assert service.findtext("service_name") == "Vệ sinh môi trường, rác thải"
    assert service.findtext("metadata") == "true" and service.findtext("type") == "realtime"


def test_service_definition_of_a_category_with_questions(client, world311):  # type: ignore[no-untyped-def]
    body = client.get(url("service-definition", code="moi-truong")).json()
    assert body["service_code"] == "moi-truong"
    (kind,) = body["attributes"]
    assert kind == {
        "variable": True, "code": "kind", "datatype": "singlevaluelist", "required": False,
        "datatype_description": None, "order": 1, "description": "Loại ô nhiễm",
        "values": [{"key": "rac", "name": "Rác thải"}, {"key": "nuoc", "name": "Nước thải"},
                   {"key": "khoi", "name": "Khói bụi"}, {"key": "mui", "name": "Mùi hôi"}],
    }  # fmt: skip

    root = xml(client.get(url("service-definition", "xml", code="moi-truong")))
    assert root.tag == "service_definition" and root.findtext("service_code") == "moi-truong"
    assert root.findtext("attributes/attribute/code") == "kind"
    assert root.findtext("attributes/attribute/variable") == "true"
    assert [v.findtext("key") for v in root.findall("attributes/attribute/values/value")] == [
        "rac", "nuoc", "khoi", "mui"
    ]  # fmt: skip

    assert client.get(url("service-definition", code="ha-tang")).json() == {
        "service_code": "ha-tang",
        "attributes": [],
    }


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_definition_is_404(client, world311, fmt):  # type: ignore[no-untyped-def]
    response = client.get(url("service-definition", fmt, code="no-such-service"))
    assert response.status_code == 404
    (errors_json if fmt == "json" else errors_xml)(response)


# Posting a request ------------------------------------------------------------------------------------------


def test_a_client_posts_a_request_and_reads_it_back(world311):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)  # API clients have no CSRF token
    response = post(
        client, **valid(world311.key, **{"attribute[kind]": "ignored: not a question of ha-tang"})
    )
    assert response.status_code == 200, response.content
    assert "Access-Control-Allow-Origin" not in response
    (created,) = response.json()
    assert (
        set(created) == {"service_request_id", "token", "service_notice", "account_id"}
        and created["account_id"] is None
    )
    assert "media_url" in created["service_notice"]  # photos over Open311 are refused, and the client is told

    report = the_report(created["service_request_id"])
    assert created["token"] == report.code  # the tracking code comes back once, for the client's user
    assert report.channel == Channel.OPEN311 and report.api_client == world311.client
    assert report.category.code == "ha-tang" and report.area == world311.area
    assert report.description == "Ổ gà lớn giữa đường" and report.address == "Số 5 phố Ngọc Lâm, Long Biên"
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == (
        "Thị Hoa Nguyễn", PERSONAL["phone"], PERSONAL["email"]
    )  # fmt: skip
    assert report.status == Status.RECEIVED and report.attributes == {}

    detail = Client().get(url("request-detail", code=str(report.pk)))
    assert Client().get(url("request-detail", code=report.code)).status_code == 404  # the code is no id
    assert detail.status_code == 200 and detail["Access-Control-Allow-Origin"] == "*"
    (row,) = detail.json()
    assert row["service_request_id"] == str(report.pk) and row["status"] == "open"
    assert report.code not in detail.content.decode()  # the citizen's key is never published
    assert row["service_code"] == "ha-tang" and row["service_name"] == report.category.name
    assert (
        row["description"] == "Ổ gà lớn giữa đường" and row["agency_responsible"] == "UBND phường Long Biên"
    )
    assert row["lat"] == 21.0455 and row["long"] == 105.8889 and row["media_url"] is None
    assert row["requested_datetime"] == timezone.localtime(report.received_at).isoformat(timespec="seconds")
    assert row["requested_datetime"].endswith("+07:00") and row["expected_datetime"].endswith("+07:00")
    assert row["updated_datetime"] == row["requested_datetime"]
    assert (row["address_id"], row["zipcode"]) == ("", "")
    for secret in (*PERSONAL.values(), "Thị Hoa", "reporter"):
        assert secret not in detail.content.decode()


def test_posting_in_xml_with_a_question_answered(world311):  # type: ignore[no-untyped-def]
    tricky = 'Rác <thải> & "mùi" ]]> a\x01b'  # markup to escape, and a character XML 1.0 cannot carry
    answered = {"attribute[kind]": "rac", "description": tricky}
    response = post(Client(), "xml", **valid(world311.key, service_code="moi-truong", **answered))
    root = xml(response)
    assert root.tag == "service_requests" and [e.tag for e in root] == ["request"]
    code = root.findtext("request/service_request_id")
    assert root.find("request/account_id").text is None  # <account_id/>
    assert the_report(code).attributes == {"kind": "rac"}

    detail = xml(Client().get(url("request-detail", "xml", code=code)))
    assert detail.tag == "service_requests" and detail.findtext("request/status") == "open"
    assert detail.findtext("request/service_code") == "moi-truong"
    assert detail.find("request/media_url").text is None
    assert detail.findtext("request/description") == 'Rác <thải> & "mùi" ]]> ab'
    assert Client().get(url("request-detail", code=code)).json()[0]["description"] == tricky


def test_a_report_by_address_alone_and_anonymous(client, world311):  # type: ignore[no-untyped-def]
    data = {
        k: v
        for k, v in valid(world311.key).items()
        if k not in ("lat", "long", "first_name", "last_name", "phone", "email", "jurisdiction_id")
    }
    response = post(client, **data)
    assert response.status_code == 200, response.content
    report = the_report(response.json()[0]["service_request_id"])
    assert report.latitude is None and report.reporter_name == "" and report.reporter_email == ""


def test_the_ward_extension_when_there_are_several_wards(client, world311):  # type: ignore[no-untyped-def]
    with acting_as(SYSTEM):
        other = Area.objects.create(
            code="ngoc-lam", name="Phường Ngọc Lâm", organization=world311.area.organization
        )
    services_ = {s["service_code"]: s for s in client.get(url("services")).json()}
    assert services_["ha-tang"]["metadata"] is True  # the ward must now be chosen
    (ward,) = client.get(url("service-definition", code="ha-tang")).json()["attributes"]
    assert ward["code"] == "ward" and ward["datatype"] == "singlevaluelist" and ward["required"] is True
    assert {v["key"] for v in ward["values"]} == {"long-bien", "ngoc-lam"}
    kind, ward = client.get(url("service-definition", code="moi-truong")).json()["attributes"]
    assert (kind["order"], ward["order"]) == (1, 2)

    missing = post(client, **valid(world311.key))
    assert missing.status_code == 400 and "ward" in errors_json(missing)[0]["description"]
    unknown = post(client, **valid(world311.key, ward="no-such-ward"))
    assert unknown.status_code == 400 and errors_json(unknown)
    assert report_count() == 0

    by_param = post(client, **valid(world311.key, ward="ngoc-lam"))
    by_attribute = post(client, **valid(world311.key, **{"attribute[ward]": "long-bien"}))
    assert the_report(by_param.json()[0]["service_request_id"]).area == other
    assert the_report(by_attribute.json()[0]["service_request_id"]).area == world311.area


def _revoked(setup: Setup) -> str:
    ApiClient.objects.filter(pk=setup.client.pk).update(revoked_at=timezone.now())
    return setup.key


REFUSALS = {
    # name: (status, how the valid POST is changed)
    "missing api_key": (403, lambda s, d: d.pop("api_key")),
    "wrong api_key": (403, lambda s, d: d.update(api_key="not-a-key")),
    "revoked api_key": (403, lambda s, d: d.update(api_key=_revoked(s))),
    "other jurisdiction": (404, lambda s, d: d.update(jurisdiction_id="sfgov.org")),
    "missing service_code": (400, lambda s, d: d.pop("service_code")),
    "unknown service_code": (400, lambda s, d: d.update(service_code="no-such-service")),
    "missing description": (400, lambda s, d: d.pop("description")),
    "blank description": (400, lambda s, d: d.update(description="   ")),
    "outside Viet Nam": (400, lambda s, d: d.update(lat="48.85", long="2.35")),
    "lat without long": (400, lambda s, d: d.pop("long")),
    "no location": (400, lambda s, d: [d.pop(k) for k in ("lat", "long", "address_string")]),
    "answer not in the list": (
        400,
        lambda s, d: d.update(service_code="moi-truong", **{"attribute[kind]": "x"}),
    ),
    "bad e-mail": (400, lambda s, d: d.update(email="not an address")),
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("case", REFUSALS)
def test_a_refused_post_writes_nothing(client, world311, case, fmt):  # type: ignore[no-untyped-def]
    """Each refusal answers in the spec's error format, and no report is written."""
    status, change = REFUSALS[case]
    data = valid(world311.key)
    change(world311, data)
    response = post(client, fmt, **data)
    assert response.status_code == status, response.content
    (errors_json if fmt == "json" else errors_xml)(response)
    assert report_count() == 0


def test_get_is_the_only_other_method(client, world311):  # type: ignore[no-untyped-def]
    response = client.post(url("services"), {"api_key": world311.key})
    assert response.status_code == 405 and "GET" in response["Allow"]
    errors_json(response)
    assert client.delete(url("requests")).status_code == 405


# Reading requests -------------------------------------------------------------------------------------------


def _three_reports(client: Client, key: str) -> tuple[str, str, str]:
    """A pothole (open), a pollution report (rejected), a second pothole (resolved with an evidence photo)."""
    codes = []
    for i, category in enumerate(("ha-tang", "moi-truong", "ha-tang")):
        response = post(client, **valid(key, service_code=category, description=f"Việc {i}"))
        codes.append(response.json()[0]["service_request_id"])
    now = timezone.now()
    with acting_as(SYSTEM):
        Report.objects.filter(pk=int(codes[1])).update(
            status=Status.REJECTED, rejection_reason="Nội dung là tranh chấp dân sự.", closed_at=now
        )
        Report.objects.filter(pk=int(codes[2])).update(status=Status.RESOLVED, resolved_at=now,
                                                    public_response="Đã vá ổ gà.")  # fmt: skip
        photo = Photo(report=the_report(codes[2]), kind=PhotoKind.EVIDENCE)
        data = io.BytesIO()
        Image.new("RGB", (4, 4), (200, 10, 10)).save(data, "JPEG")
        photo.file.save("evidence.jpg", ContentFile(data.getvalue()), save=False)
        photo.save()
    return codes[0], codes[1], codes[2]


def _codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in response.json()]


def test_the_list_of_requests_and_its_filters(client, world311):  # type: ignore[no-untyped-def]
    pothole, rejected, fixed = _three_reports(client, world311.key)
    everything = client.get(url("requests"))
    assert everything["Access-Control-Allow-Origin"] == "*"
    assert _codes(everything) == [fixed, rejected, pothole]  # newest first
    rows = {r["service_request_id"]: r for r in everything.json()}
    assert [rows[c]["status"] for c in (pothole, rejected, fixed)] == ["open", "closed", "closed"]
    assert rows[rejected]["status_notes"].endswith(": Nội dung là tranh chấp dân sự.")
    assert rows[fixed]["status_notes"].endswith(": Đã vá ổ gà.") and rows[fixed]["service_notice"] == ""
    assert rows[fixed]["updated_datetime"] >= rows[fixed]["requested_datetime"]
    assert rows[pothole]["service_notice"] and rows[pothole]["media_url"] is None
    with acting_as(SYSTEM):
        photo = Photo.objects.get(report_id=int(fixed))
    assert rows[fixed]["media_url"] == f"http://testserver/reports/evidence/{photo.pk}/"
    assert client.get(rows[fixed]["media_url"])["Content-Type"] == "image/jpeg"
    for secret in PERSONAL.values():
        assert secret not in everything.content.decode()

    assert _codes(client.get(url("requests"), {"service_code": "ha-tang"})) == [fixed, pothole]
    assert _codes(client.get(url("requests"), {"service_code": "moi-truong,khac"})) == [rejected]
    assert _codes(client.get(url("requests"), {"status": "open"})) == [pothole]
    assert _codes(client.get(url("requests"), {"status": "closed"})) == [fixed, rejected]
    assert _codes(client.get(url("requests"), {"status": "open,closed"})) == [fixed, rejected, pothole]
    assert _codes(client.get(url("requests"), {"status": "closed", "service_code": "ha-tang"})) == [fixed]

    hour = dt.timedelta(hours=1)
    later = (timezone.now() + hour).isoformat()
    earlier = (timezone.now() - hour).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _codes(client.get(url("requests"), {"start_date": later})) == []
    assert _codes(client.get(url("requests"), {"start_date": earlier})) == [fixed, rejected, pothole]
    assert _codes(client.get(url("requests"), {"start_date": earlier, "end_date": later})) == [
        fixed,
        rejected,
        pothole,
    ]
    assert _codes(client.get(url("requests"), {"end_date": earlier})) == []

    # service_request_id overrides every other argument.
    asked = {"service_request_id": f"{pothole},{rejected}", "status": "closed", "start_date": later}
    assert _codes(client.get(url("requests"), asked)) == [rejected, pothole]


def test_the_default_window_is_the_last_90_days(client, world311):  # type: ignore[no-untyped-def]
    old, recent, _fixed = _three_reports(client, world311.key)
    with acting_as(SYSTEM):
        Report.objects.filter(pk=int(old)).update(received_at=timezone.now() - dt.timedelta(days=91))
    assert old not in _codes(client.get(url("requests")))
    assert old in _codes(client.get(url("requests"), {"start_date": "2020-01-01"}))
    assert old in _codes(client.get(url("requests"), {"service_request_id": old}))


def test_the_list_in_xml(client, world311):  # type: ignore[no-untyped-def]
    pothole, rejected, fixed = _three_reports(client, world311.key)
    root = xml(client.get(url("requests", "xml"), {"service_code": "ha-tang"}))
    assert root.tag == "service_requests" and [e.tag for e in root] == ["request", "request"]
    first = root.find("request")
    assert first.findtext("service_request_id") == fixed and first.findtext("status") == "closed"
    assert first.findtext("lat") == "21.0455" and first.findtext("long") == "105.8889"
    assert first.findtext("media_url").startswith("http://testserver/reports/evidence/")
    assert [c.tag for c in first] == [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
        "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
        "address", "address_id", "zipcode", "lat", "long", "media_url",
    ]  # fmt: skip
    assert len(xml(client.get(url("requests", "xml"), {"service_request_id": f"{pothole},{rejected}"}))) == 2


def test_a_duplicate_names_its_original(client, world311):  # type: ignore[no-untyped-def]
    original, duplicate, _fixed = _three_reports(client, world311.key)
    with acting_as(SYSTEM):
        Report.objects.filter(pk=int(duplicate)).update(
            status=Status.DUPLICATE, duplicate_of=the_report(original), rejection_reason=""
        )
    (row,) = client.get(url("request-detail", code=duplicate)).json()
    assert row["status"] == "closed" and row["status_notes"].endswith(f": {original}")


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("requests", {"start_date": "yesterday"}, 400),
        ("requests", {"end_date": "2026-13-45T00:00:00Z"}, 400),
        ("requests", {"start_date": "2026-12-01T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"}, 400),
        ("requests", {"status": "fixed"}, 400),
        ("requests", {"jurisdiction_id": "sfgov.org"}, 404),
        ("services", {"jurisdiction_id": "sfgov.org"}, 404),
    ],
)
def test_bad_query_arguments(client, world311, fmt, path, query, status):  # type: ignore[no-untyped-def]
    response = client.get(url(path, fmt), query)
    assert response.status_code == status
    assert response["Access-Control-Allow-Origin"] == "*"
    (errors_json if fmt == "json" else errors_xml)(response)


def test_unknown_request_token_and_format(client, world311):  # type: ignore[no-untyped-def]
    errors_json(response := client.get(url("request-detail", code="XXXX-XXXX")))
    assert response.status_code == 404
    errors_xml(response := client.get(url("request-detail", "xml", code="XXXX-XXXX")))
    assert response.status_code == 404
    errors_json(response := client.get(url("token", token="XXXX-XXXX")))
    assert response.status_code == 404
    for path in (
        "/open311/v2/services.html",
        "/open311/v2/discovery.csv",
        "/open311/v2/requests/ABCD-EFGH.yaml",
    ):
        response = client.get(path)
        assert response.status_code == 404
        errors_xml(response)  # XML is the format every GeoReport v2 server must speak


def test_the_token_is_the_tracking_code(client, world311):  # type: ignore[no-untyped-def]
    created = post(client, **valid(world311.key)).json()[0]
    number, code = created["service_request_id"], created["token"]
    assert client.get(url("token", token=code)).json() == [{"service_request_id": number, "token": code}]
    root = xml(client.get(url("token", "xml", token=code)))
    assert root.findtext("request/service_request_id") == number and root.findtext("request/token") == code


# Clients over HTTP on a live server: the standard library, and a third-party Open311 client ----------------


def _urlopen(request: str | urllib.request.Request) -> tuple[int, str, bytes]:
    """Status, content type and body of a request, errors included."""
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def _post_with_urllib(base: str, data: dict[str, str], fmt: str = "json") -> tuple[int, str, bytes]:
    """POST form-encoded, as the spec says (`georeport` only reads, so every client posts this way here)."""
    body = urllib.parse.urlencode(data).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    return _urlopen(urllib.request.Request(f"{base}requests.{fmt}", body, headers))


def test_a_standard_library_client_on_a_live_server(live_server):  # type: ignore[no-untyped-def]
    setup = _setup()
    base = f"{live_server.url}/open311/v2/"
    status, _type, body = _urlopen(f"{base}discovery.json")
    assert status == 200 and json.loads(body)["endpoints"][0]["url"] == base

    status, content_type, body = _post_with_urllib(base, valid(setup.key, service_code="moi-truong"), "xml")
    assert (status, content_type) == (200, "text/xml; charset=utf-8")
    code = ET.fromstring(body).findtext("request/service_request_id")
    status, _type, body = _urlopen(f"{base}requests/{code}.json")
    assert status == 200 and json.loads(body)[0]["status"] == "open"
    query = urllib.parse.urlencode({"service_code": "moi-truong", "start_date": "2020-01-01T00:00:00+07:00"})
    status, _type, body = _urlopen(f"{base}requests.xml?{query}")
    assert status == 200 and [r.findtext("service_request_id") for r in ET.fromstring(body)] == [code]

    status, content_type, body = _post_with_urllib(base, valid("not-a-key"))
    assert (status, content_type) == (403, "application/json; charset=utf-8")
    assert json.loads(body)[0]["code"] == 403 and report_count() == 1


def test_the_georeport_client_on_a_live_server(live_server):  # type: ignore[no-untyped-def]
    import georeport  # pinned in the test extras (reads only: it has no POST method)

    setup = _setup()
    base = f"{live_server.url}/open311/v2/"
    status, _type, body = _post_with_urllib(
        base, valid(setup.key, service_code="moi-truong", **{"attribute[kind]": "khoi"})
    )
    assert status == 200, body
    code = json.loads(body)[0]["service_request_id"]

    for fmt in ("json", "xml"):
        reader = georeport.GeoReport(base, jurisdiction=JURISDICTION, output_format=fmt)
        assert "moi-truong" in {s["service_code"] for s in reader.get_service_list()}
        definition = reader.get_service_definition("moi-truong")
        assert definition["service_code"] == "moi-truong"
        one = reader.get_service_request(code)
        assert one["service_request_id"] == code and one["status"] == "open"
        assert one["service_name"] == "Vệ sinh môi trường, rác thải"
        listed = reader.get_service_requests(service_code="moi-truong", status="open")
        listed = listed if isinstance(listed, list) else [listed]  # xmltodict: one <request> is not a list
        assert [r["service_request_id"] for r in listed] == [code]
    assert the_report(code).attributes == {"kind": "khoi"}
