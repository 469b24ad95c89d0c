import datetime as dt

import pytest

from zhifa.documents.text import cn_date, money, num_date, rmb_phrase, rmb_upper


@pytest.mark.parametrize("value, expected", [
    ("2026-11-22", "二〇二六年十一月二十二日"), (dt.date(2026, 4, 2), "二〇二六年四月二日"),
    (dt.date(2030, 10, 10), "二〇三〇年十月十日"), (dt.date(2026, 12, 31), "二〇二六年十二月三十一日"),
    (dt.date(2000, 1, 20), "二〇〇〇年一月二十日"), ("", ""), (None, ""),
])
def test_cn_date(value, expected):
    assert cn_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    (5000, "伍仟元整"), ("20000", "贰万元整"), (100000, "壹拾万元整"), (1005, "壹仟零伍元整"), (110, "壹佰壹拾元整"),
    (1010, "壹仟零壹拾元整"), ("10020.50", "壹万零贰拾元伍角整"), ("3.05", "叁元零伍分"), ("0.08", "捌分"),
    (0, "零元整"), (100000010, "壹亿零壹拾元整"), (1000000, "壹佰万元整"), (10010000, "壹仟零壹万元整"),
    ("", ""), (None, ""),
])
def test_rmb_upper(value, expected):
    assert rmb_upper(value) == expected


def test_money_and_phrase():
    assert money("20000") == "20,000.00" and num_date("2026-04-02") == "2026年4月2日"
    assert rmb_phrase(5000) == "人民币伍仟元整（¥5,000.00）" and rmb_phrase("") == ""
