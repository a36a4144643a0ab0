"""Writes on cultivation plans. One service = one transaction, policy-checked once, audited with the grant;
nothing is written when a rule refuses. The package follows the plan's life (registration, items, approval,
self-assessment, residence comment, evaluation, publication, locks, reminders); callers use
`from lamtheo.commitments import services` and `services.<name>`."""

from ._common import Conflict, locked_by
from .approval import (
    cultivation_plan_approve,
    cultivation_plan_return,
    cultivation_plan_submit,
    cultivation_plans_bulk_approve,
)
from .assessment import (
    EVIDENCE_EXTENSIONS,
    EVIDENCE_MAX_BYTES,
    ItemResult,
    midyear_assessment_save,
    yearend_assessment_save,
)
from .evaluation import Shortcoming, evaluation_decide, evaluation_propose, quota_counts
from .exemptions import grading_exemption_record, grading_exemption_withdraw
from .items import commitment_item_add, commitment_item_delete, commitment_item_update
from .locks import year_lock, year_unlock
from .publication import cultivation_plan_publish, cultivation_plan_unpublish
from .ratings import organization_rating_decide, organization_rating_propose
from .registration import cultivation_plan_paper_form_attach, cultivation_plan_register
from .reminders import AUTO_KINDS, REMINDER_TEXT, cultivation_reminders_send, deadline_reminders_send
from .residence import residence_comment_request, residence_comment_return, residence_front_opinion

__all__ = [
    "AUTO_KINDS",
    "EVIDENCE_EXTENSIONS",
    "EVIDENCE_MAX_BYTES",
    "REMINDER_TEXT",
    "Conflict",
    "ItemResult",
    "Shortcoming",
    "commitment_item_add",
    "commitment_item_delete",
    "commitment_item_update",
    "cultivation_plan_approve",
    "cultivation_plan_paper_form_attach",
    "cultivation_plan_publish",
    "cultivation_plan_register",
    "cultivation_plan_return",
    "cultivation_plan_submit",
    "cultivation_plan_unpublish",
    "cultivation_plans_bulk_approve",
    "cultivation_reminders_send",
    "deadline_reminders_send",
    "evaluation_decide",
    "evaluation_propose",
    "grading_exemption_record",
    "grading_exemption_withdraw",
    "locked_by",
    "midyear_assessment_save",
    "organization_rating_decide",
    "organization_rating_propose",
    "quota_counts",
    "residence_comment_request",
    "residence_comment_return",
    "residence_front_opinion",
    "year_lock",
    "year_unlock",
    "yearend_assessment_save",
]
