from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "lamtheo.planning"
    label = "planning"
    verbose_name = _("Themes and implementation plans")

    def ready(self) -> None:
        from lamtheo.core import evidence

        from . import history
        from .selectors import task_evidence

        evidence.register("planning", _("Plan tasks in their charge"), task_evidence)
        history.register()

        from lamtheo.core import navigation, worklist

        from .home import plan_figures, plan_work

        navigation.register(group="planning", url_name="planning:plan-tree", label=_("Plans"), order=10)
        navigation.register(
            group="planning", url_name="planning:inbox", label=_("Tasks from above"), order=20
        )
        navigation.register(group="planning", url_name="planning:calendar", label=_("Deadlines"), order=30)
        navigation.register(group="planning", url_name="planning:theme-list", label=_("Themes"), order=40)
        worklist.register_work("planning", plan_work)
        worklist.register_figures("planning", plan_figures, order=20)

        from lamtheo.core import reference_data

        from . import merging, services

        merging.register()
        reference_data.register("themes", services.theme_catalogue_load, order=30)
