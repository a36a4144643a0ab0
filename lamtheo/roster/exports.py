"""Background .xlsx exports of the list screens: same filters, same scope as the screen they came from."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.xlsx import write_xlsx
from lamtheo.organizations import selectors as org_selectors
from lamtheo.organizations.models import Organization
from lamtheo.organizations.selectors import actor_for_user

from . import cross_scope, queue
from .models import ExportJob, ExportStatus, RosterKind
from .progress import progress_set

ALLOWED_PARAMS = {"q", "member", "org", "kind", "closed", "sort"}


def _export_dir() -> Path:
    path = Path(settings.LAMTHEO_EXPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


@actor_scoped
def export_create(*, actor: Actor, kind: str, params: dict[str, str]) -> ExportJob:
    """Queue an .xlsx export of a list screen with its current filters."""
    if kind not in RosterKind.values:
        raise DomainError(_("Unknown kind of list."))
    grants = [g for g in actor.grants if g.org_id]
    if grants:
        organization = Organization.objects.get(pk=min(grants, key=lambda g: len(g.org_path)).org_id)
    else:
        organization = Organization.objects.filter(parent__isnull=True).order_by("path").first()
        if organization is None:
            raise DomainError(_("There is nothing to export yet."))
    clean_params = {k: str(v)[:100] for k, v in params.items() if k in ALLOWED_PARAMS}
    with transaction.atomic(), audit.acting(actor, reason="export"):
        job = ExportJob.objects.create(
            kind=kind, organization=organization, created_by_id=actor.user_id, params=clean_params
        )
        transaction.on_commit(lambda: queue.enqueue(queue.WRITE_EXPORT, job.pk))
    progress_set(job.public_id, phase="writing", done=0, total=0)
    return job


def _rows(actor: Actor, kind: str, params: dict):  # type: ignore[no-untyped-def]
    if kind == RosterKind.PEOPLE:
        org = None
        if params.get("org", "").isdigit():
            org = Organization.objects.filter(pk=int(params["org"])).first()
        member = {"yes": True, "no": False}.get(params.get("member", ""))
        qs = org_selectors.person_list(
            actor=actor,
            q=params.get("q", ""),
            organization=org,
            party_members=member,
            sort=params.get("sort", "name"),
        )
        return qs.count(), org_selectors.person_export_header(), org_selectors.person_export_rows(qs)
    qs = org_selectors.organization_list(
        actor=actor, q=params.get("q", ""), kind=params.get("kind", ""),
        include_closed=params.get("closed") in ("on", "1", "true"), sort=params.get("sort", "path"),
    )  # fmt: skip
    return qs.count(), org_selectors.organization_export_header(), org_selectors.organization_export_rows(qs)


def export_run(*, job_id: int) -> ExportJob:
    """Write the export file for its creator's scope as it is now, reporting progress."""
    job = cross_scope.export_job(job_id=job_id)
    actor = actor_for_user(job.created_by)
    job.status = ExportStatus.RUNNING
    job.save(update_fields=["status"])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{'nhan-su' if job.kind == RosterKind.PEOPLE else 'to-chuc'}-{stamp}.xlsx"
    target = _export_dir() / f"{job.public_id}.xlsx"
    try:
        with actor.reading():
            total, header, rows = _rows(actor, job.kind, job.params)
            progress_set(job.public_id, phase="writing", done=0, total=total)
            count = write_xlsx(
                target, header=header, rows=rows, sheet_name=str(RosterKind(job.kind).label),
                progress=lambda n: progress_set(job.public_id, phase="writing", done=n, total=total),
            )  # fmt: skip
    except Exception as exc:  # the job page must say it failed rather than spin forever
        job.status, job.message = ExportStatus.FAILED, str(exc)[:500]
        job.save(update_fields=["status", "message"])
        raise
    job.status, job.total_rows, job.file_path, job.file_name = ExportStatus.DONE, count, str(target), name
    job.finished_at = timezone.now()
    job.save()
    progress_set(job.public_id, phase="done", done=count, total=count)
    return job
