"""The home page of each demo role: its work list ("Việc cần làm"), its figures, the grouped menu, the error
pages, and the registries behind them. The demo is built once for the module (rolled back at the end)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from lamtheo.core import navigation, worklist
from lamtheo.core.actor import Actor, Grant
from lamtheo.core.scoping import Scope, activate
from lamtheo.core.templatetags.ui import num, signed
from lamtheo.core.worklist import WorkItem

# The demo's day: past the year-end self-assessment deadline (30/11) of the demo year.
TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo ward, as `make run` builds it, on TODAY."""
    with django_db_blocker.unblock(), mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        with transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture
def today():  # type: ignore[no-untyped-def]
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield TODAY


def _home(username: str) -> str:
    from lamtheo.organizations.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _work(html: str) -> list[tuple[str, str]]:
    """(title, link) of each item of the work list, in order."""
    if 'class="worklist"' not in html:
        return []
    block = html.split('<ul class="worklist"', 1)[1].split("</ul>", 1)[0]
    found = re.findall(r'<a class="work-title" href="([^"]+)">([^<]+)</a>', block)
    return [(title.strip(), link.replace("&amp;", "&")) for link, title in found]


def _find(items: list[tuple[str, str]], pattern: str) -> tuple[str, str]:
    found = [i for i in items if re.search(pattern, i[0])]
    assert found, f"no work item matching {pattern!r} in {items}"
    return found[0]


@pytest.mark.django_db
def test_member_sees_the_overdue_year_end_assessment(demo, today):  # type: ignore[no-untyped-def]
    items = _work(_home("dangvien"))
    title, link = _find(items, "Tự đánh giá cuối năm")
    assert re.fullmatch(r"/commitments/plans/\d+/assess/yearend/", link)
    html = _home("dangvien")
    assert "Quá hạn từ 30/11/2026" in html
    # The member follows nobody: no approvals, no residence comments, no grade decisions.
    assert not [t for t, _ in items if "chờ phê duyệt" in t or "quyết định" in t]


@pytest.mark.django_db
def test_cell_secretary_sees_plans_to_approve_and_comments_to_write(demo, today):  # type: ignore[no-untyped-def]
    from lamtheo.commitments.models import CommitmentPlan
    from lamtheo.organizations.models import Organization

    items = _work(_home("bithuchibo"))
    with activate(Scope.everything(reason="test")):
        cell = Organization.objects.get(code="LB-CB-TDP05")
        waiting = CommitmentPlan.objects.filter(cell=cell, year=2026, status="submitted").count()
    assert waiting > 0
    title, link = _find(items, "chờ phê duyệt")
    assert title.startswith(f"{waiting} kế hoạch")
    assert link == f"/commitments/cockpit/{cell.pk}/?year=2026&status=submitted"
    _find(items, "nhận xét nơi cư trú cần viết")
    # The cell has tasks past their due date (its own and the ward's): one opens the task, more the deadlines.
    title, link = _find(items, "quá hạn")
    count = int(title.split()[0])
    assert count >= 1 and re.fullmatch(r"/tasks/\d+/" if count == 1 else "/plans/calendar/", link)


@pytest.mark.django_db
def test_ward_secretary_sees_own_plan_units_silent_and_grades(demo, today):  # type: ignore[no-untyped-def]
    items = _work(_home("bithu"))
    _find(items, "Đăng ký kế hoạch tu dưỡng năm 2026")
    title, link = _find(items, "chưa báo cáo tiến độ")
    assert re.fullmatch(r"/plans/\d+/", link)
    title, link = _find(items, "chờ đồng chí quyết định")
    assert re.fullmatch(r"/commitments/plans/\d+/evaluate/", link)
    _find(items, "kế hoạch của đơn vị chờ phê duyệt")
    # Overdue work first.
    urgencies = re.findall(r'<li class="work (\w+)">', _home("bithu"))
    assert urgencies == sorted(urgencies, key=["overdue", "soon", "open"].index)


@pytest.mark.django_db
def test_organization_officer_sees_the_import_to_confirm(demo, today):  # type: ignore[no-untyped-def]
    items = _work(_home("tochuc"))
    title, link = _find(items, "dang-vien-moi-chuyen-den.xlsx")
    assert re.fullmatch(r"/roster/imports/[0-9a-f-]{36}/", link)


@pytest.mark.django_db
def test_home_figures_compare_with_last_year_and_draw_charts(demo, today):  # type: ignore[no-untyped-def]
    html = _home("bithuchibo")
    assert "Đã đăng ký kế hoạch" in html
    assert "Chưa có số liệu năm trước" in html  # the demo holds no plans of 2025
    assert 'class="chart-bar' in html and "Tiến độ của kế hoạch" in html


@pytest.mark.django_db
def test_the_front_officer_lands_on_what_the_front_supervises(demo, today):  # type: ignore[no-untyped-def]
    items = _work(_home("mattran"))
    title, link = _find(items, "công khai trong năm: giám sát")
    assert link == "/portal/commitments/?year=2026"
    # The Front's chair is a party member: their own plan is offered, as to any member.
    _find(items, "Đăng ký kế hoạch tu dưỡng")
    # Nobody else's work: no approvals, no grades to decide.
    assert not [t for t, _ in items if "chờ phê duyệt" in t or "quyết định" in t]


def test_a_front_officer_who_is_not_a_member_gets_no_plan_entry(db):  # type: ignore[no-untyped-def]
    front = Actor(user_id=3, display_name="C", person_id=7, is_party_member=False,
                  grants=(Grant("front_officer", "Cán bộ Mặt trận", 9, "/01/09/", "MTTQ", frozenset()),))  # fmt: skip
    with activate(Scope.everything(reason="test")):
        from lamtheo.commitments.home import cultivation_work

        titles = [str(w.title) for w in cultivation_work(actor=front, today=TODAY)]
    assert not [t for t in titles if "cultivation plan" in t]
    urls = [i["url"] for g in navigation.menu(actor=front, path="/") for i in g["items"]]
    assert reverse("commitments:my-plans") not in urls


@pytest.mark.django_db
def test_a_sibling_ward_sees_none_of_long_bien(demo, today):  # type: ignore[no-untyped-def]
    html = _home("bithubode")
    assert "Long Biên" not in html.split('<main id="content">', 1)[1]


@pytest.mark.django_db
def test_menu_is_grouped_with_one_current_item(demo, today):  # type: ignore[no-untyped-def]
    from lamtheo.organizations.models import User

    client = Client()
    client.force_login(User.objects.get(username="bithuchibo"))
    html = client.get("/commitments/cockpit/").content.decode()
    nav = html.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    headings = re.findall(r'<p class="nav-heading"[^>]*>([^<]+)</p>', nav)
    assert headings[:3] == ["Tổ chức &amp; con người", "Kế hoạch", "Tu dưỡng, rèn luyện"]
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
    assert current == ["/commitments/cockpit/"]


def test_work_items_sort_by_urgency_then_due_date():
    day = dt.date(2026, 6, 1)
    items = [
        WorkItem("c", "/c", urgency=worklist.OPEN),
        WorkItem("b", "/b", due=day, urgency=worklist.DUE_SOON),
        WorkItem("a2", "/a2", due=day, urgency=worklist.OVERDUE),
        WorkItem("a1", "/a1", due=day - dt.timedelta(days=3), urgency=worklist.OVERDUE),
    ]
    assert [w.title for w in sorted(items, key=lambda w: w.sort_key)] == ["a1", "a2", "b", "c"]
    assert worklist.urgency_of(day - dt.timedelta(days=1), day) == worklist.OVERDUE
    assert worklist.urgency_of(day + dt.timedelta(days=14), day) == worklist.DUE_SOON
    assert worklist.urgency_of(day + dt.timedelta(days=15), day) == worklist.OPEN
    assert worklist.urgency_of(None, day) == worklist.OPEN


def test_a_failing_provider_is_logged_and_the_rest_still_shows(settings, caplog):  # type: ignore[no-untyped-def]
    def broken(*, actor, today):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    def fine(*, actor, today):  # type: ignore[no-untyped-def]
        return [WorkItem("still here", "/x")]

    saved = dict(worklist._work), dict(worklist._figures)
    try:
        worklist._work.clear()
        worklist._figures.clear()
        worklist.register_work("a-broken", broken)
        worklist.register_work("b-fine", fine)
        settings.LAMTHEO_WORKLIST_RAISE = False
        home = worklist.collect(actor=Actor.anonymous(), today=dt.date(2026, 1, 1))
        assert [w.title for w in home.work] == ["still here"] and home.failed == ["a-broken"]
        assert "work provider a-broken failed" in caplog.text
        settings.LAMTHEO_WORKLIST_RAISE = True
        with pytest.raises(RuntimeError):
            worklist.collect(actor=Actor.anonymous(), today=dt.date(2026, 1, 1))
    finally:
        worklist._work.clear()
        worklist._work.update(saved[0])
        worklist._figures.clear()
        worklist._figures.update(saved[1])


def test_top_grants_keep_one_grant_per_subtree():
    def grant(path: str, perms: frozenset[str] = frozenset({"x.y"}), org_id: int = 1) -> Grant:
        return Grant("secretary", "Bí thư", org_id, path, path, perms)

    actor = Actor(user_id=1, display_name="A", grants=(
        grant("/01/02/03/", org_id=3), grant("/01/02/", org_id=2), grant("/01/09/", frozenset(), org_id=9),
    ))  # fmt: skip
    assert [g.org_id for g in worklist.top_grants(actor, ("x.y",))] == [2]
    assert [g.org_id for g in worklist.top_grants(actor)] == [2, 9]


def test_menu_hides_entries_without_permission_or_failing_their_test(db):  # type: ignore[no-untyped-def]
    member = Actor(user_id=1, display_name="A", is_party_member=True,
                   grants=(Grant("member", "Đảng viên", 5, "/01/05/", "Chi bộ", frozenset()),))  # fmt: skip
    outsider = Actor(user_id=2, display_name="B", grants=member.grants)
    urls = lambda actor: [i["url"] for g in navigation.menu(actor=actor, path="/") for i in g["items"]]  # noqa: E731
    assert reverse("commitments:my-plans") in urls(member)
    assert reverse("commitments:my-plans") not in urls(outsider)  # not a party member
    assert reverse("commitments:cockpit-home") not in urls(member)  # needs review_commitmentplan
    assert reverse("admin:index") not in urls(member)
    with pytest.raises(ValueError):
        navigation.register(group="nowhere", url_name="core:home", label="x")


def test_numbers_read_the_vietnamese_way():
    from django.utils import translation

    with translation.override("vi"):
        assert num("78.00") == "78"
        assert num(1234.5) == "1.234,5"
        assert num(2000000) == "2.000.000"
        assert worklist.number(1234) == "1.234"
        assert num(None) == "—"
        assert signed(3.5) == "+3,5"
        assert signed(-2) == "−2"


@pytest.mark.django_db
def test_error_pages_are_the_products_own(client, settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code in (302, 404)  # anonymous users are sent to the login first
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("someone", password="x-pass-123")
    client.force_login(user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and "Về danh sách việc cần làm" in html
    assert "Traceback" not in html and "URLconf" not in html


@pytest.mark.django_db
def test_ward_cockpit_summarises_each_unit_before_its_members(demo, today):  # type: ignore[no-untyped-def]
    from lamtheo.commitments.models import CommitmentPlan
    from lamtheo.organizations.models import Organization, User

    client = Client()
    client.force_login(User.objects.get(username="bithu"))
    with activate(Scope.everything(reason="test")):
        ward = Organization.objects.get(code="LB")
        cell = Organization.objects.get(code="LB-CB-TDP05")
        registered = CommitmentPlan.objects.filter(person__party_cell=cell, year=2026).count()
    html = client.get(f"/commitments/cockpit/{ward.pk}/?year=2026").content.decode()
    table = html.split('class="unit-summary"', 1)[1].split("</table>", 1)[0]
    names = re.findall(r'\?year=2026">([^<]+)</a></td>', table)
    # Natural order: "số 2" before "số 10".
    numbered = [n for n in names if re.search(r"Tổ dân phố số \d+$", n)]
    assert numbered == sorted(numbered, key=lambda n: int(n.rsplit(" ", 1)[1]))
    row = table.split(f"{cell.name}</a></td>", 1)[1].split("</tr>", 1)[0]
    assert re.search(rf"<td>{registered} <small", row)


def test_natural_order_of_names():
    from lamtheo.core.text import natural_key

    names = ["Tổ dân phố số 10", "tổ dân phố số 2", "Tổ dân phố số 1", "Ấp Bắc"]
    assert sorted(names, key=natural_key) == [
        "Ấp Bắc",
        "Tổ dân phố số 1",
        "tổ dân phố số 2",
        "Tổ dân phố số 10",
    ]


@pytest.mark.django_db
def test_the_theme_of_the_year_is_the_nearest_committees(demo, today):  # type: ignore[no-untyped-def]
    from lamtheo.organizations.models import Organization
    from lamtheo.planning.selectors import theme_of_year

    with activate(Scope.everything(reason="test")):
        cell = Organization.objects.get(code="LB-CB-TDP05")
        sibling = Organization.objects.get(code="BD")
        # 2025: the city's theme binds every unit of the city.
        assert theme_of_year(year=2025, organization=cell).issuer.startswith("Thành ủy Hà Nội")
        # 2023: the former district's theme binds its subtree only; elsewhere the central topic stands.
        district = Organization.objects.get(code="QLB")
        below = Organization.objects.filter(path__startswith=district.path).exclude(pk=district.pk).first()
        assert theme_of_year(year=2023, organization=below).issuer == "Quận ủy Long Biên"
        assert theme_of_year(year=2023, organization=sibling).kind == "central_topic"
        assert theme_of_year(year=2023, organization=None).kind == "central_topic"


@pytest.mark.django_db
def test_the_members_open_shortcoming_is_in_their_plan(demo, today):  # type: ignore[no-untyped-def]
    from lamtheo.commitments.models import CommitmentPlan
    from lamtheo.organizations.models import User
    from lamtheo.remediation.models import RemediationItem

    user = User.objects.get(username="dangvien")
    with activate(Scope.everything(reason="test")):
        shortcoming = RemediationItem.objects.get(person_id=user.person_id, status="open")
        plan = CommitmentPlan.objects.get(person_id=user.person_id, year=2026)
        assert plan.items.filter(remediation=shortcoming).exists()
    client = Client()
    client.force_login(user)
    html = client.get(f"/commitments/plans/{plan.pk}/").content.decode()
    assert shortcoming.description in html


@pytest.mark.django_db
def test_role_names_follow_the_interface_language(demo, today):  # type: ignore[no-untyped-def]
    from lamtheo.organizations.models import User

    client = Client()
    client.force_login(User.objects.get(username="bithuchibo"))
    assert "<strong>Bí thư</strong>" in client.get("/").content.decode()
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert "<strong>Secretary</strong>" in html and "Bí thư</strong>" not in html
    assert "Work to do" in html


@pytest.mark.django_db
def test_last_years_work_stays_on_the_list_after_new_year(demo):  # type: ignore[no-untyped-def]
    """Grades are decided in December and January: on 5 January the 2026 work is still there."""
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2027, 1, 5)):
        member = _work(_home("dangvien"))
        title, link = _find(member, "Tự đánh giá cuối năm kế hoạch tu dưỡng năm 2026")
        assert re.fullmatch(r"/commitments/plans/\d+/assess/yearend/", link)
        _find(member, "Đăng ký kế hoạch tu dưỡng năm 2027")
        ward = _work(_home("bithu"))
        _find(ward, "chờ đồng chí quyết định")


@pytest.mark.django_db
def test_the_sibling_wards_counts_are_its_own(demo, today):  # type: ignore[no-untyped-def]
    """Bồ Đề's secretary: the members without a plan are Bồ Đề's, counted as the database counts them."""
    from lamtheo.commitments.models import CommitmentPlan
    from lamtheo.organizations.models import Organization, Person

    with activate(Scope.everything(reason="test")):
        ward = Organization.objects.get(code="BD")
        cells = Organization.objects.filter(path__startswith=ward.path).values_list("id", flat=True)
        members = Person.objects.filter(is_party_member=True, party_cell_id__in=list(cells)).count()
        registered = CommitmentPlan.objects.filter(year=2026, person__party_cell_id__in=list(cells)).count()
    title, link = _find(_work(_home("bithubode")), "chưa đăng ký kế hoạch")
    assert (
        title.startswith(f"{members - registered} đảng viên") and f"/commitments/cockpit/{ward.pk}/" in link
    )


@pytest.mark.django_db
def test_items_leave_the_list_once_the_work_is_done(demo, today):  # type: ignore[no-untyped-def]
    """A remedy reported leaves the member's list and joins the verifier's; a cancelled import leaves the
    officer's list."""
    from lamtheo.organizations.models import User
    from lamtheo.organizations.selectors import actor_for_user
    from lamtheo.remediation import services as remediation_services
    from lamtheo.remediation.models import RemediationItem
    from lamtheo.roster import services as roster_services
    from lamtheo.roster.models import ImportJob

    member = User.objects.get(username="dangvien")
    _find(_work(_home("dangvien")), "Khắc phục:")
    assert not [t for t, _ in _work(_home("bithuchibo")) if "chờ đồng chí xác minh" in t]
    actor = actor_for_user(member)
    with activate(actor.scope):
        item = RemediationItem.objects.get(person_id=member.person_id, status="open")
        remediation_services.remediation_report(
            actor=actor, item=item, note="Đã tham gia đủ 12 buổi sinh hoạt"
        )
    assert not [t for t, _ in _work(_home("dangvien")) if t.startswith("Khắc phục:")]
    title, link = _find(_work(_home("bithuchibo")), "chờ đồng chí xác minh")
    assert title.startswith("Kết quả khắc phục") and link == "/remediation/?status=reported"

    officer = actor_for_user(User.objects.get(username="tochuc"))
    with activate(officer.scope):
        job = ImportJob.objects.get(status="previewed", created_by__username="tochuc")
        roster_services.import_cancel(actor=officer, job=job)
    assert not [t for t, _ in _work(_home("tochuc")) if "dang-vien-moi-chuyen-den.xlsx" in t]
