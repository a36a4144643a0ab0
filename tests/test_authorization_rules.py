"""The authorization API's house rules, checked on the code itself (docs/architecture.md, ADR 0011).

- Every public service and selector that takes an ``actor`` reads under that actor's scope (``@actor_scoped``).
- ``unscoped()`` appears only in modules that declare why: a context's ``cross_scope.py``, or a module with a
  top-level ``CROSS_SCOPE = "…why…"``; every call site is listed below with its reason, so a new one is a
  reviewed change of this file.
- Policies are permission classes: no module-level ``can_*`` function, every ``can_*`` method returns
  ``Grant | None``.
- No service function is longer than ``MAX_SERVICE_LINES`` lines.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import lamtheo

PACKAGE = Path(lamtheo.__file__).resolve().parent
CONTEXTS = sorted(
    p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name != "devtools"
)
MAX_SERVICE_LINES = 60


def _production_files() -> list[Path]:
    return sorted(f for f in PACKAGE.rglob("*.py") if "tests" not in f.parts and "migrations" not in f.parts)


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer_modules(layer: str) -> list[str]:
    """`<context>.<layer>` and, when it is a package, every module inside it."""
    names = []
    for context in CONTEXTS:
        name = f"lamtheo.{context}.{layer}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        names.append(name)
        if hasattr(module, "__path__"):
            names += [m.name for m in pkgutil.walk_packages(module.__path__, prefix=f"{name}.")]
    return names


def test_every_public_service_and_selector_taking_an_actor_is_actor_scoped():  # type: ignore[no-untyped-def]
    missing = []
    for name in _layer_modules("services") + _layer_modules("selectors"):
        module = importlib.import_module(name)
        for attr, fn in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(fn):
                continue
            original = inspect.unwrap(fn)
            if original.__module__ != name or "actor" not in inspect.signature(original).parameters:
                continue
            if not getattr(fn, "actor_scoped", False):
                missing.append(f"{name}.{attr}")
    assert not missing, "Decorate with @actor_scoped (core.permissions):\n" + "\n".join(missing)


def _declares_cross_scope(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "CROSS_SCOPE" for t in node.targets
        ):
            return isinstance(node.value, ast.Constant) and bool(str(node.value.value).strip())
    return False


def _unscoped_sites() -> tuple[list[tuple[str, str, str]], list[str]]:
    """(module, function, reason) of every unscoped() call, and the problems found."""
    sites, problems = [], []
    for path in _production_files():
        module = _module_name(path)
        if module == "lamtheo.core.scoping":
            continue  # where unscoped() is defined
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = path.name == "cross_scope.py" or _declares_cross_scope(tree)
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
                continue
            for node in ast.walk(fn):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "unscoped"
                ):
                    continue
                reason = next((k.value for k in node.keywords if k.arg == "reason"), None)
                where = f"{module}:{node.lineno}"
                if not isinstance(reason, ast.Constant):
                    problems.append(f"{where}: the reason must be a literal string")
                    continue
                if not allowed:
                    problems.append(f"{where}: unscoped() outside cross_scope.py or a CROSS_SCOPE module")
                owner = getattr(fn, "name", "<module>")
                sites.append((module, owner, str(reason.value), node.lineno))
    # A call is counted once, under the innermost function or class that holds it.
    innermost: dict[tuple[str, int], tuple[str, str, str]] = {}
    for module, owner, reason, line in sites:
        innermost[(module, line)] = (module, owner, reason)
    return sorted(set(innermost.values())), sorted(set(problems))


def test_unscoped_only_in_modules_that_declare_why():  # type: ignore[no-untyped-def]
    _, problems = _unscoped_sites()
    assert not problems, "\n".join(problems)


def test_every_unscoped_call_site_is_listed_with_its_reason():  # type: ignore[no-untyped-def]
    sites, _ = _unscoped_sites()
    found = {f"{m}.{f}: {r}" for m, f, r in sites}
    listed = {line for line in UNSCOPED_SITES.strip().splitlines() if line.strip()}
    new, gone = sorted(found - listed), sorted(listed - found)
    assert not new and not gone, (
        "Update UNSCOPED_SITES in tests/test_authorization_rules.py after review.\n"
        + "New call sites:\n  " + "\n  ".join(new) + "\nNo longer in the code:\n  " + "\n  ".join(gone)
    )  # fmt: skip


def test_policies_are_permission_classes_returning_grants():  # type: ignore[no-untyped-def]
    problems = []
    for context in CONTEXTS:
        path = PACKAGE / context / "policies.py"
        if not path.exists():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("can_"):
                problems.append(f"{context}.policies.{node.name}: a module-level can_ function (use a class)")
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name.startswith("can_"):
                        returns = ast.unparse(item.returns) if item.returns else ""
                        if returns.replace(" ", "") not in ("Grant|None", "Optional[Grant]"):
                            problems.append(f"{context}.policies.{node.name}.{item.name} returns {returns!r}")
    assert not problems, "\n".join(problems)


def test_service_functions_are_short():  # type: ignore[no-untyped-def]
    long = []
    for path in _production_files():
        module = _module_name(path)
        if ".services" not in module + ".":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if length > MAX_SERVICE_LINES:
                    long.append(f"{module}.{node.name}: {length} lines")
    assert not long, f"Split these (at most {MAX_SERVICE_LINES} lines):\n" + "\n".join(long)


# Every unscoped() call in production code: "<module>.<function>: <reason>". Reviewed; keep in step.
UNSCOPED_SITES = """
lamtheo.commitments.admin.get_queryset: Django admin: system administrators only
lamtheo.commitments.cross_scope.evaluation_of_plan: read alongside a plan the actor may read
lamtheo.commitments.cross_scope.evaluation_version_bump: optimistic lock on the plan's evaluation
lamtheo.commitments.cross_scope.evaluations_judged_by: a rule version in use anywhere is frozen
lamtheo.commitments.cross_scope.exemption_of: read alongside a plan the actor grades
lamtheo.commitments.cross_scope.exemptions_judged_by: a rule version in use anywhere is frozen
lamtheo.commitments.cross_scope.front_near: the Front committee where the member lives
lamtheo.commitments.cross_scope.headed_organizations: the organizations a graded member heads
lamtheo.commitments.cross_scope.headed_organizations: the rating of the organization a graded member heads
lamtheo.commitments.cross_scope.rating_counts: the quota counts every organization the committee rates
lamtheo.commitments.cross_scope.rating_decider: the committee directly above a grassroots organization
lamtheo.commitments.cross_scope.rating_for_update: re-read of a rating the actor already holds
lamtheo.commitments.cross_scope.ratings_judged_by: a rule version in use anywhere is frozen
lamtheo.commitments.cross_scope.grade_counts: the quota counts the whole grassroots organization
lamtheo.commitments.cross_scope.lock_delete: the lock the actor may lift
lamtheo.commitments.cross_scope.lock_grassroots_row: serialise the quota count of a grassroots organization
lamtheo.commitments.cross_scope.lock_grassroots_rows_under: rows locked while a year is closed
lamtheo.commitments.cross_scope.grassroots_for_grading: locks of the committees above apply here
lamtheo.commitments.cross_scope.grassroots_for_grading: the grassroots a cell had when a lock was set
lamtheo.commitments.cross_scope.lock_over: locks of the committees above apply here
lamtheo.commitments.cross_scope.member_graded: one member's grade, checked by their cell
lamtheo.commitments.cross_scope.organization_ids_under: ids under an organization the actor holds a grant on
lamtheo.commitments.cross_scope.organization_paths_under: paths of the cells under an organization the actor follows
lamtheo.commitments.cross_scope.organizations_named_above: the document names the committees above the cell
lamtheo.commitments.cross_scope.other_roots_exist: how many roots the tree has
lamtheo.commitments.cross_scope.plan_for_update: re-read of a plan the actor already holds
lamtheo.commitments.cross_scope.plans_written_on: a rule version in use anywhere is frozen
lamtheo.commitments.cross_scope.published_plan_items: items of a published commitment
lamtheo.commitments.cross_scope.published_plans: heads' commitments published on the portal are public
lamtheo.commitments.cross_scope.reminders_sent_to: a member reads the reminders sent to them
lamtheo.commitments.cross_scope.residence_comment_for_update: re-read of a comment the actor already holds
lamtheo.commitments.cross_scope.residence_comment_of_plan: read alongside a plan the actor may read
lamtheo.commitments.cross_scope.residence_comments_on: a rule version in use anywhere is frozen
lamtheo.commitments.cross_scope.undecided_grades_under: a lock covers the whole subtree
lamtheo.commitments.cross_scope.unfinished_items_of_last_year: the same person's previous plan, carried forward
lamtheo.commitments.cross_scope.unrated_members_under: a lock covers the whole subtree
lamtheo.core.cross_scope.existing_ids: whether a record named in a history still exists (ids only)
lamtheo.devtools.demo.counts: demo seed counts
lamtheo.devtools.demo.create_people: demo seed
lamtheo.devtools.demo.database_is_empty: seed_demo --if-empty checks for any data
lamtheo.devtools.demo_commitments.build: demo seed
lamtheo.devtools.demo_commitments._residents_working_elsewhere: demo seed
lamtheo.devtools.scale._accounts: generator
lamtheo.devtools.scale_commitments._grassroots_by_cell: generator
lamtheo.devtools.scale_commitments._max_id: generator
lamtheo.devtools.scale_commitments.build_commitments: generator
lamtheo.devtools.scale_oversight.build_oversight: generator
lamtheo.devtools.demo_feedback._back: demo dates
lamtheo.devtools.scale_feedback._ward_areas: generator
lamtheo.devtools.scale_planning._max_id: generator
lamtheo.devtools.scale_planning.build_plans: generator
lamtheo.organizations.bulk._positions: id watermark
lamtheo.organizations.bulk._positions: resolve the codes of this import
lamtheo.organizations.bulk.open_heads: one head per organization, checked by imports
lamtheo.organizations.bulk.open_positions: duplicate check for a roster import
lamtheo.organizations.bulk.org_codes: codes are global
lamtheo.organizations.bulk.org_refs_by_id: a person's current placement, kept unchanged
lamtheo.organizations.bulk.organizations_write: id watermark
lamtheo.organizations.bulk.organizations_write: ids of this import
lamtheo.organizations.bulk.organizations_write: parents of this import
lamtheo.organizations.bulk.person_index: codes are global; visibility is computed per row
lamtheo.organizations.bulk.person_index: paths of every person's organizations
lamtheo.organizations.bulk.start: id watermark
lamtheo.organizations.cross_scope.grassroots_above: ancestors of a visible organization
lamtheo.organizations.cross_scope.head_position_of: whether a person heads an organization: one fact about them
lamtheo.organizations.cross_scope.is_party_member: building the actor of the logged-in user
lamtheo.organizations.cross_scope.merged_into_in_year: closed units read through their successor
lamtheo.organizations.cross_scope.open_party_cell_by_code: any party cell of a place of residence can be asked for a comment
lamtheo.organizations.cross_scope.organization_code_taken: code uniqueness is global
lamtheo.organizations.cross_scope.person_code_taken: code uniqueness is global
lamtheo.organizations.cross_scope.role_grants_of_user: building the actor of the logged-in user
lamtheo.planning.cross_scope.task_progress_of_plans: closed units' plans read through their successor
lamtheo.planning.cross_scope.plan_giving_tasks_to: the plan above that gives this unit tasks
lamtheo.planning.cross_scope.plan_of_task_for_update: the current state of the task's plan
lamtheo.planning.cross_scope.plan_rollup: roll-up
lamtheo.planning.cross_scope.plan_rollup: roll-up reads every task of the plan
lamtheo.planning.cross_scope.plans_of_closed_units: closed units' plans read through their successor
lamtheo.planning.cross_scope.rollup_from: roll-up
lamtheo.planning.cross_scope.rollup_from: roll-up reads every sub-task
lamtheo.planning.cross_scope.rollup_from: roll-up reads the reports of every task above
lamtheo.feedback.cross_scope.all_reports: public figures and public fields of every report
lamtheo.feedback.cross_scope.evidence_photo: evidence photos are published with the answer
lamtheo.feedback.cross_scope.handling_units: the units that handle reports are public
lamtheo.feedback.cross_scope.public_events: the public timeline of a report read by its tracking code
lamtheo.feedback.cross_scope.public_photo: a photo of a report read by its tracking code
lamtheo.feedback.cross_scope.public_photos: the photos of a report read by its tracking code
lamtheo.feedback.cross_scope.report_by_code: a citizen reads their own report by its tracking code
lamtheo.feedback.cross_scope.report_by_code_for_duplicate: the original of a duplicate, named by its code
lamtheo.feedback.cross_scope.report_for_update: re-read of a report the caller already holds
lamtheo.oversight.admin.get_queryset: Django admin: system administrators only
lamtheo.oversight.cross_scope.case_for_update: re-read of a case the actor already holds
lamtheo.oversight.cross_scope.community_roots: the kinds of a Front's ancestors
lamtheo.oversight.cross_scope.community_roots: where a Front stands in the tree
lamtheo.oversight.cross_scope.community_people: the Front supervises the cadres of the community it belongs to
lamtheo.oversight.cross_scope.community_units: the Front supervises the units of the community it belongs to
lamtheo.oversight.cross_scope.measures_in_year: a member's discipline caps the grade of their evaluation
lamtheo.oversight.cross_scope.programme_for_update: re-read of a programme the actor already holds
lamtheo.remediation.admin.get_queryset: Django admin: system administrators only
lamtheo.remediation.cross_scope.item_for_update: re-read of an item the actor already holds
lamtheo.remediation.cross_scope.open_items_of_person: a person's own open shortcomings are carried into their plan
lamtheo.roster.cross_scope.export_job: background job of its own creator
lamtheo.roster.cross_scope.import_job: background job of its own creator
lamtheo.roster.cross_scope.mark_import_failed: marking a crashed job
"""
