"""`zhifa deadline`, the calendar pages and the HTMX calculator."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from zhifa.legalcal.models import CalendarYear

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("deadline", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_command_working_days():
    assert run("--from", "2025-09-26", "--working-days", "5").splitlines() == ["2025-10-10 星期五"]


def test_command_days_rolls_with_note():
    lines = run("--from", "2025-09-16", "--days", "15").splitlines()
    assert lines[0] == "2025-10-09 星期四"
    assert lines[1] == "注：期限届满日2025-10-01（国庆节）为法定休假日，顺延至其后第一个工作日2025-10-09（星期四）"


def test_command_months_and_period():
    lines = run("--from", "2025-08-31", "--months", "6").splitlines()
    assert lines == ["2026-02-28 星期六", "注：2026-02-28为春节调休上班日，计为工作日"]
    lines = run("--from", "2025-07-03", "--period", "decision").splitlines()
    assert lines[0] == "2025-10-09 星期四" and "《行政处罚法》第六十条" in lines[-1]


def test_command_unknown_year_exits_3(enter_2027):
    err = StringIO()
    with pytest.raises(SystemExit) as e:
        call_command("deadline", "--from", "2026-12-20", "--days", "15", stdout=StringIO(), stderr=err)
    assert e.value.code == 3
    assert "2027年法定节假日安排尚未录入，期限无法确定" in err.getvalue()
    enter_2027()
    assert run("--from", "2026-12-20", "--days", "15").strip() == "2027-01-04 星期一"


def test_command_bad_input():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--from", "2025-13-01", "--days", "3")
    with pytest.raises(CommandError):
        run("--from", "2025-01-01", "--days", "3", "--working-days", "2")


# ---- pages --------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["officer", "sup_city", "admin"])
def test_calendar_pages_render_for_staff(client, world, role):
    client.force_login(world[role])
    r = client.get(reverse("calendar-years"))
    assert r.status_code == 200 and "2026年" in r.content.decode() and "chinesecalendar" in r.content.decode()
    r = client.get(reverse("calendar-year", args=[2025]))
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="month-grid"' in body and "国庆节调休" in body
    assert 'title="2025-09-28 星期日 工作日 国庆节调休"' in body
    assert 'title="2025-10-06 星期一 休息日 中秋节"' in body
    assert ("修改" in body) == (role == "admin")
    assert "法定期限计算" in client.get(reverse("home")).content.decode()
    assert client.get(reverse("calendar-year", args=[2030])).status_code == 404


def test_anonymous_redirected(client):
    assert client.get(reverse("calendar-deadline")).status_code == 302
    assert client.get(reverse("calendar-years")).status_code == 302


def test_non_admin_cannot_open_entry_page(client, world):
    client.force_login(world["head"])
    assert client.get(reverse("calendar-year-create")).status_code == 403
    assert client.post(reverse("calendar-year-create"), {"year": 2027}).status_code == 403
    assert client.get(reverse("calendar-year-edit", args=[2025])).status_code == 403


def test_admin_enters_year_through_page(client, world):
    client.force_login(world["admin"])
    url = reverse("calendar-year-create")
    assert client.get(url + "?year=2027").context["form"].initial["year"] == 2027
    r = client.post(url, {"year": 2027, "notice": "国办发明电〔2026〕测试号", "confirmed": "on",
                          "text": "2027-01-01 元旦 休\n2027-02-05~2027-02-11 春节 休\n2027-02-20 春节调休 班"})
    assert r.status_code == 302 and r["Location"] == reverse("calendar-year", args=[2027])
    cy = CalendarYear.objects.get(year=2027)
    assert cy.source == "admin" and cy.days.count() == 9
    detail = client.get(r["Location"]).content.decode()
    assert "变更记录" in detail and "导入" not in detail and "新建" in detail
    # edit page shows the year as text, ranges joined
    form = client.get(reverse("calendar-year-edit", args=[2027])).context["form"]
    assert "2027-02-05~2027-02-11 春节 休" in form.initial["text"]
    # the "new" page will not silently overwrite an admin year
    r = client.post(url, {"year": 2027, "notice": "x", "text": "2027-01-01 元旦 休"})
    assert "已由管理员录入" in r.content.decode()


def test_entry_page_shows_line_errors(client, world):
    client.force_login(world["admin"])
    r = client.post(reverse("calendar-year-create"), {
        "year": 2027, "notice": "国办发明电〔2026〕测试号",
        "text": "2027-01-01 元旦 休\n2027-02-30 春节 休\n2027-02-08 调休 班"})
    body = r.content.decode()
    assert r.status_code == 200
    assert "第2行：日期无效" in body and "第3行：2027-02-08是星期一" in body
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_replacing_package_year_through_page(client, world):
    client.force_login(world["admin"])
    url = reverse("calendar-year-edit", args=[2026])
    body = client.get(url).content.decode()
    assert "替换已有数据" in body and "2026-02-15~2026-02-23 春节 休" in body
    data = {"notice": "国办发明电〔2025〕7号", "text": "2026-01-01~2026-01-03 元旦 休", "confirmed": "on"}
    r = client.post(url, data)
    assert "勾选“替换已有数据”" in r.content.decode()
    r = client.post(url, {**data, "replace": "on"})
    assert r.status_code == 302
    assert CalendarYear.objects.get(year=2026).source == "admin"


def test_delete_through_page(client, world, enter_2027):
    enter_2027()
    client.force_login(world["head"])
    assert client.post(reverse("calendar-year-delete", args=[2027])).status_code == 403
    client.force_login(world["admin"])
    assert client.post(reverse("calendar-year-delete", args=[2027])).status_code == 302
    assert not CalendarYear.objects.filter(year=2027).exists()


# ---- the calculator ---------------------------------------------------------------------------
def test_calculator_page_renders_with_period_dropdown(client, world):
    client.force_login(world["officer"])
    body = client.get(reverse("calendar-deadline")).content.decode()
    assert 'hx-get="/calendar/deadline/"' in body
    assert "陈述、申辩期限" in body and "《行政诉讼法》第四十六条" in body


def test_calculator_computes_statutory_period(client, world):
    client.force_login(world["officer"])
    r = client.get(reverse("calendar-deadline"), {"start": "2025-09-26", "period": "statement_defence"})
    body = r.content.decode()
    assert "<html" in body and "2025-10-10 星期五" in body
    assert "期间内调休上班的周末（计为工作日）：2025-09-28（国庆节调休上班）" in body
    assert "2025-10-01~2025-10-05（国庆节）" in body


def test_calculator_htmx_partial_custom_period(client, world):
    client.force_login(world["unit_head"])
    r = client.get(reverse("calendar-deadline"), {"start": "2025-09-16", "n": "15", "unit": "calendar"},
                   HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert "<html" not in body and 'data-testid="due-date">2025-10-09 星期四' in body
    assert "顺延至其后第一个工作日2025-10-09" in body


def test_calculator_unknown_and_errors(client, world):
    client.force_login(world["officer"])
    r = client.get(reverse("calendar-deadline"), {"start": "2026-12-20", "period": "payment"},
                   HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert "2027年法定节假日安排尚未录入，期限无法确定" in body and "请联系系统管理员" in body
    client.force_login(world["admin"])
    r = client.get(reverse("calendar-deadline"), {"start": "2026-12-20", "period": "payment"},
                   HTTP_HX_REQUEST="true")
    assert "/calendar/new/?year=2027" in r.content.decode()
    r = client.get(reverse("calendar-deadline"), {"start": "2025-01-01"}, HTTP_HX_REQUEST="true")
    assert "期间长度：请选择法定期限或填写期间长度" in r.content.decode()
    r = client.get(reverse("calendar-deadline"), {"start": "bad", "n": "3"}, HTTP_HX_REQUEST="true")
    assert "起算日" in r.content.decode()
    r = client.get(reverse("calendar-deadline"), {"start": "2025-01-01", "n": "999", "unit": "months"},
                   HTTP_HX_REQUEST="true")
    assert "不能超过120" in r.content.decode()


def test_changelog_page_for_calendar_year(client, world, enter_2027):
    from django.contrib.contenttypes.models import ContentType

    cy = enter_2027()
    client.force_login(world["officer"])
    ct = ContentType.objects.get_for_model(CalendarYear).pk
    r = client.get(reverse("changelog", args=[ct, cy.pk]))
    assert r.status_code == 200 and "2027年法定节假日安排" in r.content.decode()
