"""Parsing the State Council holiday notice (zhifa.legalcal.notice).

tests/legalcal/notices/YYYY.txt hold the notices for 2008–2026 as published (typed from memory,
then checked day by day against chinesecalendar, whose data follows the real notices). The 2019
file ends with the March 2019 notice adjusting 劳动节, the 2020 file with the January 2020 notice
extending 春节; the 2015 file carries the 抗战胜利70周年纪念日 arrangement (announced separately)
as an eighth item.

How the comparison handles the year boundary: a notice for year Y may list days of Y-1 (the 2019
notice starts 元旦 on 2018-12-30 and makes 2018-12-29 a working day). chinesecalendar files those
days under Y-1. So the days of year Y are expected to be the days of notice Y inside Y plus the
days of notice Y+1 inside Y; and every day a notice lists outside its year must agree with
chinesecalendar too.

Where chinesecalendar is not a faithful copy of the notice: it leaves out a weekend day inside
three "共3天" ranges (2011-06-05, 2012-06-23, 2015-09-05) and adds the weekend before
2024-01-01, which the 2024 notice only mentions as "与周末连休". All four are Saturdays or
Sundays, so whether a day is a working day is the same either way; they are listed below and
the comparison is otherwise exact.
"""
import datetime as dt
from pathlib import Path

import pytest
from chinese_calendar import constants
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.common.actions import ActionRefused
from zhifa.legalcal.notice import (
    Notice,
    NoticeBadDate,
    NoticeCountError,
    NoticeError,
    NoticeOverlap,
    NoticeUnparsed,
    NoticeWorkdayWeekday,
    NoticeYearError,
    decode,
    normalize,
    parse_notice,
)

NOTICES = Path(__file__).parent / "notices"
YEARS = sorted(int(p.stem) for p in NOTICES.glob("*.txt"))

# Weekend days the notice declares off but chinesecalendar omits, and the reverse.
NOT_IN_PACKAGE = {dt.date(2011, 6, 5), dt.date(2012, 6, 23), dt.date(2015, 9, 5)}
ONLY_IN_PACKAGE = {dt.date(2023, 12, 30), dt.date(2023, 12, 31)}


def notice_text(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def parsed(year: int) -> Notice:
    return parse_notice(notice_text(year))


def package_days(year: int) -> tuple[set, set]:
    return ({d for d in constants.holidays if d.year == year}, {d for d in constants.workdays if d.year == year})


def test_every_year_typed():
    assert list(range(2008, 2027)) == YEARS


def test_quirks_are_weekend_days_only():
    assert all(d.weekday() >= 5 for d in NOT_IN_PACKAGE | ONLY_IN_PACKAGE)


@pytest.mark.parametrize("year", YEARS)
def test_notice_reproduces_chinesecalendar(year):
    n = parsed(year)
    assert n.year == year
    assert "部分节假日安排的通知" in n.title
    holidays = {d for d, _ in n.holidays if d.year == year}
    workdays = {d for d, _ in n.workdays if d.year == year}
    if year + 1 in YEARS:  # the next notice's 元旦 may start in this year
        nxt = parsed(year + 1)
        holidays |= {d for d, _ in nxt.holidays if d.year == year}
        workdays |= {d for d, _ in nxt.workdays if d.year == year}
    want_holidays, want_workdays = package_days(year)
    assert workdays == want_workdays
    assert holidays == (want_holidays - ONLY_IN_PACKAGE) | {d for d in NOT_IN_PACKAGE if d.year == year}
    # days the notice lists in the neighbouring year agree with chinesecalendar as well
    for d, _name, kind in n.outside_year:
        assert d in (constants.holidays if kind == "holiday" else constants.workdays), d
    # lists are sorted and without duplicates
    assert [d for d, _ in n.holidays] == sorted({d for d, _ in n.holidays})
    assert [d for d, _ in n.workdays] == sorted({d for d, _ in n.workdays})


def test_adjacent_year_days_are_kept_and_split_off():
    n = parsed(2019)
    assert n.outside_year == [(dt.date(2018, 12, 29), "元旦调休", "workday"), (dt.date(2018, 12, 30), "元旦", "holiday"),
                              (dt.date(2018, 12, 31), "元旦", "holiday")]
    holidays, workdays = n.in_year()
    assert holidays[0] == (dt.date(2019, 1, 1), "元旦") and all(d.year == 2019 for d, _ in holidays + workdays)
    assert [d for d, _k, _n in parsed(2008).outside_year] == [dt.date(2007, 12, 29), dt.date(2007, 12, 30), dt.date(2007, 12, 31)]
    assert parsed(2012).outside_year == [(dt.date(2011, 12, 31), "元旦调休", "workday")]
    assert [d for d, *_ in parsed(2023).outside_year] == [dt.date(2022, 12, 31)]


def test_names_and_title():
    n = parsed(2025)
    names = dict(n.holidays)
    assert names[dt.date(2025, 1, 28)] == "春节" and names[dt.date(2025, 10, 6)] == "国庆节、中秋节"
    assert dict(n.workdays) == {dt.date(2025, 1, 26): "春节调休", dt.date(2025, 2, 8): "春节调休", dt.date(2025, 4, 27): "劳动节调休",
                                dt.date(2025, 9, 28): "国庆节、中秋节调休", dt.date(2025, 10, 11): "国庆节、中秋节调休"}
    assert n.title == "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）"
    assert dict(parsed(2015).holidays)[dt.date(2015, 9, 3)] == "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"
    assert parsed(2011).title == "国务院办公厅关于2011年部分节假日安排的通知"


def test_amendments_2019_and_2020():
    n = parsed(2019)  # 劳动节 adjusted from 5月1日 to 5月1日至4日, with two working Sundays
    assert [d for d, name in n.holidays if name == "劳动节"] == [dt.date(2019, 5, d) for d in (1, 2, 3, 4)]
    assert dt.date(2019, 4, 28) in dict(n.workdays) and dt.date(2019, 5, 5) in dict(n.workdays)
    n = parsed(2020)  # 春节 extended to 2月2日: 2月1日 (星期六) is no longer a working day
    assert max(d for d, name in n.holidays if name == "春节") == dt.date(2020, 2, 2)
    assert dt.date(2020, 2, 1) not in dict(n.workdays)
    assert n.title == "国务院办公厅关于2020年部分节假日安排的通知"  # the extension's 文号 is not this notice's


def test_year_argument():
    assert parse_notice(notice_text(2024), year=2024).year == 2024
    with pytest.raises(NoticeYearError) as e:
        parse_notice(notice_text(2024), year=2025)
    assert e.value.rule == "calendar.notice_year" and e.value.field == "text"
    assert "“国务院办公厅关于2024年部分节假日安排的通知”是2024年的放假安排，不是2025年的" in e.value.message


def test_notice_for_another_year_than_its_title():
    text = notice_text(2024).replace("2024年", "2025年")  # 2024's dates under a 2025 title
    with pytest.raises(NoticeYearError) as e:
        parse_notice(text)
    assert "“国务院办公厅关于2025年部分节假日安排的通知”标明2025年" in e.value.message
    assert "似为2024年的安排" in e.value.message
    assert e.value.sentence in e.value.message


def test_year_from_body_or_argument_when_no_title():
    body = "一、元旦：1月1日放假，与周末连休。二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。"
    with pytest.raises(NoticeYearError, match="未能从通知中确定年度"):
        parse_notice(body)
    n = parse_notice(body, year=2024)
    assert n.year == 2024 and n.title == "" and len(n.holidays) == 9
    n = parse_notice("经国务院批准，现将2024年元旦、春节放假调休日期的具体安排通知如下。" + body)
    assert n.year == 2024


# ---- refusals name the sentence -------------------------------------------------------------
HEAD = "国务院办公厅关于2027年部分节假日安排的通知\n经国务院批准，现将2027年元旦、春节放假调休日期的具体安排通知如下。\n"


def refusal(body: str, cls):
    with pytest.raises(cls) as e:
        parse_notice(HEAD + body)
    assert isinstance(e.value, ActionRefused) and isinstance(e.value, NoticeError)
    assert e.value.field == "text"
    assert e.value.sentence and e.value.sentence in e.value.message
    return e.value


def test_refuses_nonexistent_date():
    e = refusal("一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、春节：2月30日放假。", NoticeBadDate)
    assert e.rule == "calendar.notice_bad_date" and "“2月30日放假。”" in e.message and "不存在" in e.message


def test_refuses_wrong_weekday():
    e = refusal("一、元旦：1月1日（周六）放假，与周末连休。", NoticeBadDate)
    assert "实际是星期五" in e.message and "“1月1日（周六）放假，与周末连休。”" in e.message


def test_refuses_count_mismatch():
    e = refusal("一、元旦：1月1日至3日放假，共4天。", NoticeCountError)
    assert e.rule == "calendar.notice_count"
    assert e.message == "“1月1日至3日放假，共4天。”写明共4天，但所列放假日期共3天"
    refusal("一、元旦：1月1日放假2天。", NoticeCountError)


def test_refuses_weekday_declared_working_day():
    e = refusal("一、国庆节：10月1日至7日放假调休，共7天。10月8日（周五）上班。", NoticeWorkdayWeekday)
    assert e.rule == "calendar.notice_workday_weekday"
    assert "“10月8日（周五）上班。”将2027-10-08（星期五）列为上班日" in e.message


def test_refuses_overlapping_items():
    e = refusal("一、中秋节：9月15日至17日放假，共3天。\n二、国庆节：9月17日至23日放假调休，共7天。", NoticeOverlap)
    assert e.rule == "calendar.notice_overlap"
    assert "2027-09-17重复列出" in e.message and "“9月17日至23日放假调休，共7天。”" in e.message


def test_refuses_overlapping_ranges_in_one_item():
    e = refusal("一、春节：2月5日至12日放假调休，共8天。其中2月10日至13日放假，共4天。", NoticeOverlap)
    assert "重叠" in e.message


def test_refuses_contradictory_items():
    e = refusal("一、元旦：1月1日至3日放假，共3天。\n二、春节：2月5日至12日放假调休，共8天。1月3日（周日）上班。",
                NoticeOverlap)
    assert "2027-01-03既列为放假日又列为上班日" in e.message
    e = refusal("一、劳动节：5月1日至5日放假调休，共5天。5月1日（周六）上班。", NoticeOverlap)
    assert "既列为放假日又列为上班日" in e.message


def test_refuses_sentence_it_cannot_account_for():
    e = refusal("一、元旦：1月1日至3日放假，共3天。1月9日视情况上班。", NoticeUnparsed)
    assert e.rule == "calendar.notice_unparsed"
    assert "“1月9日视情况上班。”" in e.message and "2027-01-09" in e.message
    e = refusal("一、元旦：一月一日至三日放假，共三天。", NoticeUnparsed)
    assert "元旦：一月一日至三日放假，共三天。" in e.message
    with pytest.raises(NoticeUnparsed, match="未找到任何放假安排"):
        parse_notice(HEAD + "节假日期间，各地区要妥善安排好值班工作。")
    with pytest.raises(NoticeUnparsed, match="请粘贴"):
        parse_notice("  \n ")


def test_refuses_dates_far_from_the_year():
    e = refusal("一、元旦：2030年1月1日放假。", NoticeYearError)
    assert "“2030年1月1日放假。”" in e.message


def test_advisory_sentences_without_rest_words_are_ignored():
    n = parse_notice(HEAD + "一、春节：2月6日至12日放假调休，共7天。鼓励各单位安排职工在除夕（2月5日）休息。\n"
                            "国务院办公厅\n2026年11月1日")
    assert [d for d, _ in n.holidays] == [dt.date(2027, 2, d) for d in range(6, 13)]


# ---- a hypothetical 2027 notice (test data, not an official notice) --------------------------
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕99号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
    经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
    一、元旦：1月1日（周五）至3日（周日）放假，共3天。
    二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共8天。2月20日（周六）上班。
    三、清明节：4月3日（周六）至5日（周一）放假，共3天。
    四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）上班。
    五、端午节：6月9日（周三）放假，共1天。
    六、中秋节：9月15日（周三）放假，共1天。
    七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
    节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，确保人民群众祥和平安度过节日假期。
国务院办公厅
2026年11月4日
"""


def test_hypothetical_2027():
    n = parse_notice(NOTICE_2027)
    assert n.year == 2027 and n.title == "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕99号）"
    assert [d for d, _ in n.holidays] == (
        [dt.date(2027, 1, d) for d in (1, 2, 3)] + [dt.date(2027, 2, d) for d in range(5, 13)] + [dt.date(2027, 4, d) for d in (3, 4, 5)]
        + [dt.date(2027, 5, d) for d in range(1, 6)] + [dt.date(2027, 6, 9), dt.date(2027, 9, 15)]
        + [dt.date(2027, 10, d) for d in range(1, 8)])
    assert n.workdays == [(dt.date(2027, 2, 20), "春节调休"), (dt.date(2027, 4, 25), "劳动节调休"), (dt.date(2027, 9, 26), "国庆节调休"),
                          (dt.date(2027, 10, 9), "国庆节调休")]
    assert n.outside_year == []


def test_cross_year_range_without_explicit_years():
    n = parse_notice(HEAD + "一、元旦：12月31日至1月2日放假调休，共3天。12月26日（周六）上班。")
    assert [d for d, _ in n.holidays] == [dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2027, 1, 2)]
    assert n.workdays == [(dt.date(2026, 12, 26), "元旦调休")]


# ---- widths, whitespace, encodings ----------------------------------------------------------
FULL = str.maketrans({**{str(i): chr(0xFF10 + i) for i in range(10)}})
HALF = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";"})


@pytest.mark.parametrize("year", [2010, 2015, 2020, 2025])
def test_full_width_digits_and_half_width_punctuation(year):
    text = notice_text(year)
    want = parse_notice(text)
    assert parse_notice(text.translate(FULL)) == want
    assert parse_notice(text.translate(HALF)) == want
    assert parse_notice(text.translate(FULL).translate(HALF).replace("日至", "日-")) == want
    assert parse_notice(text.replace("\n", "\r\n").replace("    ", "\u3000\u3000")) == want


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_whitespace_and_punctuation_anywhere(data):
    text = notice_text(2024)
    want = parse_notice(text)
    chars = []
    for ch in text:
        if data.draw(st.integers(0, 20), label="space?") == 0:
            chars.append(data.draw(st.sampled_from([" ", "\n", "\u3000", "\t", "\r\n"])))
        if ch in "（），：；" and data.draw(st.booleans()):
            ch = ch.translate(HALF)
        elif ch.isdigit() and data.draw(st.booleans()):
            ch = ch.translate(FULL)
        chars.append(ch)
    assert parse_notice("".join(chars)) == want


def test_normalize():
    assert normalize("１月１日 —\n3日(星期六)") == "1月1日至3日（星期六）"


def test_decode_utf8_and_gbk():
    text = notice_text(2026)
    assert decode(text.encode("utf-8")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode(text.encode("gbk")) == text
