from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "lamtheo.planning"
    label = "planning"
    verbose_name = _("Themes and implementation plans")

    def ready(self) -> None:
        from lamtheo.core import evidence

        from .selectors import task_evidence

        evidence.register("planning", _("Plan tasks in their charge"), task_evidence)
