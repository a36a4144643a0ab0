"""Writes on citizens' reports, by purpose: intake (the public form, Open311 and the other channels, with
routing and deadlines), handling (accept, transfer, progress, answer, reject, merge, notes), the citizen's
follow-up (rate, reopen), the sweep (escalation and closing), and the reference data."""

from .citizen import report_rate, report_reopen
from .handling import (
    report_accept,
    report_link_subject,
    report_mark_duplicate,
    report_note,
    report_progress,
    report_reject,
    report_resolve,
    report_transfer,
)
from .intake import ReportInput, report_intake, report_submit
from .reference import api_client_create, api_client_for_key, load_feedback_reference
from .sweep import board_refresh, feedback_sweep

__all__ = [
    "ReportInput", "api_client_create", "board_refresh", "api_client_for_key", "feedback_sweep", "load_feedback_reference",
    "report_accept", "report_intake", "report_link_subject", "report_mark_duplicate", "report_note",
    "report_progress", "report_rate", "report_reject", "report_reopen", "report_resolve", "report_submit",
    "report_transfer",
]  # fmt: skip
