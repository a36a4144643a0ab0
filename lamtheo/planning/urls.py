from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("plans/", views.plan_tree, name="plan-tree"),
    path("plans/tree/<int:pk>/", views.plan_tree_children, name="plan-tree-children"),
    path("plans/export.xlsx", views.plan_export, name="plan-export"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/inbox/", views.inbox, name="inbox"),
    path("plans/calendar/", views.calendar, name="calendar"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_update, name="plan-update"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan-history"),
    path("plans/<int:pk>/tasks/new/", views.task_create, name="task-create"),
    path("plans/<int:pk>/<str:action>/", views.plan_transition, name="plan-transition"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("reports/<int:pk>/evidence/", views.report_evidence, name="report-evidence"),
    path("themes/", views.theme_list, name="theme-list"),
]
