from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("org/", views.org_tree, name="org-tree"),
    path("org/list/", views.org_list, name="org-list"),
    path("org/export.csv", views.org_export, name="org-export"),
    path("org/new/", views.org_create, name="org-create"),
    path("org/<int:pk>/", views.org_detail, name="org-detail"),
    path("org/<int:pk>/children/", views.org_children, name="org-children"),
    path("org/<int:pk>/edit/", views.org_update, name="org-update"),
    path("org/<int:pk>/move/", views.org_move, name="org-move"),
    path("org/<int:pk>/merge/", views.org_merge, name="org-merge"),
    path("org/<int:pk>/history/", views.org_history, name="org-history"),
    path("pick/people/", views.person_picker, name="person-picker"),
    path("pick/organizations/", views.org_picker, name="org-picker"),
    path("people/", views.person_list, name="person-list"),
    path("people/export.csv", views.person_export, name="person-export"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_update, name="person-update"),
    path("people/<int:pk>/positions/new/", views.position_create, name="position-create"),
    path("people/<int:pk>/history/", views.person_history, name="person-history"),
]
