from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "lamtheo.devtools"
    label = "devtools"
