"""/calendar/paste/: an administrator pastes the notice, checks the month grid, confirms."""
from pathlib import Path

import pytest
from django.urls import reverse

from tests.legalcal.test_notice import NOTICE_2027
from zhifa.legalcal.models import CalendarDay, CalendarYear

NOTICES = Path(__file__).parent / "notices"
URL = "/calendar/paste/"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_url_name():
    assert reverse("calendar-paste") == URL


def test_preview_then_confirm(admin_client, admin_user):
    r = admin_client.get(URL)
    assert r.status_code == 200 and 'name="text"' in r.content.decode()
    r = admin_client.post(URL, {"text": NOTICE_2027, "preview": ""})
    body = r.content.decode()
    assert r.status_code == 200
    assert "2027年放假安排（国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕99号））" in body
    assert 'data-testid="month-grid"' in body
    assert 'title="2027-02-20 星期六 工作日 春节调休"' in body
    assert 'title="2027-02-08 星期一 休息日 春节"' in body
    assert 'title="2027-03-01 星期一 工作日"' in body
    assert "2027-02-05~2027-02-12（春节）" in body and "2027-10-09（国庆节调休）" in body
    assert 'name="confirm"' in body and 'name="replace"' not in body  # 2027 is not a package year
    assert not CalendarYear.objects.filter(year=2027).exists()

    r = admin_client.post(URL, {"text": NOTICE_2027, "confirm": ""})
    assert r.status_code == 302 and r["Location"] == reverse("calendar-year", args=[2027])
    cy = CalendarYear.objects.get(year=2027)
    assert cy.source == CalendarYear.Source.ADMIN and cy.entered_by == admin_user and cy.confirmed
    assert cy.source_text == NOTICE_2027.strip()
    assert cy.notice == "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕99号）"
    assert cy.days.filter(kind=CalendarDay.Kind.WORKDAY).count() == 4
    body = admin_client.get(r["Location"]).content.decode()
    assert 'data-testid="source-text"' in body and "一、元旦：1月1日（周五）至3日（周日）放假，共3天。" in body
    assert "已按通知录入2027年放假安排" in body


def test_bad_notice_names_the_sentence(admin_client):
    text = NOTICE_2027.replace("10月9日（周六）上班", "10月8日（周五）上班")
    r = admin_client.post(URL, {"text": text, "preview": ""})
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="notice-error"' in body
    assert "“10月1日（周五）至7日（周四）放假调休，共7天。”" not in body
    assert "将2027-10-08（星期五）列为上班日" in body and "9月26日（周日）、10月8日（周五）上班。" in body
    assert 'data-testid="notice-preview"' not in body
    r = admin_client.post(URL, {"text": text, "confirm": ""})
    assert r.status_code == 200 and not CalendarYear.objects.filter(year=2027).exists()
    r = admin_client.post(URL, {"text": "", "preview": ""})
    assert r.status_code == 200 and 'role="alert"' in r.content.decode()


def test_package_year_needs_replace(admin_client, legal_calendar):
    text = (NOTICES / "2019.txt").read_text(encoding="utf-8")
    r = admin_client.post(URL, {"text": text, "preview": ""})
    body = r.content.decode()
    assert 'name="replace"' in body and "2019年已有安排（chinesecalendar 数据包" in body
    assert "2018-12-29（元旦调休，上班）" in body  # days of 2018 are shown as not saved
    r = admin_client.post(URL, {"text": text, "confirm": ""})
    assert r.status_code == 200 and "如确需以官方通知替换" in r.content.decode()
    assert CalendarYear.objects.get(year=2019).source == CalendarYear.Source.PACKAGE
    r = admin_client.post(URL, {"text": text, "confirm": "", "replace": "on"})
    assert r.status_code == 302
    cy = CalendarYear.objects.get(year=2019)
    assert cy.source == CalendarYear.Source.ADMIN and cy.source_text == text.strip()
    assert not cy.days.filter(date__year=2018).exists()


def test_non_admin_gets_403(client, world):
    client.force_login(world["officer"])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": NOTICE_2027, "confirm": ""}).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert "粘贴放假通知录入" not in client.get(reverse("calendar-years")).content.decode()


def test_year_list_links_to_paste(admin_client):
    body = admin_client.get(reverse("calendar-years")).content.decode()
    assert f'href="{URL}"' in body and "粘贴放假通知录入" in body
