"""Entering a year: administrators only, validated, logged; seeding from chinesecalendar."""
import datetime as dt

import pytest

from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.legalcal import periods, text
from zhifa.legalcal.actions import do_delete_calendar_year, do_enter_calendar_year, seed_from_chinesecalendar
from zhifa.legalcal.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def log_for(cy):
    return ChangeLog.objects.filter(content_type__model="calendaryear", object_id=str(cy.pk))


def test_seeded_on_migrate_with_chinese_names():
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert years == set(range(2004, 2027))
    assert CalendarYear.objects.filter(source="chinesecalendar", confirmed=True).count() == 23
    assert CalendarDay.objects.get(date=dt.date(2025, 10, 6)).name == "中秋节"
    assert CalendarDay.objects.get(date=dt.date(2025, 9, 28)).kind == "workday"
    assert CalendarDay.objects.get(date=dt.date(2025, 9, 28)).name == "国庆节调休"
    assert CalendarDay.objects.get(date=dt.date(2025, 1, 28)).name == "春节"
    assert CalendarDay.objects.get(date=dt.date(2015, 9, 3)).name.startswith("中国人民抗日战争")


def test_seed_is_idempotent_and_refreshes_package_years_only(enter_2027, admin_user):
    assert seed_from_chinesecalendar() == {"created": [], "updated": [], "kept_admin": []}
    # A package year whose stored data drifted is refreshed (e.g. after a package upgrade).
    CalendarDay.objects.filter(date=dt.date(2025, 10, 8)).delete()
    # An admin-entered year is never touched.
    cy = CalendarYear.objects.get(year=2024)
    do_enter_calendar_year(2024, [(dt.date(2024, 1, 1), "元旦")], [], "国办发明电〔2023〕7号",
                           acting_user=admin_user, replace=True)
    result = seed_from_chinesecalendar()
    assert result["updated"] == [2025] and result["kept_admin"] == [2024]
    assert CalendarDay.objects.filter(date=dt.date(2025, 10, 8), kind="holiday").exists()
    assert CalendarYear.objects.get(year=2024).source == "admin"
    assert CalendarDay.objects.filter(calendar_year=cy).count() == 1
    assert log_for(CalendarYear.objects.get(year=2025)).filter(action="update").exists()


def test_admin_enters_a_new_year_and_it_is_logged(enter_2027, admin_user):
    assert not periods.add_calendar_days(dt.date(2026, 12, 20), 15).known
    cy = enter_2027()
    assert cy.source == "admin" and cy.entered_by == admin_user and cy.confirmed
    assert cy.days.filter(kind="holiday").count() == 1 + 8 + 7
    assert cy.days.filter(kind="workday").count() == 2
    entry = log_for(cy).get()
    assert entry.action == "create" and entry.user == admin_user
    assert "2027-02-20 春节调休" in entry.after["workdays"]
    assert entry.after["notice"] == "国办发明电〔2026〕测试号"
    assert periods.add_calendar_days(dt.date(2026, 12, 20), 15).known  # cache invalidated


def test_role_admin_without_superuser_may_enter(world, enter_2027):
    from tests.factories import user

    plain_admin = user("admin", None, None, "caladmin")
    assert not plain_admin.is_superuser
    assert enter_2027(acting_user=plain_admin).entered_by == plain_admin


@pytest.mark.parametrize("who", ["officer", "unit_head", "head", "reviewer", "sup_county", "sup_city"])
def test_non_admin_refused(world, enter_2027, who):
    with pytest.raises(ActionRefused) as e:
        enter_2027(acting_user=world[who])
    assert e.value.rule == "calendar.admin_only" and "系统管理员" in e.value.message
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_editing_an_admin_year_is_logged_with_before_and_after(enter_2027, admin_user):
    cy = enter_2027()
    do_enter_calendar_year(2027, [(dt.date(2027, 1, 1), "元旦"), ((dt.date(2027, 2, 6), dt.date(2027, 2, 13)), "春节")], [],
                           "国办发明电〔2026〕测试号", acting_user=admin_user)
    cy.refresh_from_db()
    assert cy.days.count() == 9
    upd = log_for(cy).get(action="update")
    assert "2027-02-05 春节" in upd.before["holidays"] and "2027-02-05 春节" not in upd.after["holidays"]
    assert upd.after["workdays"] == []
    assert periods.is_working_day(dt.date(2027, 2, 5)) and not periods.is_working_day(dt.date(2027, 2, 12))


def test_package_year_needs_explicit_replace(admin_user):
    args = (2026, [(dt.date(2026, 1, 1), "元旦")], [], "国办发明电〔2025〕7号")
    with pytest.raises(ActionRefused) as e:
        do_enter_calendar_year(*args, acting_user=admin_user)
    assert e.value.rule == "calendar.replace_required"
    cy = do_enter_calendar_year(*args, acting_user=admin_user, replace=True)
    assert cy.source == "admin" and cy.days.count() == 1
    entry = log_for(cy).get(action="update")
    assert "替换 chinesecalendar" in entry.reason and len(entry.before["holidays"]) == 33
    assert periods.is_working_day(dt.date(2026, 2, 16))  # the replacement is what counts now


@pytest.mark.parametrize("holidays,workdays,rule", [
    ([(dt.date(2026, 12, 31), "元旦")], [], "calendar.date_outside_year"),
    ([(dt.date(2027, 1, 1), "元旦")], [(dt.date(2027, 2, 8), "春节调休")], "calendar.workday_not_weekend"),  # a Monday
    ([(dt.date(2027, 2, 6), "春节")], [(dt.date(2027, 2, 6), "春节调休")], "calendar.both_kinds"),
    ([(dt.date(2027, 1, 1), "元旦"), (dt.date(2027, 1, 1), "元旦")], [], "calendar.duplicate_date"),
    ([((dt.date(2027, 2, 9), dt.date(2027, 2, 5)), "春节")], [], "calendar.bad_range"),
    ([], [(dt.date(2027, 2, 6), "调休")], "calendar.no_holidays"),
])
def test_validation(admin_user, holidays, workdays, rule):
    with pytest.raises(ActionRefused) as e:
        do_enter_calendar_year(2027, holidays, workdays, "国办发明电〔2026〕1号", acting_user=admin_user)
    assert e.value.rule == rule
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_notice_required_and_year_range(admin_user):
    with pytest.raises(ActionRefused) as e:
        do_enter_calendar_year(2027, [(dt.date(2027, 1, 1), "元旦")], [], " ", acting_user=admin_user)
    assert e.value.rule == "calendar.notice_required"
    with pytest.raises(ActionRefused) as e:
        do_enter_calendar_year(1999, [(dt.date(1999, 1, 1), "元旦")], [], "x", acting_user=admin_user)
    assert e.value.rule == "calendar.year_invalid"


def test_delete_admin_year_only(enter_2027, admin_user, world):
    cy = enter_2027()
    with pytest.raises(ActionRefused) as e:
        do_delete_calendar_year(cy, acting_user=world["head"])
    assert e.value.rule == "calendar.admin_only"
    with pytest.raises(ActionRefused) as e:
        do_delete_calendar_year(CalendarYear.objects.get(year=2025), acting_user=admin_user)
    assert e.value.rule == "calendar.package_year_locked"
    assert periods.is_working_day(dt.date(2027, 1, 4))
    do_delete_calendar_year(cy, acting_user=admin_user, reason="录错")
    assert log_for(cy).filter(action="delete").exists()
    assert not periods.add_working_days(dt.date(2026, 12, 30), 5).known


# ---- the text format ----------------------------------------------------------------------------
def test_parse_text():
    hol, work = text.parse("""
# 2027年
2027-01-01 元旦 休
2027-02-15~2027-02-17 春节 休
2027-02-20　春节调休　班
2027/10/1 至 2027/10/3 国庆节 放假
2027-12-25 休
""", 2027)
    assert hol == [(dt.date(2027, 1, 1), "元旦"), (dt.date(2027, 2, 15), "春节"), (dt.date(2027, 2, 16), "春节"),
                   (dt.date(2027, 2, 17), "春节"), (dt.date(2027, 10, 1), "国庆节"), (dt.date(2027, 10, 2), "国庆节"),
                   (dt.date(2027, 10, 3), "国庆节"), (dt.date(2027, 12, 25), "")]
    assert work == [(dt.date(2027, 2, 20), "春节调休")]


def test_bad_lines_give_chinese_errors_naming_the_line():
    with pytest.raises(text.CalendarTextError) as e:
        text.parse("2027-01-01 元旦 休\n元旦放假一天\n2027-02-30 春节 休\n2027-02-06 春节\n"
                   "2026-12-31 元旦 休\n2027-01-01 元旦 休\n2027-02-08 调休 班\n2027-03-05~2027-03-01 x 休", 2027)
    errors = e.value.errors
    assert e.value.rule == "calendar.bad_line"
    assert errors[0].startswith("第2行：无法识别")
    assert errors[1].startswith("第3行：日期无效")
    assert errors[2] == "第4行：行末应注明“休”或“班”"
    assert errors[3] == "第5行：2026-12-31不在2027年内"
    assert errors[4] == "第6行：2027-01-01重复列出（另见第1行）"
    assert errors[5].startswith("第7行：2027-02-08是星期一，本来就是工作日")
    assert errors[6].startswith("第8行：结束日期")
    assert len(errors) == 7


def test_both_kinds_in_text():
    with pytest.raises(text.CalendarTextError) as e:
        text.parse("2027-02-06 春节 休\n2027-02-06 春节调休 班", 2027)
    assert e.value.errors == ["第2行：2027-02-06既列为放假日又列为调休上班日（另见第1行）"]


def test_render_round_trips():
    cy = CalendarYear.objects.get(year=2025)
    rendered = text.render(cy.days.all())
    assert "2025-10-01~2025-10-05 国庆节 休" in rendered and "2025-10-06 中秋节 休" in rendered
    assert "2025-09-28 国庆节调休 班" in rendered
    hol, work = text.parse(rendered, 2025)
    assert {(d, n) for d, n in hol} == {(x.date, x.name) for x in cy.days.filter(kind="holiday")}
    assert len(work) == 5
