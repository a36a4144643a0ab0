from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "lamtheo.roster"
    label = "roster"
    verbose_name = _("Roster import and export")

    def ready(self) -> None:
        from lamtheo.core import navigation, worklist

        from .selectors import import_work

        navigation.register(
            group="organization", url_name="roster:import-list", label=_("Import"), order=40,
            perm="organizations.add_person",
        )  # fmt: skip
        worklist.register_work("roster", import_work)
