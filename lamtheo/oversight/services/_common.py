"""What the oversight services share: subjects, document files, the year's periods."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from lamtheo.core.errors import DomainError
from lamtheo.rulebook import selectors as rulebook_selectors
from lamtheo.rulebook.models import OversightRules

DOCUMENT_TYPES = {".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png", ".xlsx"}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def one_subject(person, organization, *, field: str = "subject_person") -> None:  # type: ignore[no-untyped-def]
    """Exactly one subject: a party member or an organization."""
    if (person is None) == (organization is None):
        raise DomainError(_("Choose either a party member or an organization, not both."), field=field)


def check_document(file: UploadedFile | None) -> None:
    """Refuse a document of another kind than office files and scans, or too large."""
    if file is None:
        return
    if Path(file.name or "").suffix.lower() not in DOCUMENT_TYPES:
        raise DomainError(
            _("Attach a PDF, Word, OpenDocument, Excel file or a scan (JPG, PNG)."), field="file"
        )
    if file.size and file.size > MAX_DOCUMENT_BYTES:
        raise DomainError(_("The file is larger than 20 MB."), field="file")


def rules_for(year: int) -> OversightRules:
    """The periods in force for `year`, or a refusal that says an administrator must set them."""
    rules = rulebook_selectors.oversight_rules_for(year)
    if rules is None:
        raise DomainError(
            _("The periods of inspection and supervision for %(year)s are not set: ask an administrator.")
            % {"year": year}
        )
    return rules
