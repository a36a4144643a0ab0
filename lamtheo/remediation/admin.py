from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RemediationItem

CROSS_SCOPE = "The Django admin is for system administrators only: it lists every shortcoming."


@admin.register(RemediationItem)
class RemediationItemAdmin(SimpleHistoryAdmin):
    list_display = ("description", "organization", "person", "source", "severity", "due_date", "status")
    list_filter = ("source", "severity", "status")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return RemediationItem.objects.unscoped(reason="Django admin: system administrators only")
