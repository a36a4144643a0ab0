"""Who may import and export rosters: one permission class per kind of record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.permissions import Permissions
from lamtheo.organizations.policies import ADD_ORG, ADD_PERSON

from .models import ExportJob, ImportJob, RosterKind


def import_permission(kind: str) -> str:
    """The permission an import of `kind` needs: people need add_person, organizations add_organization."""
    return ADD_PERSON if kind == RosterKind.PEOPLE else ADD_ORG


class ImportPermissions(Permissions):
    """Importing a roster of one kind (record: the kind, "people" or "organizations")."""

    messages = {"import": _("You may not import this roster.")}

    def __init__(self, actor: Actor, kind: str) -> None:
        super().__init__(actor, kind)
        self.kind = kind

    def can_import(self) -> Grant | None:
        """The grant an import runs under: the widest one carrying the kind's permission (the job belongs to
        its organization, so that those who see the job see the whole subtree the file may touch). Each row
        is checked again against the organization it names."""
        return self.actor.widest_grant(import_permission(self.kind))


class ImportJobPermissions(Permissions):
    """What an actor may do to one uploaded roster."""

    messages = {
        "confirm": _(
            "Only the person who uploaded the file, or an importer of this organization, can confirm it."
        ),
        "cancel": _(
            "Only the person who uploaded the file, or an importer of this organization, can cancel it."
        ),
    }

    def __init__(self, actor: Actor, job: ImportJob) -> None:
        super().__init__(actor, job)
        self.job = job

    def can_decide(self) -> Grant | None:
        """Confirming or cancelling an import is for the person who uploaded it, or for a holder of the
        import permission over the job's organization."""
        organization = self.job.organization
        if self.actor.user_id is not None and self.job.created_by_id == self.actor.user_id:
            return self.actor.own_grant(
                org_id=organization.pk, org_path=organization.path, org_name=organization.name
            )
        return self.actor.grant_for(import_permission(self.job.kind), organization.path)

    def can_confirm(self) -> Grant | None:
        """Confirming a checked file (see can_decide)."""
        return self.can_decide()

    def can_cancel(self) -> Grant | None:
        """Cancelling a checked file (see can_decide)."""
        return self.can_decide()


class ExportJobPermissions(Permissions):
    """Who may see one export: the person who made it (it holds that person's view of the list)."""

    def __init__(self, actor: Actor, job: ExportJob) -> None:
        super().__init__(actor, job)
        self.job = job

    def can_view(self) -> Grant | None:
        """An export is read by the person who made it only."""
        if self.actor.user_id is None or self.job.created_by_id != self.actor.user_id:
            return None
        organization = self.job.organization
        return self.actor.own_grant(
            org_id=organization.pk, org_path=organization.path, org_name=organization.name
        )
