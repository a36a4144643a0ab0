"""Django admin: for system administrators (superusers) only; everyone else uses the product's screens."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organization, ParentLink, Person, Position, Role, RoleGrant, Succession, User


def _superusers_only(request) -> bool:  # type: ignore[no-untyped-def]
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]
admin.site.site_header = "lamtheo"


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "search_name")
    # The tree's shape changes only through the move/merge services, which keep paths and history right.
    readonly_fields = ("parent", "path", "depth")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("code", "full_name", "is_party_member", "party_cell", "workplace")
    search_fields = ("code", "search_name")
    raw_id_fields = ("party_cell", "workplace", "residence_cell")


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ("person", "title", "organization", "is_head", "from_date", "to_date")
    raw_id_fields = ("person", "organization")


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "order")
    filter_horizontal = ("permissions",)


@admin.register(RoleGrant)
class RoleGrantAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "organization", "valid_from", "valid_to")
    raw_id_fields = ("user", "organization")


admin.site.register(Succession, SimpleHistoryAdmin)
admin.site.register(ParentLink)


@admin.register(User)
class LamtheoUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Person", {"fields": ("person",)}))  # type: ignore[misc]
    raw_id_fields = ("person",)
