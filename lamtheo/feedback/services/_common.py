"""What the feedback services share: the year's deadlines, the calendar, timeline lines, photos."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lamtheo.core.errors import DomainError
from lamtheo.rulebook import selectors as rulebook_selectors
from lamtheo.rulebook.models import FeedbackRules

from .. import rules
from ..models import Event, Photo, Report, Severity, Status
from ..photos import process_photo

MAX_PHOTOS = 5


def rules_for(moment: dt.datetime) -> FeedbackRules:
    """The deadlines in force at `moment`, or a refusal that says an administrator must set them."""
    found = rulebook_selectors.feedback_rules_for(timezone.localtime(moment).year)
    if found is None:
        raise DomainError(_("The deadlines of citizens' reports are not set: ask an administrator."))
    return found


def holidays_from(moment: dt.datetime) -> set[dt.date]:
    """The public holidays of the months after `moment` (every deadline of one report fits in them)."""
    day = timezone.localtime(moment).date()
    return rulebook_selectors.holiday_set(day, day + dt.timedelta(days=120))


def add_hours(
    moment: dt.datetime, hours: int, found: FeedbackRules, holidays: set[dt.date] | None = None
) -> dt.datetime:
    """`hours` working hours after `moment`, on the office hours and the public holidays of the rulebook
    (`holidays`: those of the 120 days after `moment`, read once by the caller)."""
    local = timezone.localtime(moment)
    if holidays is None or hours > 400:  # 400 working hours are 50 working days: beyond what was read
        holidays = rulebook_selectors.holiday_set(
            local.date(), local.date() + dt.timedelta(days=hours // 4 + 60)
        )
    return rules.add_working_hours(
        local, hours, spans=rules.parse_spans(found.office_hours), holidays=holidays
    )


def resolve_due(moment: dt.datetime, severity: str, found: FeedbackRules,
                holidays: set[dt.date] | None = None) -> dt.datetime:  # fmt: skip
    """The resolution deadline of a report of `severity` whose clock starts at `moment`."""
    hours = found.resolve_period(severity)
    if hours is None:
        raise DomainError(_("The deadline for %(severity)s reports is not set: ask an administrator.")
                          % {"severity": Severity(severity).label})  # fmt: skip
    return add_hours(moment, hours, found, holidays)


def event(report: Report, kind: str, *, by: int | None = None, text: str = "", public: bool = True,
          committed_on: dt.date | None = None, at: dt.datetime | None = None) -> Event:  # fmt: skip
    """One line of the timeline, with the holder at that moment and the status after it."""
    line = Event(
        report=report, at=at or timezone.now(), kind=kind, status=report.status, organization=report.organization,
        is_public=public, text=text, committed_on=committed_on, by_id=by,
    )  # fmt: skip
    line.save()  # inserted through the plain base manager: a citizen's request has no scope to read through
    return line


def check_photos(files: list, *, field: str = "photos") -> list[bytes]:  # type: ignore[type-arg]
    """The photos re-encoded (before anything is written): at most five, each checked from its content."""
    if len(files) > MAX_PHOTOS:
        raise DomainError(_("Attach at most %(n)s photos.") % {"n": MAX_PHOTOS}, field=field)
    limit = settings.LAMTHEO_PHOTO_MAX_BYTES
    out = []
    for file in files:
        try:
            out.append(process_photo(file, name=getattr(file, "name", "") or "photo", max_bytes=limit))
        except DomainError as exc:
            raise DomainError(exc.message, field=field) from exc
    return out


def save_photos(report: Report, photos: list[bytes], kind: str, line: Event | None = None) -> None:
    """Store re-encoded photos under random names (the name says nothing about the report)."""
    for data in photos:
        photo = Photo(report=report, kind=kind, event=line)
        photo.file.save(f"{uuid.uuid4().hex}.jpg", ContentFile(data), save=False)
        photo.save()


NOTICES = {
    Status.RESOLVED: gettext_lazy("Your report %(code)s has been answered by %(unit)s:\n\n%(text)s"),
    Status.REJECTED: gettext_lazy("Your report %(code)s was not taken up by %(unit)s:\n\n%(text)s"),
    Status.DUPLICATE: gettext_lazy(
        "Your report %(code)s is followed together with another report of the same matter."
    ),
}


def notify_citizen(report: Report) -> None:
    """Tell a citizen who left an e-mail address (and did not stay anonymous) that their report was answered,
    rejected or merged, once the transaction commits; the message names the tracking code to follow it."""
    if report.anonymous or not report.reporter_email or report.status not in NOTICES:
        return
    with translation.override("vi"):
        text = NOTICES[report.status] % {
            "code": report.code, "unit": report.organization.name,
            "text": report.public_response or report.rejection_reason,
        }  # fmt: skip
        body = "\n\n".join((text, _("Follow the report, rate the answer or reopen it with the tracking code %(code)s "
                                      "on the page “Follow a report” (%(path)s).")
                              % {"code": report.code, "path": f"/reports/{report.code}/"}))  # fmt: skip
        subject = _("Citizen report %(code)s") % {"code": report.code}
    address = report.reporter_email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)
    )
