"""The staff home by role (what needs me today first) and the header menus (no link that answers 403)."""
import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests import builders
from zhifa.review.models import Notice
from zhifa.site.nav import menus_for
from zhifa.supervision.models import Alert

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 1)
ROLES = ["u1", "officer", "unit_head", "head", "rev", "reviewer", "sup_county", "sup_city", "admin"]


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def shown_links(user):
    return [(m["label"], x["label"], x["url"]) for m in menus_for(user) for x in m["links"]]


@pytest.mark.parametrize("role", ROLES)
def test_every_link_in_the_header_opens(client, cw, role):
    client.force_login(cw[role])
    links = shown_links(cw[role])
    assert links
    for menu, label, url in links:
        r = client.get(url)
        assert r.status_code == 200, f"{role}: {menu} → {label} ({url}) answers {r.status_code}"


def test_menus_are_few_and_follow_the_role(client, cw):
    for role in ROLES:
        menus = menus_for(cw[role])
        assert 3 <= len(menus) <= 5, role
    head = [x[1] for x in shown_links(cw["head"])]
    assert "督办通知" in head and "执法监督" not in head and "统计报表" not in head
    sup = [x[1] for x in shown_links(cw["sup_county"])]
    assert {"执法监督", "预警", "统计报表", "社会监督员"} <= set(sup)
    officer = [x[1] for x in shown_links(cw["u1"])]
    assert "系统管理" not in officer and "案卷评查" not in officer


def test_header_renders_menus_and_notices(client, cw):
    Notice.objects.create(user=cw["u1"], text="法制审核已退回：请补充证据")
    client.force_login(cw["u1"])
    html = client.get(reverse("home")).content.decode()
    header = html.split("<main>")[0]
    assert header.count("data-menu") >= 3
    assert 'data-testid="notices-link"' in header and '<span class="count">1</span>' in header
    r = client.get(reverse("notices"))
    assert "法制审核已退回" in r.content.decode()
    client.post(reverse("notices"))
    assert not Notice.objects.filter(user=cw["u1"], read=False).exists()


def section(html, key):
    m = re.search(rf'data-testid="todo-{key}">(.*?)</section>', html, re.S)
    assert m, f"no section {key}"
    return m.group(1)


def test_officer_home_shows_overdue_and_due_soon_first(client, cw):
    late = builders.case_at(cw, "filed", title="超期的案件")  # filed 2026-03: the 90-day decision period has run
    with time_machine.travel(dt.datetime(2026, 7, 1, 9), tick=False):
        client.force_login(cw["u1"])
        html = client.get(reverse("home")).content.decode()
    assert html.index('data-testid="today"') < html.index("<h2>基础数据")
    overdue = section(html, "overdue")
    assert "超期的案件" in overdue and reverse("cases-detail", args=[late.pk]) in overdue
    assert "超期" in overdue
    assert "todo-due_soon" in html


def test_unit_head_sees_filing_approvals_first_with_the_wait(client, cw):
    builders.case_at(cw, "filing_pending", title="等待立案审批的案件")
    with time_machine.travel(dt.datetime(2026, 7, 1, 9), tick=False):
        client.force_login(cw["unit_head"])
        html = client.get(reverse("home")).content.decode()
    approvals = section(html, "approvals")
    assert "等待立案审批的案件" in approvals and re.search(r"已等待\d+日", approvals)
    assert html.index("todo-approvals") < html.index("<h2>基础数据")


def test_head_sees_approvals_and_decisions(client, cw):
    builders.case_at(cw, "reviewed", title="审核通过待决定")
    client.force_login(cw["head"])
    html = client.get(reverse("home")).content.decode()
    assert "审核通过待决定" in section(html, "decisions")
    assert "todo-approvals" in html


def test_reviewer_sees_the_review_queue(client, cw):
    case = builders.case_at(cw, "legal_review", title="送审的案件")
    client.force_login(cw["rev"])
    html = client.get(reverse("home")).content.decode()
    assert "送审的案件" in section(html, "reviews"), case


def test_supervisor_sees_open_alerts_by_severity(client, cw):
    today = dt.date(2026, 7, 1)
    for kind, text in [("training", "预警丙低"), ("deadline_lapsed", "预警甲高"), ("idle", "预警乙中")]:
        Alert.objects.create(kind=kind, key=f"t:{kind}", entity=cw["smj"], text=text, first_seen=today,
                             last_seen=today)
    client.force_login(cw["sup_county"])
    html = client.get(reverse("home")).content.decode()
    alerts = section(html, "alerts")
    assert alerts.index("预警甲高") < alerts.index("预警乙中") < alerts.index("预警丙低")
    assert re.search(r'data-testid="level-high">高 1<', alerts)
    lst = client.get(reverse("supervision-alerts")).content.decode()
    assert lst.index("预警甲高") < lst.index("预警乙中") < lst.index("预警丙低")
    assert "sev-high" in lst
    only_low = client.get(reverse("supervision-alerts") + "?severity=low").content.decode()
    assert "预警丙低" in only_low and "预警甲高" not in only_low


def test_unit_head_queue_puts_approvals_first(client, cw):
    builders.case_at(cw, "filing_pending", title="立案审批排第一")
    builders.case_at(cw, "investigating", title="调查中的案件")
    with time_machine.travel(dt.datetime(2026, 7, 1, 9), tick=False):
        client.force_login(cw["unit_head"])
        html = client.get(reverse("cases-queue")).content.decode()
    block = html[html.index('data-testid="queue-approvals"'):html.index("全部在办")]
    assert "立案审批排第一" in block and "调查中的案件" not in block and re.search(r"\d+日", block)
    client.force_login(cw["u1"])
    assert 'data-testid="queue-approvals"' not in client.get(reverse("cases-queue")).content.decode()


def _home_queries(client, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    with time_machine.travel(dt.datetime(2026, 7, 1, 9), tick=False), CaptureQueriesContext(connection) as q:
        assert client.get(reverse("home")).status_code == 200
    return len(q.captured_queries)


@pytest.mark.parametrize("role,state", [("u1", "filed"), ("unit_head", "filing_pending"), ("head", "reviewed")])
def test_home_queries_do_not_grow_with_the_cases(client, cw, role, state):
    builders.case_at(cw, state)
    few = _home_queries(client, cw[role])
    for _ in range(3):
        builders.case_at(cw, state)
    many = _home_queries(client, cw[role])
    print(f"home queries {role}: {few} with 1 case, {many} with 4")
    assert many == few, "the home's sections are bounded (LIMIT rows, one count)"
