"""Writes of inspection and supervision, by purpose (programmes, cases and findings, discipline, Front
supervision). One transaction each, the policy checked on the row as stored now, audited with its grant."""

from .cases import case_open, case_record_step, finding_add
from .discipline import measure_record
from .programmes import programme_adopt, programme_create, programme_item_add
from .supervision import opinion_add, recommendation_issue, supervision_open

__all__ = [
    "case_open", "case_record_step", "finding_add", "measure_record", "opinion_add", "programme_adopt",
    "programme_create", "programme_item_add", "recommendation_issue", "supervision_open",
]  # fmt: skip
