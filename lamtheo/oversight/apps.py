from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "lamtheo.oversight"
    label = "oversight"
    verbose_name = _("Inspection and supervision")

    def ready(self) -> None:
        from lamtheo.core import evidence, navigation, worklist

        from . import history, merging
        from .home import oversight_work
        from .policies import CONFIDENTIAL, VIEW_CASE, VIEW_SUPERVISION
        from .selectors import discipline_evidence

        evidence.register("discipline", _("Party discipline"), discipline_evidence)
        navigation.register(
            group="oversight", url_name="oversight:case-list", label=_("Inspections and supervision"), order=5,
            perm=VIEW_CASE,
        )  # fmt: skip
        navigation.register(
            group="oversight", url_name="oversight:programme-list", label=_("Annual programmes"), order=6,
            perm=VIEW_CASE,
        )  # fmt: skip
        navigation.register(
            group="oversight", url_name="oversight:dashboard", label=_("Follow-up dashboard"), order=7,
            perm=VIEW_CASE,
        )  # fmt: skip
        navigation.register(
            group="oversight", url_name="oversight:supervision-list", label=_("Front supervision"), order=8,
            perm=VIEW_SUPERVISION,
        )  # fmt: skip
        navigation.register(
            group="oversight", url_name="oversight:measure-list", label=_("Party discipline"), order=9,
            perm=CONFIDENTIAL,
        )  # fmt: skip
        worklist.register_work("oversight", oversight_work)
        history.register()
        merging.register()
