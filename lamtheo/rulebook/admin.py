from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CriteriaSet, Criterion, Regulation


@admin.register(Regulation)
class RegulationAdmin(SimpleHistoryAdmin):
    list_display = ("number", "symbol", "issue_date", "issuer", "kind", "status", "is_uncertain")
    list_filter = ("kind", "status", "is_uncertain")
    search_fields = ("number", "symbol", "title")


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    list_display = ("code", "version", "name", "kind", "valid_from", "valid_to")
    inlines = [CriterionInline]
