from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "lamtheo.commitments"
    label = "commitments"
    verbose_name = _("Personal cultivation plans")

    def ready(self) -> None:
        from . import history

        history.register()

        from lamtheo.core import navigation, worklist

        from .home import cultivation_figures, cultivation_work
        from .policies import REVIEW

        navigation.register(
            group="cultivation", url_name="commitments:my-plans", label=_("My cultivation plan"), order=10,
            visible=lambda actor: actor.is_party_member,
        )  # fmt: skip
        navigation.register(
            group="cultivation", url_name="commitments:cockpit-home", label=_("Members' plans"), order=20,
            perm=REVIEW,
        )  # fmt: skip
        navigation.register(
            group="cultivation", url_name="commitments:residence-inbox", label=_("Residence comments"),
            order=30, perm=REVIEW,
        )  # fmt: skip
        worklist.register_work("commitments", cultivation_work)
        worklist.register_figures("commitments", cultivation_figures, order=10)

        from . import merging

        merging.register()

        # Reviewers of members' plans follow the shortcomings raised on those plans.
        from lamtheo.remediation.policies import register_reader_permission

        register_reader_permission(REVIEW)
