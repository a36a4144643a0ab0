"""Who may write, approve, comment on, evaluate, publish and lock cultivation plans: one permission class per
kind of record (core.permissions). Nothing else in the code base restates these rules.

A `can_<verb>()` answers for the record as it stands, the state the action needs included where the state
decides the action (a draft to edit, a submitted plan to approve, an awaited comment to return); the screens
show what it allows. Services check the state first with its own message (a state error tells the person
what to do), then `require` the verb, which then refuses only for who is acting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.translation import gettext_lazy as _

from lamtheo.core.actor import Actor, Grant
from lamtheo.core.permissions import Permissions
from lamtheo.core.vocabulary import OrgKind
from lamtheo.organizations.policies import HistoryPermissions

from . import rules
from .models import (
    CULTIVATION_EDITABLE,
    CommitmentPlan,
    CultivationPlanStatus,
    ResidenceComment,
    ResidenceStatus,
)

if TYPE_CHECKING:
    from lamtheo.organizations.models import Organization

REVIEW = "commitments.review_commitmentplan"
EVALUATE = "commitments.evaluate_commitmentplan"
DECIDE = "commitments.decide_evaluation"
PUBLISH = "commitments.publish_commitmentplan"
LOCK = "commitments.lock_commitmentyear"
FRONT_OPINION = "commitments.give_front_opinion"
# Officers who read a member's plan (besides the member): whoever follows, evaluates, decides or publishes.
READERS = (REVIEW, EVALUATE, DECIDE, PUBLISH)


@dataclass(frozen=True)
class GradingAuthority:
    """Who proposes and who decides one member's grade: the levels of the scheme's `authority` (rulebook data,
    from the guidance of the regulation) resolved to organizations for the member's cell, and the account
    that proposed the grade, which never decides it. Services and screens read it (`of`), the policy rules."""

    proposers: tuple[str, ...]  # paths: evaluate_commitmentplan over one of them (as roles go, a subtree)
    deciders: tuple[str, ...]  # paths: decide_evaluation granted on one of them itself
    proposed_by_id: int | None = None

    @classmethod
    def of(
        cls,
        *,
        authority: dict[str, Any],
        cell: Organization,
        grassroots: Organization,
        proposed_by_id: int | None,
    ) -> GradingAuthority:
        """Resolve a scheme's authority for a cell and its grassroots organization (`grassroots_of`)."""
        where = {
            "cell_path": cell.path, "grassroots_path": grassroots.path,
            "grassroots_marked": bool(grassroots.is_grassroots),
        }  # fmt: skip
        return cls(
            rules.authority_paths(list(authority.get("propose", [])), **where),
            rules.authority_paths(list(authority.get("decide", [])), **where),
            proposed_by_id,
        )


class CultivationPlanPermissions(Permissions):
    """What one actor may do to one member's cultivation plan. The member writes and assesses their own
    plan; officers of the cell's subtree follow it; nobody approves, comments on or grades their own.

    `locked`: the plan's year is locked (screens pass it so that they offer nothing a lock forbids;
    services check the lock themselves, on the freshly read plan, with its own message).
    `grading`: who proposes and decides the grade (`GradingAuthority`); without it nobody decides."""

    messages: ClassVar = {
        "write": _("Only the member writes their own plan."),
        "edit": _("Only the member writes their own plan."),
        "submit": _("Only the member writes their own plan."),
        "assess": _("Only the member assesses their own plan."),
        "review": _("Only the secretary of the member's cell approves the plan."),
        "request_residence": _("Only the member's cell requests the residence comment."),
        "propose_grade": _("Only the member's cell proposes the grade."),
        "decide_grade": _(
            "The grade is decided by the level the evaluation rules name (the grassroots committee, or a "
            "grassroots cell for its own members), never by whoever proposed it."
        ),
        "publish": _("You may not publish this plan."),
        "register": _("You may register a plan only for yourself or for members of your cells."),
        "attach_paper_form": _(
            "Only the secretary of the member's cell attaches the paper form, for a member without an account."
        ),
    }

    def __init__(
        self,
        actor: Actor,
        plan: CommitmentPlan,
        *,
        locked: bool = False,
        grading: GradingAuthority | None = None,
        member_has_account: bool | None = None,
    ) -> None:
        super().__init__(actor, plan)
        self.plan = plan
        self.locked = locked
        self.grading = grading
        self._member_has_account = member_has_account

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

    @property
    def member_has_account(self) -> bool:
        """The member signs in (an active account is linked to the person); lists pass it in, read once."""
        if self._member_has_account is None:
            user = getattr(self.plan.person, "user", None)  # reverse one-to-one: no account, no attribute
            self._member_has_account = user is not None and user.is_active
        return self._member_has_account

    def _on_behalf(self) -> Grant | None:
        """The officer of the member's cell (the one who approves) enters the plan of a member without an
        account from the paper form; the grant is the officer's, so the audit row names who entered it."""
        return None if self.is_owner or self.member_has_account else self._officer(REVIEW)

    @property
    def is_on_behalf(self) -> bool:
        """The actor writes the plan for the member from the paper form (not their own)."""
        return self._on_behalf() is not None

    def _writer(self) -> Grant | None:
        """Who writes the plan: the member, or for a member without an account the officer of the cell."""
        return self._own() or self._on_behalf()

    def can_view(self) -> Grant | None:
        """The member, or an officer of the cell's subtree who follows plans; fellow members see nothing."""
        return self._own() or self.actor.grant_for_any(READERS, self.plan.cell.path)

    def can_view_history(self) -> Grant | None:
        """The plan's audit history: the member, or whoever reads histories of the cell's records."""
        return self._own() or HistoryPermissions(self.actor, self.plan.cell.path).can_view()

    def can_register(self) -> Grant | None:
        """Starting the plan of a year (asked of a plan not yet saved): whoever writes it."""
        return self._writer()

    def can_write(self) -> Grant | None:
        """Writing the plan and its self-assessment is the member's own work (whatever its state), or the
        officer's from the paper form for a member without an account."""
        return self._writer()

    def can_edit(self) -> Grant | None:
        """The writer changes the items of a draft or returned plan of an open year."""
        return self._writer() if self.plan.status in CULTIVATION_EDITABLE and not self.locked else None

    def can_submit(self) -> Grant | None:
        """The writer hands a draft or returned plan in to the cell."""
        return self.can_edit()

    def can_assess(self) -> Grant | None:
        """The writer assesses an approved plan (mid-year and year end) in an open year."""
        return (
            self._writer() if self.plan.status == CultivationPlanStatus.APPROVED and not self.locked else None
        )

    def can_attach_paper_form(self) -> Grant | None:
        """The officer who enters the plan attaches the scanned paper form, in an open year."""
        return None if self.locked else self._on_behalf()

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
        """The cell proposes the grade (not for one's own plan): evaluate_commitmentplan over an organization
        the scheme names as proposing (the member's cell by default)."""
        if self.is_owner:
            return None
        paths = self.grading.proposers if self.grading else (self.plan.cell.path,)
        return next((g for g in (self.actor.grant_for(EVALUATE, p) for p in paths) if g), None)

    def can_decide_grade(self) -> Grant | None:
        """The level the scheme names decides: decide_evaluation granted on that organization itself (the
        grassroots committee, or a grassroots cell for its own members; a đảng bộ bộ phận or a committee
        above does not decide). Never one's own grade, never by the account that proposed it; a command or
        job decides anywhere."""
        g = self.grading
        if (
            self.is_owner
            or g is None
            or (g.proposed_by_id is not None and g.proposed_by_id == self.actor.user_id)
        ):
            return None
        if self.actor.is_system:
            return self.actor.grant_for(DECIDE, self.plan.cell.path)
        return next((x for x in self.actor.grants if x.org_path in g.deciders and x.carries(DECIDE)), None)

    def can_grade(self) -> Grant | None:
        """The evaluation screen: whoever proposes or decides the grade, or reviews it (decide_evaluation over
        the cell: the committees above read the grades they do not decide)."""
        return self.can_propose_grade() or self.can_decide_grade() or self._officer(DECIDE)

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
        "front": _("Only the officer of the Fatherland Front where the member lives gives the Front's opinion."),
    }

    def __init__(self, actor: Actor, comment: ResidenceComment) -> None:
        super().__init__(actor, comment)
        self.comment = comment

    def _residence_officer(self) -> Grant | None:
        """A holder of review over the residence cell (its secretary, or a committee above it)."""
        residence = self.comment.residence
        return None if residence is None else self.actor.grant_for(REVIEW, residence.path)

    def _residence_secretary(self) -> Grant | None:
        """The residence cell's own officer: review granted on that cell itself (Quy định 213 has the cell's
        committee write the comment, not a committee above it). A command or job acts anywhere."""
        residence = self.comment.residence
        if residence is None:
            return None
        grant = self.actor.grant_for(REVIEW, residence.path)
        if grant is not None and (self.actor.is_system or grant.org_id == residence.pk):
            return grant
        return None

    def _front_officer(self) -> Grant | None:
        """The officer of the Front committee the comment names (give_front_opinion over it)."""
        front = self.comment.front
        return None if front is None else self.actor.grant_for(FRONT_OPINION, front.path)

    def can_view(self) -> Grant | None:
        """The residence cell, the Front where the member lives, or whoever may read the member's plan."""
        return (
            self._residence_officer() or self._front_officer()
            or CultivationPlanPermissions(self.actor, self.comment.plan).can_view()
        )  # fmt: skip

    def can_front(self) -> Grant | None:
        """The Front's part of the form (Quy định 213): its officer writes it while the comment is awaited or
        returned; never on themself."""
        if self.comment.status == ResidenceStatus.EXEMPT:
            return None
        if CultivationPlanPermissions(self.actor, self.comment.plan).is_owner:
            return None
        return self._front_officer()

    def can_return(self) -> Grant | None:
        """The residence cell's secretary fills an awaited comment in; never on themself."""
        if self.comment.status != ResidenceStatus.REQUESTED:
            return None
        if CultivationPlanPermissions(self.actor, self.comment.plan).is_owner:
            return None
        return self._residence_secretary()


class OrganizationRatingPermissions(Permissions):
    """Who proposes and who decides the year's quality rating of a party organization: its own committee
    proposes (evaluate_commitmentplan granted on the organization itself); the committee the scheme names
    decides (decide_evaluation granted on that committee itself: a cell's grassroots committee, or the
    committee directly above a grassroots organization), never the account that proposed it."""

    messages: ClassVar = {
        "propose": _("Only the organization's own committee proposes its rating."),
        "decide": _(
            "The rating is decided by the committee above the organization that the rules name, never by whoever "
            "proposed it."
        ),
    }

    def __init__(  # type: ignore[no-untyped-def]
        self, actor: Actor, organization, *, decider, proposed_by_id: int | None = None, locked: bool = False
    ) -> None:
        super().__init__(actor, organization)
        self.organization, self.decider = organization, decider
        self.proposed_by_id, self.locked = proposed_by_id, locked

    def _on(self, perm: str, organization) -> Grant | None:  # type: ignore[no-untyped-def]
        if self.actor.is_system:
            return self.actor.grant_for(perm, organization.path)
        return next((g for g in self.actor.grants if g.org_id == organization.pk and g.carries(perm)), None)

    def can_view(self) -> Grant | None:
        return self.actor.grant_for_any(READERS, self.organization.path)

    def can_propose(self) -> Grant | None:
        return None if self.locked else self._on(EVALUATE, self.organization)

    def can_decide(self) -> Grant | None:
        if self.locked or self.decider is None:
            return None
        if self.proposed_by_id is not None and self.proposed_by_id == self.actor.user_id:
            return None
        return self._on(DECIDE, self.decider)


class GradingExemptionPermissions(Permissions):
    """Who records (or withdraws) that a member is not rated in a year: whoever proposes grades in the
    member's cell (evaluate_commitmentplan over it), never about themself; not once the year is locked."""

    messages: ClassVar = {
        "record": _("Only the member's cell records why a member is not rated (never about oneself)."),
    }

    def __init__(self, actor: Actor, *, person_id: int, cell: Organization, locked: bool = False) -> None:
        super().__init__(actor, cell)
        self.person_id, self.cell, self.locked = person_id, cell, locked

    def can_record(self) -> Grant | None:
        if self.locked or self.actor.person_id == self.person_id:
            return None
        return self.actor.grant_for(EVALUATE, self.cell.path)


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
