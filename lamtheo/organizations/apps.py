from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "lamtheo.organizations"
    label = "organizations"
    verbose_name = _("Organizations and people")

    def ready(self) -> None:
        from . import history

        history.register()

        from lamtheo.core import reference_data

        from .services import role_catalogue_load

        reference_data.register("roles", role_catalogue_load, order=10)

        from lamtheo.core import navigation

        navigation.register(
            group="organization", url_name="organizations:org-tree", label=_("Organization tree"), order=10
        )
        navigation.register(
            group="organization", url_name="organizations:org-list", label=_("Organizations"), order=20
        )
        navigation.register(
            group="organization", url_name="organizations:person-list", label=_("People"), order=30
        )
