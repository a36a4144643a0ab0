from django.urls import path

from . import views

app_name = "rulebook"

urlpatterns = [
    path("regulations/", views.regulation_list, name="regulation-list"),
    path("regulations/pick/", views.regulation_picker, name="regulation-picker"),
    path("regulations/<int:pk>/", views.regulation_detail, name="regulation-detail"),
]
