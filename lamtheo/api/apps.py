from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lamtheo.api"
    label = "api"
