"""Roster imports (upload → dry run → confirm → all-or-nothing commit) and background .xlsx exports."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import queue
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError, PermissionDenied
from lamtheo.core.scoping import activate
from lamtheo.core.spreadsheets import Limits, SpreadsheetError, open_table
from lamtheo.organizations import bulk
from lamtheo.organizations.models import Organization
from lamtheo.organizations.selectors import actor_for_user

from . import policies
from .importers import Outcome, import_organizations, import_people
from .models import ImportJob, ImportStatus, RosterKind
from .progress import progress_set


def limits() -> Limits:
    """The configurable limits (settings.LAMTHEO_IMPORT_LIMITS) of an upload."""
    return Limits(**getattr(settings, "LAMTHEO_IMPORT_LIMITS", {}))


def _upload_dir() -> Path:
    path = Path(settings.LAMTHEO_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _job_organization(actor: Actor, kind: str) -> Organization:
    grant = policies.import_grant(actor, kind)
    if grant is None:
        raise PermissionDenied(_("You may not import this roster."))
    if grant.org_id:
        return Organization.objects.get(pk=grant.org_id)
    root = Organization.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("path").first()
    if root is None:
        raise DomainError(_("There is no organization to import into yet."))
    return root


def import_create(*, actor: Actor, kind: str, upload: UploadedFile) -> ImportJob:
    """Store the uploaded file (refusing an oversized one before reading it) and queue its dry run."""
    if kind not in RosterKind.values:
        raise DomainError(_("Unknown kind of roster."), field="kind")
    if not policies.can_import_roster(actor, kind):
        raise PermissionDenied(_("You may not import this roster."))
    max_bytes = limits().max_bytes
    if upload.size is not None and upload.size > max_bytes:
        raise DomainError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": max_bytes // 1048576},
            field="file",
        )
    if not upload.size:
        raise DomainError(_("The file is empty."), field="file")
    organization = _job_organization(actor, kind)
    suffix = Path(upload.name or "").suffix.lower()[:8]
    target = _upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            digest.update(chunk)
            fh.write(chunk)
    with transaction.atomic(), audit.acting(actor, grant=policies.import_grant(actor, kind), reason="upload"):
        job = ImportJob.objects.create(
            kind=kind, organization=organization, created_by_id=actor.user_id, file_name=(upload.name or "")[:255],
            file_path=str(target), file_size=target.stat().st_size, file_sha256=digest.hexdigest(),
        )  # fmt: skip
        transaction.on_commit(lambda: _enqueue("preview", job.pk))
    progress_set(job.public_id, phase="reading", done=0, total=0)
    return job


def _enqueue(step: str, job_id: int) -> None:
    from . import jobs

    (jobs.preview_import if step == "preview" else jobs.commit_import).enqueue(job_id)


def _run(job: ImportJob, *, collect: bool, writer: BackgroundWriter | None = None) -> tuple[Actor, Outcome]:
    actor = actor_for_user(job.created_by)

    def progress(done: int, total: int) -> None:
        progress_set(job.public_id, phase="checking", done=done, total=total)

    with activate(actor.scope), _no_cyclic_gc():
        table = open_table(Path(job.file_path), limits())
        progress_set(job.public_id, phase="checking", done=0, total=table.total_rows)
        if job.kind == RosterKind.PEOPLE:
            extra = {}
            if writer is not None and table.total_rows >= settings.LAMTHEO_IMPORT_BACKGROUND_WRITE_MIN_ROWS:
                extra = {"sink": writer.put, "batch": settings.LAMTHEO_IMPORT_WRITE_BATCH}
            outcome = import_people(
                actor=actor, table=table, collect=collect, limits=limits(), progress=progress, **extra
            )
        else:
            outcome = import_organizations(
                actor=actor, table=table, collect=collect, limits=limits(), progress=progress
            )
    return actor, outcome


class BackgroundWriter:
    """Writes checked rows on a second thread (its own connection and transaction) while the rest of the
    file is still being checked: the two cores work at once. Nothing is committed unless every row passed:
    `commit` finishes and commits, `rollback` throws the whole transaction away."""

    def __init__(self, reason: str) -> None:
        self.writer = bulk.PeopleWriter(reason=reason)  # takes the audit stamp on this thread
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.result: dict | None = None
        self.thread: threading.Thread | None = None

    @property
    def started(self) -> bool:
        return self.thread is not None

    def begin(self) -> None:
        self.thread = threading.Thread(target=self._work, name="roster-writer", daemon=True)
        self.thread.start()

    def put(self, creates: list, updates: list) -> None:
        """Hand over a checked batch (the thread starts with the first one, after the lookups are read)."""
        if self.thread is None:
            self.begin()
        self._send(("write", creates, updates))

    def commit(self, positions: list) -> dict:
        self._send(("commit", positions))
        return self._join()

    def rollback(self) -> None:
        if self.started:
            self._send(("rollback",))
            try:
                self._join()
            except _Rollback:
                pass

    def _send(self, item: tuple) -> None:
        while True:
            if self.error is not None:
                raise self.error
            try:
                self.queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _join(self) -> dict:
        assert self.thread is not None
        self.thread.join()
        if self.error is not None and not isinstance(self.error, _Rollback):
            raise self.error
        return self.result or {}

    def _work(self) -> None:
        from django.db import connection

        try:
            with transaction.atomic():
                self.writer.start()
                while True:
                    item = self.queue.get()
                    if item[0] == "write":
                        self.writer.write(item[1], item[2])
                    elif item[0] == "commit":
                        self.result = self.writer.finish(item[1])
                        break
                    else:
                        raise _Rollback
        except BaseException as exc:  # handed to the checking thread, which raises it
            self.error = exc
        finally:
            connection.close()


class _Rollback(Exception):
    """Raised inside the writer's transaction to undo everything it wrote."""


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
    job.total_rows = outcome.total
    job.created_count, job.updated_count, job.unchanged_count = (
        outcome.created,
        outcome.updated,
        outcome.unchanged,
    )
    job.error_count = outcome.problem_count
    job.errors = outcome.problems
    job.text_encoding = outcome.text_encoding
    if outcome.legacy != "unicode":
        job.legacy_encoding = str(outcome.legacy)
    elif outcome.legacy_rows:
        job.legacy_encoding = "tcvn3"
    else:
        job.legacy_encoding = ""


def import_preview(*, job_id: int) -> ImportJob:
    """The dry run: every row checked, counts and problems recorded, nothing written to the roster."""
    job = ImportJob.objects.unscoped(reason="background job of its own creator").get(pk=job_id)
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


def import_confirm(*, actor: Actor, job: ImportJob) -> ImportJob:
    """The user confirms a clean dry run: queue the commit."""
    if job.created_by_id != actor.user_id and not actor.has_perm(
        "organizations.view_history", job.organization.path
    ):
        raise PermissionDenied(_("Only the person who uploaded the file can confirm it."))
    if job.status != ImportStatus.PREVIEWED or job.error_count:
        raise DomainError(_("Only a checked file without problems can be imported."))
    with transaction.atomic(), audit.acting(actor, reason="confirm"):
        job.status = ImportStatus.COMMITTING
        job.save(update_fields=["status"])
        transaction.on_commit(lambda: _enqueue("commit", job.pk))
    progress_set(job.public_id, phase="checking", done=0, total=job.total_rows)
    return job


def import_cancel(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Drop a checked file that will not be imported."""
    if job.status not in (ImportStatus.PREVIEWED, ImportStatus.REJECTED):
        raise DomainError(_("This import can no longer be cancelled."))
    with audit.acting(actor, reason="cancel"):
        job.status = ImportStatus.CANCELLED
        job.save(update_fields=["status"])
    return job


def import_commit(*, job_id: int) -> ImportJob:
    """Check every row again and write them all in one transaction, or nothing at all."""
    job = ImportJob.objects.unscoped(reason="background job of its own creator").get(pk=job_id)
    if job.status != ImportStatus.COMMITTING:  # a step queued twice runs once
        return job
    digest = hashlib.sha256(Path(job.file_path).read_bytes()).hexdigest()
    if digest != job.file_sha256:
        job.status, job.message = ImportStatus.FAILED, _("The stored file changed since it was checked.")
        job.save(update_fields=["status", "message"])
        return job
    reason = f"import {job.file_name} ({job.file_sha256[:12]})"
    owner = actor_for_user(job.created_by)
    with audit.acting(owner, grant=policies.import_grant(owner, job.kind), reason=reason):
        writer = BackgroundWriter(reason) if job.kind == RosterKind.PEOPLE else None
    try:
        actor, outcome = _run(job, collect=True, writer=writer)
    except BaseException as exc:
        if writer is not None:
            writer.rollback()
        if not isinstance(exc, SpreadsheetError):
            raise
        job.status, job.message = ImportStatus.FAILED, exc.message
        job.save(update_fields=["status", "message"])
        return job
    _record(job, outcome)
    if not outcome.ok:
        if writer is not None:
            writer.rollback()
        job.status = ImportStatus.REJECTED
        job.save()
        return job
    progress_set(job.public_id, phase="writing", done=0, total=outcome.total)
    threaded = writer is not None and writer.started
    if threaded:
        # Before this thread opens a transaction of its own: SQLite has one writer at a time.
        writer.commit(outcome.positions)  # type: ignore[union-attr]
    grant = policies.import_grant(actor, job.kind)
    with activate(actor.scope), transaction.atomic(), audit.acting(actor, grant=grant, reason=reason):
        if threaded:
            pass
        elif job.kind == RosterKind.PEOPLE:
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
    progress_set(job.public_id, phase="done", done=outcome.total, total=outcome.total)
    return job
