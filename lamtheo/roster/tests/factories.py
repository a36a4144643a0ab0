"""Test factories of the roster context: import and export jobs, written as rows (no file is read or written).

    job = ImportJobFactory(organization=ward, created_by=officer)

For a real upload through the import services use the `run_import` fixture of lamtheo/roster/tests/conftest.py.
"""

from __future__ import annotations

import hashlib

import factory

from lamtheo.core.tests.factories import ScopedModelFactory
from lamtheo.organizations.tests.factories import OrganizationFactory, UserFactory
from lamtheo.roster.models import ExportJob, ExportStatus, ImportJob, ImportStatus, RosterKind


class ImportJobFactory(ScopedModelFactory):
    """An uploaded people file of an organization, not yet checked."""

    class Meta:
        model = ImportJob

    kind = RosterKind.PEOPLE
    organization = factory.SubFactory(OrganizationFactory)
    created_by = factory.SubFactory(UserFactory)
    file_name = factory.Sequence(lambda n: f"danh-sach-{n}.xlsx")
    file_path = factory.LazyAttribute(lambda o: f"imports/{o.file_name}")
    file_sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.file_name.encode()).hexdigest())
    status = ImportStatus.UPLOADED


class ExportJobFactory(ScopedModelFactory):
    """A queued people export of an organization."""

    class Meta:
        model = ExportJob

    kind = RosterKind.PEOPLE
    organization = factory.SubFactory(OrganizationFactory)
    created_by = factory.SubFactory(UserFactory)
    status = ExportStatus.QUEUED
