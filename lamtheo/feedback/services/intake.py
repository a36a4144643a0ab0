"""Reports come in: from the public form and Open311 clients (no login), and from the other channels
(hotline, reception day, meetings, the Front, the press) entered by staff. Each is routed to the unit that
handles its category in its ward and gets its deadlines on the working-hour calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError, NotFound
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean

from .. import rules, selectors
from ..models import STAFF_CHANNELS, Area, Category, Channel, EventKind, Holding, PhotoKind, Report
from ..policies import FeedbackPermissions
from ._common import add_hours, check_photos, event, holidays_from, resolve_due, rules_for, save_photos

MAX_DESCRIPTION = 5000


@dataclass
class ReportInput:
    """What a report says, as the form or the API received it (checked by `_checked`)."""

    category: Category | str | None
    area: Area | str | None
    description: str
    address: str = ""
    latitude: Any = None
    longitude: Any = None
    name: str = ""
    phone: str = ""
    email: str = ""
    anonymous: bool = False
    subject_text: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    photos: list = field(default_factory=list)  # type: ignore[type-arg]


def _category(value: Category | str | None) -> Category:
    if isinstance(value, Category):
        return value
    found = selectors.categories().filter(code=value).first() if value else None
    if found is None:
        raise DomainError(_("Choose a category from the list."), field="category")
    return found


def _area(value: Area | str | None) -> Area:
    if isinstance(value, Area):
        return value
    found = selectors.areas().filter(code=value).first() if value else None
    if found is None:
        raise DomainError(_("Choose the ward from the list."), field="area")
    return found


def _coordinate(value: Any, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(_("The map position is not a number."), field=name) from None
    if not number.is_finite():
        raise DomainError(_("The map position is not a number."), field=name)
    return number.quantize(Decimal("0.000001"))


def _attributes(category: Category, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers to the category's own questions: required ones present, listed values from the list."""
    out: dict[str, Any] = {}
    for question in category.attributes:
        value = answers.get(question["code"])
        value = clean(str(value)) if value not in (None, "") else ""
        if not value:
            if question.get("required"):
                raise DomainError(_("Answer: %(question)s") % {"question": question.get("description", question["code"])},
                                  field="attributes")  # fmt: skip
            continue
        keys = {str(v["key"]) for v in question.get("values", [])}
        if keys and value not in keys:
            raise DomainError(_("Choose an answer from the list: %(question)s")
                              % {"question": question.get("description", question["code"])}, field="attributes")  # fmt: skip
        out[question["code"]] = value
    return out


def _checked(data: ReportInput) -> dict[str, Any]:
    """The report's fields, or a DomainError naming the first wrong one (nothing is written before)."""
    description = clean(data.description or "")
    if not description:
        raise DomainError(_("Describe what you are reporting."), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(_("The description is longer than %(n)s characters.") % {"n": MAX_DESCRIPTION},
                          field="description")  # fmt: skip
    category, area = _category(data.category), _area(data.area)
    latitude, longitude = _coordinate(data.latitude, "latitude"), _coordinate(data.longitude, "longitude")
    if (latitude is None) != (longitude is None):
        raise DomainError(_("Give both the latitude and the longitude, or neither."), field="latitude")
    if latitude is not None and not rules.in_vietnam(latitude, longitude):  # type: ignore[arg-type]
        raise DomainError(_("The map position is outside Viet Nam."), field="latitude")
    email = clean(data.email or "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("The e-mail address is not valid."), field="email") from None
    phone = "".join(ch for ch in (data.phone or "") if ch.isdigit() or ch == "+")
    if data.phone and not (9 <= len(phone.lstrip("+")) <= 15):
        raise DomainError(_("The phone number is not valid."), field="phone")
    anonymous = bool(data.anonymous)
    return {
        "category": category, "area": area, "description": description, "address": clean(data.address or "")[:300],
        "latitude": latitude, "longitude": longitude, "anonymous": anonymous,
        "reporter_name": "" if anonymous else clean(data.name or "")[:160],
        "reporter_phone": "" if anonymous else phone, "reporter_email": "" if anonymous else email,
        "subject_text": clean(data.subject_text or "")[:300], "attributes": _attributes(category, data.attributes or {}),
    }  # fmt: skip


def _create(fields: dict[str, Any], *, channel: str, photos: list[bytes], received_at: dt.datetime,
            api_client=None, by: int | None = None) -> Report:  # type: ignore[no-untyped-def]  # fmt: skip
    """Route, time and store the report with its first holding and timeline line (a new code on a clash)."""
    found = rules_for(received_at)
    holidays = holidays_from(received_at)
    holder = selectors.route(category=fields["category"], area=fields["area"])
    report = Report(
        **fields, channel=channel, api_client=api_client, severity=fields["category"].severity, organization=holder,
        received_at=received_at, accept_due=add_hours(received_at, found.accept_hours, found, holidays),
        resolve_due=resolve_due(received_at, fields["category"].severity, found, holidays),
    )  # fmt: skip
    report.search = selectors.search_text(report)
    for _attempt in range(5):
        report.code = rules.new_code()
        try:
            with transaction.atomic():
                report.save()
            break
        except IntegrityError:
            report.pk = None
    else:  # pragma: no cover - 5 clashes in 10^11 codes
        raise DomainError(_("The report could not be numbered: send it again."))
    Holding(report=report, organization=holder, started_at=received_at).save()
    event(report, EventKind.STATUS, by=by, at=received_at)
    save_photos(report, photos, PhotoKind.CITIZEN)
    return report


def report_submit(*, data: ReportInput, channel: str = Channel.WEB, api_client=None) -> Report:  # type: ignore[no-untyped-def]
    """A citizen's report from the public form or an Open311 client (no login): checked, photos
    re-encoded, routed, timed; the tracking code comes back."""
    fields = _checked(data)
    photos = check_photos(data.photos)
    with transaction.atomic(), audit.acting(Actor.anonymous(), reason="submit"):
        return _create(
            fields, channel=channel, photos=photos, received_at=timezone.now(), api_client=api_client
        )


@actor_scoped
def report_intake(*, actor: Actor, organization, channel: str, data: ReportInput,  # type: ignore[no-untyped-def]
                  received_at: dt.datetime | None = None, severity: str = "") -> Report:  # fmt: skip
    """Staff enter a report heard on another channel (hotline, reception day, meeting, the Front, the press);
    it is routed like any other. `received_at`: when it was heard (not in the future)."""
    if not actor.can_see(organization.path):
        raise NotFound(_("Unknown organization."), field="organization")
    grant = FeedbackPermissions(actor, organization).require("intake")
    if channel not in STAFF_CHANNELS:
        raise DomainError(_("Choose the channel the report came through."), field="channel")
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise DomainError(_("The report cannot have been received in the future."), field="received_at")
    fields = _checked(data)
    photos = check_photos(data.photos)
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="intake"):
        report = _create(fields, channel=channel, photos=photos, received_at=received_at, by=actor.user_id)
        if severity and severity != report.severity:
            report.severity = severity
            report.resolve_due = resolve_due(received_at, severity, rules_for(received_at))
            report.save(update_fields=["severity", "resolve_due"])
        return report
