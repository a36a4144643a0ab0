from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Case, DisciplinaryMeasure, Programme, Supervision

CROSS_SCOPE = "The Django admin is for system administrators only: it lists every inspection and measure."


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("title", "organization", "year", "status")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return Programme.objects.unscoped(reason="Django admin: system administrators only")


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("title", "organization", "kind", "mode", "status", "step")
    list_filter = ("kind", "mode", "status")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return Case.objects.unscoped(reason="Django admin: system administrators only")


@admin.register(DisciplinaryMeasure)
class DisciplinaryMeasureAdmin(SimpleHistoryAdmin):
    list_display = ("measure", "person", "subject_organization", "organization", "decided_on")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return DisciplinaryMeasure.objects.unscoped(reason="Django admin: system administrators only")


@admin.register(Supervision)
class SupervisionAdmin(SimpleHistoryAdmin):
    list_display = ("topic", "organization", "opened_on")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return Supervision.objects.unscoped(reason="Django admin: system administrators only")
