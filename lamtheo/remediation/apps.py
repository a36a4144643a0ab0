from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediationConfig(AppConfig):
    name = "lamtheo.remediation"
    label = "remediation"
    verbose_name = _("Remediation of shortcomings")

    def ready(self) -> None:
        from lamtheo.core import evidence

        from .selectors import remediation_evidence

        evidence.register("remediation", _("Shortcomings to remedy"), remediation_evidence)
