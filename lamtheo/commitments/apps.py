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
        from .policies import FRONT_OPINION, REVIEW

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
            order=30, visible=lambda actor: actor.has_perm(REVIEW) or actor.has_perm(FRONT_OPINION),
        )  # fmt: skip
        worklist.register_work("commitments", cultivation_work)
        worklist.register_figures("commitments", cultivation_figures, order=10)

        from . import merging

        merging.register()

        # A rule version that has judged a plan, a comment or a grade is frozen (ADR 0012).
        from lamtheo.rulebook import selectors as rulebook_selectors
        from lamtheo.rulebook.models import CommitmentTemplate, EvaluationScheme, ResidenceCommentForm

        from . import cross_scope

        rulebook_selectors.register_rule_use(EvaluationScheme, cross_scope.evaluations_judged_by)
        rulebook_selectors.register_rule_use(EvaluationScheme, cross_scope.exemptions_judged_by)
        rulebook_selectors.register_rule_use(EvaluationScheme, cross_scope.ratings_judged_by)
        rulebook_selectors.register_rule_use(CommitmentTemplate, cross_scope.plans_written_on)
        rulebook_selectors.register_rule_use(ResidenceCommentForm, cross_scope.residence_comments_on)

        # Reviewers of members' plans follow the shortcomings raised on those plans.
        from lamtheo.remediation.policies import register_reader_permission

        register_reader_permission(REVIEW)
