from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("commitments/", views.commitment_list, name="commitment-list"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment-detail"),
]
