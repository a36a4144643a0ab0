from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "lamtheo.feedback"
    label = "feedback"
    verbose_name = _("Citizens' reports")

    def ready(self) -> None:
        from lamtheo.core import evidence, navigation, reference_data, worklist

        from . import history, merging
        from .home import feedback_work
        from .policies import ADD, READERS
        from .selectors import report_evidence
        from .services import load_feedback_reference

        reference_data.register("feedback", load_feedback_reference)
        evidence.register("citizen_reports", _("Citizens' reports"), report_evidence)
        navigation.register(
            group="feedback", url_name="feedback:report-list", label=_("Citizens' reports"), order=1, perm=READERS[0],
        )  # fmt: skip
        navigation.register(
            group="feedback", url_name="feedback:report-intake", label=_("Enter a report"), order=2, perm=ADD,
        )  # fmt: skip
        worklist.register_work("feedback", feedback_work)
        history.register()
        merging.register()
