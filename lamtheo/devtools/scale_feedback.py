"""Citizens' reports for the scale dataset: a city's year of ~1,000,000 reports across the 126 wards.

Run after `build_scale` (the city tree). It creates one `Area` per ward (the grassroots committees of the
scale tree, `S001`…`S126`, whose subtrees hold the ward's People's Committee `-UB`, its public
administration service centre `-UB-TT` and one-stop desk `-UB-TT-1`), the routing rules (every report to the
ward's People's Committee by default; administrative procedures to its one-stop desk — the scale tree has no
police unit, so order and safety stays with the People's Committee), loads the categories and the rulebook
(the deadlines) if missing, then writes the reports of `year`, one `Holding` per holder (two for the ~3%
that were transferred) and 2–4 timeline `Event`s per report (received, accepted, answered or rejected,
rated, transferred, reopened).

Shape of the year (the generator's "now" is 1 December of `year`, 08:00):

- received between 1 January and 30 November, weekdays twice as likely as weekend days, hours biased to
  office hours (~75% between 07:00 and 18:00); categories weighted (environment, urban order, infrastructure
  first); channels: web 45%, the Open311 app 30%, hotline 12%, the rest from reception days, meetings, the
  Front and the press; 15% anonymous;
- statuses by age: a report received in the last week is open with probability 60%, in the last month
  25%, older 6.5% (stuck, so overdue): ~9% open overall (received, transferred, reopened, accepted,
  in progress), ~83% resolved or closed (closed once the 7-day reopen window has passed), ~6% rejected,
  ~2% duplicates of an earlier report of the same ward;
- ~90% of the answered reports answered before their deadline (`on_time`), ratings on ~40% of them
  (J-shaped: mostly 5 and 4, some 1; lower when late or reopened), ~3% reopened once.

Deadlines are an APPROXIMATION of the working-hour calendar (the real one, `rules.add_working_hours` with the
rulebook's holidays, costs ~50 µs a call): the clock starts at the receipt, moved to 08:00 of the next
working day when received after 17:00, before 08:00 or on a weekend; acceptance is due one working day later
(8 working hours); resolution 5 working days later for normal reports (40 h), 10 for complex ones (80 h),
4 hours later for urgent ones (rolled to the next morning past 17:00). Working days skip weekends only (no
public holidays, no lunch break), the time of day is kept.

Written with COPY on PostgreSQL and `executemany` on SQLite, ids assigned here (the sequence is moved past
them): a generator, not a service — no history rows, as for the other generated data.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from bisect import bisect
from decimal import Decimal
from typing import TextIO

from django.core.management import call_command
from django.db import connection, transaction

from lamtheo.core.actor import Actor
from lamtheo.core.scoping import activate
from lamtheo.core.text import fold
from lamtheo.feedback.models import Area, Category, Event, Holding, Report, RoutingRule
from lamtheo.feedback.rules import CODE_ALPHABET, CODE_LENGTH
from lamtheo.organizations.models import Organization

from . import names
from .scale import _Namer

CROSS_SCOPE = "a generator of the scale dataset: writes the whole tree directly, never run in production"

SYSTEM = Actor.system(reason="generate_scale --feedback")
REPORTS = 1_000_000
BATCH = 20_000
UTC_OFFSET = dt.timedelta(hours=7)  # Asia/Ho_Chi_Minh, no daylight saving

CATEGORY_WEIGHTS = {"moi-truong": 20, "trat-tu-do-thi": 18, "ha-tang": 15, "xay-dung": 10, "tieng-on": 9,
                    "giao-thong": 8, "an-ninh-trat-tu": 7, "thu-tuc-hanh-chinh": 6, "khac": 7}  # fmt: skip
CHANNELS = (("web", 45), ("open311", 30), ("hotline", 12), ("reception", 4), ("meeting", 3), ("front", 3),
            ("press", 3))  # fmt: skip
# Hour of day of a receipt (local time), office hours first.
HOUR_WEIGHTS = (1, 0.5, 0.3, 0.3, 0.5, 1, 3, 6, 9, 9, 8, 6, 4, 6, 8, 8, 7, 5, 4, 4, 3, 3, 2, 1.5)
OPEN_STATES = (("received", 25), ("transferred", 5), ("reopened", 5), ("accepted", 25), ("in_progress", 40))
STUCK_STATES = (("received", 10), ("transferred", 5), ("reopened", 5), ("accepted", 20), ("in_progress", 60))
RATINGS = ((5, 45), (4, 25), (3, 12), (2, 7), (1, 11))
LOW_RATINGS = ((5, 15), (4, 15), (3, 20), (2, 20), (1, 30))

STREETS = ("Kim Mã", "Đội Cấn", "Hoàng Hoa Thám", "Nguyễn Chí Thanh", "Láng Hạ", "Thái Hà", "Tây Sơn",
           "Giải Phóng", "Trường Chinh", "Minh Khai", "Bạch Mai", "Lò Đúc", "Trần Khát Chân", "Hàng Bông",
           "Phùng Hưng", "Lê Duẩn", "Xuân Thủy", "Cầu Giấy", "Trần Duy Hưng", "Lạc Long Quân", "Âu Cơ",
           "Nguyễn Văn Cừ", "Ngọc Lâm", "Nguyễn Trãi", "Quang Trung", "Tô Hiệu", "Phạm Văn Đồng",
           "Hồ Tùng Mậu", "Tam Trinh", "Lĩnh Nam", "Vĩnh Hưng", "Định Công", "Kim Giang", "Hoàng Quốc Việt")  # fmt: skip
PLACES = ("trước cửa nhà số {n}", "đầu ngõ {n}", "cạnh chợ dân sinh", "gần trường tiểu học", "cạnh nhà văn hóa tổ {n}",
          "khu tập thể, nhà {n}", "ven hồ điều hòa", "gần cổng công viên", "trong ngõ {n}", "ngã ba giao với ngõ {n}")  # fmt: skip
PROBLEMS = {
    "moi-truong": ("Rác thải sinh hoạt tập kết bừa bãi {p} nhiều ngày không được thu gom, bốc mùi hôi.",
                   "Có người đổ trộm phế thải xây dựng {p} vào ban đêm.", "Cống rãnh {p} bị tắc, nước thải tràn ra đường."),
    "trat-tu-do-thi": ("Hàng quán lấn chiếm vỉa hè {p}, người đi bộ phải xuống lòng đường.",
                       "Xe máy đỗ kín vỉa hè {p}, trông giữ xe trái phép.", "Biển quảng cáo dựng trái phép {p}."),
    "xay-dung": ("Công trình xây dựng {p} không che chắn, vật liệu rơi xuống đường.",
                 "Nhà dân xây thêm tầng {p}, nghi không có giấy phép.", "Công trình thi công quá giờ {p}, gây ồn và bụi."),
    "ha-tang": ("Đèn chiếu sáng {p} hỏng đã lâu, buổi tối rất tối.", "Mặt đường {p} bị sụt lún, có ổ gà sâu.",
                "Nắp hố ga {p} bị vỡ, nguy hiểm cho người đi đường.", "Cây xanh {p} nghiêng, có nguy cơ đổ."),
    "giao-thong": ("Đèn tín hiệu giao thông {p} không hoạt động.", "Xe tải chở vật liệu đi vào giờ cấm {p}.",
                   "Biển báo {p} bị che khuất, nhiều người đi ngược chiều."),
    "an-ninh-trat-tu": ("Nhóm thanh niên tụ tập, đua xe {p} vào ban đêm.", "Có dấu hiệu cờ bạc {p}.",
                        "Trộm cắp xe máy xảy ra nhiều lần {p}."),
    "tieng-on": ("Hát karaoke to sau 22 giờ {p}.", "Xưởng sản xuất {p} gây tiếng ồn cả ngày.",
                 "Loa quảng cáo của cửa hàng {p} mở quá to."),
    "thu-tuc-hanh-chinh": ("Hồ sơ chứng thực nộp tại bộ phận một cửa đã quá hẹn chưa có kết quả.",
                           "Cán bộ tiếp nhận hồ sơ hướng dẫn không rõ, phải đi lại nhiều lần.",
                           "Hồ sơ đăng ký hộ kinh doanh bị yêu cầu bổ sung giấy tờ không có trong quy định."),
    "khac": ("Đề nghị bố trí thêm ghế đá và thiết bị tập thể dục {p}.", "Chó thả rông không rọ mõm {p}.",
             "Đề nghị lắp camera an ninh {p}."),
}  # fmt: skip
RESPONSES = ("Đơn vị đã kiểm tra, xử lý dứt điểm và thông báo kết quả cho người phản ánh.",
             "Đã phối hợp với đơn vị liên quan khắc phục; kết quả kiểm tra lại đạt yêu cầu.",
             "Đã lập biên bản, xử phạt vi phạm hành chính và yêu cầu khắc phục hậu quả.")  # fmt: skip
REJECTIONS = ("Nội dung phản ánh không thuộc thẩm quyền giải quyết của phường.",
              "Nội dung phản ánh không rõ ràng, không đủ thông tin để xác minh.",
              "Nội dung đang được giải quyết theo thủ tục khiếu nại, tố cáo.")  # fmt: skip

REPORT_COLUMNS = (
    "id", "code", "category_id", "description", "attributes", "area_id", "address", "latitude", "longitude",
    "reporter_name", "reporter_phone", "reporter_email", "anonymous", "channel", "severity", "status",
    "organization_id", "escalated_to_id", "received_at", "accept_due", "accepted_at", "resolve_due", "resolved_at",
    "closed_at", "public_response", "rejection_reason", "duplicate_of_id", "rating", "rating_reason", "reopen_count",
    "was_reopened", "on_time", "subject_text", "subject_confirmed", "search",
)  # fmt: skip
HOLDING_COLUMNS = ("id", "report_id", "organization_id", "started_at", "ended_at", "reason")
EVENT_COLUMNS = ("id", "report_id", "at", "kind", "status", "organization_id", "is_public", "text")
_REPORT_DATES = tuple(REPORT_COLUMNS.index(c) for c in ("received_at", "accept_due", "accepted_at", "resolve_due",
                                                         "resolved_at", "closed_at"))  # fmt: skip


def _pick(rng: random.Random, table) -> str:  # type: ignore[no-untyped-def]
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


def code_for(n: int, *, salt: int) -> str:
    """The n-th tracking code: n through a bijection of [0, 25^8) (an affine map with a multiplier coprime to
    25), written in the code alphabet: unique without a set, random-looking."""
    base = len(CODE_ALPHABET)
    space = base**CODE_LENGTH
    value = (n * 3_141_592_653 + salt) % space  # 3,141,592,653 is not a multiple of 5: a bijection
    digits = []
    for _ in range(CODE_LENGTH):
        value, d = divmod(value, base)
        digits.append(CODE_ALPHABET[d])
    return "".join(digits[:4]) + "-" + "".join(digits[4:])


def _start(moment: dt.datetime) -> dt.datetime:
    """When the clock starts (local): the receipt, or 08:00 of the next working day outside office hours."""
    if moment.weekday() < 5 and 8 <= moment.hour < 17:
        return moment
    day = moment.date() + dt.timedelta(days=1 if moment.hour >= 17 else 0)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(8))


def _plus_working_days(moment: dt.datetime, days: int) -> dt.datetime:
    weeks, rest = divmod(days, 5)
    moment += dt.timedelta(days=7 * weeks)
    for _ in range(rest):
        moment += dt.timedelta(days=3 if moment.weekday() == 4 else 1)
    return moment


def deadlines(received: dt.datetime, severity: str) -> tuple[dt.datetime, dt.datetime]:
    """(accept_due, resolve_due), local: the approximation described in the module's docstring."""
    start = _start(received)
    accept = _plus_working_days(start, 1)
    if severity == "urgent":
        due = start + dt.timedelta(hours=4)
        if due.hour >= 17 and (due.hour, due.minute, due.second) != (17, 0, 0):
            due = dt.datetime.combine(_plus_working_days(start, 1).date(), dt.time(8)) + (
                due - dt.datetime.combine(due.date(), dt.time(17)))  # fmt: skip
        return accept, due
    return accept, _plus_working_days(start, 10 if severity == "complex" else 5)


def _ward_areas(root_code: str) -> list[tuple[Area, dict[str, int]]]:
    """One Area per grassroots committee of the tree (the wards) with its units, and their routing rules."""
    orgs = Organization.objects.unscoped(reason="generator")
    root = orgs.get(code=root_code)
    wards = list(orgs.filter(path__startswith=root.path, is_grassroots=True).order_by("code"))
    units = dict(orgs.filter(path__startswith=root.path).values_list("code", "id"))
    admin_category = Category.objects.filter(code="thu-tuc-hanh-chinh").first()
    out, rules = [], []
    with transaction.atomic():
        for ward in wards:
            base = ward.name.removeprefix("Đảng bộ ").strip()
            area = Area.objects.create(code=f"sc-{ward.code.lower()}", name=base[:1].upper() + base[1:],
                                       organization=ward)  # fmt: skip
            unit = {k: units[f"{ward.code}{s}"] for k, s in (("ub", "-UB"), ("desk", "-UB-TT-1"), ("front", "-MT"))
                    if f"{ward.code}{s}" in units}  # fmt: skip
            unit["ward"] = ward.pk
            ub = unit.get("ub", ward.pk)
            rules.append(RoutingRule(area=area, category=None, organization_id=ub))
            if admin_category is not None and "desk" in unit:
                rules.append(RoutingRule(area=area, category=admin_category, organization_id=unit["desk"]))
            out.append((area, unit))
        RoutingRule.objects.bulk_create(rules)
    return out


class _Writer:
    """Rows out to the database: COPY on PostgreSQL, executemany on SQLite (datetimes as Django stores them)."""

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"

    def dt(self, local: dt.datetime | None):  # type: ignore[no-untyped-def]
        if local is None:
            return None
        utc = local - UTC_OFFSET
        return utc.replace(tzinfo=dt.UTC) if self.pg else utc.isoformat(" ")

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:  # type: ignore[type-arg]
        if not rows:
            return
        connection.ensure_connection()
        raw = connection.connection
        if self.pg:
            with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def next_id(self, model) -> int:  # type: ignore[no-untyped-def]
        with connection.cursor() as cur:
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
            return cur.fetchone()[0] + 1

    def bump(self, model) -> None:  # type: ignore[no-untyped-def]
        """Move the id sequence past the ids written here (PostgreSQL; SQLite follows MAX(rowid))."""
        if self.pg:
            table = model._meta.db_table
            with connection.cursor() as cur:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")  # fmt: skip


def _reference() -> None:
    """The categories and the rulebook's deadlines (usually loaded already by the scale command)."""
    from lamtheo.feedback.services import load_feedback_reference
    from lamtheo.rulebook.models import FeedbackRules

    if not FeedbackRules.objects.exists():
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    if not Category.objects.exists():
        load_feedback_reference(actor=SYSTEM)


def build_feedback(*, count: int = REPORTS, year: int = 2026, seed: int = 2025, root_code: str = "SCALE-HN",
                   events: bool = True, stdout: TextIO | None = None) -> dict[str, int]:  # fmt: skip
    """Areas, routing rules and `count` reports of `year` (with holdings and timeline events) for the wards of
    the scale tree; refuses to run twice."""
    log = (lambda msg: stdout.write(msg + "\n")) if stdout else (lambda msg: None)
    started = time.perf_counter()
    rng = random.Random(seed)
    with activate(SYSTEM.scope):
        _reference()
        if Area.objects.filter(code="sc-s001").exists():
            raise ValueError("The scale reports are already in this database.")
        wards = _ward_areas(root_code)
        if not wards:
            raise ValueError(f"No ward under {root_code}: generate the scale tree first.")
        categories = list(Category.objects.filter(is_active=True).values_list("id", "code", "severity"))
        writer = _Writer()
        counts = _write_reports(writer, rng, wards, categories, count=count, year=year, seed=seed, events=events,
                                log=log, started=started)  # fmt: skip
    counts["areas"] = len(wards)
    log(f"reports: {counts['reports']:,}, holdings: {counts['holdings']:,}, events: {counts['events']:,} "
        f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
    return counts


def _write_reports(writer: _Writer, rng: random.Random, wards, categories, *, count: int, year: int, seed: int,  # type: ignore[no-untyped-def]
                   events: bool, log, started: float) -> dict[str, int]:  # fmt: skip
    now = dt.datetime(year, 12, 1, 8, 0)  # local
    first = dt.datetime(year, 1, 1)
    days = [first.date() + dt.timedelta(days=d) for d in range((dt.date(year, 12, 1) - first.date()).days)]
    # Receipts: a sorted sample of moments, so ids grow with time as they would.
    day_cum = list(_cumulate(1.0 if d.weekday() < 5 else 0.5 for d in days))
    hour_cum = list(_cumulate(HOUR_WEIGHTS))
    cat_cum = list(_cumulate(CATEGORY_WEIGHTS.get(code, 5) for _id, code, _sev in categories))
    channel_values, channel_cum = [c for c, _w in CHANNELS], list(_cumulate(w for _c, w in CHANNELS))
    namer = _Namer(rng)
    moments = []
    for _ in range(count):
        day = days[bisect(day_cum, rng.random() * day_cum[-1])]
        hour = bisect(hour_cum, rng.random() * hour_cum[-1])
        moments.append(dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60)))
    moments.sort()
    report_id, holding_id, event_id = writer.next_id(Report), writer.next_id(Holding), writer.next_id(Event)
    first_report = report_id
    last_in_area: dict[int, list[int]] = {}
    reports: list[tuple] = []  # type: ignore[type-arg]
    holdings: list[tuple] = []  # type: ignore[type-arg]
    lines: list[tuple] = []  # type: ignore[type-arg]
    written = {"reports": 0, "holdings": 0, "events": 0}
    folded: dict[str, str] = {}
    wdt = writer.dt
    per_street = [(s, fold(s)) for s in STREETS]

    def flush() -> None:
        with transaction.atomic():
            writer.write(Report._meta.db_table, REPORT_COLUMNS, reports)
            writer.write(Holding._meta.db_table, HOLDING_COLUMNS, holdings)
            if events:
                writer.write(Event._meta.db_table, EVENT_COLUMNS, lines)
        written["reports"] += len(reports)
        written["holdings"] += len(holdings)
        written["events"] += len(lines) if events else 0
        reports.clear(), holdings.clear(), lines.clear()

    for n, received in enumerate(moments):
        area, unit = wards[rng.randrange(len(wards))]
        cat_id, cat_code, severity = categories[bisect(cat_cum, rng.random() * cat_cum[-1])]
        holder = unit.get("desk" if cat_code == "thu-tuc-hanh-chinh" else "ub", unit["ward"])
        code = code_for(n + first_report, salt=seed)
        street, street_folded = per_street[rng.randrange(len(per_street))]
        place = rng.choice(PLACES).format(n=rng.randint(1, 180))
        description = rng.choice(PROBLEMS.get(cat_code, PROBLEMS["khac"])).format(p=place)
        number, group = rng.randint(1, 300), rng.randint(1, 28)
        address = f"Số {number} phố {street}, tổ dân phố {group}"
        if description not in folded:
            folded[description] = fold(description)
        # = selectors.search_text(report): fold(code, description, address), the pieces folded once.
        search = f"{code.lower()} {folded[description]} so {number} pho {street_folded}, to dan pho {group}"
        channel = channel_values[bisect(channel_cum, rng.random() * channel_cum[-1])]
        anonymous = rng.random() < 0.15
        if anonymous:
            name = phone = email = ""
        else:
            gender = names.MALE if rng.random() < 0.5 else names.FEMALE
            name = namer(gender, rng.randint(1950, 2004))
            phone = f"09{rng.randint(10_000_000, 99_999_999)}"
            email = f"nguoidan{n}@example.vn" if rng.random() < 0.2 else ""
        located = channel in ("web", "open311") and rng.random() < 0.7
        lat = Decimal(f"{21.0 + rng.uniform(-0.12, 0.12):.6f}") if located else None
        lon = Decimal(f"{105.82 + rng.uniform(-0.15, 0.15):.6f}") if located else None
        if rng.random() < 0.05:  # the handler judged the severity otherwise on acceptance
            severity = rng.choice(("normal", "complex"))
        accept_due, resolve_due = deadlines(received, severity)
        age = (now - received).days
        p_open = 0.6 if age < 7 else 0.25 if age < 30 else 0.065
        roll = rng.random()
        status = (_pick(rng, OPEN_STATES if age < 30 else STUCK_STATES) if roll < p_open
                  else "rejected" if roll < p_open + 0.066 else "duplicate" if roll < p_open + 0.088 else "resolved")  # fmt: skip
        accepted_at = resolved_at = closed_at = rating = on_time = duplicate_of = escalated = None
        response = rejection = rating_reason = ""
        reopened = status == "reopened" or (status == "resolved" and rng.random() < 0.03)
        transferred = status == "transferred" or rng.random() < 0.03
        first_holder, moved_at = holder, None
        if transferred:  # first sent to the wrong unit (the one-stop desk, or the People's Committee)
            first_holder = unit.get("ub") if holder != unit.get("ub") else unit.get("desk", unit["ward"])
            moved_at = received + dt.timedelta(hours=rng.uniform(1, 30))
        accepted_window = (accept_due - received).total_seconds()
        if status not in ("received", "transferred", "rejected", "duplicate"):
            late_accept = rng.random() < 0.08
            accepted_at = received + dt.timedelta(seconds=rng.uniform(0.1, 1.0) * accepted_window
                                                  + (rng.uniform(0, 2) * 86400 if late_accept else 0))  # fmt: skip
            if moved_at and accepted_at < moved_at:
                accepted_at = moved_at + dt.timedelta(hours=rng.uniform(0.5, 6))
            accepted_at = min(accepted_at, now - dt.timedelta(minutes=5))
        if status == "resolved":
            span = max((resolve_due - accepted_at).total_seconds(), 600)
            resolved_at = (accepted_at + dt.timedelta(seconds=rng.uniform(0.05, 0.98) * span) if rng.random() < 0.93
                           else resolve_due + dt.timedelta(hours=rng.uniform(1, 15 * 24)))  # fmt: skip
            resolved_at = min(resolved_at, now - dt.timedelta(minutes=1))
            on_time = resolved_at <= resolve_due
            response = rng.choice(RESPONSES)
            if resolved_at + dt.timedelta(days=7) < now:
                status, closed_at = "closed", resolved_at + dt.timedelta(days=7)
            if rng.random() < 0.4:
                rating = _pick(rng, LOW_RATINGS if (not on_time or reopened) else RATINGS)
                rating_reason = "Xử lý chậm, chưa triệt để." if rating <= 2 else ""
        elif status in ("rejected", "duplicate"):
            closed_at = min(received + dt.timedelta(seconds=rng.uniform(0.2, 1.5) * accepted_window),
                            now - dt.timedelta(minutes=1))  # fmt: skip
            if status == "rejected":
                rejection = rng.choice(REJECTIONS)
            else:
                earlier = last_in_area.get(area.pk)
                duplicate_of = rng.choice(earlier) if earlier else None
                if duplicate_of is None:
                    status, rejection = "rejected", REJECTIONS[1]
        elif (
            resolve_due < now and rng.random() < 0.2
        ):  # open and late: the ward committee is asked to step in
            escalated = unit["ward"]
        rid = report_id
        report_id += 1
        recent = last_in_area.setdefault(area.pk, [])
        recent.append(rid)
        if len(recent) > 50:
            del recent[:25]
        answered = resolved_at or closed_at
        reports.append((
            rid, code, cat_id, description, "{}", area.pk, address, lat, lon, name, phone, email, anonymous, channel,
            severity, status, holder, escalated, wdt(received), wdt(accept_due), wdt(accepted_at), wdt(resolve_due),
            wdt(resolved_at), wdt(closed_at), response, rejection, duplicate_of, rating, rating_reason,
            1 if reopened else 0, reopened, on_time, "", False, search,
        ))  # fmt: skip
        if transferred:
            holdings.append(
                (holding_id, rid, first_holder, wdt(received), wdt(moved_at), "Không đúng thẩm quyền")
            )
            holding_id += 1
        holdings.append((holding_id, rid, holder, wdt(moved_at or received), wdt(answered), ""))
        holding_id += 1
        if events:
            lines.append((event_id, rid, wdt(received), "status", "received", first_holder, True, ""))
            event_id += 1
            if transferred:
                lines.append(
                    (
                        event_id,
                        rid,
                        wdt(moved_at),
                        "transfer",
                        "transferred",
                        holder,
                        True,
                        "Chuyển đúng thẩm quyền",
                    )
                )
                event_id += 1
            if accepted_at:
                lines.append((event_id, rid, wdt(accepted_at), "status", "accepted", holder, True, ""))
                event_id += 1
            if resolved_at:
                lines.append(
                    (event_id, rid, wdt(resolved_at), "response", "resolved", holder, True, response)
                )
                event_id += 1
            elif closed_at:
                lines.append((event_id, rid, wdt(closed_at), "status", status, holder, True, rejection))
                event_id += 1
        if len(reports) >= BATCH:
            flush()
            if written["reports"] % 200_000 == 0:
                log(f"  {written['reports']:,} reports ({time.perf_counter() - started:.1f} s)")
    flush()
    for model in (Report, Holding, Event):
        writer.bump(model)
    return written


def _cumulate(weights):  # type: ignore[no-untyped-def]
    total = 0.0
    for w in weights:
        total += w
        yield total
