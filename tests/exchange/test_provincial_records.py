"""The provincial platform's table family (主体 / 人员 / 事项 / 对象 / 处罚 / 强制 / 检查) written from fixed facts,
compared with golden files (tests/exchange/golden/sj_*.json), and a validator for every code: each refuses
what it must, naming the field. No database."""
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from zhifa.common.identifiers import make_credit_code, make_id_number
from zhifa.exchange import provincial, records
from zhifa.exchange.choices import FEED_TABLES, Feed
from zhifa.exchange.validators import check_certificate_number, check_power_code, validate

GOLDEN = Path(__file__).parent / "golden"
BODY = make_credit_code("520502", "47908429", authority="1")
PARENT = make_credit_code("520502", "47908430", authority="1")
PARTY = make_credit_code("520502", "00001234", authority="9")
PERSON = make_id_number("520502", dt.date(1980, 5, 1), 17)  # odd sequence: male
TODAY = dt.date(2026, 4, 21)
CASE = {
    "catalogue_code": "52050201040001", "entity_name": "七星关区市场监督管理局", "entity_credit_code": BODY,
    "region_code": "520502", "case_number": "七市监立〔2026〕3号", "party_kind": "org",
    "party_name": "毕节市七星关区某某餐饮店", "party_code": PARTY, "inspected_on": "2026-03-03", "problems_found": True,
    "result_text": "冷藏柜内生熟食品混放", "decision_number": "七市监罚决〔2026〕1号", "title": "销售过期食品案",
    "penalty_kinds": ["warning", "fine"], "decided_on": "2026-04-20",
    "fine_amount": Decimal("5000"), "confiscation_amount": Decimal("0"),
    "measure_number": "七市监强〔2026〕2号", "measure": "seize", "measure_decided_on": "2026-03-02",
    "period_days": 30, "released_on": "2026-03-10",
}
FACTS = {
    "sj_zfzt": {"credit_code": BODY, "name": "七星关区市场监督管理局", "kind": "entrusted",
                "entrusted_by_code": PARENT, "region_code": "520502", "fields": "市场监管、食品安全",
                "address": "七星关区洪山路1号", "phone": "0857-8221234", "is_active": True},
    "sj_zfry": {"certificate_number": "52050226000123", "name": "刘一", "id_number": PERSON, "gender": "M",
                "entity_credit_code": BODY, "entity_name": "七星关区市场监督管理局", "fields": "市场监管",
                "issuing_authority": "贵州省人民政府", "issued_on": "2026-01-05", "expires_on": "2031-01-04",
                "certificate_status": "valid", "status": "active"},
    "sj_zfsx": {"code": "330217001000", "name": "对销售过期食品的行政处罚", "category": "penalty",
                "entity_credit_code": BODY, "entity_name": "七星关区市场监督管理局",
                "supervision_code": "52050201040001", "law": "《中华人民共和国食品安全法》", "article": "第一百二十四条",
                "version": 2, "effective_from": "2026-01-01"},
    "sj_jcdx": {"key": PARTY, "key_kind": "credit_code", "name": "毕节市七星关区某某餐饮店", "kind": "market",
                "risk": "C", "abnormal": False, "entity_credit_code": BODY, "address": "七星关区某某路8号"},
    "sj_xzcf": CASE, "sj_xzqz": CASE, "sj_xzjc": CASE,
}
ENVELOPE = {"cd_id": "0f" * 16, "cd_time": dt.datetime(2026, 4, 21, 1, 0, 0), "cd_source": "520500",
            "cd_batch": "52050020260421001", "cd_operation": "i"}


def record(table, **changes):
    return records.envelope(provincial.BUILDERS[table](FACTS[table]), **ENVELOPE) | changes


def reasons(table, **changes):
    return "；".join(validate(table, record(table, **changes), today=TODAY))


def test_the_provincial_feed_has_the_seven_tables():
    assert FEED_TABLES[Feed.PROVINCIAL] == sorted(FACTS, key=list(provincial.BUILDERS).index)
    assert set(provincial.SCHEMAS) == set(provincial.BUILDERS) == set(FACTS)


@pytest.mark.parametrize("table", sorted(FACTS))
def test_record_matches_its_golden_file_spec_and_passes_every_validator(table):
    made = record(table)
    golden = json.loads((GOLDEN / f"{table}.json").read_text(encoding="utf-8"))
    assert made == golden
    assert list(made)[5:] == list(provincial.SCHEMAS[table])  # the field spec, in its order
    assert validate(table, made, today=TODAY) == []


def test_each_code_of_the_provincial_tables_is_checked():
    assert "统一社会信用代码（ZTBM）：统一社会信用代码校验位错误" in reasons("sj_zfzt", ZTBM=BODY[:17] + (
        "0" if BODY[17] != "0" else "1"))
    assert "行政区划代码（XZQHDM）" in reasons("sj_zfzt", XZQHDM="990000")
    assert "主体类别（ZTLB）" in reasons("sj_zfzt", ZTLB="9")
    assert "受委托组织必须填写委托机关" in reasons("sj_zfzt", WTJGBM="")
    assert "只有受委托组织才有委托机关" in reasons("sj_zfzt", ZTLB="1")
    assert "联系电话（LXDH）" in reasons("sj_zfzt", LXDH="12")
    assert reasons("sj_zfzt", ZTLB="1", WTJGBM="", LXDH="", BGDZ="") == ""
    assert "执法证号（ZFZH）" in reasons("sj_zfry", ZFZH="C0000000001")
    assert "执法证号前6位" in reasons("sj_zfry", ZFZH="99050226000123")
    assert "身份证号（SFZH）" in reasons("sj_zfry", SFZH=PERSON[:17] + ("0" if PERSON[17] != "0" else "1"))
    assert "性别（XB）：与身份证号第17位不符" in reasons("sj_zfry", XB="2")
    assert "有效期至（YXQZ）：应晚于发证日期" in reasons("sj_zfry", YXQZ="2025-01-01")
    assert "证件状态（ZJZT）" in reasons("sj_zfry", ZJZT="0")
    assert "事项编码（SXBM）" in reasons("sj_zfsx", SXBM="编码1")
    assert "权力类别（QLLB）" in reasons("sj_zfsx", QLLB="12")
    assert "监管事项目录编码（JGSXBM）" in reasons("sj_zfsx", JGSXBM="5205020104000")
    assert reasons("sj_zfsx", JGSXBM="") == ""  # the 监管事项 code is optional on a power item
    assert "对象编码（DXBM）：统一社会信用代码" in reasons("sj_jcdx", DXBM=PARTY[:17] + (
        "0" if PARTY[17] != "0" else "1"))
    assert "对象编码（DXBM）：身份证号" in reasons("sj_jcdx", DXBMLB="2")
    assert reasons("sj_jcdx", DXBMLB="3", DXBM="GZ-001") == ""
    assert "信用风险等级（XYFXDJ）" in reasons("sj_jcdx", XYFXDJ="E")
    assert "行政相对人编码（XDRBM）" in reasons("sj_xzcf", XDRLB="2")
    assert "处罚类别（CFLB）" in reasons("sj_xzcf", CFLB="")
    assert "罚款金额（元）（FKJE）" in reasons("sj_xzcf", FKJE="5000")
    assert "强制措施（QZCS）" in reasons("sj_xzqz", QZCS="3")
    assert "期限（日）（QX）" in reasons("sj_xzqz", QX="61")
    assert "解除日期（JCRQ）：不能早于决定日期" in reasons("sj_xzqz", JCRQ="2026-03-01")
    assert "检查结果（JCJG）" in reasons("sj_xzjc", JCJG="3")
    assert "执法主体统一社会信用代码（ZTBM）" in reasons("sj_xzjc", ZTBM="123")
    assert "cd_operation" in reasons("sj_xzjc", cd_operation="x")
    # a deletion names its record by its first field
    assert validate("sj_zfry", {**record("sj_zfry"), "cd_operation": "d"} | dict.fromkeys(("XM", "SFZH")), today=TODAY) == []


def test_code_checks():
    assert check_certificate_number("52050226000123") is None
    assert check_certificate_number("5205022") is not None  # too short
    assert check_certificate_number("520502ab") is not None  # lower case
    assert check_power_code("330217001000") is None and check_power_code("") is not None
    assert check_power_code("x" * 41) is not None


def test_docs_list_every_field_of_every_provincial_table():
    doc = (Path(__file__).parents[2] / "docs" / "exchange.md").read_text(encoding="utf-8")
    for table, fields in provincial.SCHEMAS.items():
        assert f"### {table}" in doc or f", {table}" in doc, table
        for code in fields:
            assert code in doc, (table, code)
