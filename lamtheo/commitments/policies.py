"""Who may write, approve, comment on, evaluate, publish and lock cultivation plans: one permission class per
kind of record (core.permissions). Nothing else in the code base restates these rules.

A `can_<verb>()` answers for the record as it stands, the state the action needs included where the state
decides the action (a draft to edit, a submitted plan to approve, an awaited comment to return); the screens
show what it allows. Services check the state first with its own message (a state error tells the person
what to do), then `require` the verb, which then refuses only for who is acting.
"""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.permissions import Permissions
from lamtheo.core.vocabulary import OrgKind
from lamtheo.organizations.policies import HistoryPermissions

from .models import (
    CULTIVATION_EDITABLE,
    CommitmentPlan,
    CultivationPlanStatus,
    ResidenceComment,
    ResidenceStatus,
)

REVIEW = "commitments.review_commitmentplan"
EVALUATE = "commitments.evaluate_commitmentplan"
DECIDE = "commitments.decide_evaluation"
PUBLISH = "commitments.publish_commitmentplan"
LOCK = "commitments.lock_commitmentyear"
# Officers who read a member's plan (besides the member): whoever follows, evaluates, decides or publishes.
READERS = (REVIEW, EVALUATE, DECIDE, PUBLISH)


class CultivationPlanPermissions(Permissions):
    """What one actor may do to one member's cultivation plan. The member writes and assesses their own
    plan; officers of the cell's subtree follow it; nobody approves, comments on or grades their own.

    `locked`: the plan's year is locked (screens pass it so that they offer nothing a lock forbids;
    services check the lock themselves, on the freshly read plan, with its own message)."""

    messages: ClassVar = {
        "write": _("Only the member writes their own plan."),
        "edit": _("Only the member writes their own plan."),
        "submit": _("Only the member writes their own plan."),
        "assess": _("Only the member assesses their own plan."),
        "review": _("Only the secretary of the member's cell approves the plan."),
        "request_residence": _("Only the member's cell requests the residence comment."),
        "propose_grade": _("Only the member's cell proposes the grade."),
        "decide_grade": _("The grade is decided by the committee above the cell."),
        "publish": _("You may not publish this plan."),
    }

    def __init__(self, actor: Actor, plan: CommitmentPlan, *, locked: bool = False) -> None:
        super().__init__(actor, plan)
        self.plan = plan
        self.locked = locked

    @property
    def is_owner(self) -> bool:
        """The member whose plan it is (their account is linked to the person)."""
        return self.actor.person_id is not None and self.actor.person_id == self.plan.person_id

    def _own(self) -> Grant | None:
        """The member's own grant on their plan (no role: themself, recorded in the audit trail)."""
        if not self.is_owner:
            return None
        cell = self.plan.cell
        return self.actor.own_grant(org_id=cell.pk, org_path=cell.path, org_name=cell.name)

    def _officer(self, perm: str) -> Grant | None:
        """An officer's grant carrying `perm` over the plan's cell; never on one's own plan."""
        return None if self.is_owner else self.actor.grant_for(perm, self.plan.cell.path)

    def can_view(self) -> Grant | None:
        """The member, or an officer of the cell's subtree who follows plans; fellow members see nothing."""
        return self._own() or self.actor.grant_for_any(READERS, self.plan.cell.path)

    def can_view_history(self) -> Grant | None:
        """The plan's audit history: the member, or whoever reads histories of the cell's records."""
        return self._own() or HistoryPermissions(self.actor, self.plan.cell.path).can_view()

    def can_write(self) -> Grant | None:
        """Writing the plan and its self-assessment is the member's own work (whatever its state)."""
        return self._own()

    def can_edit(self) -> Grant | None:
        """The member changes the items of a draft or returned plan of an open year."""
        return self._own() if self.plan.status in CULTIVATION_EDITABLE and not self.locked else None

    def can_submit(self) -> Grant | None:
        """The member hands a draft or returned plan in to the cell."""
        return self.can_edit()

    def can_assess(self) -> Grant | None:
        """The member assesses their own approved plan (mid-year and year end) in an open year."""
        return self._own() if self.plan.status == CultivationPlanStatus.APPROVED and not self.locked else None

    def can_review(self) -> Grant | None:
        """Approve or return a submitted plan: the secretary of the cell (or above); never one's own."""
        if self.plan.status != CultivationPlanStatus.SUBMITTED or self.locked:
            return None
        return self._officer(REVIEW)

    def can_request_residence(self) -> Grant | None:
        """The workplace cell requests the residence cell's comment (or marks the member exempt) in an open
        year; never the member about themself. (The plan screen offers it once the plan is approved.)"""
        return None if self.locked else self._officer(REVIEW)

    def can_propose_grade(self) -> Grant | None:
        """The cell proposes the grade (not for one's own plan)."""
        return self._officer(EVALUATE)

    def can_decide_grade(self) -> Grant | None:
        """The committee above the cell decides: decide_evaluation held strictly above the cell; never one's
        own grade."""
        return None if self.is_owner else self.actor.grant_above(DECIDE, self.plan.cell.path)

    def can_grade(self) -> Grant | None:
        """The evaluation screen: whoever proposes or decides the grade."""
        return self.can_propose_grade() or self.can_decide_grade()

    def can_evaluate(self) -> Grant | None:
        """Grading starts once the member has done the year-end self-assessment."""
        return self.can_grade() if self.plan.yearend_at is not None else None

    def can_publish(self) -> Grant | None:
        """Heads' commitments are published by holders of publish_commitmentplan over the cell (the plan
        screen offers it once the plan is approved; the service refuses before)."""
        return self.actor.grant_for(PUBLISH, self.plan.cell.path) if self.plan.is_head else None


class ResidenceCommentPermissions(Permissions):
    """What one actor may do with the comment a residence cell is asked for on a working member."""

    messages: ClassVar = {
        "return": _("Only the secretary of the residence cell fills the comment in (never on themself)."),
    }

    def __init__(self, actor: Actor, comment: ResidenceComment) -> None:
        super().__init__(actor, comment)
        self.comment = comment

    def _residence_officer(self) -> Grant | None:
        """A holder of review over the residence cell (its secretary, or a committee above it)."""
        residence = self.comment.residence
        return None if residence is None else self.actor.grant_for(REVIEW, residence.path)

    def can_view(self) -> Grant | None:
        """The residence cell, or whoever may read the member's plan."""
        return (
            self._residence_officer() or CultivationPlanPermissions(self.actor, self.comment.plan).can_view()
        )

    def can_return(self) -> Grant | None:
        """The residence cell's secretary fills an awaited comment in; never on themself."""
        if self.comment.status != ResidenceStatus.REQUESTED:
            return None
        if CultivationPlanPermissions(self.actor, self.comment.plan).is_owner:
            return None
        return self._residence_officer()


class CockpitPermissions(Permissions):
    """What one actor may do with the plans of an organization's subtree: follow them (the cockpit,
    reminders, bulk approval), lock and unlock a year. Following a member's plans is holding
    review_commitmentplan over their cell: `followed_units` is that rule for a whole actor."""

    messages: ClassVar = {
        "follow": _("You may not remind these members."),
        "lock": _("You may not lock this year."),
        "unlock": _("A lock is lifted by the committee above."),
    }

    FOLLOW = REVIEW

    def __init__(self, actor: Actor, organization) -> None:  # type: ignore[no-untyped-def]
        super().__init__(actor, organization)
        self.organization = organization

    @classmethod
    def followed_units(cls, actor: Actor) -> list[Grant]:
        """The actor's grants on organizations whose members' plans they follow (their cockpits)."""
        return actor.units_with(cls.FOLLOW)

    @classmethod
    def followed_paths(cls, actor: Actor) -> list[str]:
        """The subtrees whose members' plans (and residence comments) the actor follows."""
        return actor.paths_with(cls.FOLLOW)

    def can_follow(self) -> Grant | None:
        """The cockpit, reminders and bulk approval of a cell or committee."""
        return self.actor.grant_for(self.FOLLOW, self.organization.path)

    def can_lock(self) -> Grant | None:
        """A grassroots committee (or one above) locks a year for its subtree; a cell never does."""
        if self.organization.kind == OrgKind.PARTY_CELL and not self.actor.is_system:
            return None
        return self.actor.grant_for(LOCK, self.organization.path)

    def can_unlock(self) -> Grant | None:
        """A lock is lifted from above: lock_commitmentyear held strictly above the locked organization (a
        whole-tree administrator lifts any lock, the root's too)."""
        return self.actor.grant_above(LOCK, self.organization.path)
