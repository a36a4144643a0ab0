from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "lamtheo.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from lamtheo.core import navigation

        navigation.register(
            group="portal", url_name="portal:commitment-list", label=_("Public commitments"), order=10
        )
