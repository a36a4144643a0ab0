"""Open311 GeoReport v2 under /open311/v2/ (see `open311.py`): every resource in .json and .xml."""

from django.urls import path

from . import open311

app_name = "open311"

urlpatterns = [
    path("discovery.<str:fmt>", open311.discovery, name="discovery"),
    path("services.<str:fmt>", open311.service_list, name="services"),
    path("services/<str:code>.<str:fmt>", open311.service_definition, name="service-definition"),
    path("requests.<str:fmt>", open311.request_list, name="requests"),
    path("requests/<str:code>.<str:fmt>", open311.request_detail, name="request-detail"),
    path("tokens/<str:token>.<str:fmt>", open311.token_detail, name="token"),
]
