from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    # The public side (no login).
    path("reports/new/", views.report_new, name="public-new"),
    path("reports/track/", views.track, name="public-track"),
    path("reports/board/", views.board, name="public-board"),
    path("reports/evidence/<int:pk>/", views.evidence_photo, name="public-evidence-photo"),
    path("reports/<str:code>/", views.report_public, name="public-report"),
    path("reports/<str:code>/rate/", views.report_rate, name="public-rate"),
    path("reports/<str:code>/reopen/", views.report_reopen, name="public-reopen"),
    path("reports/<str:code>/photos/<int:pk>/", views.public_photo, name="public-photo"),
    # The staff side.
    path("feedback/", views.report_list, name="report-list"),
    path("feedback/new/", views.report_intake, name="report-intake"),
    path("feedback/units/", views.unit_picker, name="unit-picker"),
    path("feedback/<int:pk>/", views.report_detail, name="report-detail"),
    path("feedback/<int:pk>/history/", views.report_history, name="report-history"),
    path("feedback/photos/<int:pk>/", views.staff_photo, name="report-photo"),
    *[
        path(
            f"feedback/<int:pk>/{verb.replace('_', '-')}/",
            views.report_action,
            {"action": verb},
            name=f"report-{verb.replace('_', '-')}",
        )
        for verb in views.ACTIONS
    ],
]
