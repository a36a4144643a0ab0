from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CommitmentPlan, Evaluation, ResidenceComment, YearLock

CROSS_SCOPE = "the Django admin, for system administrators only: it lists every row"


class _Unscoped(SimpleHistoryAdmin):
    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return self.model.objects.unscoped(reason="Django admin: system administrators only")


@admin.register(CommitmentPlan)
class CommitmentPlanAdmin(_Unscoped):
    list_display = ("person", "year", "cell", "status", "is_head", "published_on")
    list_filter = ("year", "status", "is_head")
    raw_id_fields = ("person", "cell", "decided_by", "created_by")


@admin.register(Evaluation)
class EvaluationAdmin(_Unscoped):
    list_display = ("plan", "year", "grade", "proposed_grade", "decided_grade", "score")
    list_filter = ("year", "grade")
    raw_id_fields = ("plan", "grassroots", "proposed_by", "decided_by")


@admin.register(ResidenceComment)
class ResidenceCommentAdmin(_Unscoped):
    list_display = ("plan", "residence", "status", "due_date")
    list_filter = ("status",)
    raw_id_fields = ("plan", "residence", "requested_by", "returned_by")


@admin.register(YearLock)
class YearLockAdmin(_Unscoped):
    list_display = ("organization", "year", "locked_at", "locked_by")
