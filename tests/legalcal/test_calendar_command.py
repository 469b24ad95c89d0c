"""`zhifa calendar parse-notice / import-notice / status`."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.legalcal.test_notice import NOTICE_2027
from zhifa.legalcal import pending
from zhifa.legalcal.models import CalendarDay, CalendarYear

NOTICES = Path(__file__).parent / "notices"


def run(*args, **kw):
    out, err = io.StringIO(), io.StringIO()
    call_command("calendar", *args, stdout=out, stderr=err, **kw)
    return out.getvalue()


@pytest.fixture
def notice_2027(tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    return str(path)


@pytest.fixture
def waiting_2027(monkeypatch):
    """Two pending due dates waiting for 2027, of a kind registered for the test."""
    state = {"n": 2}

    def resolve(year, *, acting_user, on):
        n, state["n"] = (state["n"], 0) if year == 2027 else (0, state["n"])
        return n

    monkeypatch.setitem(pending.REGISTRY, "test.waiting",
                        pending.Kind("test.waiting", "测试期限", lambda: {2027: state["n"]}, resolve))
    return state


# ---- parse-notice -------------------------------------------------------------------------------
def test_parse_notice_json():
    out = run("parse-notice", str(NOTICES / "2025.txt"), "--json")
    assert out.strip() == json.dumps({
        "year": 2025,
        "holidays": ["2025-01-01"] + [f"2025-01-{d}" for d in (28, 29, 30, 31)]
        + [f"2025-02-0{d}" for d in (1, 2, 3, 4)]
        + ["2025-04-04", "2025-04-05", "2025-04-06"] + [f"2025-05-0{d}" for d in range(1, 6)]
        + ["2025-05-31", "2025-06-01", "2025-06-02"] + [f"2025-10-0{d}" for d in range(1, 9)],
        "workdays": ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]})


def test_parse_notice_json_keeps_days_of_the_previous_year():
    data = json.loads(run("parse-notice", str(NOTICES / "2019.txt"), "--json"))
    assert data["year"] == 2019
    assert data["holidays"][:3] == ["2018-12-30", "2018-12-31", "2019-01-01"]
    assert data["workdays"][0] == "2018-12-29"


def test_parse_notice_summary_saves_nothing(db):
    before = CalendarYear.objects.count()
    out = run("parse-notice", str(NOTICES / "2019.txt"))
    assert out.splitlines()[0] == "2019年放假安排：国务院办公厅关于2019年部分节假日安排的通知"
    assert "  2019-05-01~2019-05-04 劳动节" in out.splitlines()
    assert "  2018-12-29 元旦调休" in out.splitlines()
    assert "以下3天不在2019年内，录入2019年时不保存（属相邻年度的安排）：2018-12-29、2018-12-30、2018-12-31" in out
    assert CalendarYear.objects.count() == before


def test_parse_notice_from_stdin_and_gbk(tmp_path):
    gbk = NOTICE_2027.encode("gbk")
    assert json.loads(run("parse-notice", "-", "--json", stdin=io.BytesIO(gbk)))["year"] == 2027
    path = tmp_path / "gbk.txt"
    path.write_bytes(gbk)
    assert json.loads(run("parse-notice", str(path), "--json"))["workdays"][0] == "2027-02-20"
    path.write_bytes(b"\xef\xbb\xbf" + NOTICE_2027.encode("utf-8"))
    assert json.loads(run("parse-notice", str(path), "--json", "--year", "2027"))["year"] == 2027


def test_parse_notice_bad_input(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run("parse-notice", str(tmp_path / "nope.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_text(NOTICE_2027.replace("共3天", "共4天", 1), encoding="utf-8")
    with pytest.raises(CommandError) as e:
        run("parse-notice", str(bad))
    assert str(e.value) == "“1月1日（周五）至3日（周日）放假，共4天。”写明共4天，但所列放假日期共3天"
    with pytest.raises(CommandError, match="不是2026年的"):
        run("parse-notice", str(NOTICES / "2025.txt"), "--year", "2026")


def test_cli_prints_one_line_and_exits_1(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日至3日放假，共4天。", encoding="gbk")
    r = subprocess.run([str(Path(sys.executable).with_name("zhifa")), "calendar", "parse-notice", str(bad)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.strip().splitlines() == ["CommandError: “1月1日至3日放假，共4天。”写明共4天，但所列放假日期共3天"]


# ---- import-notice ------------------------------------------------------------------------------
def test_import_notice(admin_user, notice_2027, waiting_2027):
    out = run("import-notice", notice_2027, "--yes")
    cy = CalendarYear.objects.get(year=2027)
    assert cy.source == CalendarYear.Source.ADMIN and cy.entered_by == admin_user and cy.confirmed
    assert cy.notice == "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕99号）"
    assert cy.source_text == NOTICE_2027.strip()
    assert cy.days.filter(kind=CalendarDay.Kind.HOLIDAY).count() == 28
    assert list(cy.days.filter(kind=CalendarDay.Kind.WORKDAY).values_list("name", flat=True)) == [
        "春节调休", "劳动节调休", "国庆节调休", "国庆节调休"]
    assert "已录入2027年放假安排：放假日28天，调休上班日4天" in out
    assert "已计算待定期限2个" in out
    assert waiting_2027["n"] == 0


def test_import_notice_asks_first(admin_user, notice_2027, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert "已取消，未保存" in run("import-notice", notice_2027)
    assert not CalendarYear.objects.filter(year=2027).exists()
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "y")
    run("import-notice", notice_2027)
    assert asked == ["确认以sysadmin的名义录入2027年的放假安排？(y/N) "]
    assert CalendarYear.objects.filter(year=2027, source=CalendarYear.Source.ADMIN).exists()


def test_import_drops_days_outside_the_year(admin_user, legal_calendar):
    out = run("import-notice", str(NOTICES / "2019.txt"), "--yes", "--replace")
    assert "以下3天不在2019年内" in out
    cy = CalendarYear.objects.get(year=2019)
    assert cy.source == CalendarYear.Source.ADMIN
    assert not CalendarDay.objects.filter(calendar_year=cy, date__year=2018).exists()
    assert CalendarDay.objects.get(date="2019-05-04").name == "劳动节"
    # the 2018 days of the 2019 notice stay where chinesecalendar put them
    assert CalendarDay.objects.get(date="2018-12-29").calendar_year.year == 2018


def test_import_package_year_needs_replace(admin_user, legal_calendar):
    with pytest.raises(CommandError) as e:
        run("import-notice", str(NOTICES / "2026.txt"), "--yes")
    assert str(e.value) == ("2026年的安排已由 chinesecalendar 数据包载入；如确需以该通知替换，请加 --replace 参数")
    run("import-notice", str(NOTICES / "2026.txt"), "--yes", "--replace")
    cy = CalendarYear.objects.get(year=2026)
    assert cy.source == CalendarYear.Source.ADMIN and cy.notice.endswith("（国办发明电〔2025〕7号）")
    from chinese_calendar import constants

    days = list(cy.days.values_list("date", "kind"))
    assert {d for d, k in days if k == CalendarDay.Kind.HOLIDAY} == {d for d in constants.holidays if d.year == 2026}
    assert {d for d, k in days if k == CalendarDay.Kind.WORKDAY} == {d for d in constants.workdays if d.year == 2026}


def test_import_without_an_administrator(db, notice_2027):
    with pytest.raises(CommandError, match="没有可用的系统管理员账号"):
        run("import-notice", notice_2027, "--yes")


def test_import_users(world, notice_2027):
    with pytest.raises(CommandError, match="只有系统管理员可以录入"):
        run("import-notice", notice_2027, "--yes", "--user", world["officer"].username)
    with pytest.raises(CommandError, match="用户不存在：nobody"):
        run("import-notice", notice_2027, "--yes", "--user", "nobody")
    run("import-notice", notice_2027, "--yes", "--user", world["admin"].username)
    assert CalendarYear.objects.get(year=2027).entered_by == world["admin"]


# ---- status -------------------------------------------------------------------------------------
def test_status(admin_user, legal_calendar, waiting_2027, notice_2027):
    next_year = timezone.localdate().year + 1
    lines = run("status").splitlines()
    assert lines[0] == "年度\t数据来源\t通知\t录入人\t待定期限"
    assert any(line.startswith("2026年\t数据包\tchinesecalendar") for line in lines)
    assert "  2027年：2个（测试期限2个）" in lines
    if next_year == 2027:
        assert lines[-1].startswith("2027年法定节假日安排尚未录入")
    run("import-notice", notice_2027, "--yes")
    lines = run("status").splitlines()
    assert ("2027年\t管理员录入\t国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕99号）\t系统管理员\t0"
            in lines)
    assert "没有待定期限" in lines
    assert not any("尚未录入" in line for line in lines) or next_year != 2027
