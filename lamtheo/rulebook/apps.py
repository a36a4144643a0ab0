from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulebookConfig(AppConfig):
    name = "lamtheo.rulebook"
    label = "rulebook"
    verbose_name = _("Rulebook")

    def ready(self) -> None:
        from lamtheo.core import navigation, reference_data

        from .services import rulebook_load

        reference_data.register("rulebook", rulebook_load, order=20)

        navigation.register(
            group="admin", url_name="rulebook:regulation-list", label=_("Regulations"), order=10
        )
