from django.urls import path

from . import views

app_name = "remediation"

urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("<int:pk>/", views.item_detail, name="item-detail"),
    path("<int:pk>/evidence/", views.item_evidence, name="item-evidence"),
    path("<int:pk>/<str:action>/", views.item_transition, name="item-transition"),
]
