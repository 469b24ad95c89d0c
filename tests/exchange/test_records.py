"""The national records written from fixed facts, compared with golden files (tests/exchange/golden/),
and a validator for every code: each refuses what it must, naming the field. No database."""
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from zhifa.common.identifiers import make_credit_code, make_id_number
from zhifa.exchange import records
from zhifa.exchange.actions.payments import check_slip_number, slip_check_digit
from zhifa.exchange.validators import validate

GOLDEN = Path(__file__).parent / "golden"
BODY = make_credit_code("520502", "47908429", authority="1")
PARTY = make_credit_code("520502", "00001234", authority="9")
PERSON = make_id_number("520502", dt.date(1980, 5, 1), 17)
FACTS = {
    "catalogue_code": "52050201040001", "entity_name": "七星关区市场监督管理局", "entity_credit_code": BODY,
    "region_code": "520502", "case_number": "七市监检〔2026〕1号", "party_kind": "org",
    "party_name": "毕节市七星关区某某餐饮店", "party_code": PARTY, "inspected_on": "2026-03-03", "problems_found": True,
    "result_text": "冷藏柜内生熟食品混放", "decision_number": "七市监罚决〔2026〕1号",
    "penalty_kinds": ["warning", "fine", "confiscate_gains"], "decided_on": "2026-04-20",
    "fine_amount": Decimal("5000"), "confiscation_amount": Decimal("420.5"),
    "content": "警告；罚款人民币5000.00元；没收人民币420.50元", "public_until": "2029-04-27",
}
ENVELOPE = {"cd_id": "0f" * 16, "cd_time": dt.datetime(2026, 4, 21, 1, 0, 0), "cd_source": "520500",
            "cd_batch": "52050020260421001", "cd_operation": "i"}
TABLES = {"jgxw_xzjc": records.inspection_record, "jgxw_xzcf": records.penalty_record,
          "sgs_xzcf": records.credit_record}


def record(table, **changes):
    return records.envelope(TABLES[table]({**FACTS, **changes}), **ENVELOPE)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_record_matches_its_golden_file_and_passes_every_validator(table):
    made = record(table)
    golden = json.loads((GOLDEN / f"{table}.json").read_text(encoding="utf-8"))
    assert made == golden
    assert validate(table, made, today=dt.date(2026, 4, 21)) == []


def reasons(table, **changes):
    return "；".join(validate(table, {**record(table), **changes}, today=dt.date(2026, 4, 21)))


def test_each_code_is_checked():
    assert "监管事项目录编码（JGSXBM）" in reasons("jgxw_xzjc", JGSXBM="5205020104000")  # 13 digits
    assert "JCSSQDBM" in reasons("jgxw_xzjc", JCSSQDBM=BODY[:17] + "X" + "52050201040001" + "01")
    other = make_credit_code("520502", "12345678")
    assert "前18位应为实施机构" in reasons("jgxw_xzjc", JCSSQDBM=other + "52050201040001" + "01")
    assert "第19-32位应为监管事项目录编码" in reasons("jgxw_xzjc", JCSSQDBM=BODY + "52050201040002" + "01")
    assert "行政区划代码（XZQHDM）" in reasons("jgxw_xzcf", XZQHDM="52050")
    assert "校验位" in reasons("jgxw_xzcf", XDRBM=PARTY[:17] + ("0" if PARTY[17] != "0" else "1"))
    assert "身份证号" in reasons("sgs_xzcf", XDR_LB="2", XDR_BM=PERSON[:17] + ("0" if PERSON[17] != "0" else "1"))
    assert reasons("sgs_xzcf", XDR_LB="2", XDR_BM=PERSON) == ""
    assert "检查结果（JCJG）" in reasons("jgxw_xzjc", JCJG="9")
    assert "实施机构统一社会信用代码（SSJGBM）" in reasons("jgxw_xzjc", SSJGBM="123")
    assert "cd_operation" in reasons("jgxw_xzcf", cd_operation="x")
    assert "cd_batch" in reasons("jgxw_xzcf", cd_batch="2026")
    assert "cd_time" in reasons("jgxw_xzcf", cd_time="2026-04-21")
    assert "罚款金额（元）（FKJE）" in reasons("jgxw_xzcf", FKJE="-1.00")
    assert "处罚类别（CF_CFLB）" in reasons("sgs_xzcf", CF_CFLB="99")
    # a deletion carries its envelope and names its record; the data fields are optional
    assert validate("sgs_xzcf", {**ENVELOPE, "cd_time": "2026-04-21 01:00:00", "cd_operation": "d",
                                 "CF_WSH": "七市监罚决〔2026〕1号"}) == []
    assert validate("nope", {}) == ["未知的交换表“nope”"]


def test_payment_slip_number_has_a_check_digit():
    first19 = "5205022026000000001"
    good = first19 + slip_check_digit(first19)
    assert check_slip_number(good) is None
    assert check_slip_number(first19 + str((int(good[-1]) + 1) % 10)) == "非税收入缴款书号码校验位错误"
    assert check_slip_number("123") == "非税收入缴款书号码应为20位数字"
