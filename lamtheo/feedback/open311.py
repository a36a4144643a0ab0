"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over citizens' reports, in XML and JSON.

Public, no login: discovery, the services (= report categories) and their definitions, the requests
(= reports, public fields only, never the reporter) and tokens. Posting a request needs the `api_key` of an
active `ApiClient`; the report is created synchronously, exactly like the web form. The `service_request_id`
is the report's public number; the citizen's tracking code (the key to rate, reopen and see the citizen's own
photos) is never listed: it comes back once, as the `token` of the POST, for the client to give its user.

Choices where the spec leaves room:
- `jurisdiction_id` is optional; when given it must be `JURISDICTION`, else 404.
- Extension: every report belongs to a ward (`Area`). The ward is sent as `ward=<code>` or
  `attribute[ward]=<code>` and is published as an extra singlevaluelist attribute `ward` in every service
  definition when more than one ward is active; with a single active ward it may be left out.
- An unknown `service_code` on POST answers 400 ("not found"), like the other invalid parameters; on the
  service definition it answers 404. A refusal of the report itself (DomainError) answers 400 with its
  message.
- `media_url` is ignored on POST (photos are not accepted over Open311); on GET it is the first evidence
  photo.
- GET requests: without `service_request_id`, the window is the last 90 days (or 90 days before `end_date`),
  at most 1000 requests; a wider start_date/end_date range is allowed (the 1000 cap still applies).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from lamtheo.core.errors import DomainError
from lamtheo.core.text import clean

from . import selectors, services
from .models import DONE, OPEN, Area, Category, Channel, PhotoKind, Report, Status

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
JURISDICTION = "lamtheo"
CHANGESET = "2026-12-02 00:00"  # the date this endpoint's behaviour last changed
KEY_SERVICE = "API keys for posting requests are issued by the administrators of this site."
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
WARD = "ward"
WINDOW = dt.timedelta(days=90)
MAX_REQUESTS = 1000
# XML element of each item of a list (the Spark convention: <services><service>…</service></services>).
ITEMS = {"services": "service", "attributes": "attribute", "values": "value", "endpoints": "endpoint",
         "formats": "format", "service_requests": "request", "errors": "error"}  # fmt: skip
STATUSES = {"open": OPEN, "closed": DONE}
_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](?:\[\])?$")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Open311Error(Exception):
    """A refusal in the spec's error format: an HTTP status and a description."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


# Rendering --------------------------------------------------------------------------------------------------


def _element(parent: ET.Element, name: str, value: Any) -> None:
    """`value` as the child `name` of `parent`: lists as repeated items, None as an empty element."""
    node = ET.SubElement(parent, name)
    if isinstance(value, list):
        for item in value:
            _element(node, ITEMS[name], item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _element(node, key, inner)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = _NOT_XML.sub("", str(value))


def _xml(root: str, payload: Any) -> bytes:
    """The payload under `root`, UTF-8 with the XML declaration the spec asks for."""
    element = ET.Element(root)
    if isinstance(payload, list):
        for item in payload:
            _element(element, ITEMS[root], item)
    else:
        for key, value in payload.items():
            _element(element, key, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode").encode()


def _respond(fmt: str, root: str, payload: Any, status: int = 200) -> HttpResponse:
    """The payload as JSON or as XML under `root`."""
    if fmt == "json":
        body = json.dumps(payload, ensure_ascii=False).encode()
    else:
        body = _xml(root, payload)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    """The spec's error list: [{code, description}] (XML when the format itself is unknown)."""
    fmt = fmt if fmt in CONTENT_TYPES else "xml"
    return _respond(fmt, "errors", [{"code": status, "description": description}], status=status)


def _w3c(moment: dt.datetime | None) -> str | None:
    """A W3C datetime in local time with its offset (2026-12-01T09:30:00+07:00)."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# The endpoint wrapper ---------------------------------------------------------------------------------------


def _check(request: HttpRequest, fmt: str, methods: tuple[str, ...]) -> None:
    """Refuse an unknown format (404), another method (405) or another jurisdiction (404)."""
    if fmt not in CONTENT_TYPES:
        raise Open311Error(404, f"Unknown format {fmt!r}: use json or xml.")
    if request.method not in methods:
        raise Open311Error(405, f"Method {request.method} not allowed: use {' or '.join(methods)}.")
    jurisdiction = (request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or "").strip()
    if jurisdiction and jurisdiction != JURISDICTION:
        raise Open311Error(
            404, f"jurisdiction_id {jurisdiction!r} not found: this endpoint serves {JURISDICTION!r}."
        )


def endpoint(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A public Open311 view: format, method and jurisdiction checked, refusals in the error format, CORS on
    GET; POST views are CSRF-exempt (clients authenticate with their api_key)."""
    allowed = (*methods, "HEAD") if "GET" in methods else methods

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def run(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                _check(request, fmt, allowed)
                response = view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                response = _error(fmt, exc.status, exc.description)
                if exc.status == 405:
                    response["Allow"] = ", ".join(allowed)
            except DomainError as exc:
                response = _error(fmt, 400, exc.message)
            if request.method in ("GET", "HEAD"):
                response["Access-Control-Allow-Origin"] = "*"
            return response

        return login_not_required(csrf_exempt(run) if "POST" in methods else run)

    return wrap


# Discovery and services -------------------------------------------------------------------------------------


def _base_url(request: HttpRequest) -> str:
    """The absolute URL of the endpoint (…/open311/v2/)."""
    path = reverse("open311:discovery", kwargs={"fmt": "xml"})
    return request.build_absolute_uri(path[: path.rindex("/") + 1])


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Service discovery: where the endpoint is, which specification and formats it speaks."""
    return _respond(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": getattr(settings, "LAMTHEO_OPEN311_CONTACT", "Ask the administrators of this site."),
        "key_service": getattr(settings, "LAMTHEO_OPEN311_KEY_SERVICE", KEY_SERVICE),
        "endpoints": [{"specification": SPECIFICATION, "url": _base_url(request), "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    })  # fmt: skip


def _ward_attribute(category: Category) -> dict[str, Any] | None:
    """The extension attribute `ward` (a required list of the active wards), when there is a choice."""
    wards = list(selectors.areas())
    if len(wards) < 2 or any(q.get("code") == WARD for q in category.attributes):
        return None
    order = max((int(q.get("order") or 0) for q in category.attributes), default=0) + 1
    return {"variable": True, "code": WARD, "datatype": "singlevaluelist", "required": True,
            "datatype_description": None, "order": order,
            "description": str(capfirst(Report._meta.get_field("area").verbose_name)),
            "values": [{"key": a.code, "name": a.name} for a in wards]}  # fmt: skip


def _attribute(question: dict[str, Any], position: int) -> dict[str, Any]:
    """One of the category's questions as an Open311 attribute."""
    return {"variable": True, "code": question["code"], "datatype": question.get("datatype", "string"),
            "required": bool(question.get("required")),
            "datatype_description": question.get("datatype_description") or None,
            "order": int(question.get("order") or position), "description": question.get("description", ""),
            "values": [{"key": str(v["key"]), "name": v.get("name", "")}
                       for v in question.get("values", [])]}  # fmt: skip


def _attributes(category: Category) -> list[dict[str, Any]]:
    """The category's questions, then the ward when the client must choose it."""
    out = [_attribute(q, i) for i, q in enumerate(category.attributes, start=1)]
    ward = _ward_attribute(category)
    return [*out, ward] if ward else out


def _service(category: Category, ward_choice: bool) -> dict[str, Any]:
    """One category as an Open311 service."""
    return {"service_code": category.code, "service_name": category.name, "description": category.description,
            "metadata": bool(category.attributes) or ward_choice, "type": "realtime",
            "keywords": category.keywords, "group": category.group}  # fmt: skip


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """The active categories as services."""
    ward_choice = selectors.areas().count() > 1
    return _respond(fmt, "services", [_service(c, ward_choice) for c in selectors.categories()])


def _category(code: str, status: int) -> Category:
    """The active category of `code`, or a refusal with `status`."""
    found = selectors.categories().filter(code=code).first() if code else None
    if found is None:
        raise Open311Error(status, f"service_code {code!r} not found.")
    return found


@endpoint("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The questions of one category (and the ward), as Open311 attributes."""
    category = _category(code, 404)
    return _respond(
        fmt, "service_definition", {"service_code": category.code, "attributes": _attributes(category)}
    )


# Requests: reading ------------------------------------------------------------------------------------------


def _status_notes(report: Report) -> str:
    """The fine status in words, with the reason of a rejection, the original of a duplicate or the answer."""
    label = str(report.get_status_display())
    if report.status == Status.REJECTED and report.rejection_reason:
        return f"{label}: {report.rejection_reason}"
    if report.status == Status.DUPLICATE and report.duplicate_of_id:
        return f"{label}: {report.duplicate_of_id}"  # the original's public number, never its code
    if report.status in (Status.RESOLVED, Status.CLOSED) and report.public_response:
        return f"{label}: {report.public_response}"
    return label


def _notice(report: Report) -> str:
    """When an open report is to be answered."""
    if report.status not in OPEN or report.resolve_due is None:
        return ""
    due = timezone.localtime(report.resolve_due).strftime("%d/%m/%Y %H:%M")
    return _("To be answered by %(due)s.") % {"due": due}


def _media_url(request: HttpRequest, report: Report) -> str | None:
    """The first evidence photo of an answered report (evidence comes with the answer)."""
    if report.status not in (Status.RESOLVED, Status.CLOSED) and not report.was_reopened:
        return None
    photo = next((p for p in selectors.public_photos(report) if p.kind == PhotoKind.EVIDENCE), None)
    if photo is None:
        return None
    return request.build_absolute_uri(reverse("feedback:public-evidence-photo", kwargs={"pk": photo.pk}))


def _coordinate(value: Any) -> float | None:
    """A stored latitude or longitude as a number (None: no map position)."""
    return float(value) if value is not None else None


def _request_row(request: HttpRequest, report: Report) -> dict[str, Any]:
    """One report as an Open311 request: public fields only, never the reporter."""
    moments = [m for m in (report.received_at, report.accepted_at, report.resolved_at, report.closed_at) if m]
    return {
        "service_request_id": str(report.pk), "status": "open" if report.status in OPEN else "closed",
        "status_notes": _status_notes(report), "service_name": report.category.name,
        "service_code": report.category.code, "description": report.description,
        "agency_responsible": report.organization.name, "service_notice": _notice(report),
        "requested_datetime": _w3c(report.received_at), "updated_datetime": _w3c(max(moments)),
        "expected_datetime": _w3c(report.resolve_due), "address": report.address, "address_id": "",
        "zipcode": "", "lat": _coordinate(report.latitude), "long": _coordinate(report.longitude),
        "media_url": _media_url(request, report),
    }  # fmt: skip


def _csv(value: str | None) -> list[str]:
    """The items of a comma-separated parameter."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _moment(value: str | None, name: str) -> dt.datetime | None:
    """A W3C datetime parameter (a date alone means its midnight; no offset means local time)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, f"{name} is not a W3C datetime (e.g. 2026-12-01T00:00:00+07:00): {value!r}.")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _window(query: Any) -> tuple[dt.datetime, dt.datetime | None]:
    """start_date and end_date; without a start, the 90 days before the end (or before now)."""
    start, end = _moment(query.get("start_date"), "start_date"), _moment(query.get("end_date"), "end_date")
    if start and end and start > end:
        raise Open311Error(400, "start_date is after end_date.")
    return start or (end or timezone.now()) - WINDOW, end


def _statuses(value: str | None) -> tuple[str, ...] | None:
    """The fine statuses behind a list of open/closed (None: all)."""
    asked = {part.lower() for part in _csv(value)}
    unknown = asked - STATUSES.keys()
    if unknown:
        raise Open311Error(400, f"status must be open or closed, not {', '.join(sorted(unknown))}.")
    if not asked or asked == STATUSES.keys():
        return None
    return tuple(STATUSES[asked.pop()])


def _requests(request: HttpRequest) -> list[Report]:
    """The reports asked for: by id (which overrides every other argument), else by window, code, status."""
    query = request.GET
    ids = _csv(query.get("service_request_id"))
    if ids:
        return selectors.public_requests(ids=[int(i) for i in ids if i.isdigit()] or [0], limit=MAX_REQUESTS)
    since, until = _window(query)
    return selectors.public_requests(
        since=since, until=until, category_codes=_csv(query.get("service_code")) or None,
        statuses=_statuses(query.get("status")), limit=MAX_REQUESTS,
    )  # fmt: skip


# Requests: posting ------------------------------------------------------------------------------------------


def _answers(data: Any) -> dict[str, str]:
    """The attribute[code]=value pairs (several values of a multivaluelist joined by commas)."""
    out = {}
    for key in data:
        match = _ATTRIBUTE.match(key)
        if match:
            out[match.group(1)] = ",".join(v for v in data.getlist(key) if v)
    return out


def _ward(code: str) -> str | Area:
    """The ward asked for, or the only active ward; else a refusal naming the extension."""
    if code:
        return code
    wards = list(selectors.areas()[:2])
    if len(wards) == 1:
        return wards[0]
    raise Open311Error(400, "ward is required (extension): send ward=<code> or attribute[ward]=<code>; "
                            "the codes are listed in each service definition.")  # fmt: skip


def _location(data: Any) -> None:
    """Refuse a request without a location: lat and long, or address_string."""
    if data.get("lat", "").strip() or data.get("long", "").strip() or data.get("address_string", "").strip():
        return
    raise Open311Error(
        400, "A location is required: lat and long, or address_string (address_id is not supported)."
    )


def _report_input(data: Any, category: Category) -> services.ReportInput:
    """The POST parameters as the service's input (media_url, device_id and account_id are ignored)."""
    answers = _answers(data)
    ward = data.get(WARD, "").strip() or answers.get(WARD, "")
    if not any(q.get("code") == WARD for q in category.attributes):
        answers.pop(WARD, None)
    name = " ".join(part for part in (clean(data.get("first_name")), clean(data.get("last_name"))) if part)
    return services.ReportInput(
        category=category, area=_ward(ward.strip()), description=data.get("description", ""),
        address=data.get("address_string", ""), latitude=data.get("lat"), longitude=data.get("long"),
        name=name, phone=data.get("phone", ""), email=data.get("email", ""), attributes=answers,
    )  # fmt: skip


def _submit(request: HttpRequest, fmt: str) -> HttpResponse:
    """Create the report for an API client; its number comes back, and the tracking code as the token."""
    data = request.POST
    client = services.api_client_for_key((data.get("api_key") or request.GET.get("api_key") or "").strip())
    if client is None:
        raise Open311Error(403, "api_key is missing, unknown or revoked.")
    code = data.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code is required.")
    category = _category(code, 400)
    _location(data)
    report = services.report_submit(
        data=_report_input(data, category), channel=Channel.OPEN311, api_client=client
    )
    notice = " ".join((_notice(report), _("Photos cannot be sent through Open311 (media_url is ignored).")))
    return _respond(fmt, "service_requests", [
        {"service_request_id": str(report.pk), "token": report.code, "service_notice": notice.strip(),
         "account_id": None}
    ])  # fmt: skip


@endpoint("GET", "POST")
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: the reports of the window, filtered; POST: a new report from an API client."""
    if request.method == "POST":
        return _submit(request, fmt)
    return _respond(fmt, "service_requests", [_request_row(request, r) for r in _requests(request)])


@endpoint("GET")
def request_detail(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """One report, as a list of one request."""
    report = selectors.public_report(int(code)) if code.isdigit() else None
    if report is None:
        raise Open311Error(404, f"service_request_id {code!r} not found.")
    return _respond(fmt, "service_requests", [_request_row(request, report)])


@endpoint("GET")
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """The request behind a token: our token is the tracking code itself (requests are created at once)."""
    report = selectors.report_by_code(token)
    if report is None:
        raise Open311Error(404, f"token {token!r} not found.")
    return _respond(fmt, "service_requests", [{"service_request_id": str(report.pk), "token": token}])
