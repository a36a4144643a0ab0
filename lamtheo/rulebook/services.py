"""Writes on the rulebook: the versioned reference data loads idempotently from JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.translation import ngettext

from lamtheo.core import audit
from lamtheo.core.actor import Actor
from lamtheo.core.errors import DomainError
from lamtheo.core.permissions import actor_scoped
from lamtheo.core.text import clean, fold
from lamtheo.core.vocabulary import OrgKind

from .models import (
    AUTHORITY_LEVELS,
    FEEDBACK_SEVERITIES,
    FINDING_SEVERITIES,
    GRADE_ORDER,
    OVERSIGHT_MODES,
    OVERSIGHT_STEPS,
    CommitmentCalendar,
    CommitmentTemplate,
    CriteriaSet,
    Criterion,
    EvaluationScheme,
    FeedbackRules,
    Holiday,
    OversightRules,
    PlanApproval,
    Regulation,
    ResidenceCommentForm,
)
from .policies import RulebookPermissions
from .selectors import rule_version_uses

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "rulebook.json"


def _upsert(model, lookup: dict[str, Any], fields: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Create the row, or update it only when a field differs (so a re-load writes no history)."""
    obj, created = model.objects.get_or_create(**lookup, defaults=fields)
    if not created and any(getattr(obj, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(obj, k, v)
        obj.save()
    return obj


def rule_version_check_change(*, row: models.Model, changed: Iterable[str]) -> None:
    """Refuse a change to the rules (`frozen_fields`) of a version that has judged records: those records
    mean what that version said. A new version is the way to change a rule (ADR 0012)."""
    frozen = [name for name in changed if name in getattr(row, "frozen_fields", ())]
    uses = rule_version_uses(row) if frozen else 0
    if uses:
        raise DomainError(
            ngettext(
                "“%(rule)s” (version %(version)s) is in use by %(n)s record: its %(fields)s can no longer "
                "change. Use “Save as new” to add a new version with the change.",
                "“%(rule)s” (version %(version)s) is in use by %(n)s records: its %(fields)s can no longer "
                "change. Use “Save as new” to add a new version with the change.",
                uses,
            )
            % {
                "rule": row, "version": getattr(row, "version", 1), "n": uses,
                "fields": ", ".join(str(row._meta.get_field(name).verbose_name) for name in frozen),
            }
        )  # fmt: skip


def _upsert_version(model, code: str, fields: dict[str, Any]) -> str | None:  # type: ignore[no-untyped-def]
    """Load one versioned rule without ever rewriting a version that has judged records. The version that
    already holds the seed's rules takes its descriptions (name, years, note); when none does, the latest
    version is updated if nothing was judged by it, else a new version is added. Says what changed."""
    versions = list(model.objects.filter(code=code).order_by("-version"))
    rules = {k: v for k, v in fields.items() if k in model.frozen_fields}
    same = next((v for v in versions if all(getattr(v, k) == val for k, val in rules.items())), None)
    latest, label = (versions[0] if versions else None), f"{model._meta.verbose_name} {code}"
    if same is not None or latest is None:
        _upsert(model, {"code": code, "version": same.version if same else 1}, fields)
        if same is not None and same != latest:  # an administrator added a version since: it stays
            return (
                f"{label}: the seed file holds the rules of v{same.version}; v{latest.version} kept as it is"
            )
        return None
    changed = ", ".join(k for k, v in rules.items() if getattr(latest, k) != v)
    uses = rule_version_uses(latest)
    if not uses:
        _upsert(model, {"pk": latest.pk}, fields)
        return f"{label} v{latest.version}: {changed} updated (no record judged by it yet)"
    model.objects.create(code=code, version=latest.version + 1, **fields)
    return (
        f"{label}: added v{latest.version + 1} ({changed} differ from v{latest.version}, "
        f"which judged {uses} records and is kept as it was)"
    )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _key(ref: dict[str, Any]) -> tuple:
    return (ref["number"], ref["symbol"], _date(ref.get("issue_date")), ref["issuer"])


@actor_scoped
def rulebook_load(*, actor: Actor, path: Path = DEFAULT_FILE) -> dict[str, Any]:
    """Upsert the regulation register and criteria sets from `path`; re-loading changes nothing. A rule
    version that has judged records is never rewritten: `rule_versions` says what was added or updated."""
    grant = RulebookPermissions(actor).require("change")
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    counts: dict[str, Any] = {"regulations": 0, "criteria_sets": 0, "criteria": 0}
    with transaction.atomic(), audit.acting(actor, grant=grant, reason="rulebook load"):
        by_key: dict[tuple, Regulation] = {}
        for row in data["regulations"]:
            number, symbol, issue_date, issuer = _key(row)
            fields = {
                "kind": row["kind"],
                "title": clean(row["title"]),
                "status": row["status"],
                "effective_from": _date(row.get("effective_from")),
                "effective_to": _date(row.get("effective_to")),
                "is_uncertain": bool(row.get("is_uncertain")),
                "note": row.get("note", "").strip(),
            }
            fields["search_text"] = fold(f"{number}-{symbol} {fields['title']} {issuer}")[:600]
            reg = _upsert(
                Regulation,
                {"number": number, "symbol": symbol, "issue_date": issue_date, "issuer": issuer},
                fields,
            )
            by_key[(number, symbol, issue_date, issuer)] = reg
            counts["regulations"] += 1
        for row in data["regulations"]:
            if row.get("replaced_by"):
                reg, successor = by_key[_key(row)], by_key.get(_key(row["replaced_by"]))
                if successor is None:
                    raise DomainError(f"replaced_by of {reg.key} points at an unknown regulation")
                if reg.replaced_by_id != successor.pk:
                    reg.replaced_by = successor
                    reg.save(update_fields=["replaced_by"])
        for row in data.get("criteria_sets", []):
            regulation = by_key.get(_key(row["regulation"]))
            if regulation is None:
                raise DomainError(f"criteria set {row['code']} points at an unknown regulation")
            fields = {
                "name": clean(row["name"]),
                "kind": row["kind"],
                "regulation": regulation,
                "valid_from": _date(row["valid_from"]),
                "valid_to": _date(row.get("valid_to")),
            }
            cs = _upsert(CriteriaSet, {"code": row["code"], "version": row["version"]}, fields)
            counts["criteria_sets"] += 1
            counts["criteria"] += _load_criteria(cs, row.get("criteria", []), parent=None)
        for row in data.get("holidays", []):
            _upsert(
                Holiday,
                {"date": _date(row["date"])},
                {"name": clean(row["name"]), "is_uncertain": row["is_uncertain"]},
            )
        counts["holidays"] = len(data.get("holidays", []))
        counts.update(_load_commitment_rules(data, by_key))
        counts["plan_approvals"] = _load_plan_approvals(data)
        counts.update(oversight_rules=_load_oversight_rules(data), feedback_rules=_load_feedback_rules(data))
    return counts


def oversight_rules_check(row: Any) -> None:
    """Refuse oversight periods with an unknown mode, step or severity, or a period that is not whole days."""
    code = row.get("code") if isinstance(row, dict) else row
    if not isinstance(row, dict) or not code or not row.get("name") or type(row.get("year_from")) is not int:
        raise DomainError(f"oversight_rules {code!r}: code, name and year_from are required")

    def days(value: Any, where: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise DomainError(
                f"oversight_rules {code}: {where} must be a whole number of days, not {value!r}"
            )

    for mode, steps in (row.get("step_days") or {}).items():
        if mode not in OVERSIGHT_MODES:
            raise DomainError(f"oversight_rules {code}: unknown mode {mode!r} (one of {OVERSIGHT_MODES})")
        for step, value in steps.items():
            if step not in OVERSIGHT_STEPS:
                raise DomainError(f"oversight_rules {code}: unknown step {step!r} (one of {OVERSIGHT_STEPS})")
            days(value, f"step_days.{mode}.{step}")
    for key in ("remedy_days", "max_extensions"):
        for severity, value in (row.get(key) or {}).items():
            if severity not in FINDING_SEVERITIES:
                raise DomainError(f"oversight_rules {code}: unknown severity {severity!r} in {key}")
            days(value, f"{key}.{severity}")
    days(row.get("escalate_after_days"), "escalate_after_days")
    days(row.get("reply_days"), "reply_days")


def _load_oversight_rules(data: dict[str, Any]) -> int:
    """The periods of inspection, supervision and follow-up (checked first: one bad row writes none)."""
    rows = data.get("oversight_rules", [])
    for row in rows:
        oversight_rules_check(row)
    for row in rows:
        _upsert(OversightRules, {"code": row["code"]}, {
            "name": clean(row["name"]), "year_from": row["year_from"], "year_to": row.get("year_to"),
            "step_days": row.get("step_days", {}), "remedy_days": row.get("remedy_days", {}),
            "max_extensions": row.get("max_extensions", {}), "escalate_after_days": row["escalate_after_days"],
            "reply_days": row["reply_days"], "source": row.get("source", "").strip(),
            "is_uncertain": bool(row.get("is_uncertain")),
        })  # fmt: skip
    return len(rows)


def _clock(value: Any) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value) if isinstance(value, str) and len(value) == 5 else None
    except ValueError:
        return None


def feedback_rules_check(row: Any) -> None:
    """Refuse report deadlines with unknown severities, periods that are not whole hours or days, or office
    hours that are not ordered "HH:MM" spans."""
    code = row.get("code") if isinstance(row, dict) else row
    if not isinstance(row, dict) or not code or not row.get("name") or type(row.get("year_from")) is not int:
        raise DomainError(f"feedback_rules {code!r}: code, name and year_from are required")

    def whole(value: Any, where: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise DomainError(f"feedback_rules {code}: {where} must be a whole number, not {value!r}")

    spans = row.get("office_hours")
    if not isinstance(spans, list) or not spans:
        raise DomainError(f"feedback_rules {code}: office_hours must list the working spans of a day")
    last = dt.time.min
    for span in spans:
        start, end = (
            (_clock(span[0]), _clock(span[1])) if isinstance(span, list) and len(span) == 2 else (None, None)
        )
        if start is None or end is None or not (last <= start < end):
            raise DomainError(
                f'feedback_rules {code}: office_hours {span!r} must be ordered ["HH:MM", "HH:MM"] spans'
            )
        last = end
    whole(row.get("accept_hours"), "accept_hours")
    resolve = row.get("resolve_hours") or {}
    for severity in FEEDBACK_SEVERITIES:
        if severity not in resolve:
            raise DomainError(f"feedback_rules {code}: resolve_hours needs a period for {severity!r}")
    for severity, value in resolve.items():
        if severity not in FEEDBACK_SEVERITIES:
            raise DomainError(
                f"feedback_rules {code}: unknown severity {severity!r} (one of {FEEDBACK_SEVERITIES})"
            )
        whole(value, f"resolve_hours.{severity}")
    whole(row.get("reopen_days"), "reopen_days")
    whole(row.get("escalate_after_hours"), "escalate_after_hours")


def _load_feedback_rules(data: dict[str, Any]) -> int:
    """The deadlines of citizens' reports (checked first: one bad row writes none)."""
    rows = data.get("feedback_rules", [])
    for row in rows:
        feedback_rules_check(row)
    for row in rows:
        _upsert(FeedbackRules, {"code": row["code"]}, {
            "name": clean(row["name"]), "year_from": row["year_from"], "year_to": row.get("year_to"),
            "office_hours": row["office_hours"], "accept_hours": row["accept_hours"],
            "resolve_hours": row["resolve_hours"], "reopen_days": row["reopen_days"],
            "escalate_after_hours": row["escalate_after_hours"], "source": row.get("source", "").strip(),
            "is_uncertain": bool(row.get("is_uncertain")),
        })  # fmt: skip
    return len(rows)


def plan_approval_check(row: Any) -> None:
    """Refuse a plan-approval rule without a known organization kind, a yes/no answer or its source."""
    if not isinstance(row, dict) or row.get("kind") not in OrgKind.values:
        kind = row.get("kind") if isinstance(row, dict) else row
        raise DomainError(
            f"plan_approvals: unknown organization kind {kind!r} (one of {list(OrgKind.values)})"
        )
    if not isinstance(row.get("needs_approval"), bool):
        raise DomainError(f"plan_approvals {row['kind']}: needs_approval must be true or false")
    if not str(row.get("source") or "").strip():
        raise DomainError(f"plan_approvals {row['kind']}: say where the rule comes from (source)")


def _load_plan_approvals(data: dict[str, Any]) -> int:
    """Which levels' implementation plans are approved from above (checked first: one bad row writes none)."""
    rows = data.get("plan_approvals", [])
    for row in rows:
        plan_approval_check(row)
    if len({row["kind"] for row in rows}) != len(rows):
        raise DomainError("plan_approvals: one rule per organization kind")
    for row in rows:
        _upsert(
            PlanApproval,
            {"kind": row["kind"]},
            {
                "needs_approval": row["needs_approval"], "source": row["source"].strip(),
                "is_uncertain": bool(row.get("is_uncertain")),
            },
        )  # fmt: skip
    return len(rows)


def template_check(row: dict[str, Any]) -> None:
    """Refuse template sections without a code or title, repeated codes, or minimums that are not counts."""
    codes = []
    for section in row.get("sections") or []:
        if not isinstance(section, dict) or not section.get("code") or not section.get("title"):
            raise DomainError(f"template {row.get('code')}: every section needs a code and a title")
        for key in ("min_items", "min_items_for_heads"):
            if not isinstance(section.get(key, 0), int) or section.get(key, 0) < 0:
                raise DomainError(f"template {row.get('code')}: {key} of {section['code']} must be a count")
        if any(
            not isinstance(i, dict) or not str(i.get("content", "")).strip() for i in section.get("items", [])
        ):
            raise DomainError(f"template {row.get('code')}: an item of {section['code']} has no content")
        codes.append(section["code"])
    if not codes or len(codes) != len(set(codes)):
        raise DomainError(f"template {row.get('code')}: sections are missing or repeat a code")


def scheme_check(row: dict[str, Any]) -> None:
    """Public name of the scheme check (the admin form runs it before saving an edit)."""
    _check_scheme(row)


def _check_scheme(row: dict[str, Any]) -> None:
    """Refuse a scheme whose grades, quota or disqualifiers name something unknown (a typo changes grades)."""
    codes = [g["grade"] for g in row["grades"]]
    if sorted(codes) != sorted(GRADE_ORDER) or codes != list(GRADE_ORDER):
        raise DomainError(f"scheme {row['code']}: grades must be {list(GRADE_ORDER)} in that order")
    if row.get("scale_max"):
        bands = [g.get("min_score") for g in row["grades"]]
        if (
            any(b is None for b in bands)
            or bands != sorted(bands, reverse=True)
            or bands[0] > row["scale_max"]
        ):
            raise DomainError(
                f"scheme {row['code']}: every grade needs a min_score, best first, within the scale"
            )
    quota = row.get("quota") or {}
    if quota and (quota["grade"] not in GRADE_ORDER or not set(quota["of_grades"]) <= set(GRADE_ORDER)):
        raise DomainError(f"scheme {row['code']}: the quota names an unknown grade")
    for d in row.get("disqualifiers", []):
        if d.get("caps_at") not in GRADE_ORDER:
            raise DomainError(f"scheme {row['code']}: disqualifier {d.get('code')} caps at an unknown grade")
    exemptions = row.get("exemptions", [])
    codes = [e.get("code") for e in exemptions]
    if len(set(codes)) != len(codes) or not all(
        e.get("code") and str(e.get("title", "")).strip() and str(e.get("source", "")).strip()
        for e in exemptions
    ):
        raise DomainError(f"scheme {row['code']}: each exemption needs a unique code, a title and its source")
    _check_organization_rating(row)


ORG_DECIDERS = {"decide_cell": {"grassroots_committee"}, "decide_grassroots": {"committee_above"}}


def _check_organization_rating(row: dict[str, Any]) -> None:
    """The rating of party organizations, when a scheme has one: the four grades in order, a quota on known
    grades, who proposes and who decides with its source, whether a head is capped at the organization's
    grade with its source."""
    org = row.get("organizations")
    if not org:
        return
    code = row["code"]
    if [g.get("grade") for g in org.get("grades", [])] != list(GRADE_ORDER):
        raise DomainError(f"scheme {code}: organizations.grades must be {list(GRADE_ORDER)} in that order")
    if not set(org.get("kinds", [])) or not set(org["kinds"]) <= {"party_committee", "party_cell"}:
        raise DomainError(f"scheme {code}: organizations.kinds must name party committees or cells")
    quota = org.get("quota") or {}
    if quota and (
        quota.get("grade") not in GRADE_ORDER or not set(quota.get("of_grades", [])) <= set(GRADE_ORDER)
    ):
        raise DomainError(f"scheme {code}: organizations.quota names an unknown grade")
    authority = org.get("authority") or {}
    if authority.get("propose") != "self" or any(authority.get(k) not in v for k, v in ORG_DECIDERS.items()):
        raise DomainError(
            f"scheme {code}: organizations.authority: propose 'self', decide_cell 'grassroots_committee', "
            "decide_grassroots 'committee_above'"
        )
    head_cap = org.get("head_cap") or {}
    if not str(authority.get("source", "")).strip() or not str(head_cap.get("source", "")).strip():
        raise DomainError(f"scheme {code}: organizations.authority and head_cap need their source")


def authority_check(row: dict[str, Any]) -> None:
    """Refuse a scheme that does not say, with its source, which levels propose and which decide a member's
    grade, or that names an unknown level (a typo would leave grades that nobody may decide)."""
    authority = row.get("authority")
    if not isinstance(authority, dict) or not str(authority.get("source", "")).strip():
        raise DomainError(f"scheme {row.get('code')}: authority needs propose, decide and its source")
    for step in ("propose", "decide"):
        levels = authority.get(step)
        if not isinstance(levels, list) or not levels or not set(levels) <= set(AUTHORITY_LEVELS):
            raise DomainError(
                f"scheme {row.get('code')}: authority.{step} must list levels among {list(AUTHORITY_LEVELS)}"
            )


CALENDAR_DATES = (
    "register_by", "midyear_from", "midyear_by", "yearend_from", "yearend_by", "residence_by", "grading_from",
    "proposal_by", "decision_by",
)  # fmt: skip


def calendar_fields(row: dict[str, Any]) -> dict[str, Any]:
    """A year's calendar row, checked: every window opens before it is due, and the year-end stages open in
    the year itself (no year-end self-assessment in its February)."""
    fields: dict[str, Any] = {name: _date(row.get(name)) for name in CALENDAR_DATES}
    year = row["year"]
    if fields["register_by"] is None:
        raise DomainError(f"calendar {year}: register_by is required")
    for opens, due in (("midyear_from", "midyear_by"), ("yearend_from", "yearend_by"),
                       ("grading_from", "proposal_by"), ("grading_from", "decision_by")):  # fmt: skip
        if fields[opens] and fields[due] and fields[opens] > fields[due]:
            raise DomainError(f"calendar {year}: {opens} is after {due}")
    for opens in ("midyear_from", "yearend_from", "grading_from"):
        if fields[opens] and fields[opens].year != year:
            raise DomainError(f"calendar {year}: {opens} must fall in {year}")
    if fields["proposal_by"] and fields["decision_by"] and fields["proposal_by"] > fields["decision_by"]:
        raise DomainError(f"calendar {year}: proposal_by is after decision_by")
    fields["is_uncertain"] = bool(row.get("is_uncertain"))
    return fields


def _load_commitment_rules(data: dict[str, Any], by_key: dict[tuple, Regulation]) -> dict[str, Any]:
    """Evaluation schemes, commitment templates, residence comment forms (versioned: see `_upsert_version`)
    and the yearly calendar."""
    report: list[str | None] = []
    for row in data.get("evaluation_schemes", []):
        _check_scheme(row)
        authority_check(row)
        regulation = by_key.get(_key(row["regulation"])) if row.get("regulation") else None
        report.append(_upsert_version(
            EvaluationScheme,
            row["code"],
            {
                "name": clean(row["name"]), "regulation": regulation, "year_from": row["year_from"],
                "year_to": row.get("year_to"), "scale_max": row.get("scale_max"), "grades": row["grades"],
                "quota": row.get("quota", {}), "disqualifiers": row.get("disqualifiers", []),
                "authority": row["authority"], "exemptions": row.get("exemptions", []),
                "organizations": row.get("organizations", {}),
                "is_uncertain": bool(row.get("is_uncertain")), "note": row.get("note", ""),
            },
        ))  # fmt: skip
    for row in data.get("commitment_templates", []):
        template_check(row)
        report.append(_upsert_version(
            CommitmentTemplate,
            row["code"],
            {
                "name": clean(row["name"]), "title": clean(row["title"]), "for_heads": row["for_heads"],
                "year_from": row["year_from"], "year_to": row.get("year_to"), "sections": row["sections"],
                "is_uncertain": bool(row.get("is_uncertain")),
            },
        ))  # fmt: skip
    for row in data.get("residence_comment_forms", []):
        report.append(_upsert_version(
            ResidenceCommentForm,
            row["code"],
            {
                "name": clean(row["name"]), "year_from": row["year_from"], "year_to": row.get("year_to"),
                "items": row["items"], "is_uncertain": bool(row.get("is_uncertain")),
            },
        ))  # fmt: skip
    for row in data.get("commitment_calendars", []):
        _upsert(CommitmentCalendar, {"year": row["year"]}, calendar_fields(row))
    counts: dict[str, Any] = {
        "evaluation_schemes": len(data.get("evaluation_schemes", [])),
        "commitment_templates": len(data.get("commitment_templates", [])),
    }
    if any(report):
        counts["rule_versions"] = "; ".join(line for line in report if line)
    return counts


def _load_criteria(cs: CriteriaSet, items: list[dict[str, Any]], *, parent: Criterion | None) -> int:
    n = 0
    for order, item in enumerate(items, start=1):
        fields = {
            "title": clean(item["title"]),
            "description": item.get("description", "").strip(),
            "order": order,
            "parent": parent,
        }
        crit = _upsert(Criterion, {"criteria_set": cs, "code": item["code"]}, fields)
        n += 1 + _load_criteria(cs, item.get("children", []), parent=crit)
    return n
