"""Personal cultivation plans for the scale dataset: one plan per party member for a year (about one in ten
members has none yet), ~8 items each, a year-end evaluation for most self-assessed plans, and residence
comments for working members. Written with COPY or executemany (a generator, not a service): no history
rows, as for the generated plans of organizations.

The city scale has 500,000 people of whom ~60% are party members, i.e. ~300,000 members. The issue's
target is 500,000 plans, so `generate_scale --commitments` builds `PEOPLE_FOR_500K_PLANS` people instead:
~555,600 members, of whom ~90% have a plan.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import TextIO

from django.db import connection, transaction
from django.db.models import Max

from lamtheo.commitments.models import CommitmentItem, CommitmentPlan, Evaluation, ResidenceComment
from lamtheo.core.actor import Actor
from lamtheo.core.scoping import activate
from lamtheo.organizations.models import Organization, Person, Position
from lamtheo.rulebook import selectors as rulebook_selectors
from lamtheo.rulebook.models import CommitmentTemplate, EvaluationScheme

CROSS_SCOPE = "a generator of the scale dataset: writes the whole tree directly, never run in production"

SYSTEM = Actor.system(reason="generate_scale")
# 926,000 people × 60% members × 90% with a plan ≈ 500,000 plans (the target).
PEOPLE_FOR_500K_PLANS = 926_000
CHUNK = 50_000  # members per round: bounds the memory of the item rows (~400,000 per round)

# Plan status of those who registered; ~77% of the approved have self-assessed (≈60% of all plans).
STATUSES = (("draft", 0.09), ("returned", 0.02), ("submitted", 0.11), ("approved", 0.78))
NO_PLAN = 0.10
YEAREND_OF_APPROVED = 0.77
EVALUATED_OF_YEAREND = 0.90
# Grade, its share, its score band on the 100-point scale of Quy định 366 in hundredths (both inclusive).
GRADES = (("excellent", 0.10, 9000, 10000), ("good", 0.60, 7000, 8999), ("completed", 0.25, 5000, 6999),
          ("not_completed", 0.05, 2000, 4999))  # fmt: skip

# Sections without items in the template get the members' own items, drawn from these.
OWN_ITEMS = {
    "duties": (
        ("Hoàn thành 100% nhiệm vụ chuyên môn được giao đúng tiến độ, bảo đảm chất lượng", "100%"),
        (
            "Tham gia đầy đủ các hoạt động của tổ dân phố, vận động gia đình thực hiện tốt nếp sống văn minh",
            "",
        ),
        ("Vận động 100% hộ gia đình trong tổ thực hiện phân loại rác thải tại nguồn", "100% hộ"),
        ("Tham gia giải quyết dứt điểm các kiến nghị của Nhân dân trong phạm vi được phân công", ""),
    ),
    "discipline": (
        ("Chấp hành nghiêm sự phân công của tổ chức; sinh hoạt chi bộ đầy đủ, đóng đảng phí đúng hạn", ""),
        ("Thực hiện nghiêm các quy định về những điều đảng viên không được làm", ""),
    ),
    "following": (
        ('Đăng ký thực hiện mô hình "Dân vận khéo" tại khu dân cư', "1 mô hình"),
        ("Làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh: thực hành tiết kiệm, chống lãng phí", ""),
        ("Xây dựng tủ sách pháp luật, tuyên truyền an toàn giao thông ở tổ dân phố", ""),
    ),
    "remedy": (
        ("Khắc phục hạn chế về tham gia sinh hoạt chi bộ chưa đầy đủ đã được chỉ ra năm trước", ""),
        ("Khắc phục hạn chế về tinh thần tự phê bình và phê bình đã được chỉ ra", ""),
    ),
}
TIMELINES = ("Cả năm {year}", "Quý II/{year}", "Trước 30/9/{year}", "Thường xuyên")


def _max_id(model) -> int:  # type: ignore[no-untyped-def]
    """The largest id of `model` (rows written after it are this run's)."""
    return model.objects.unscoped(reason="generator").aggregate(m=Max("id"))["m"] or 0


def _writer(cur, model, bound: Sequence[str], constants: dict[str, object]):  # type: ignore[no-untyped-def]
    """A function writing rows of the `bound` fields of `model`, with `constants` appended to every row."""
    # COPY on PostgreSQL: six times as fast as executemany there (executemany is the fast path on SQLite).
    quote = connection.ops.quote_name
    names = (*bound, *constants)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    table = quote(model._meta.db_table)
    extra = tuple(constants.values())
    if connection.vendor == "postgresql":

        def copy(rows: list[tuple]) -> None:
            """Stream `rows` through one COPY."""
            with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as out:
                for row in rows:
                    out.write_row(row + extra)

        return copy
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
    return lambda rows: cur.executemany(sql, [row + extra for row in rows])


def _moments(year: int, month: int, days: int) -> list:  # type: ignore[type-arg]
    """Timestamps on `days` consecutive days from the 1st of `month`, already in the database's format."""
    # Adapted once here: adapting every row's datetime would cost more than writing it.
    start = dt.datetime(year, month, 1, 8, tzinfo=dt.UTC)
    return [
        connection.ops.adapt_datetimefield_value(start + dt.timedelta(days=d, hours=d % 9))
        for d in range(days)
    ]


def _grassroots_by_cell(root: Organization) -> dict[int, int]:
    """Organization id → its nearest grassroots organization at or above it, from the paths in one read."""
    # Like the services: the organization itself when no ancestor is marked grassroots.
    rows = list(
        Organization.objects.unscoped(reason="generator").filter(path__startswith=root.path)
        .values_list("id", "path", "is_grassroots")
    )  # fmt: skip
    marked = {oid for oid, _path, grassroots in rows if grassroots}
    nearest = {}
    for oid, path, _g in rows:
        ids = [int(x) for x in path.strip("/").split("/")]
        nearest[oid] = next((a for a in reversed(ids) if a in marked), oid)
    return nearest


def _rulebook() -> None:
    """Plans need the templates, the scheme and the residence form: load the rulebook when it is absent."""
    if not CommitmentTemplate.objects.exists():
        from lamtheo.rulebook.services import rulebook_load

        rulebook_load(actor=SYSTEM)


def build_commitments(
    *, year: int = 2026, seed: int = 2025, root_code: str = "SCALE-HN", stdout: TextIO | None = None
) -> dict[str, int]:
    """Plans, items, evaluations and residence comments of `year` for the party members under `root_code`."""
    rng = random.Random(seed)
    log = (lambda msg: stdout.write(msg + "\n")) if stdout else (lambda msg: None)
    started = time.perf_counter()
    with activate(SYSTEM.scope):
        _rulebook()
        root = Organization.objects.unscoped(reason="generator").get(code=root_code)
        if CommitmentPlan.objects.filter(year=year, cell__path__startswith=root.path).exists():
            raise ValueError(f"Cultivation plans of {year} are already in this database.")
        templates = {
            heads: rulebook_selectors.commitment_template_for(year=year, for_heads=heads).pk
            for heads in (False, True)
        }
        member_template = CommitmentTemplate.objects.get(pk=templates[False])
        scheme = EvaluationScheme.objects.get(code="qd366-2025")
        form = rulebook_selectors.residence_form_for_year(year)
        calendar = rulebook_selectors.commitment_calendar_for(year)
        grassroots = _grassroots_by_cell(root)
        members = list(
            Person.objects.unscoped(reason="generator")
            .filter(is_party_member=True, party_cell__path__startswith=root.path)
            .values_list("id", "party_cell_id", "workplace_id", "residence_cell_id")
            .order_by("id")
        )
        heads = dict(
            Position.objects.unscoped(reason="generator")
            .filter(is_head=True, to_date__isnull=True, organization__path__startswith=root.path)
            .order_by("-id")  # later duplicates overwrite earlier ones: a person's first position wins
            .values_list("person_id", "title")
        )
    log(f"party members: {len(members):,} ({time.perf_counter() - started:.1f} s)")
    sections = _item_choices(member_template.sections, year)
    residence_due = calendar.residence_by if calendar else dt.date(year, 11, 30)
    counts = {"members": len(members), "plans": 0, "items": 0, "evaluations": 0, "residence_comments": 0}
    status_counts = dict.fromkeys((s for s, _w in STATUSES), 0) | {"yearend": 0}
    grade_counts = dict.fromkeys((g for g, *_rest in GRADES), 0)
    moments = {
        "created": _moments(year, 1, 80), "submitted": _moments(year, 3, 28), "decided": _moments(year, 4, 28),
        "midyear": _moments(year, 7, 15), "yearend": _moments(year, 11, 28), "evaluated": _moments(year, 12, 1),
    }  # fmt: skip
    status_names = [s for s, _w in STATUSES]
    status_cum = _cumulative(w for _s, w in STATUSES)
    grade_rows = list(GRADES)
    grade_cum = _cumulative(w for _g, w, *_rest in GRADES)
    ratings = json.dumps({"civic": "good", "ethics": "good", "trust": "good"})
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "sqlite":
            # 128 MB of page cache for this connection: the index inserts of 4 million rows thrash 2 MB.
            cur.execute("PRAGMA cache_size = -131072")
        write_plans = _writer(
            cur, CommitmentPlan,
            ("person", "year", "cell", "template", "is_head", "position_title", "status", "submitted_at",
             "decided_at", "midyear_at", "yearend_at", "self_grade", "self_score", "published_on",
             "on_notice_board", "on_portal", "on_residence", "result_published", "created_at"),
            {"theme": None, "decided_by": None, "review_comment": "", "midyear_summary": "",
             "yearend_summary": "", "created_by": None},
        )  # fmt: skip
        write_items = _writer(
            cur, CommitmentItem,
            ("plan", "section", "order", "content", "measures", "timeline", "target", "source",
             "midyear_result", "yearend_result", "yearend_evidence"),
            {"standards": "[]", "carried_from": None, "remediation": None, "midyear_evidence": "",
             "evidence_link": "", "evidence_file": ""},
        )  # fmt: skip
        write_evaluations = _writer(
            cur, Evaluation,
            ("plan", "scheme", "grassroots", "score", "proposed_grade", "proposed_at", "decided_grade",
             "decided_at", "grade", "year"),
            {"proposed_by": None, "decided_by": None, "disqualifiers": "[]", "comment": "", "version": 1},
        )  # fmt: skip
        write_comments = _writer(
            cur, ResidenceComment,
            ("plan", "residence", "form", "status", "exempt_reason", "requested_at", "due_date", "ratings",
             "comment", "signed_by", "returned_at"),
            {"requested_by": None, "front_head": "", "returned_by": None},
        )  # fmt: skip
        for start in range(0, len(members), CHUNK):
            chunk = members[start : start + CHUNK]
            plans, facts = [], {}
            for person_id, cell_id, workplace_id, residence_id in chunk:
                if rng.random() < NO_PLAN:
                    continue
                status = rng.choices(status_names, cum_weights=status_cum)[0]
                approved = status == "approved"
                yearend = approved and rng.random() < YEAREND_OF_APPROVED
                grade = rng.choices(grade_rows, cum_weights=grade_cum)[0] if yearend else None
                score = Decimal(rng.randint(grade[2], grade[3])) / 100 if grade else None
                title = heads.get(person_id)
                published = dt.date(year, 5, 15) if approved and title else None
                plans.append((
                    person_id, year, cell_id, templates[title is not None], title is not None, title or "", status,
                    rng.choice(moments["submitted"]) if status != "draft" else None,
                    rng.choice(moments["decided"]) if approved else None,
                    rng.choice(moments["midyear"]) if approved else None,
                    rng.choice(moments["yearend"]) if yearend else None,
                    grade[0] if grade else "", score,
                    published, published is not None, published is not None, False, False,
                    rng.choice(moments["created"]),
                ))  # fmt: skip
                facts[person_id] = (cell_id, workplace_id, residence_id, status, yearend, grade, score)
                status_counts[status] += 1
                status_counts["yearend"] += yearend
            base = _max_id(CommitmentPlan)
            write_plans(plans)
            plan_of = dict(
                CommitmentPlan.objects.unscoped(reason="generator")
                .filter(id__gt=base)
                .values_list("person_id", "id")
            )
            items, evaluations, comments = [], [], []
            for person_id, fact in facts.items():
                cell_id, workplace_id, residence_id, status, yearend, grade, score = fact
                plan_id = plan_of[person_id]
                items += _items(rng, plan_id, sections, status == "approved", yearend)
                if yearend and rng.random() < EVALUATED_OF_YEAREND:
                    # The cell proposes the member's self-proposed grade and score; the committee above has
                    # decided seven in ten so far.
                    code = grade[0]
                    decided = rng.random() < 0.7
                    proposed_at = rng.choice(moments["evaluated"])
                    decided_at = rng.choice(moments["evaluated"]) if decided else None
                    evaluations.append((
                        plan_id, scheme.pk, grassroots[cell_id], score, code, proposed_at,
                        code if decided else "", decided_at, code, year,
                    ))  # fmt: skip
                    grade_counts[code] += 1
                # Quy định 213: a member working elsewhere is commented on by the cell where they live.
                working = workplace_id and residence_id and residence_id != cell_id
                if working and status in ("submitted", "approved"):
                    comments.append(
                        _residence_row(rng, plan_id, residence_id, form, moments, residence_due, ratings)
                    )
            write_items(items)
            write_evaluations(evaluations)
            write_comments(comments)
            counts["plans"] += len(plans)
            counts["items"] += len(items)
            counts["evaluations"] += len(evaluations)
            counts["residence_comments"] += len(comments)
            log(
                f"plans: {counts['plans']:,}; items: {counts['items']:,} ({time.perf_counter() - started:.1f} s)"
            )
    counts.update({f"plans_{k}": v for k, v in status_counts.items()})
    counts.update({f"grade_{k}": v for k, v in grade_counts.items()})
    return counts


def _cumulative(weights) -> list[float]:  # type: ignore[no-untyped-def]
    """Running totals of `weights` (for random.choices' cum_weights)."""
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _item_choices(template_sections: list[dict], year: int) -> dict[str, list[tuple]]:
    """Section code → the (content, measures, target, source) its items are drawn from."""
    # The template's own items where it has some, else the members' own items above.
    choices: dict[str, list[tuple]] = {}
    for section in template_sections:
        code = section["code"]
        rows = [(r["content"].replace("{year}", str(year)), r.get("measures", ""), "", "template")
                for r in section.get("items", [])]  # fmt: skip
        rows += [(content, "", target, "own") for content, target in OWN_ITEMS.get(code, ())]
        choices[code] = rows or [(f'Thực hiện nội dung "{section["title"]}"', "", "", "own")]
    return choices


def _items(
    rng: random.Random, plan_id: int, sections: dict[str, list[tuple]], approved: bool, yearend: bool
) -> list:  # type: ignore[type-arg]
    """One plan's ~8 item rows: mid-year results once approved, year-end ones once self-assessed."""
    # One per section, a second duty in three plans out of five, shortcomings to remedy in two out of five.
    codes = [code for code in sections if code != "remedy"]
    if "duties" in sections and rng.random() < 0.6:
        codes.append("duties")
    if "remedy" in sections and rng.random() < 0.4:
        codes.append("remedy")
    timeline = rng.choice(TIMELINES)
    rows = []
    for order, code in enumerate(codes, start=1):
        content, measures, target, source = rng.choice(sections[code])
        midyear = ("done" if rng.random() < 0.7 else "partly") if approved else ""
        if yearend:
            r = rng.random()
            result = "done" if r < 0.8 else "partly" if r < 0.95 else "not_done"
        else:
            result = ""
        rows.append((plan_id, code, order, content, measures, timeline, target, source, midyear, result,
                     "Đã thực hiện, có xác nhận của chi bộ" if result == "done" else ""))  # fmt: skip
    return rows


def _residence_row(rng, plan_id, residence_id, form, moments, due, ratings) -> tuple:  # type: ignore[no-untyped-def]
    """The residence cell's comment on a working member: returned (most), still awaited, or exempt."""
    r = rng.random()
    form_id = form.pk if form else None
    requested = rng.choice(moments["decided"])
    if r < 0.6:
        return (plan_id, residence_id, form_id, "returned", "", requested, due, ratings,
                "Gương mẫu chấp hành chủ trương, chính sách ở nơi cư trú", "Bí thư chi bộ nơi cư trú",
                rng.choice(moments["yearend"]))  # fmt: skip
    if r < 0.9:
        return (plan_id, residence_id, form_id, "requested", "", requested, due, "{}", "", "", None)
    return (plan_id, residence_id, form_id, "exempt", "Đảng viên được miễn sinh hoạt", None, None, "{}", "", "",
            None)  # fmt: skip
