from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediationConfig(AppConfig):
    name = "lamtheo.remediation"
    label = "remediation"
    verbose_name = _("Remediation of shortcomings")

    def ready(self) -> None:
        from lamtheo.core import evidence

        from . import history
        from .selectors import remediation_evidence

        evidence.register("remediation", _("Shortcomings to remedy"), remediation_evidence)
        history.register()

        from lamtheo.core import navigation, worklist

        from .selectors import remediation_work

        navigation.register(
            group="oversight", url_name="remediation:item-list", label=_("Shortcomings to remedy"), order=10
        )
        worklist.register_work("remediation", remediation_work)

        from . import merging

        merging.register()
