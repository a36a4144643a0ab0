"""Roster imports (upload → dry run → confirm → all-or-nothing commit) and background .xlsx exports."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor, Grant
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.spreadsheets import Limits, SpreadsheetError, open_table
from lamtheo.organizations import bulk
from lamtheo.organizations.models import Organization
from lamtheo.organizations.selectors import actor_for_user

from . import checked, cross_scope, queue
from .importers import Outcome, import_organizations, import_people
from .models import ImportJob, ImportStatus, RosterKind
from .policies import ImportJobPermissions, ImportPermissions
from .progress import progress_set

logger = logging.getLogger(__name__)


def limits() -> Limits:
    """The configurable limits (settings.LAMTHEO_IMPORT_LIMITS) of an upload."""
    return Limits(**getattr(settings, "LAMTHEO_IMPORT_LIMITS", {}))


def _upload_dir() -> Path:
    path = Path(settings.LAMTHEO_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _job_organization(actor: Actor, grant: Grant) -> Organization:
    """The organization an import belongs to: that of the grant it runs under (the tree's first root for a
    grant on no organization, a command's or a superuser's)."""
    if grant.org_id:
        return Organization.objects.get(pk=grant.org_id)
    root = Organization.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("path").first()
    if root is None:
        raise DomainError(_("There is no organization to import into yet."))
    return root


@actor_scoped
def import_create(*, actor: Actor, kind: str, upload: UploadedFile) -> ImportJob:
    """Store the uploaded file (refusing an oversized one before reading it) and queue its dry run."""
    if kind not in RosterKind.values:
        raise DomainError(_("Unknown kind of roster."), field="kind")
    grant = ImportPermissions(actor, kind).require("import")
    max_bytes = limits().max_bytes
    if upload.size is not None and upload.size > max_bytes:
        raise DomainError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": max_bytes // 1048576},
            field="file",
        )
    if not upload.size:
        raise DomainError(_("The file is empty."), field="file")
    organization = _job_organization(actor, grant)
    suffix = Path(upload.name or "").suffix.lower()[:8]
    target = _upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            digest.update(chunk)
            fh.write(chunk)
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="upload"):
        job = ImportJob.objects.create(
            kind=kind, organization=organization, created_by_id=actor.user_id, file_name=(upload.name or "")[:255],
            file_path=str(target), file_size=target.stat().st_size, file_sha256=digest.hexdigest(),
        )  # fmt: skip
        transaction.on_commit(lambda: queue.enqueue(queue.PREVIEW_IMPORT, job.pk))
    progress_set(job.public_id, phase="reading", done=0, total=0)
    return job


def _run(job: ImportJob, *, collect: bool) -> tuple[Actor, Outcome]:
    """Check the job's file for its uploader. A people preview keeps what it parsed (checked.store); the
    commit takes that instead of reading the file again, and checks every row against the data anew."""
    actor = actor_for_user(job.created_by)

    def progress(done: int, total: int) -> None:
        progress_set(job.public_id, phase="checking", done=done, total=total)

    with actor.reading(), _no_cyclic_gc():
        if job.kind == RosterKind.PEOPLE and collect:
            stored = checked.load(job.file_path, job.file_sha256)
            if stored is not None:
                progress_set(job.public_id, phase="checking", done=0, total=stored[2])
                outcome = import_people(actor=actor, table=None, collect=True, limits=limits(),
                                        progress=progress, parsed=stored)  # fmt: skip
                outcome.reused = True
                return actor, outcome
        table = open_table(Path(job.file_path), limits())
        progress_set(job.public_id, phase="checking", done=0, total=table.total_rows)
        if job.kind == RosterKind.PEOPLE:
            keep = None if collect else checked.store(job.file_path, job.file_sha256, table.total_rows)
            outcome = import_people(actor=actor, table=table, collect=collect, limits=limits(), progress=progress,
                                    keep_parsed=keep)  # fmt: skip
            if not outcome.ok:
                checked.discard(job.file_path)
        else:
            outcome = import_organizations(
                actor=actor, table=table, collect=collect, limits=limits(), progress=progress
            )
    return actor, outcome


@contextlib.contextmanager
def _no_cyclic_gc():  # type: ignore[no-untyped-def]
    """The check builds hundreds of thousands of long-lived tuples and no reference cycles: pausing the
    cyclic collector spares it from re-scanning them again and again (reference counting still frees)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _record(job: ImportJob, outcome: Outcome) -> None:
    if not outcome.reused:  # the preview counted the file's rows, blank ones included
        job.total_rows = outcome.total
    job.created_count, job.updated_count, job.unchanged_count = (
        outcome.created,
        outcome.updated,
        outcome.unchanged,
    )
    job.error_count = outcome.problem_count
    job.errors = outcome.problems
    if outcome.reused:  # the commit took the preview's parsed rows: what the preview said of the file stands
        return
    job.text_encoding = outcome.text_encoding
    # A whole file in a legacy font is said once; single cells converted in a Unicode file are listed as notes.
    job.legacy_encoding = str(outcome.legacy) if outcome.legacy != "unicode" else ""
    job.note_count, job.notes = outcome.note_count, outcome.notes


def _failed(job_id: int, exc: BaseException) -> None:
    """A step that crashed must not leave its job spinning: it says it failed (the worker logs the error)."""
    logger.exception("import job %s failed", job_id)
    cross_scope.mark_import_failed(
        job_id=job_id, message=_("The import stopped on an unexpected error; nothing was written.")
    )


def import_preview(*, job_id: int) -> ImportJob:
    """The dry run (see _preview); any unexpected error marks the job failed."""
    try:
        return _preview(job_id)
    except Exception as exc:
        _failed(job_id, exc)
        raise


def import_commit(*, job_id: int) -> ImportJob:
    """The commit (see _commit); any unexpected error marks the job failed (its transaction rolled back)."""
    try:
        return _commit(job_id)
    except Exception as exc:
        _failed(job_id, exc)
        raise


def _preview(job_id: int) -> ImportJob:
    """The dry run: every row checked, counts and problems recorded, nothing written to the roster."""
    job = cross_scope.import_job(job_id=job_id)
    if job.status != ImportStatus.UPLOADED:  # a step queued twice runs once
        return job
    job.status, job.started_at = ImportStatus.PREVIEWING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        _actor, outcome = _run(job, collect=False)
    except SpreadsheetError as exc:
        job.status, job.message, job.error_count = ImportStatus.REJECTED, exc.message, 1
        job.errors = [{"row": "", "column": "", "message": exc.message, "found": job.file_name}]
    else:
        _record(job, outcome)
        job.status = ImportStatus.PREVIEWED if outcome.ok else ImportStatus.REJECTED
    job.finished_at = timezone.now()
    job.save()
    progress_set(job.public_id, phase="done", done=job.total_rows, total=job.total_rows)
    return job


@actor_scoped
def import_confirm(*, actor: Actor, job: ImportJob) -> ImportJob:
    """The user confirms a clean dry run: queue the commit."""
    grant = ImportJobPermissions(actor, job).require("confirm")
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="confirm"):
        # Re-read inside the transaction: a double click or two people confirming queue one commit only.
        current = ImportJob.objects.select_for_update().get(pk=job.pk)
        if current.status != ImportStatus.PREVIEWED or current.error_count:
            raise DomainError(_("Only a checked file without problems can be imported."))
        job.status = ImportStatus.COMMITTING
        job.save(update_fields=["status"])
        transaction.on_commit(lambda: queue.enqueue(queue.COMMIT_IMPORT, job.pk))
    progress_set(job.public_id, phase="checking", done=0, total=job.total_rows)
    return job


@actor_scoped
def import_cancel(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Drop a checked file that will not be imported."""
    grant = ImportJobPermissions(actor, job).require("cancel")
    if job.status not in (ImportStatus.PREVIEWED, ImportStatus.REJECTED):
        raise DomainError(_("This import can no longer be cancelled."))
    with audit.acting(actor, grant=grant, reason="cancel"):
        job.status = ImportStatus.CANCELLED
        job.save(update_fields=["status"])
    checked.discard(job.file_path)
    return job


def _commit(job_id: int) -> ImportJob:
    """Check every row again and write them all in one transaction, or nothing at all."""
    job = cross_scope.import_job(job_id=job_id)
    if job.status != ImportStatus.COMMITTING:  # a step queued twice runs once
        return job
    digest = hashlib.sha256(Path(job.file_path).read_bytes()).hexdigest()
    if digest != job.file_sha256:
        job.status, job.message = ImportStatus.FAILED, _("The stored file changed since it was checked.")
        job.save(update_fields=["status", "message"])
        return job
    try:
        return _commit_checked(job)
    finally:  # whatever came of it, the preview's parsed rows are not used twice
        checked.discard(job.file_path)


def _commit_checked(job: ImportJob) -> ImportJob:
    try:
        actor, outcome = _run(job, collect=True)
    except SpreadsheetError as exc:
        job.status, job.message = ImportStatus.FAILED, exc.message
        job.save(update_fields=["status", "message"])
        return job
    _record(job, outcome)
    if not outcome.ok:
        job.status = ImportStatus.REJECTED
        job.save()
        return job
    progress_set(job.public_id, phase="writing", done=0, total=outcome.total)
    reason = f"import {job.file_name} ({job.file_sha256[:12]})"
    grant = ImportPermissions(actor, job.kind).can_import()
    if grant is None:  # the uploader lost the role (or the account) since confirming
        job.status, job.message = (
            ImportStatus.FAILED,
            _("You may no longer import this roster; nothing was written."),
        )
        job.save(update_fields=["status", "message"])
        return job
    with actor.reading(), transaction.atomic(), audit.acting(actor, grant=grant, reason=reason):
        if job.kind == RosterKind.PEOPLE:
            bulk.people_write(
                actor=actor, creates=outcome.creates, updates=outcome.updates, positions=outcome.positions,
                reason=reason,
            )  # fmt: skip
        else:
            bulk.organizations_write(
                actor=actor, creates=outcome.creates, updates=outcome.updates, reason=reason
            )
        job.status, job.finished_at = ImportStatus.DONE, timezone.now()
        job.message = _("%(c)s created, %(u)s updated, %(n)s unchanged.") % {
            "c": outcome.created, "u": outcome.updated, "n": outcome.unchanged,
        }  # fmt: skip
        job.save()
    progress_set(job.public_id, phase="done", done=job.total_rows, total=job.total_rows)
    return job
