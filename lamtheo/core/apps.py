from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lamtheo.core"
    label = "core"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from . import audit, navigation  # noqa: F401  (audit connects the history signal)
        from .actor import SYSTEM_ADMIN

        navigation.register(group="", url_name="core:home", label=_("Work to do"), order=0)
        navigation.register(
            group="admin", url_name="admin:index", label=_("System administration"), order=90,
            visible=lambda actor: SYSTEM_ADMIN in actor.role_codes,
        )  # fmt: skip
