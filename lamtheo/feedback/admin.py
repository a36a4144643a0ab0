"""The reference data of citizens' reports, edited by system administrators: categories with their questions,
areas and routing rules, rejection reasons, and the keys of third-party Open311 clients."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiClient, Area, Category, RejectionTemplate, RoutingRule
from .services.reference import api_client_key


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "group", "severity", "is_active", "order")
    list_filter = ("severity", "is_active", "group")


class RoutingRuleInline(admin.TabularInline):
    model = RoutingRule
    extra = 1
    autocomplete_fields = ()


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "organization", "is_active")
    inlines = [RoutingRuleInline]


@admin.register(RejectionTemplate)
class RejectionTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("code", "text", "is_active")


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "key_prefix", "created_at", "revoked_at")
    readonly_fields = ("key_prefix", "created_at")
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if not change:
            key = api_client_key(obj)
            messages.warning(request, _("The client's key, shown only now: %(key)s") % {"key": key})
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):  # type: ignore[no-untyped-def]
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
